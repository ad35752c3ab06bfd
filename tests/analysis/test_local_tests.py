"""Local tests: calibrated on data that follow the theory, powerful against a missing
link, checked against a second route, and clear about data they cannot use."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import numpy as np
import pytest
from scipy import stats

from changemodel import ChangeModel, InvalidValueError
from changemodel.analysis.implications import ImplicationGraph, implication_graph, implications
from changemodel.analysis.local_tests import (
    DataError,
    _adjust,
    format_local_tests,
    local_tests,
    map_columns,
)
from changemodel.testing.generate import layered_model
from tests.analysis._support import peer_worker


def simulate(
    graph: ImplicationGraph,
    n: int,
    rng: np.random.Generator,
    extra: tuple[str, str] | None = None,
) -> dict[str, np.ndarray]:
    """Data from a linear structural model on the graph's edges (plus *extra*, an
    edge the theory does not draw), each variable standardised: the hidden
    common causes of part-of links included, feedback links left out."""
    values: dict[str, np.ndarray] = {}
    for v in graph.order:
        x = rng.standard_normal(n)
        for p in graph.parents[v]:
            if p in values:  # the earlier end of a feedback link is not a cause here
                x += rng.choice([-1, 1]) * rng.uniform(0.3, 0.7) * values[p]
        if extra is not None and v == extra[1]:
            x += 0.4 * values[extra[0]]
        values[v] = (x - x.mean()) / x.std()
    return values


def as_columns(values: dict[str, np.ndarray]) -> dict[str, Sequence[object]]:
    return {k: v.tolist() for k, v in values.items()}


# ------------------------------------------------------------ calibration


def test_data_that_follow_the_theory_reject_about_alpha_of_the_implications() -> None:
    model = peer_worker()
    graph = implication_graph(model)
    rejected = total = 0
    for seed in range(120):
        data = simulate(graph, 400, np.random.default_rng(seed))
        report = local_tests(model, as_columns(data), adjust="none", directions=False)
        ps = [t.p for t in report.independences if t.p is not None]
        assert len(ps) == len(report.independences) == 42
        rejected += sum(p < 0.05 for p in ps)
        total += len(ps)
    rate = rejected / total
    assert 0.035 < rate < 0.065, rate


def test_a_link_the_theory_lacks_is_found_in_at_least_95_percent_of_seeds() -> None:
    """A generated model plus one extra link between a pair the theory separates:
    with n = 2000 the implication for that pair is rejected (Holm, alpha 0.05)."""
    model = layered_model(24, seed=5)
    graph = implication_graph(model)
    statements = {frozenset((t.x, t.y)): t for t in implications(model)}
    rng = np.random.default_rng(2024)
    pairs = sorted(statements, key=sorted)
    found = 0
    seeds = 40
    for seed in range(seeds):
        pair = statements[pairs[rng.integers(len(pairs))]]
        extra = (pair.y, pair.x)  # from the earlier to the later element
        data = simulate(graph, 2000, np.random.default_rng(seed), extra=extra)
        report = local_tests(model, as_columns(data), directions=False)
        (test,) = [t for t in report.independences if {t.x, t.y} == {pair.x, pair.y}]
        found += test.verdict == "rejected"
    assert found / seeds >= 0.95, found


def test_directions_agree_and_a_wrong_sign_is_contradicted() -> None:
    m = ChangeModel("Signs")
    m.activity("a", "A")
    m.mechanism("b", "B")
    m.process_outcome("c", "C")
    m.link("a", "b")
    m.link("b", "c", sign="reduces")
    rng = np.random.default_rng(7)
    a = rng.standard_normal(500)
    b = 0.6 * a + rng.standard_normal(500)
    c = -0.5 * b + rng.standard_normal(500)
    report = local_tests(m, {"a": a.tolist(), "b": b.tolist(), "c": c.tolist()})
    assert [t.verdict for t in report.directions] == ["agrees", "agrees"]
    report = local_tests(m, {"a": a.tolist(), "b": b.tolist(), "c": (-c).tolist()})
    assert [t.verdict for t in report.directions] == ["agrees", "contradicts"]
    assert report.failed == (report.directions[1],)


# ----------------------------------------------------- second routes


def test_the_partial_correlation_equals_the_correlation_of_regression_residuals() -> None:
    m = ChangeModel("Chain")
    for v in "abcd":
        m.mechanism(v, v.upper())
    m.chain("a", "b", "c")
    m.link("d", "c")
    rng = np.random.default_rng(3)
    data = {v: rng.standard_normal(300) for v in "abd"}
    data["c"] = data["b"] + data["d"] + rng.standard_normal(300)
    data["a"][:5] = np.nan  # missing values: the test uses the complete rows
    report = local_tests(m, as_columns(data))
    (test,) = [t for t in report.independences if {t.x, t.y} == {"c", "a"}]
    assert test.given == ("b", "d")
    keep = ~np.isnan(data["a"])
    z = np.column_stack([np.ones(keep.sum()), data["b"][keep], data["d"][keep]])

    def residual(v: str) -> np.ndarray:
        y: np.ndarray = data[v][keep]
        fitted: np.ndarray = z @ np.linalg.lstsq(z, y, rcond=None)[0]
        out: np.ndarray = y - fitted
        return out

    r = float(np.corrcoef(residual("c"), residual("a"))[0, 1])
    assert test.n == 295
    assert test.estimate == pytest.approx(r, abs=1e-9)
    z_stat = np.arctanh(r) * np.sqrt(295 - 2 - 3)
    assert test.p == pytest.approx(2 * stats.norm.sf(abs(z_stat)), rel=1e-6)
    assert test.ci is not None and test.ci[0] < r < test.ci[1]


def test_the_chi_square_test_equals_scipy_on_each_stratum() -> None:
    m = ChangeModel("Categories")
    for v in "abc":
        m.mechanism(v, v.upper())
    m.chain("a", "b", "c")
    rng = np.random.default_rng(11)
    a = rng.integers(0, 3, 600)
    b = (a + rng.integers(0, 2, 600)) % 3
    c = np.where(rng.random(600) < 0.7, b, rng.integers(0, 3, 600))
    names = np.array(["low", "mid", "high"])
    data = {"a": names[a].tolist(), "b": names[b].tolist(), "c": names[c].tolist()}
    report = local_tests(m, data)
    (test,) = report.independences
    assert test.method == "conditional chi-square" and test.given == ("b",)
    statistic = df = 0.0
    for level in names:
        rows = names[b] == level
        table = np.zeros((3, 3))
        np.add.at(table, (c[rows], a[rows]), 1)
        table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
        result = stats.chi2_contingency(table, correction=False)
        statistic += result.statistic
        df += result.dof
    assert test.statistic == pytest.approx(statistic)
    assert test.df == df
    data["c"] = data["a"]  # a direct link the theory lacks
    assert local_tests(m, data).independences[0].verdict == "rejected"


def test_the_chi_square_test_rejects_about_alpha_on_data_that_follow_the_theory() -> None:
    m = ChangeModel("Categories")
    for v in "abc":
        m.mechanism(v, v.upper())
    m.chain("a", "b", "c")
    names = np.array(["low", "mid", "high"])
    rejected = 0
    for seed in range(150):
        rng = np.random.default_rng(seed)
        a = rng.integers(0, 3, 300)
        b = (a + rng.integers(0, 2, 300)) % 3
        c = np.where(rng.random(300) < 0.7, b, rng.integers(0, 3, 300))
        data = {"a": names[a].tolist(), "b": names[b].tolist(), "c": names[c].tolist()}
        (test,) = local_tests(m, data, directions=False).independences
        rejected += test.verdict == "rejected"
    assert 0.015 < rejected / 150 < 0.1, rejected


def test_holm_and_benjamini_hochberg() -> None:
    p = [0.01, 0.04, 0.03, 0.005]
    assert _adjust(p, "holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert _adjust(p, "bh") == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert _adjust(p, "none") == p


# ----------------------------------------------------------- bad data


def peer_data(n: int = 60) -> dict[str, list[object]]:
    graph = implication_graph(peer_worker())
    values = simulate(graph, n, np.random.default_rng(1))
    return {
        "peer_support": values["peer_support"].round(2).tolist(),
        "Empowerment and confidence": values["hope_empowerment"].round(2).tolist(),
        "Mental well-being": values["wellbeing"].round(2).tolist(),
        "Appointments attended": values["service_engagement"].round(2).tolist(),
    }


def test_columns_map_by_id_by_indicator_and_explicitly() -> None:
    m = peer_worker()
    columns = ["Peer-Support", "mental  WELL-BEING", "alliance", "notes"]
    assert map_columns(m, columns, {"alliance": "trusting_relationships"}) == {
        "alliance": "trusting_relationships",
        "Peer-Support": "peer_support",
        "mental  WELL-BEING": "wellbeing",
    }


@pytest.mark.parametrize(
    ("columns", "explicit", "message"),
    [
        (["wellbeing", "Mental well-being"], {}, "'wellbeing' is measured by two columns"),
        (["x"], {"y": "wellbeing"}, "names column 'y', which the data do not have"),
        (["x"], {"x": "welbeing"}, "did you mean 'wellbeing'"),
        (["x"], {"x": "lived_experience_shared"}, "an assumption"),
    ],
)
def test_mapping_errors_name_the_column(
    columns: list[str], explicit: dict[str, str], message: str
) -> None:
    with pytest.raises(DataError, match=message):
        map_columns(peer_worker(), columns, explicit)


def test_a_column_that_names_one_element_and_indicates_another_is_refused() -> None:
    m = ChangeModel("Shared names")
    m.mechanism("trust", "Trust")
    m.process_outcome("hope", "Hope", indicators=[{"name": "trust"}])
    with pytest.raises(DataError, match="names element 'trust' and is the indicator of 'hope'"):
        map_columns(m, ["trust"])
    m.process_outcome("hope2", "Hope", indicators=[{"name": "Hope scale"}])
    m.replace(m.element("trust").__class__("trust", "Trust", indicators=[{"name": "Hope scale"}]))
    with pytest.raises(DataError, match="indicator of two elements"):
        map_columns(m, ["Hope scale"])


def test_text_in_a_numeric_column_names_the_column_and_the_row() -> None:
    data = peer_data()
    data["Mental well-being"][6] = "n.k."
    rows = [f"survey.csv:{i + 2}" for i in range(60)]
    with pytest.raises(DataError) as info:
        local_tests(peer_worker(), data, rows=rows)
    assert info.value.column == "Mental well-being"
    assert "survey.csv:8 holds 'n.k.'" in str(info.value)
    assert "--categorical Mental well-being" in str(info.value)


def test_missing_values_and_constant_columns_are_noted() -> None:
    data = peer_data()
    data["Mental well-being"][:4] = ["", "NA", None, float("nan")]
    data["Appointments attended"] = [3] * 60
    report = local_tests(peer_worker(), data)
    assert any(
        "'Mental well-being' (element 'wellbeing') misses 4 values of 60" in note
        for note in report.notes
    )
    assert (
        "column 'Appointments attended' (element 'service_engagement') is constant (every value"
        " is 3): the element is treated as without data" in report.notes
    )
    assert "service_engagement" in report.unmeasured
    assert {t.n for t in report.tests if "wellbeing" in (t.x, t.y)} == {56}


def test_too_few_rows_for_the_conditioning_set_skip_the_test_and_say_why() -> None:
    report = local_tests(peer_worker(), {k: v[:4] for k, v in peer_data().items()})
    skipped = [t for t in report.tests if t.verdict == "skipped"]
    assert skipped
    assert skipped[0].reason == "needs at least 5 rows with a value in every column, has 4"
    assert not report.failed


def test_a_categorical_column_of_three_levels_with_numbers_is_skipped() -> None:
    data = peer_data()
    data["peer_support"] = ["none", "some", "many"] * 20
    report = local_tests(peer_worker(), data)
    reasons = {t.reason for t in report.tests if t.verdict == "skipped"}
    assert (
        "column 'peer_support' has more than two categories and the others are not all"
        " categorical: neither test applies" in reasons
    )
    assert "column 'peer_support' holds categories, which have no direction" not in reasons


def test_categorical_on_request_and_bad_arguments() -> None:
    data = peer_data()
    data["peer_support"] = [i % 2 for i in range(60)]
    report = local_tests(peer_worker(), data, categorical=["peer_support"])
    assert report.independences  # a two-level category counts as 0/1
    with pytest.raises(DataError, match="--categorical names column 'nope'"):
        local_tests(peer_worker(), data, categorical=["nope"])
    with pytest.raises(DataError, match="unknown adjustment"):
        local_tests(peer_worker(), data, adjust="bonferroni")
    with pytest.raises(DataError, match="alpha must lie between 0 and 1"):
        local_tests(peer_worker(), data, alpha=1.5)


# ------------------------------------------------------------ outputs


def test_the_formats_parse_back() -> None:
    report = local_tests(peer_worker(), peer_data(200), mapping={"peer_support": "peer_support"})
    data = json.loads(format_local_tests(report, "json"))
    assert data["rows"] == 200 and len(data["tests"]) == len(report.tests)
    assert data["tests"][0]["statement"] == report.tests[0].statement
    rows = list(csv.reader(io.StringIO(format_local_tests(report, "csv"))))
    assert rows[0][:3] == ["Test", "Statement", "Columns"]
    assert len(rows) == len(report.tests) + 1
    assert {r[12] for r in rows[1:]} <= {"consistent", "rejected", "agrees", "inconclusive"}
    markdown = format_local_tests(report, "markdown")
    assert "| Test | Method | Result | Verdict |" in markdown
    text = format_local_tests(report, "text")
    assert text.startswith("Local tests of 'Peer worker change model' against data: 200 rows")
    with pytest.raises(InvalidValueError, match="unknown format"):
        format_local_tests(report, "html")


def test_a_direction_is_not_adjusted_for_the_far_end_of_a_feedback_loop() -> None:
    m = ChangeModel("Loop")
    m.activity("a", "A")
    m.mechanism("b", "B")
    m.process_outcome("c", "C")
    m.context("k", "K")
    m.link("a", "b")
    m.link("b", "c")
    m.link("c", "b", feedback=True)
    m.link("k", "b", "moderates")
    rng = np.random.default_rng(5)
    data = {v: rng.standard_normal(200) for v in "akc"}
    data["b"] = data["a"] + data["k"] + rng.standard_normal(200)
    report = local_tests(m, as_columns(data))
    given = {(t.x, t.y): t.given for t in report.directions}
    assert given == {("a", "b"): ("k",), ("b", "c"): ()}
