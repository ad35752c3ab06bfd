"""Running the rules: the lazy :func:`iter_findings` and the one-shot :func:`validate`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from changemodel.errors import ChangeModelError, LoadError, did_you_mean
from changemodel.model import ChangeModel
from changemodel.validation.config import Config, SettingsError, Suppression
from changemodel.validation.defaults import default_registry
from changemodel.validation.facts import Facts
from changemodel.validation.findings import (
    Finding,
    Report,
    Severity,
    Suppressed,
    ValidationError,
)
from changemodel.validation.registry import Problem, Registry, Rule, RuleError

__all__ = ["ValidationError", "effective_config", "iter_findings", "validate"]


def effective_config(
    model: ChangeModel,
    *,
    config: Config | None = None,
    profiles: Iterable[str] | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    severity: Mapping[str, Severity | str] | None = None,
    fail_on: Severity | str | None = None,
    use_model_settings: bool = True,
    registry: Registry | None = None,
) -> Config:
    """The settings a run uses: *config* (say from ``pyproject.toml``), then the model
    file's ``validation:`` section, then the arguments, each overriding the one before."""
    registry = registry or default_registry()
    result = config or Config()
    if use_model_settings:
        result = result.merged(Config.from_model(model, registry=registry))
    data: dict[str, object] = {}
    if profiles is not None:
        data["profiles"] = [profiles] if isinstance(profiles, str) else list(profiles)
    for key, value in (("select", select), ("ignore", ignore)):
        items = [value] if isinstance(value, str) else list(value)
        if items:
            data[key] = items
    if severity:
        data["severity"] = {
            k: (v.value if isinstance(v, Severity) else v) for k, v in severity.items()
        }
    if fail_on is not None:
        data["fail_on"] = fail_on.value if isinstance(fail_on, Severity) else fail_on
    if data:
        result = result.merged(Config.from_data(data, registry=registry, origin="arguments"))
    return result


def _check_targets(model: ChangeModel, suppressions: tuple[Suppression, ...]) -> None:
    if not suppressions:
        return
    known: set[str] = {e.id for e in model.elements}
    known.update(link.id for link in model.links)
    known.update(t.id for t in model.theories)
    known.update(r.id for r in model.references)
    known.update(c.id for c in model.configurations)
    problems = []
    for s in suppressions:
        if s.target is not None and s.target not in known:
            hint = did_you_mean(s.target, known)
            problems.append(
                LoadError(
                    f"suppression of {s.rule} names {s.target!r}, which is no element,"
                    " link, theory, reference or configuration of the model"
                    + (f" (did you mean {hint!r}?)" if hint else ""),
                    location=s.location,
                    path=s.path,
                    value=s.target,
                    suggestion=hint,
                )
            )
    if problems:
        raise SettingsError(problems)


def _run(
    model: ChangeModel, config: Config, rules: tuple[Rule, ...]
) -> Iterator[tuple[Finding, Suppression | None]]:
    _check_targets(model, config.suppress)
    suppressions = {(s.rule, s.target): s for s in config.suppress}
    facts = Facts(model, options=config.rule_options)
    for rule in rules:
        severity = config.severity.get(rule.code, rule.severity)
        for problem in _problems(rule, facts):
            if problem.at is not None:
                key: str | None = problem.at
            elif problem.element is not None:
                key = f"element:{problem.element}"
            elif problem.link is not None:
                key = f"link:{problem.link}"
            else:
                key = None
            finding = Finding(
                rule.code,
                rule.name,
                severity,
                problem.message,
                element=problem.element,
                link=problem.link,
                item=problem.item,
                related=problem.related,
                location=facts.location(key),
                hint=problem.hint if problem.hint is not None else rule.hint,
            )
            yield finding, suppressions.get((rule.code, finding.target))


def _problems(rule: Rule, facts: Facts) -> Iterator[Problem]:
    try:
        for problem in rule.check(facts):
            if not isinstance(problem, Problem):
                raise RuleError(
                    f"rule {rule.code} {rule.name} yielded {type(problem).__name__} {problem!r};"
                    " a rule yields Problem objects"
                )
            yield problem
    except ChangeModelError:
        raise
    except Exception as exc:
        raise RuleError(
            f"rule {rule.code} {rule.name} failed: {type(exc).__name__}: {exc}"
        ) from exc


def iter_findings(
    model: ChangeModel,
    *,
    config: Config | None = None,
    profiles: Iterable[str] | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    severity: Mapping[str, Severity | str] | None = None,
    use_model_settings: bool = True,
    registry: Registry | None = None,
    plugins: bool = True,
) -> Iterator[Finding]:
    """Yield the findings of the selected rules one at a time, in rule order,
    leaving out suppressed ones. Stop iterating to stop validating.

    >>> from changemodel import ChangeModel
    >>> m = ChangeModel("Tiny")
    >>> _ = m.activity("a", "Do") >> m.process_outcome("o", "Change")
    >>> _ = m.mechanism("m", "Why")
    >>> [f.name for f in iter_findings(m)]
    ['isolated-element']
    >>> [f.code for f in iter_findings(m, profiles=["mrc"])]
    ['CM301', 'CM304', 'CM305', 'CM306', 'CM307', 'CM308']
    """
    registry = registry or default_registry()
    if not plugins:
        registry = registry.without_plugins()
    cfg = effective_config(
        model,
        config=config,
        profiles=profiles,
        select=select,
        ignore=ignore,
        severity=severity,
        use_model_settings=use_model_settings,
        registry=registry,
    )
    for finding, suppression in _run(model, cfg, cfg.rules(registry)):
        if suppression is None:
            yield finding


def validate(
    model: ChangeModel,
    *,
    config: Config | None = None,
    profiles: Iterable[str] | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    severity: Mapping[str, Severity | str] | None = None,
    fail_on: Severity | str | None = None,
    use_model_settings: bool = True,
    registry: Registry | None = None,
    strict: bool = False,
    plugins: bool = True,
) -> Report:
    """Run the selected rules and return a :class:`Report`, most serious first.

    With ``strict=True``, raise :class:`ValidationError` carrying every finding at
    or above the failure threshold (``fail_on``, ``error`` unless configured).

    A service validating files it did not write should not let a file decide
    how it is judged: ``use_model_settings=False`` ignores the file's own
    ``validation:`` section (its severities and suppressions), and
    ``plugins=False`` leaves out the rules of installed plugins.

    >>> from changemodel import ChangeModel
    >>> m = ChangeModel("Loop")
    >>> _ = m.mechanism("a", "A") >> m.process_outcome("b", "B")
    >>> _ = m.link("b", "a")
    >>> report = validate(m)
    >>> report.summary()
    '2 errors, 0 warnings, 0 infos'
    >>> try:
    ...     validate(m, strict=True)
    ... except ValidationError as exc:
    ...     print([(f.code, f.target) for f in exc.findings])
    [('CM105', 'a'), ('CM202', 'b->a')]
    """
    registry = registry or default_registry()
    if not plugins:
        registry = registry.without_plugins()
    cfg = effective_config(
        model,
        config=config,
        profiles=profiles,
        select=select,
        ignore=ignore,
        severity=severity,
        fail_on=fail_on,
        use_model_settings=use_model_settings,
        registry=registry,
    )
    findings: list[Finding] = []
    suppressed: list[Suppressed] = []
    rules = cfg.rules(registry)
    for finding, suppression in _run(model, cfg, rules):
        if suppression is None:
            findings.append(finding)
        else:
            suppressed.append(Suppressed(finding, suppression.reason))
    ran = {r.code for r in rules}
    used = {(s.finding.code, s.finding.target) for s in suppressed}
    unused = tuple(
        f"{s.where or 'settings'}: suppression of {s.rule} on {s.target or 'the model'}"
        " silenced nothing"
        for s in cfg.suppress
        if s.rule in ran and (s.rule, s.target) not in used
    )
    report = Report.build(
        findings,
        suppressed,
        unused=unused,
        fail_on=cfg.threshold,
        title=model.title,
        source=model.source,
        rules=tuple(r.code for r in rules),
    )
    if strict:
        report.raise_for_failure()
    return report
