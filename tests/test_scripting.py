"""The scripting API: typed keywords that match the domain classes, misspelt
keywords named at run time and by mypy, and all-or-nothing calls."""

from __future__ import annotations

import textwrap
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, ChangeModelError, Kind, Link
from changemodel.domain import ELEMENT_CLASSES, Element
from changemodel.keywords import (
    ElementChanges,
    LinkFields,
    LinkNoteFields,
    UnknownKeywordError,
)
from changemodel.model import ElementRef, Group
from changemodel.testing.strategies import models

LINK_ENDS = {"source", "target", "relation"}


def _keys(typed: Any) -> set[str]:
    return set(typed.__required_keys__ | typed.__optional_keys__)


def _fields_type(method: object) -> Any:
    """The TypedDict of a method's ``**fields: Unpack[...]``."""
    hints = typing.get_type_hints(method, include_extras=True)
    name = next(p for p in ("fields", "changes") if p in hints)
    (typed,) = typing.get_args(hints[name])
    return typed


@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_each_kind_has_a_method_whose_keywords_are_its_fields(kind: Kind) -> None:
    cls = ELEMENT_CLASSES[kind]
    method = getattr(ChangeModel, kind.value)
    expected = {f.name for f in attrs.fields(cls)} - {"id", "label"}
    assert _keys(_fields_type(method)) == expected, (
        f"the keywords of ChangeModel.{kind.value} differ from the fields of {cls.__name__}:"
        " add the new field to its TypedDict in changemodel/keywords.py"
    )


def test_link_keywords_are_the_link_fields() -> None:
    fields = {f.name for f in attrs.fields(Link)} - LINK_ENDS
    methods: list[object] = [ChangeModel.link, ChangeModel.chain, ElementRef.leads_to]
    for method in [*methods, ElementRef.reduces]:
        assert _fields_type(method) is LinkFields
    assert _keys(LinkFields) == fields
    for other in (ElementRef.moderates, ElementRef.part_of):
        assert _fields_type(other) is LinkNoteFields
    assert _keys(LinkNoteFields) == fields - {"sign", "feedback"}


def test_update_takes_every_field_of_every_kind() -> None:
    every = {f.name for cls in ELEMENT_CLASSES.values() for f in attrs.fields(cls)} - {"id"}
    assert _fields_type(ChangeModel.update) is ElementChanges
    assert _fields_type(ElementRef.update) is ElementChanges
    assert _keys(ElementChanges) == every


# ------------------------------------------------------- misspelt keywords


def test_a_misspelt_keyword_names_the_right_one() -> None:
    m = ChangeModel("Typos")
    with pytest.raises(UnknownKeywordError, match="'reasonning'; did you mean 'reasoning'") as e:
        m.mechanism("trust", "Trust", reasonning="I can trust a peer")  # type: ignore[call-arg]
    assert isinstance(e.value, TypeError)
    assert (e.value.keyword, e.value.suggestion) == ("reasonning", "reasoning")
    assert "trust" not in m


@pytest.mark.parametrize(
    ("call", "wrong", "right"),
    [
        (lambda m: m.activity("x", "X", descripton="d"), "descripton", "description"),
        (lambda m: m.input("x", "X", tag=["t"]), "tag", "tags"),
        (lambda m: m.context("x", "X", actor=["ward staff"]), "actor", "actors"),
        (lambda m: m.downstream_outcome("x", "X", horizn="long"), "horizn", "horizon"),
        (lambda m: m.assumption("x", "X", evidense=[]), "evidense", "evidence"),
        (lambda m: m.link("a", "o", confidance=0.5), "confidance", "confidence"),
        (lambda m: m.chain("a", "o", rational="r"), "rational", "rationale"),
        (lambda m: m.ref("a").leads_to("o", sing="reduces"), "sing", "sign"),
        (lambda m: m.ref("a").reduces("o", asumptions=["x"]), "asumptions", "assumptions"),
        (lambda m: m.ref("a").update(lable="A"), "lable", "label"),
        (lambda m: m.update("a", theorys=["t"]), "theorys", "theories"),
    ],
)
def test_every_scripting_method_names_the_meant_keyword(
    call: Callable[[ChangeModel], object], wrong: str, right: str
) -> None:
    m = ChangeModel("Typos")
    m.activity("a", "A") >> m.process_outcome("o", "O")
    before = m.copy()
    with pytest.raises(UnknownKeywordError) as e:
        call(m)
    assert (e.value.keyword, e.value.suggestion) == (wrong, right)
    assert f"did you mean {right!r}?" in str(e.value)
    assert m == before


def test_a_field_of_another_kind_is_refused_with_the_fields_it_has() -> None:
    m = ChangeModel("Kinds")
    m.activity("a", "A")
    with pytest.raises(UnknownKeywordError, match="for activity 'a'; it takes ") as e:
        m.update("a", horizon="long")
    assert "horizon" not in e.value.allowed
    assert "description" in e.value.allowed
    with pytest.raises(UnknownKeywordError, match="moderates"):
        m.ref("a").moderates("a", sign="reduces")  # type: ignore[call-arg]


# ------------------------------------------------------------------ mypy


GOOD_SCRIPT = """
from changemodel import ChangeModel, Horizon

m = ChangeModel("Peer worker change model")
support = m.activity("support", "Peer support", tags=["core"], actors=["peer worker"])
trust = m.mechanism("trust", "Trust", reasoning="I can trust someone who has been there")
hope = m.process_outcome("hope", "Hope")
wellbeing = m.downstream_outcome("wellbeing", "Well-being", horizon=Horizon.LONG)
last = support >> trust >> hope >> wellbeing
both = support >> (trust, hope)
m.context("role", "Clear role", moderates=[support, trust], description="A defined role")
m.assumption("share", "Peers share experience", underpins=[(support, trust)])
m.link("role", "hope", "moderates", confidence=0.5)
trust.update(resource="Shared lived experience")
hope.reduces(m.output("x", "X"), rationale="less of it")
reveal: str = last.id
group_size: int = len(both)
"""

BAD_SCRIPT = """
from changemodel import ChangeModel

m = ChangeModel("Peer worker change model")
trust = m.mechanism("trust", "Trust", reasonning="I can trust someone who has been there")
m.link("trust", "trust", confidance=0.5)
count: int = trust >> trust
"""


def test_mypy_checks_a_users_script(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text(textwrap.dedent(GOOD_SCRIPT), encoding="utf-8")
    bad.write_text(textwrap.dedent(BAD_SCRIPT), encoding="utf-8")
    out, err, status = api.run(
        [
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(good),
            str(bad),
        ]
    )
    assert status == 1, out + err
    lines = out.splitlines()
    assert not [line for line in lines if line.startswith(str(good))], out
    errors = [line for line in lines if line.startswith(str(bad)) and ": error:" in line]
    assert len(errors) == 3, out
    assert 'Unexpected keyword argument "reasonning" for "mechanism"' in errors[0]
    assert 'did you mean "reasoning"' in errors[0]
    assert 'Unexpected keyword argument "confidance" for "link"' in out
    assert 'expression has type "ElementRef", variable has type "int"' in out


# ------------------------------------------------------------ all or nothing


def _state(m: ChangeModel) -> tuple[object, ...]:
    graph = m._graph
    return (
        m._content(),
        dict(m._normalised),
        sorted(graph.nodes),
        sorted(graph.edges(keys=True)),
    )


def test_a_context_moderating_an_unknown_element_is_not_kept() -> None:
    m = ChangeModel("Context")
    m.activity("support", "Support")
    before = _state(m)
    with pytest.raises(ChangeModelError, match="suport"):
        m.context("role", "Clear role", moderates=["support", "suport"])
    assert _state(m) == before
    assert "role" not in m
    m.context("role", "Clear role", moderates=["support"])  # the id is free again
    assert [lk.id for lk in m.links] == ["role-moderates->support"]


def test_an_assumption_underpinning_a_missing_link_is_not_kept() -> None:
    m = ChangeModel("Assumption")
    m.activity("a", "A") >> m.process_outcome("o", "O")
    before = _state(m)
    with pytest.raises(ChangeModelError):
        m.assumption("x", "X", underpins=[("a", "o"), ("o", "a")])
    assert _state(m) == before
    assert m.get_link("a", "o").assumptions == ()


def test_fans_and_chains_add_every_link_or_none() -> None:
    m = ChangeModel("Fans")
    a, b, c = m.activity("a", "A"), m.mechanism("b", "B"), m.process_outcome("c", "C")
    a >> c
    before = _state(m)
    for call in (
        lambda: a >> (b, c),  # a->c exists already
        lambda: (b, a) >> c,
        lambda: Group([b, a]) >> c,
        lambda: m.chain(b, a, c),
        lambda: b.moderates(c, a, "nowhere"),
        lambda: m.add(Link("b", "c"), Link("c", "nowhere")),
    ):
        with pytest.raises(ChangeModelError):
            call()
        assert _state(m) == before


_IDS = st.sampled_from(["a", "b", "c", "x", "y", "A", "a-b", "nope", "1bad"])
_ENDS = st.lists(_IDS, max_size=3)


def _operations() -> st.SearchStrategy[Callable[[ChangeModel], object]]:
    kinds = st.sampled_from([k.value for k in Kind if k not in (Kind.CONTEXT, Kind.ASSUMPTION)])
    return st.one_of(
        st.builds(
            lambda k, i, lab: lambda m: getattr(m, k)(i, lab),
            kinds,
            _IDS,
            st.sampled_from(["L", " "]),
        ),
        st.builds(lambda i, t: lambda m: m.context(i, "C", moderates=t), _IDS, _ENDS),
        st.builds(
            lambda i, p: lambda m: m.assumption(i, "A", underpins=p),
            _IDS,
            st.lists(st.tuples(_IDS, _IDS), max_size=2),
        ),
        st.builds(
            lambda s, t, r: lambda m: m.link(s, t, r),
            _IDS,
            _IDS,
            st.sampled_from(["leads_to", "moderates", "part_of", "causes"]),
        ),
        st.builds(lambda s: lambda m: m.chain(*s), _ENDS),
        st.builds(lambda s, t: lambda m: m.ref(s) >> t, _IDS, _ENDS),
        st.builds(lambda s, t: lambda m: tuple(s) >> m.ref(t), _ENDS, _IDS),
        st.builds(lambda s, t: lambda m: m.ref(s).reduces(*t), _IDS, _ENDS),
        st.builds(lambda s, t: lambda m: m.ref(s).moderates(*t), _IDS, _ENDS),
        st.builds(lambda s, t: lambda m: m.ref(s).part_of(t), _IDS, _IDS),
        st.builds(lambda s, t, a: lambda m: m.underpin(s, t, a), _IDS, _IDS, _IDS),
        st.builds(
            lambda i, lab: lambda m: m.update(i, label=lab), _IDS, st.sampled_from(["New", ""])
        ),
        st.builds(
            lambda i, h: lambda m: m.update(i, horizon=h), _IDS, st.sampled_from(["long", "soon"])
        ),
        st.builds(lambda o, n: lambda m: m.rename(o, n), _IDS, _IDS),
        st.builds(lambda i, c: lambda m: m.remove(i, cascade=c), _IDS, st.booleans()),
        st.builds(lambda s, t: lambda m: m.remove_link(s, t), _IDS, _IDS),
        st.builds(lambda i: lambda m: m.reference(i, "Cited"), _IDS),
        st.builds(lambda i, r: lambda m: m.theory(i, "Theory", references=r), _IDS, _ENDS),
    )


@settings(max_examples=150, deadline=None)
@given(models(max_elements=6), st.lists(_operations(), min_size=1, max_size=12))
def test_a_call_that_fails_leaves_the_model_as_it_was(
    model: ChangeModel, operations: list[Callable[[ChangeModel], object]]
) -> None:
    for operation in operations:
        before = _state(model)
        try:
            operation(model)
        except ChangeModelError:
            assert _state(model) == before
        # whatever happened, the graph still mirrors the objects
        assert set(model._graph.nodes) == {e.id for e in model.elements}
        assert sorted(model._graph.edges(keys=True)) == sorted(lk.key for lk in model.links)
        assert model._journal is None


def test_an_element_object_is_taken_where_an_id_is() -> None:
    m = ChangeModel("Objects")
    a = m.activity("a", "A")
    o = m.process_outcome("o", "O")
    result = a >> o.element
    assert isinstance(result, ElementRef)
    assert result.id == "o"
    group = a >> [m.mechanism("b", "B")]
    assert isinstance(group, Group)
    assert [r.id for r in group] == ["b"]
    assert isinstance(m.element("a"), Element)
