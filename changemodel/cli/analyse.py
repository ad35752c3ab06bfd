"""The analysis commands: ``explain``, ``paths``, ``cmo``, ``hypotheses``, ``plan``,
``merge``, ``instantiate``, ``diff`` and ``apply``.

Exit status: 0 done, 1 problems found (merge conflicts; a diff that is not
empty), 2 usage error, unreadable input or an unknown id.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from changemodel.cli._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    check_output,
    echo,
    emit_inert,
    fail,
    force_option,
    load_model,
    write_output,
)
from changemodel.errors import IntegrityError, UnknownIdError
from changemodel.text import count

__all__ = [
    "apply",
    "cmo",
    "describe",
    "diff",
    "explain",
    "hypotheses",
    "instantiate",
    "merge",
    "paths",
    "plan",
]


FILE = click.Path(dir_okay=False, allow_dash=True)


@contextmanager
def _analysing(path: str) -> Iterator[None]:
    """Unknown ids and cyclic models end the command with exit status 2."""
    try:
        yield
    except UnknownIdError as exc:
        fail(f"{path}: {exc}")
    except IntegrityError as exc:
        fail(f"{path}: cannot analyse the model: {exc}")


def _json(data: object) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@click.command()
@click.argument("file", type=FILE)
@click.argument("outcome")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def explain(file: str, outcome: str, fmt: str) -> None:
    """Show what lies upstream of OUTCOME in the model FILE: activities,
    mechanisms, process outcomes, contexts, assumptions and evidence."""
    from changemodel.analysis.explain import explain as run
    from changemodel.domain import Kind

    model = load_model(file)
    with _analysing(file):
        result = run(model, outcome)
    kind = model.element(outcome).kind
    if kind not in (Kind.PROCESS_OUTCOME, Kind.DOWNSTREAM_OUTCOME):
        article = "an" if kind.label[0] in "aeiou" else "a"
        echo(
            f"note: {outcome!r} is {article} {kind.label}, not an outcome; shown is what"
            " lies upstream of it",
            err=True,
        )
    if fmt == "json":
        echo(_json(result.to_data()), json=True, nl=False)
    else:
        echo(result.to_text(model))


@click.command()
@click.argument("file", type=FILE)
@click.option(
    "--from",
    "sources",
    multiple=True,
    metavar="ID",
    help="Start element (repeat for several). Default: every activity.",
)
@click.option("--to", "target", required=True, metavar="ID", help="The outcome to reach.")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="List at most this many pathways.",
)
@click.option("--count", is_flag=True, help="Only print the number of pathways (not listed).")
@click.option(
    "--most-confident",
    is_flag=True,
    help="Only print the pathway whose link confidences have the largest product.",
)
def paths(
    file: str,
    sources: tuple[str, ...],
    target: str,
    limit: int,
    count: bool,
    most_confident: bool,
) -> None:
    """List the causal pathways from --from to --to in the model FILE.

    Pathways are counted without being listed, so --count is fast on any
    model; a listing stops at --limit and says how many there are in all.
    """
    from changemodel.analysis.confidence import pathway_confidence
    from changemodel.analysis.pathways import (
        count_pathways,
        iter_pathways,
        most_confident_pathway,
    )

    model = load_model(file)
    start = list(sources) or None
    with _analysing(file):
        total = count_pathways(model, start, target)
        if count:
            echo(str(total))
            return
        if most_confident:
            best = most_confident_pathway(model, start, target)
            if best is None:
                echo("no pathway")
            else:
                rated = pathway_confidence(model, best.elements, best.links)
                echo(f"{best}  (confidence {best.confidence():.3g}; {rated})")
            return
        shown = 0
        for pathway in iter_pathways(model, start, target, limit=limit):
            level = pathway_confidence(model, pathway.elements, pathway.links).level
            echo(f"{pathway}  ({pathway.sign}; confidence {level})")
            shown += 1
        if shown < total:
            echo(f"... {shown} of {total} pathways shown; raise --limit to see more")
        elif total == 0:
            echo("no pathway")


@click.command()
@click.argument("file", type=FILE)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "csv", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--all-outcomes",
    is_flag=True,
    help="Pair each mechanism with every outcome it reaches, not only the nearest.",
)
def cmo(file: str, fmt: str, all_outcomes: bool) -> None:
    """List the realist context-mechanism-outcome configurations of the model FILE.

    The configurations stored in the file come first, by id, partial ones
    included; then, marked as derived, each mechanism-outcome pair of the graph
    that no stored configuration covers.
    """
    from changemodel.analysis.cmo import configurations, format_configurations

    model = load_model(file)
    with _analysing(file):
        items = configurations(model, proximal=not all_outcomes)
    if not items and fmt == "text":
        echo(
            "no configurations: the model stores none and has no mechanism that leads to an outcome"
        )
        return
    echo(format_configurations(items, fmt), json=fmt == "json", nl=False)


@click.command()
@click.argument("file", type=FILE)
@click.option(
    "--by",
    type=click.Choice(["auto", "configuration", "pathway"]),
    default="auto",
    show_default=True,
    help="auto: one hypothesis per stored configuration, then one per pathway no"
    " configuration covers (every pathway when the model stores none);"
    " configuration: per configuration only (read off the graph when none is stored);"
    " pathway: per pathway only.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="At most this many pathway hypotheses.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def hypotheses(file: str, by: str, limit: int, fmt: str) -> None:
    """State the testable hypotheses of the model FILE, with what would test them.

    Refuted and abandoned configurations, and those without a mechanism or an
    outcome, state none: they are listed as left out. Unintended outcomes become
    items to monitor, never aims. JSON holds ``configurations``, ``pathways`` and
    ``left_out``.
    """
    from changemodel.analysis.hypotheses import evaluation_hypotheses

    model = load_model(file)
    with _analysing(file):
        found = evaluation_hypotheses(model, by=by, limit=limit)
    if fmt == "json":
        echo(_json(found.to_data()), json=True, nl=False)
    elif not found and not found.left_out:
        why = {
            "auto": "the model stores no configuration and no pathway runs from an activity"
            " to an outcome",
            "configuration": "the model stores no configuration and no mechanism leads to an"
            " outcome",
            "pathway": "no pathway runs from an activity to an outcome",
        }
        echo(f"no hypotheses: {why[by]}")
    else:
        echo(str(found), nl=False)


@click.command()
@click.argument("file", type=FILE)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "csv", "json"]),
    default="markdown",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
@force_option
def plan(file: str, fmt: str, output: str | None, force: bool) -> None:
    """Write the evaluation plan of the model FILE under the MRC process-evaluation
    headings (implementation, mechanisms of impact, context, outcomes), with gaps.

    When the model stores configurations, a realist section follows: the
    configurations to test with their confidence, the contexts to sample for each
    contrast, interview topics per mechanism and data sources per outcome.
    """
    from changemodel.analysis.plan import evaluation_plan

    check_output(output, [file], force=force)
    model = load_model(file)
    emit_inert(evaluation_plan(model).render(fmt), output, json=fmt == "json")


@click.command()
@click.argument("file", type=FILE)
@click.option(
    "--standard",
    type=click.Choice(["tidier", "mrc2021", "rameses"]),
    default="tidier",
    show_default=True,
    help="The reporting standard to describe the intervention by.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
@force_option
def describe(file: str, standard: str, output: str | None, force: bool) -> None:
    """Describe the intervention in the model FILE item by item under a reporting
    standard (TIDieR by default), in Markdown, marking what the model does not state."""
    from changemodel.standards import describe as run

    check_output(output, [file], force=force)
    model = load_model(file)
    emit_inert(run(model, standard), output)


@click.command()
@click.argument("first", type=FILE)
@click.argument("second", type=FILE)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The merged model."
)
@click.option(
    "--provenance/--no-provenance",
    default=True,
    show_default=True,
    help="Tag each element with the file it came from (from:<file name>).",
)
@force_option
def merge(first: str, second: str, output: str, provenance: bool, force: bool) -> None:
    """Merge the models FIRST and SECOND into OUTPUT.

    Identical elements become one; contradictions (same id with a different
    kind or label, different confidences, ...) are listed and nothing is
    written (exit status 1).
    """
    from changemodel.analysis.compose import MergeConflictError
    from changemodel.analysis.compose import merge as run
    from changemodel.formats.canonical import dumps, syntax_of

    check_output(output, [first, second], force=force)
    a, b = load_model(first), load_model(second)
    names = None
    if provenance:
        names = (_name(first), _name(second))
        if names[0] == names[1]:
            names = (f"{names[0]}.1", f"{names[1]}.2")
    try:
        merged = run(a, b, names=names)
    except MergeConflictError as exc:
        echo(
            f"cannot merge {first} and {second}: {count(len(exc.conflicts), 'conflict')}",
            err=True,
        )
        for conflict in exc.conflicts:
            echo(f"  {conflict}", err=True)
        echo(f"nothing was written to {output}", err=True)
        sys.exit(EXIT_PROBLEMS)
    write_output(output, dumps(merged, syntax_of(output)))
    echo(f"wrote {output}: {len(merged)} elements, {len(merged.links)} links")


@click.command()
@click.argument("host", type=FILE)
@click.argument("module", type=FILE)
@click.argument("namespaces", nargs=-1, required=True)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The combined model."
)
@click.option(
    "--connect",
    "connections",
    multiple=True,
    metavar="INNER=OUTER",
    help="Connect the module's element INNER to the host's element OUTER instead of"
    " copying it (repeatable); these are the module's interface.",
)
@force_option
def instantiate(
    host: str,
    module: str,
    namespaces: tuple[str, ...],
    output: str,
    connections: tuple[str, ...],
    force: bool,
) -> None:
    """Copy the model MODULE into the model HOST under each NAMESPACE, and write OUTPUT.

    Each element, link and configuration of the module is copied with its id
    prefixed (``trust`` becomes ``site_a.trust``, ``CMOC1`` becomes
    ``site_a.CMOC1``) and tagged ``from:<namespace>``, except the elements
    named by --connect, whose links attach to the host's elements instead.
    """
    from changemodel.analysis.compose import CompositionError, SubTheory
    from changemodel.analysis.compose import instantiate as run
    from changemodel.errors import ChangeModelError
    from changemodel.formats.canonical import dumps, syntax_of

    check_output(output, [host, module], force=force)
    connect: dict[str, str] = {}
    for item in connections:
        inner, sep, outer = item.partition("=")
        if not sep or not inner.strip() or not outer.strip():
            fail(f"--connect takes INNER=OUTER, not {item!r}")
        connect[inner.strip()] = outer.strip()
    result, sub = load_model(host), load_model(module)
    try:
        theory = SubTheory(sub, interface=tuple(connect))
        for namespace in namespaces:
            result = run(result, theory, namespace, connect=connect)
    except (CompositionError, ChangeModelError) as exc:
        fail(f"cannot instantiate {module}: {exc}")
    write_output(output, dumps(result, syntax_of(output)))
    echo(
        f"wrote {output}: {count(len(result), 'element')}, {count(len(result.links), 'link')},"
        f" {count(len(result.configurations), 'configuration')}"
    )


def _name(path: str) -> str:
    stem = Path(path).stem if path != "-" else "stdin"
    return "".join(c if not c.isspace() else "_" for c in stem) or "model"


@click.command()
@click.argument("old", type=FILE)
@click.argument("new", type=FILE)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
def diff(old: str, new: str, fmt: str) -> None:
    """Show what changed in the theory from OLD to NEW.

    Exit status 0 when the models are equal and 1 when they differ, so the
    command can gate a CI job or annotate a code review.
    """
    from changemodel.analysis.diff import diff as run

    result = run(load_model(old), load_model(new))
    echo(result.render(fmt), json=fmt == "json", nl=False)
    sys.exit(EXIT_OK if result.is_empty else EXIT_PROBLEMS)


@click.command()
@click.argument("changes", type=FILE)
@click.argument("old", type=FILE)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="The changed model (YAML, or JSON for a .json name; - for standard output).",
)
@force_option
def apply(changes: str, old: str, output: str, force: bool) -> None:
    """Apply CHANGES, a diff written by ``diff --format json``, to the model OLD.

    Every change is checked against OLD first (an object to add must be absent,
    one to remove or change must hold the old value); when one does not fit,
    nothing is written and the exit status is 2.
    """
    from changemodel.analysis.diff import DiffApplyError, DiffDataError, ModelDiff
    from changemodel.analysis.diff import apply as run
    from changemodel.errors import LoadError
    from changemodel.formats._files import read_text
    from changemodel.formats.canonical import dumps, syntax_of

    check_output(output, [changes, old], force=force)
    try:
        text, _ = read_text(sys.stdin.buffer if changes == "-" else changes, name=changes)
    except LoadError as exc:
        fail(f"cannot read the diff: {exc}")
    try:
        diff_ = ModelDiff.from_json(text)
    except DiffDataError as exc:
        fail(f"{changes}: not a diff: {exc}")
    model = load_model(old)
    try:
        result = run(diff_, model)
    except DiffApplyError as exc:
        fail(f"{changes} does not apply to {old}: {exc}")
    if output == "-":
        click.echo(dumps(result), nl=False)
        return
    write_output(output, dumps(result, syntax_of(output)))
    echo(f"wrote {output}: {count(len(diff_), 'change')} applied to {old}", err=True)
