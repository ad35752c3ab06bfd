"""Semantic diff: empty on equal models, apply(diff(a, b), a) == b, readable renderings."""

from __future__ import annotations

import json

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import (
    ChangeModel,
    Indicator,
    Link,
    Mechanism,
    Reference,
    Sign,
)
from changemodel.analysis.diff import (
    ADDED,
    CHANGED,
    REMOVED,
    DiffApplyError,
    DiffDataError,
    ModelDiff,
    apply,
    diff,
)
from changemodel.domain import element_class
from changemodel.testing.strategies import models
from tests.analysis._support import peer_worker

FEW = settings(max_examples=25, deadline=None)


def test_the_example_against_itself_and_a_copy() -> None:
    m = peer_worker()
    assert diff(m, m).is_empty
    assert not diff(m, m.copy())
    assert diff(m, m).to_text() == "no changes"
    assert json.loads(diff(m, m).to_json()) == {"equal": True, "changes": []}


def revised() -> tuple[ChangeModel, ChangeModel]:
    old = peer_worker()
    new = old.copy()
    new.version = "2.0"
    new.update("wellbeing", indicators=[Indicator("Mental well-being", instrument="SWEMWBS")])
    new.remove("team_acceptance", cascade=True)
    _ = new.ref("engagement") >> new.process_outcome("community", "Community participation")
    new.replace(
        attrs.evolve(new.get_link("service_engagement", "fewer_admissions"), confidence=0.6)
    )
    new.add(Reference("rusch2014", "Rüsch N et al. (2014)."))
    return old, new


def test_a_revision_of_the_example() -> None:
    old, new = revised()
    d = diff(old, new)
    assert [(c.action, c.section, c.id, c.attribute) for c in d] == [
        (CHANGED, "metadata", "model", "version"),
        (ADDED, "reference", "rusch2014", None),
        (ADDED, "element", "community", None),
        (REMOVED, "element", "team_acceptance", None),
        (CHANGED, "element", "wellbeing", "indicators"),
        (ADDED, "link", "engagement->community", None),
        (REMOVED, "link", "team_acceptance-moderates->engagement", None),
        (CHANGED, "link", "service_engagement->fewer_admissions", "confidence"),
    ]
    assert d.summary()["element"] == {ADDED: 1, REMOVED: 1, CHANGED: 1}
    assert apply(d, old) == new
    assert old == peer_worker()


def test_renderings() -> None:
    old, new = revised()
    d = diff(old, new)
    text = d.to_text().splitlines()
    assert "~ metadata: version: '1.0' -> '2.0'" in text
    assert "+ element community (process outcome): Community participation" in text
    assert "~ link service_engagement->fewer_admissions: confidence: None -> 0.6" in text
    md = d.to_markdown()
    assert md.startswith("## Changes to the theory\n")
    for heading in ("### Metadata", "### References", "### Elements", "### Links"):
        assert heading in md
    data = json.loads(d.render("json"))
    assert data["equal"] is False
    change = next(c for c in data["changes"] if c.get("attribute") == "indicators")
    assert change["new"] == [{"name": "Mental well-being", "instrument": "SWEMWBS"}]
    assert change["old"][0]["timepoints"] == ["baseline", "12 months"]
    added = next(c for c in data["changes"] if c["id"] == "community")
    assert added["new"]["kind"] == "process_outcome" and "old" not in added


def test_a_change_of_kind_is_one_attribute_and_applies() -> None:
    old = ChangeModel("Kinds")
    _ = old.activity("a", "A") >> old.process_outcome("x", "X")
    new = old.copy()
    new.replace(Mechanism("x", "X", reasoning="why"))
    d = diff(old, new)
    assert [(c.attribute, str(c.old), str(c.new)) for c in d] == [
        ("kind", "process_outcome", "mechanism"),
        ("reasoning", "None", "why"),
    ]
    assert apply(d, old) == new


def test_applying_to_the_wrong_model_is_refused() -> None:
    old, new = revised()
    d = diff(old, new)
    with pytest.raises(DiffApplyError, match="version"):
        apply(d, new)
    other = peer_worker()
    with pytest.raises(DiffApplyError, match="cannot add element community"):
        apply(d, attrs_add_community(other))


def attrs_add_community(m: ChangeModel) -> ChangeModel:
    m.process_outcome("community", "Community participation")
    return m


@FEW
@given(models(max_elements=8, full=True))
def test_diff_of_a_model_with_itself_is_empty(m: ChangeModel) -> None:
    assert diff(m, m).is_empty
    assert diff(m, m.copy()).to_text() == "no changes"


@FEW
@given(models(max_elements=6), models(max_elements=6))
def test_diff_then_apply_gives_the_new_model(a: ChangeModel, b: ChangeModel) -> None:
    d = diff(a, b)
    assert apply(d, a) == b
    assert d.is_empty == (a == b)
    json.loads(d.to_json())
    assert d.to_markdown()


@st.composite
def revisions(draw: st.DrawFn) -> tuple[ChangeModel, ChangeModel]:
    old = draw(models(min_elements=2, max_elements=8))
    new = old.copy()
    for step in range(draw(st.integers(1, 4))):
        elements = new.elements
        if not elements:
            break
        e = draw(st.sampled_from(elements))
        op = draw(st.sampled_from(["label", "kind", "remove", "add", "sign", "tags"]))
        if op == "label":
            new.update(e.id, label=e.label + " (revised)")
        elif op == "kind":
            kind = draw(st.sampled_from(["activity", "mechanism", "context", "process_outcome"]))
            fields = {
                f.name: getattr(e, f.name)
                for f in attrs.fields(type(e))
                if f.name in attrs.fields_dict(element_class(kind))
            }
            new.replace(element_class(kind)(**fields))
        elif op == "remove":
            new.remove(e.id, cascade=True)
        elif op == "add":
            # longer than any drawn id, so it cannot collide with one
            new.add(element_class("output")(f"added{step}_in_this_revision", "New output"))
        elif op == "sign":
            causal = [lk for lk in new.links if lk.is_causal]
            if causal:
                lk = draw(st.sampled_from(causal))
                flipped = Sign.REDUCES if lk.sign is Sign.INCREASES else Sign.INCREASES
                new.replace(attrs.evolve(lk, sign=flipped))
        else:
            new.update(e.id, tags=(*e.tags, "revised"))
    return old, new


@FEW
@given(revisions())
def test_diff_then_apply_on_revisions(pair: tuple[ChangeModel, ChangeModel]) -> None:
    old, new = pair
    d = diff(old, new)
    assert apply(d, old) == new
    assert diff(apply(d, old), new).is_empty


def test_link_added_between_existing_elements() -> None:
    old = ChangeModel("L")
    old.activity("a", "A")
    old.process_outcome("b", "B")
    new = old.copy()
    new.add(Link("a", "b", sign="reduces"))
    (change,) = diff(old, new)
    assert str(change) == "+ link a->b"
    assert apply(diff(old, new), old) == new
    assert apply(diff(new, old), new) == old


def test_links_with_the_same_readable_id_stay_apart() -> None:
    # "a-moderates" leads to b, and a moderates b: both links read "a-moderates->b"
    old = ChangeModel("Lookalikes")
    old.context("a", "A")
    old.mechanism("a-moderates", "A moderates")
    old.mechanism("b", "B")
    new = old.copy()
    new.link("a-moderates", "b")
    new.link("a", "b", "moderates")
    d = diff(old, new)
    assert [c.id for c in d] == ["a-moderates->b", "a-moderates->b"]
    assert {c.key for c in d} == {("a-moderates", "b", "leads_to"), ("a", "b", "moderates")}
    assert apply(d, old) == new
    assert apply(diff(new, old), new) == old
    data = json.loads(d.to_json())["changes"]
    assert {(c["from"], c["relation"]) for c in data} == {
        ("a-moderates", "leads_to"),
        ("a", "moderates"),
    }


@FEW
@given(models(max_elements=6, full=True), models(max_elements=6, full=True))
def test_a_diff_read_back_from_json_is_the_same_and_applies(a: ChangeModel, b: ChangeModel) -> None:
    d = diff(a, b)
    back = ModelDiff.from_json(d.to_json())
    assert back == d
    assert apply(back, a) == b


@FEW
@given(revisions())
def test_a_revision_read_back_from_json_applies(pair: tuple[ChangeModel, ChangeModel]) -> None:
    old, new = pair
    back = ModelDiff.from_data(json.loads(json.dumps(diff(old, new).to_data())))
    assert apply(back, old) == new


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "a diff is a mapping with a list of changes"),
        ({"changes": [{"action": "moved"}]}, r"changes\[0\]\.action: expected one of added"),
        (
            {"changes": [{"action": "added", "section": "element", "id": "x", "new": {}}]},
            r"changes\[0\]\.new: ",
        ),
        (
            {"changes": [{"action": "changed", "section": "element", "id": "x", "old": 1}]},
            r"changes\[0\]\.attribute",
        ),
        (
            {"changes": [{"action": "added", "section": "link", "id": "a->b", "new": {}}]},
            r"changes\[0\]: a link change needs from, to and relation",
        ),
        (
            {
                "changes": [
                    {
                        "action": "changed",
                        "section": "element",
                        "id": "x",
                        "attribute": "colour",
                        "old": "red",
                    }
                ]
            },
            r"changes\[0\]\.old: an element has no attribute 'colour'",
        ),
    ],
)
def test_malformed_diff_data_is_refused_with_where(data: object, message: str) -> None:
    with pytest.raises(DiffDataError, match=message):
        ModelDiff.from_data(data)  # type: ignore[arg-type]


def test_diff_json_syntax_error_says_line_and_column() -> None:
    with pytest.raises(DiffDataError, match="line 2, column 2"):
        ModelDiff.from_json('{"changes": []\n,,')
