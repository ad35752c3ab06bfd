"""Composition: sub-theories under namespaces, merge with conflicts, provenance."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, DuplicateIdError, Link, UnknownIdError, dumps, loads
from changemodel.analysis.compose import (
    CompositionError,
    MergeConflictError,
    SubTheory,
    find_conflicts,
    instantiate,
    merge,
    provenance,
    tag_provenance,
)
from changemodel.testing.strategies import models
from tests.analysis._support import peer_worker


def supervision_module() -> SubTheory:
    module = ChangeModel("Supervision module")
    module.reference("supervision2020", "A supervision study (2020).")
    sup = module.activity("supervision", "Supervision of peer workers")
    confidence = module.process_outcome("confidence", "Peer worker confidence")
    trust = module.mechanism("trust", "Trust (interface)")
    _ = sup >> confidence >> trust
    module.assumption("time", "Supervisors have time", underpins=[(sup, confidence)])
    return SubTheory(module, interface=["trust"])


def test_instantiating_a_module_at_two_sites() -> None:
    host = peer_worker()
    before = host.copy()
    sub = supervision_module()
    one = instantiate(host, sub, "site_a", connect={"trust": "trusting_relationships"})
    both = instantiate(one, sub, "site_b", connect={"trust": "trusting_relationships"})
    assert host == before
    assert len(both) == len(host) + 2 * 3
    assert {lk.source for lk in both.links_to("trusting_relationships", "leads_to")} == {
        "peer_support",
        "site_a.confidence",
        "site_b.confidence",
    }
    assert both.get_link("site_b.supervision", "site_b.confidence").assumptions == ("site_b.time",)
    origin = provenance(both)
    assert origin["site_a.supervision"] == ("site_a",)
    assert origin["trusting_relationships"] == ()
    assert len(both.references) == len(host.references) + 1
    again = loads(dumps(both))
    assert provenance(again) == origin


def test_unconnected_interface_elements_are_copied_too() -> None:
    host = ChangeModel("Host")
    result = instantiate(host, supervision_module(), "s")
    assert {e.id for e in result.elements} == {"s.supervision", "s.confidence", "s.trust", "s.time"}


def test_instantiation_errors() -> None:
    host = peer_worker()
    sub = supervision_module()
    with pytest.raises(CompositionError, match="kinds differ"):
        instantiate(host, sub, "x", connect={"trust": "wellbeing"})
    with pytest.raises(UnknownIdError, match="did you mean 'trusting_relationships'"):
        instantiate(host, sub, "x", connect={"trust": "trusting_relationship"})
    with pytest.raises(CompositionError, match="not an interface element"):
        instantiate(host, sub, "x", connect={"supervision": "peer_support"})


def test_instantiation_refuses_a_clashing_reference() -> None:
    host = ChangeModel("Host")
    host.reference("supervision2020", "Another citation")
    with pytest.raises(CompositionError, match="two different objects with id 'supervision2020'"):
        instantiate(host, supervision_module(), "x")


def test_merge_reports_conflicts_and_overwrites_nothing() -> None:
    a = peer_worker()
    b = peer_worker()
    b.update("wellbeing", label="Mental wellbeing")
    b.replace(Link("hope_empowerment", "wellbeing", confidence=0.4))
    a.replace(Link("hope_empowerment", "wellbeing", confidence=0.8))
    before = a.copy()
    with pytest.raises(MergeConflictError) as info:
        merge(a, b)
    assert a == before
    assert [(c.section, c.id, c.attribute) for c in info.value.conflicts] == [
        ("element", "wellbeing", "label"),
        ("link", "hope_empowerment->wellbeing", "confidence"),
    ]
    assert "element wellbeing: label differs: 'Mental well-being' versus 'Mental wellbeing'" in str(
        info.value
    )
    assert find_conflicts(a, b) == info.value.conflicts


def test_merge_conflicts_on_kind_and_on_ids_that_differ_only_in_case() -> None:
    a, b = ChangeModel("A"), ChangeModel("B")
    a.activity("x", "X")
    b.mechanism("x", "X")
    a.process_outcome("hope", "Hope")
    b.process_outcome("Hope", "Hope")
    assert [(c.id, c.attribute) for c in find_conflicts(a, b)] == [("Hope", "id"), ("x", "kind")]


def test_merging_two_sites_unifies_and_tags() -> None:
    a = peer_worker()
    b = peer_worker()
    b.title = "Site B"
    b.update("hope_empowerment", tags=["core"])
    _ = b.ref("engagement") >> b.process_outcome("community", "Community participation")
    merged = merge(a, b, names=("site_a", "site_b"))
    assert merged == merge(b, a, names=("site_b", "site_a"))
    assert merged.title == "Peer worker change model + Site B"
    assert merged["hope_empowerment"].tags == ("core", "from:site_a", "from:site_b")
    assert provenance(merged)["community"] == ("site_b",)
    assert len(merged) == len(a) + 1


def _split(data: st.DataObject, m: ChangeModel) -> tuple[ChangeModel, ChangeModel]:
    sides = []
    where = {e.id: data.draw(st.sampled_from(["a", "b", "ab"])) for e in m.elements}
    for side in "ab":
        part = ChangeModel(
            m.title,
            description=m.description,
            version=m.version,
            references=m.references,
            theories=m.theories,
        )
        part.add(*(e for e in m.elements if side in where[e.id]))
        part.add(*(lk for lk in m.links if lk.source in part and lk.target in part))
        sides.append(part)
    return sides[0], sides[1]


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_merge_is_commutative_on_non_conflicting_models(data: st.DataObject) -> None:
    m = data.draw(models(max_elements=8))
    a, b = _split(data, m)
    assert find_conflicts(a, b) == ()
    ab, ba = merge(a, b), merge(b, a)
    assert ab == ba
    assert {e.id for e in ab.elements} == {e.id for e in m.elements}
    assert len(ab.links) >= max(len(a.links), len(b.links))


@settings(max_examples=25, deadline=None)
@given(models(max_elements=8))
def test_merging_a_model_with_itself_changes_nothing(m: ChangeModel) -> None:
    assert merge(m, m) == m


def test_tag_provenance_rejects_names_with_spaces() -> None:
    with pytest.raises(ValueError, match="without spaces"):
        tag_provenance(peer_worker(), "site a")


def configured_module() -> SubTheory:
    """A module with two contrasting configurations, one refining the other."""
    module = ChangeModel("Supervision module")
    sup = module.activity("supervision", "Supervision of peer workers")
    trust = module.mechanism("trust", "Trust (interface)")
    module.context("small", "Small team")
    module.context("large", "Large team")
    module.process_outcome("confidence", "Peer worker confidence")
    module.process_outcome("strain", "Strain on supervisors", intended=False)
    module.configuration(
        "CMOC1", intervention=sup, contexts="small", mechanisms=trust, outcomes="confidence"
    )
    module.configuration(
        "CMOC2",
        contexts="large",
        mechanisms=trust,
        outcomes="strain",
        status="refined",
        refines="CMOC1",
        actors=["supervisor"],
    )
    return SubTheory(module, interface=["trust"])


def test_instantiation_carries_configurations_renamed_like_the_elements() -> None:
    host = peer_worker()
    sub = configured_module()
    one = instantiate(host, sub, "site_a", connect={"trust": "trusting_relationships"})
    both = instantiate(one, sub, "site_b")
    assert [c.id for c in host.configurations] == [c.id for c in peer_worker().configurations]
    new = {c.id: c for c in both.configurations if "." in c.id}
    assert set(new) == {"site_a.CMOC1", "site_a.CMOC2", "site_b.CMOC1", "site_b.CMOC2"}
    a1, a2 = new["site_a.CMOC1"], new["site_a.CMOC2"]
    assert a1.intervention == ("site_a.supervision",)
    assert a1.contexts == ("site_a.small",)
    assert a1.mechanisms == ("trusting_relationships",)  # the connected host element
    assert a1.outcomes == ("site_a.confidence",)
    assert a2.refines == ("site_a.CMOC1",)
    assert (a2.status.value, a2.actors[0].name) == ("refined", "supervisor")
    assert new["site_b.CMOC2"].mechanisms == ("site_b.trust",)
    assert new["site_b.CMOC2"].refines == ("site_b.CMOC1",)
    # the contrast survives, and the copies' links are in the graph
    for config in new.values():
        for link in both.asserted_links(config):
            assert both.get_link(*link.key) is not None, link.id
    again = loads(dumps(both))
    assert again.configurations == both.configurations


def test_instantiating_configurations_twice_under_one_namespace_is_refused() -> None:
    host = ChangeModel("Host")
    host.configuration("s.CMOC1")
    with pytest.raises(DuplicateIdError, match=r"s\.CMOC1"):
        instantiate(host, configured_module(), "s")
