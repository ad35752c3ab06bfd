"""Hypothesis strategies for change models, shared by this project's tests and by
tool developers who test code that takes models.

>>> from hypothesis import HealthCheck, given, settings
>>> @settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow], deadline=None)
... @given(models(max_elements=5))
... def test_has_a_title(model):
...     assert model.title
>>> test_has_a_title()
"""

from __future__ import annotations

import string
from typing import Any, Final

from hypothesis import strategies as st

from changemodel.domain import (
    Actor,
    Confidence,
    ConfidenceLevel,
    Configuration,
    ConfigurationStatus,
    Evidence,
    EvidenceStatus,
    Horizon,
    Indicator,
    IndicatorStatus,
    Kind,
    Link,
    Reference,
    Relation,
    Sign,
    Strength,
    Theory,
    element_class,
    normalise_id,
)
from changemodel.model import ChangeModel

__all__ = [
    "HOSTILE_JSON_VALUES",
    "HOSTILE_SNIPPETS",
    "element_ids",
    "hostile_json_documents",
    "hostile_text",
    "labels",
    "models",
    "mutated_documents",
    "yaml_documents",
]

#: Fragments that break naive escaping in DOT, HTML, Markdown, Mermaid, CSV, YAML.
HOSTILE_SNIPPETS = (
    '"',
    "'",
    "\\",
    "\\n",
    "{",
    "}",
    "<",
    ">",
    "&",
    "&amp;",
    "|",
    "[",
    "]",
    "(",
    ")",
    "#",
    ";",
    "`",
    "--",
    "->",
    "=SUM(A1)",
    "+1",
    "-1",
    "@cmd",
    "<script>alert(1)</script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "]]>",
    "%%",
    "\n",
    "\t",
    "\u00e9",
    "\u4e2d\u6587",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "\u05e2\u05d1\u05e8\u05d9\u05ea",
    "\U0001f600",
    "key: value",
    "- item",
    "*alias",
    "&anchor",
    "!!python/object",
    "null",
    "yes",
    "1.0",
    "0x1F",
)

_ID_START = string.ascii_letters
_ID_REST = string.ascii_letters + string.digits + "_-."


def element_ids() -> st.SearchStrategy[str]:
    """Valid element ids."""
    return st.builds(
        lambda a, b: a + b,
        st.sampled_from(_ID_START),
        st.text(alphabet=_ID_REST, max_size=12),
    )


def _printable(max_size: int) -> st.SearchStrategy[str]:
    # Any Unicode text except surrogates (not encodable) and the controls that
    # no text format carries; strips to something non-empty.
    return st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029"),
        min_size=1,
        max_size=max_size,
    ).filter(lambda s: s.strip() != "")


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Non-empty text made of format metacharacters, scripts, emoji and plain words."""
    piece = st.one_of(st.sampled_from(HOSTILE_SNIPPETS), _printable(8))
    return (
        st.lists(piece, min_size=1, max_size=6)
        .map("".join)
        .map(lambda s: s[:max_size])
        .filter(lambda s: s.strip() != "")
    )


def labels(*, hostile: bool = False) -> st.SearchStrategy[str]:
    """Element labels: readable words, or hostile text."""
    if hostile:
        return hostile_text()
    words = st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=30)
    return words.filter(lambda s: s.strip() != "")


def _optional(strategy: st.SearchStrategy[Any], full: bool) -> st.SearchStrategy[Any]:
    return strategy if full else st.none() | strategy


@st.composite
def models(
    draw: st.DrawFn,
    *,
    min_elements: int = 0,
    max_elements: int = 12,
    acyclic: bool = True,
    hostile: bool = False,
    full: bool = False,
    configured: bool = False,
) -> ChangeModel:
    """Valid change models.

    ``acyclic`` keeps causal links (other than marked feedback) acyclic;
    ``hostile`` draws every text from :func:`hostile_text`; ``full`` sets every
    optional field, for no-data-loss properties; ``configured`` adds realist
    configurations (partial ones included), unintended outcomes and indicator
    statuses.
    """
    text = hostile_text() if hostile else labels()
    opt_text = _optional(text, full)
    model = ChangeModel(
        draw(text),
        description=draw(opt_text),
        version=draw(_optional(st.sampled_from(["1", "1.0", "2.1", "v3"]), full)),
    )
    ref_ids = draw(st.lists(element_ids(), max_size=3, unique_by=normalise_id))
    for rid in ref_ids:
        model.add(
            Reference(
                rid,
                draw(text),
                doi=draw(_optional(st.just("10.1000/xyz123"), full)),
                url=draw(_optional(st.just("https://example.org/paper"), full)),
            )
        )
    theory_ids = draw(st.lists(element_ids(), max_size=2, unique_by=normalise_id))
    for tid in theory_ids:
        model.add(
            Theory(
                tid,
                draw(text),
                description=draw(opt_text),
                references=tuple(draw(st.sets(st.sampled_from(ref_ids)))) if ref_ids else (),
            )
        )
    evidence = st.builds(
        Evidence,
        reference=st.sampled_from(ref_ids) if ref_ids else st.none(),
        quote=opt_text,
        page=_optional(st.sampled_from(["12", "pp. 3-4"]), full),
        status=_optional(st.sampled_from(list(EvidenceStatus)), full),
        strength=_optional(st.sampled_from(list(Strength)), full),
        note=st.just("a note") if not full else text,
    )
    ids = draw(
        st.lists(
            element_ids(), min_size=min_elements, max_size=max_elements, unique_by=normalise_id
        )
    )
    kinds = list(Kind)
    for eid in ids:
        kind = draw(st.sampled_from(kinds))
        fields: dict[str, Any] = {
            "description": draw(opt_text),
            "actors": draw(
                st.lists(st.builds(Actor, text, _optional(text, full)), max_size=2).filter(
                    lambda xs: len(set(xs)) == len(xs)
                )
            ),
            "indicators": draw(
                st.lists(
                    st.builds(
                        Indicator,
                        text,
                        instrument=opt_text,
                        timepoints=st.lists(text, max_size=2),
                        data_source=opt_text,
                        baseline=opt_text,
                        target=opt_text,
                        status=_optional(st.sampled_from(list(IndicatorStatus)), full)
                        if configured
                        else st.none(),
                    ),
                    min_size=1 if full else 0,
                    max_size=2,
                )
            ),
            "evidence": draw(st.lists(evidence, min_size=1 if full else 0, max_size=2)),
            "theories": draw(st.sets(st.sampled_from(theory_ids))) if theory_ids else (),
            "tags": draw(st.lists(text, max_size=2)),
        }
        fields["theories"] = tuple(sorted(fields["theories"]))
        if kind is Kind.MECHANISM:
            fields["resource"] = draw(opt_text)
            fields["reasoning"] = draw(opt_text)
        if kind is Kind.DOWNSTREAM_OUTCOME:
            fields["horizon"] = draw(_optional(st.sampled_from(list(Horizon)), full))
        if configured and kind.is_outcome:
            fields["intended"] = draw(st.booleans())
        model.add(element_class(kind)(eid, draw(text), **fields))
    if len(ids) >= 2:
        assumptions = [e.id for e in model.elements_of(Kind.ASSUMPTION)]
        pairs = draw(
            st.lists(
                st.tuples(st.sampled_from(ids), st.sampled_from(ids)),
                max_size=len(ids) * 2,
                unique=True,
            )
        )
        for source, target in pairs:
            relation = draw(st.sampled_from(list(Relation)))
            if source == target and relation is not Relation.LEADS_TO:
                continue
            feedback = source == target
            # keep causal links running forward in id order: no unmarked cycle
            if (
                acyclic
                and relation is Relation.LEADS_TO
                and not feedback
                and ids.index(source) > ids.index(target)
            ):
                source, target = target, source
            link = Link(
                source,
                target,
                relation=relation,
                sign=draw(st.sampled_from(list(Sign)))
                if relation is Relation.LEADS_TO
                else Sign.INCREASES,
                confidence=draw(
                    _optional(st.floats(0, 1, allow_nan=False).map(lambda x: round(x, 3)), full)
                ),
                feedback=feedback,
                rationale=draw(opt_text),
                assumptions=tuple(draw(st.sets(st.sampled_from(assumptions))))
                if assumptions
                else (),
                evidence=draw(st.lists(evidence, max_size=1)),
                theories=tuple(sorted(draw(st.sets(st.sampled_from(theory_ids)))))
                if theory_ids
                else (),
            )
            if link.key not in {lk.key for lk in model.links}:
                model.add(link)
    if configured:
        _configure(draw, model, text, full)
    return model


_PARTS = {
    "intervention": (Kind.ACTIVITY,),
    "contexts": (Kind.CONTEXT,),
    "mechanisms": (Kind.MECHANISM,),
    "outcomes": (Kind.PROCESS_OUTCOME, Kind.DOWNSTREAM_OUTCOME),
}


def _configure(draw: st.DrawFn, model: ChangeModel, text: Any, full: bool) -> None:
    """Add up to four configurations naming elements of *model*."""
    config_ids = draw(
        st.lists(
            st.from_regex(r"(CMOC|R|C)[0-9]{1,2}[a-z]?", fullmatch=True),
            max_size=4,
            unique_by=normalise_id,
        )
    )
    for cid in config_ids:
        parts: dict[str, tuple[str, ...]] = {}
        for part, kinds in _PARTS.items():
            pool = [e.id for e in model.elements_of(*kinds)]
            parts[part] = (
                tuple(draw(st.lists(st.sampled_from(pool), max_size=2, unique=True)))
                if pool
                else ()
            )
        others = [c for c in config_ids if c != cid]
        confidence = draw(
            _optional(
                st.builds(
                    Confidence,
                    st.sampled_from(list(ConfidenceLevel)),
                    methodological_limitations=_optional(text, full),
                    coherence=_optional(text, full),
                    adequacy=_optional(text, full),
                    relevance=_optional(text, full),
                ),
                full,
            )
        )
        model.add(
            Configuration(
                cid,
                statement=draw(_optional(text, full)),
                actors=draw(
                    st.lists(st.builds(Actor, text, _optional(text, full)), max_size=2).filter(
                        lambda xs: len(set(xs)) == len(xs)
                    )
                ),
                status=draw(st.sampled_from(list(ConfigurationStatus))),
                refines=tuple(draw(st.lists(st.sampled_from(others), max_size=1)))
                if others
                else (),
                confidence=confidence,
                evidence=draw(st.lists(st.builds(Evidence, note=text), max_size=1)),
                tags=draw(st.lists(text, max_size=2)),
                **parts,
            )
        )


def yaml_documents() -> st.SearchStrategy[str]:
    """Arbitrary YAML-ish text: a mix of structure characters, keys of the model
    format, hostile snippets and scalars. For "readers never crash" properties."""
    tokens = st.sampled_from(
        [
            "changemodel: 1\n",
            "title: t\n",
            "elements:\n",
            "- id: a\n",
            "  kind: activity\n",
            "  label: x\n",
            "links:\n",
            "- from: a\n",
            "  to: b\n",
            "  sign: reduces\n",
            "  confidence: 2\n",
            "  feedback: maybe\n",
            "&a [*a, *a]\n",
            "!!python/object:os.system\n",
            "<<: *a\n",
            "? complex\n",
            "{",
            "}",
            "[",
            "]",
            ": ",
            "- ",
            "\t",
            "\n",
            "  ",
            "\ufeff",
            "\r\n",
            "%YAML 1.1\n",
            "---\n",
            "...\n",
        ]
    )
    return st.lists(
        st.one_of(tokens, st.sampled_from(HOSTILE_SNIPPETS), st.text(max_size=5)), max_size=30
    ).map("".join)


@st.composite
def mutated_documents(draw: st.DrawFn, document: str) -> str:
    """*document* with a few random characters replaced, deleted or inserted."""
    text = list(document)
    for _ in range(draw(st.integers(1, 5))):
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        op = draw(st.sampled_from(["replace", "delete", "insert"]))
        char = draw(st.sampled_from([*":-[]{}&*!|>'\"\n\t #%@`,?", "x", "1"]))
        if op == "replace":
            text[i] = char
        elif op == "delete":
            del text[i]
        else:
            text.insert(i, char)
    return "".join(text)


#: Values that break careless readers: lone surrogates, huge and endless
#: numbers, deep nesting, nulls and wrong types where ids belong.
HOSTILE_JSON_VALUES: Final[tuple[str, ...]] = (
    '"A\\ud800"',
    '"\\udfff"',
    "9" * 400,
    "9" * 5000,
    "1e999",
    "-1e999",
    "[" * 5000 + "]" * 5000,
    "[" * 70 + "]" * 70,
    "null",
    "5",
    "[5]",
    "{}",
    '"maybe"',
)


@st.composite
def hostile_json_documents(draw: st.DrawFn, document: str) -> str:
    """The JSON *document* with one value (at any depth) replaced by a hostile one."""
    import json

    data = json.loads(document)
    spots: list[tuple[Any, Any]] = []
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        keys: Any = item.keys() if isinstance(item, dict) else range(len(item))
        for key in keys:
            spots.append((item, key))
            if isinstance(item[key], dict | list):
                stack.append(item[key])
    marker = "\x00hostile\x00"
    if spots:
        container, key = draw(st.sampled_from(spots))
        container[key] = marker
    text = json.dumps(data)
    return text.replace(json.dumps(marker), draw(st.sampled_from(HOSTILE_JSON_VALUES)), 1)
