"""``changemodel validate`` and ``changemodel rules``."""

from __future__ import annotations

import sys
from typing import Any

import click

from changemodel.cli._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    check_output,
    emit,
    fail,
    force_option,
    load_models,
    warnings_on_stderr,
    write_output,
)

__all__ = ["rules", "validate"]

_LEVELS = click.Choice(["error", "warning", "info"], case_sensitive=False)


def _split(values: tuple[str, ...]) -> list[str]:
    """``--select a,b --select c`` -> ``["a", "b", "c"]``."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _write(text: str, output: str | None, *, color: bool = False, json: bool = False) -> None:
    from changemodel._terminal import inert

    if json:
        text = inert(text, json=True)
    if output:
        write_output(output, text)
    else:
        click.echo(text, nl=False, color=color)


def _report_plugin_warnings() -> None:
    """Load the rule registry now, printing a plugin's troubles as one-line warnings."""
    from changemodel.validation.defaults import default_registry
    from changemodel.validation.registry import PluginWarning

    with warnings_on_stderr(PluginWarning):
        default_registry()


def _failures(path: str, error: Any) -> list[Any]:
    """One :class:`LoadFailure` for each error in a :class:`LoadError`."""
    from changemodel.errors import LoadErrors
    from changemodel.validation.output import LoadFailure

    out = []
    for item in error.errors if isinstance(error, LoadErrors) else (error,):
        where = item.location
        text = str(item)
        if where is not None:
            text = text.removeprefix(f"{where}: ")
        out.append(
            LoadFailure(
                (where.file if where is not None else None) or path,
                text,
                where.line if where is not None else None,
                where.column if where is not None else None,
            )
        )
    return out


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--profile",
    "-p",
    "profiles",
    multiple=True,
    metavar="NAME",
    help="Run this profile (repeatable, or comma-separated) instead of the configured ones:"
    " structure, mrc, realist, evidence, evaluation. Integrity rules always run.",
)
@click.option(
    "--select", multiple=True, metavar="RULE", help="Also run this rule (code or name; repeatable)."
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="RULE",
    help="Do not run this rule (code or name; repeatable).",
)
@click.option(
    "--severity",
    "severities",
    multiple=True,
    metavar="RULE=LEVEL",
    help="Report a rule at another severity, such as black-box-link=error (repeatable).",
)
@click.option(
    "--fail-on",
    type=_LEVELS,
    help="Exit with 1 when a finding is at or above this severity (default: error).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, sarif for code scanning, github for workflow"
    " annotations.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, exists=True),
    help="Read [tool.changemodel.validation] from this file instead of the nearest pyproject.toml.",
)
@click.option("--no-config", is_flag=True, help="Ignore pyproject.toml.")
@click.option(
    "--no-model-settings",
    is_flag=True,
    help="Ignore each model file's own 'validation:' section (for files from elsewhere).",
)
@click.option("--no-plugins", is_flag=True, help="Leave out the rules of installed plugins.")
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour the text output (default: only on a terminal).",
)
@force_option
def validate(
    files: tuple[str, ...],
    profiles: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    severities: tuple[str, ...],
    fail_on: str | None,
    output_format: str,
    output: str | None,
    config_path: str | None,
    no_config: bool,
    no_model_settings: bool,
    no_plugins: bool,
    color: bool | None,
    force: bool,
) -> None:
    """Validate each model FILE against the rules of the chosen profiles.

    Settings are read from [tool.changemodel.validation] in the nearest
    pyproject.toml, then from each model file's 'validation:' section, then
    from these options. Exit status 0 when no finding is at or above the
    failure threshold, 1 when one is, 2 for a usage error or a file that
    cannot be read.
    """
    from changemodel.errors import ChangeModelError, LoadError
    from changemodel.validation import (
        Config,
        SettingsError,
        find_pyproject,
        load_pyproject,
    )
    from changemodel.validation import (
        validate as run,
    )
    from changemodel.validation.output import LoadFailure, render

    check_output(output, files, force=force)
    _report_plugin_warnings()
    severity: dict[str, str] = {}
    for item in _split(severities):
        rule, sep, level = item.partition("=")
        if not sep or not rule.strip() or not level.strip():
            fail(f"--severity takes RULE=LEVEL, such as black-box-link=error, not {item!r}")
        severity[rule.strip()] = level.strip()
    try:
        config = Config()
        if not no_config:
            path = config_path or find_pyproject()
            if path is not None:
                config = load_pyproject(path)
        status = EXIT_OK
        reports = []
        errors: list[LoadError] = []
        failures: list[LoadFailure] = []
        for path, model in load_models(files, errors):
            if model is None:
                status = EXIT_USAGE
                failures.extend(_failures(path, errors[-1]))
                continue
            report = run(
                model,
                config=config,
                profiles=_split(profiles) or None,
                select=_split(select),
                ignore=_split(ignore),
                severity=severity or None,
                fail_on=fail_on.lower() if fail_on else None,
                use_model_settings=not no_model_settings,
                plugins=not no_plugins,
            )
            reports.append(report)
            if report.failed:
                status = max(status, EXIT_PROBLEMS)
    except SettingsError as exc:
        fail(str(exc))
    except ChangeModelError as exc:
        fail(str(exc))
    use_color = (sys.stdout.isatty() if color is None else color) and not output
    if reports or (failures and output_format != "text"):
        _write(
            render(output_format, reports, color=use_color, failures=failures),
            output,
            color=use_color,
            json=output_format in ("json", "sarif"),
        )
    elif output_format in ("json", "sarif"):
        _write(render(output_format, reports), output, json=True)
    sys.exit(status)


@click.command()
@click.argument("names", nargs=-1, metavar="[RULE]...")
@click.option("--profile", "-p", metavar="NAME", help="List only the rules of this profile.")
@click.option(
    "--markdown", is_flag=True, help="Print the whole rule reference as Markdown (docs/rules.md)."
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file.")
def rules(names: tuple[str, ...], profile: str | None, markdown: bool, output: str | None) -> None:
    """List the validation rules, or explain the RULEs named (by code or name)."""
    from changemodel.errors import ChangeModelError
    from changemodel.validation import default_registry
    from changemodel.validation.docs import explain, rules_markdown

    try:
        registry = default_registry()
        if markdown:
            text = rules_markdown(registry)
        elif names:
            text = "\n".join(explain(name, registry) for name in names)
        else:
            chosen = registry.in_profile(profile) if profile else registry.rules
            width = max((len(r.name) for r in chosen), default=0)
            lines = []
            for r in chosen:
                lines.append(
                    f"{r.code:<7} {r.name:<{width}}  {r.severity.value:<7}"
                    f"  {','.join(r.profiles) or '-'}"
                )
            if not profile:
                lines.append("")
                lines.append("profiles: " + ", ".join(p.name for p in registry.profiles))
            lines.append("Explain a rule with: changemodel rules RULE")
            text = "\n".join(lines) + "\n"
    except ChangeModelError as exc:
        fail(str(exc))
    emit(text, output)
    sys.exit(EXIT_OK)
