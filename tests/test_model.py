"""The model graph: integrity on every change, graph questions, equality."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import (
    Activity,
    ChangeModel,
    DuplicateIdError,
    IntegrityError,
    InvalidValueError,
    Kind,
    Link,
    Relation,
    Sign,
    UnknownIdError,
)
from changemodel.testing.strategies import models


def small() -> ChangeModel:
    m = ChangeModel("Small")
    support = m.activity("support", "Support")
    trust = m.mechanism("trust", "Trust")
    hope = m.process_outcome("hope", "Hope")
    wellbeing = m.downstream_outcome("wellbeing", "Well-being", horizon="long")
    support >> trust >> hope >> wellbeing
    m.context("role", "Clear role", moderates=[support, trust])
    m.assumption("share", "Peers share experience", underpins=[(support, trust)])
    return m


def test_scripting_api_builds_the_chain() -> None:
    m = small()
    assert [lk.id for lk in m.links_from("support", Relation.LEADS_TO)] == ["support->trust"]
    assert m.get_link("support", "trust").assumptions == ("share",)
    assert {e.id for e in m.successors("role", Relation.MODERATES)} == {"support", "trust"}
    assert [e.id for e in m.downstream("support")] == ["trust", "hope", "wellbeing"]
    assert [e.id for e in m.upstream("wellbeing")] == ["hope", "trust", "support"]


def test_fan_out_and_fan_in() -> None:
    m = ChangeModel("Fan")
    a = m.activity("a", "A")
    b, c = m.mechanism("b", "B"), m.mechanism("c", "C")
    d = m.process_outcome("d", "D")
    a >> (b, c)
    (b, c) >> d
    assert {lk.id for lk in m.links} == {"a->b", "a->c", "b->d", "c->d"}
    a.reduces(d)
    assert m.get_link("a", "d").sign is Sign.REDUCES


def test_chain_method() -> None:
    m = ChangeModel("Chain")
    ids = [m.activity("a", "A"), m.mechanism("m", "M"), m.process_outcome("o", "O")]
    links = m.chain(*ids, rationale="because")
    assert [lk.rationale for lk in links] == ["because", "because"]


def test_link_to_unknown_element_suggests_the_closest_id() -> None:
    m = small()
    with pytest.raises(UnknownIdError, match="did you mean 'trust'"):
        m.link("support", "trsut")


def test_duplicate_and_colliding_ids_refused() -> None:
    m = small()
    with pytest.raises(DuplicateIdError, match="already has an element"):
        m.activity("support", "Again")
    with pytest.raises(DuplicateIdError, match="collides with 'support'"):
        m.activity("Support", "Again")
    with pytest.raises(DuplicateIdError, match="already has the link"):
        m.link("support", "trust")


def test_remove_refuses_to_orphan_links_unless_cascading() -> None:
    m = small()
    before = m.copy()
    with pytest.raises(IntegrityError, match="links depend on it"):
        m.remove("trust")
    assert m == before
    m.remove("trust", cascade=True)
    assert "trust" not in m
    assert all("trust" not in (lk.source, lk.target) for lk in m.links)
    m.remove("share", cascade=True)
    assert m.get_link("role", "support", "moderates")


def test_remove_assumption_cascade_clears_link_lists() -> None:
    m = small()
    m.remove("share", cascade=True)
    assert m.get_link("support", "trust").assumptions == ()


def test_rename_updates_links_and_assumptions() -> None:
    m = small()
    m.rename("trust", "trusting_relationships")
    m.rename("share", "shared")
    assert m.get_link("support", "trusting_relationships").assumptions == ("shared",)
    assert "trust" not in m
    with pytest.raises(DuplicateIdError):
        m.rename("hope", "support")


def test_update_and_replace() -> None:
    m = small()
    m.update("hope", description="more hope")
    assert m["hope"].description == "more hope"
    with pytest.raises(InvalidValueError, match="use rename"):
        m.update("hope", id="other")  # type: ignore[call-arg]  # refused at run time too
    m.replace(Activity("support", "Peer support"))
    assert m["support"].label == "Peer support"
    with pytest.raises(UnknownIdError):
        m.replace(Activity("nope", "No"))


def test_topological_order_ignores_feedback_and_reports_cycles() -> None:
    m = small()
    m.link("wellbeing", "support", feedback=True)
    order = [e.id for e in m.topological_order()]
    assert order.index("support") < order.index("trust") < order.index("wellbeing")
    m.link("hope", "trust")
    with pytest.raises(IntegrityError, match=r"cycle not marked as feedback: .*trust"):
        m.topological_order()
    assert not m.is_acyclic()


def test_to_networkx_is_a_plain_copy() -> None:
    m = small()
    g = m.to_networkx()
    assert g.nodes["trust"]["kind"] == Kind.MECHANISM
    assert type(g.nodes["trust"]["kind"]) is str
    assert g.edges["support", "trust", Relation.LEADS_TO]["sign"] == Sign.INCREASES
    assert g.edges["role", "trust", Relation.MODERATES]["relation"] == Relation.MODERATES
    g.remove_node("trust")
    assert "trust" in m


def test_elements_of_and_counts() -> None:
    m = small()
    assert [e.id for e in m.elements_of("mechanism")] == ["trust"]
    counts = m.count_by_kind()
    assert counts[Kind.CONTEXT] == 1
    assert sum(counts.values()) == len(m)


def test_equality_is_content_not_order() -> None:
    a = ChangeModel("T", elements=[Activity("a", "A"), Activity("b", "B")])
    b = ChangeModel("T", elements=[Activity("b", "B"), Activity("a", "A")])
    assert a == b
    b.update("a", label="changed")
    assert a != b


def test_unknown_item_type_refused() -> None:
    with pytest.raises(InvalidValueError, match="a model holds elements"):
        ChangeModel("T").add("not an element")  # type: ignore[arg-type]


def test_bad_title_refused() -> None:
    with pytest.raises(InvalidValueError, match="title"):
        ChangeModel("")


@settings(max_examples=60, deadline=None)
@given(models(max_elements=10))
def test_graph_mirrors_links(model: ChangeModel) -> None:
    g = model.to_networkx()
    assert set(g.nodes) == {e.id for e in model}
    assert {(s, t, k) for s, t, k in g.edges(keys=True)} == {lk.key for lk in model.links}
    assert model.copy() == model
    causal = model.causal_graph()
    assert nx.is_directed_acyclic_graph(causal)
    assert len(model.topological_order()) == len(model)


def _adjacency(model: ChangeModel) -> dict[str, tuple[set[object], set[object]]]:
    """Each element's links out and in, as the graph questions give them."""
    return {
        e.id: (
            {lk.key for lk in model.links_from(e.id, None)},
            {lk.key for lk in model.links_to(e.id, None)},
        )
        for e in model
    }


def _expected(model: ChangeModel) -> dict[str, tuple[set[object], set[object]]]:
    """The same, worked out from the list of links alone."""
    out: dict[str, tuple[set[object], set[object]]] = {e.id: (set(), set()) for e in model}
    for lk in model.links:
        out[lk.source][0].add(lk.key)
        out[lk.target][1].add(lk.key)
    return out


@settings(max_examples=60, deadline=None)
@given(models(min_elements=2, max_elements=10), st.data())
def test_graph_questions_follow_every_change(model: ChangeModel, data: st.DataObject) -> None:
    """The networkx graph under links_from/links_to is made on first use and then
    kept up to date: after each change it answers as a model never asked before."""
    assert _adjacency(model) == _expected(model)  # made here
    ids = [e.id for e in model]
    gone = data.draw(st.sampled_from(ids))
    model.remove(gone, cascade=True)
    assert _adjacency(model) == _expected(model) == _adjacency(model.copy())
    kept = [e.id for e in model]
    old = data.draw(st.sampled_from(kept))
    model.rename(old, old + "_renamed")
    assert _adjacency(model) == _expected(model) == _adjacency(model.copy())
    if model.links:
        link = data.draw(st.sampled_from(model.links))
        model.remove_link(link.source, link.target, link.relation)
        assert _adjacency(model) == _expected(model)
        model.add(link)
        assert _adjacency(model) == _expected(model) == _adjacency(model.copy())
    for e in model:
        assert model.downstream(e.id, None) == model.copy().downstream(e.id, None)
        assert model.upstream(e.id, None) == model.copy().upstream(e.id, None)


def test_link_object_added_directly() -> None:
    m = small()
    m.add(Link("support", "hope", confidence=0.5))
    assert m.get_link("support", "hope").confidence == 0.5
    removed = m.remove_link("support", "hope")
    assert removed.confidence == 0.5
    with pytest.raises(UnknownIdError, match="no link support->hope"):
        m.get_link("support", "hope")
