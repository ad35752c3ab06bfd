"""The analysis commands as a user runs them: output and exit status."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from changemodel import dump, load
from changemodel.analysis.cmo import CMO_COLUMNS
from changemodel.analysis.compose import provenance
from changemodel.cli import COMMANDS, cli
from changemodel.testing.generate import layered_model
from tests.analysis._support import EXAMPLE, peer_worker

FILE = str(EXAMPLE)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_commands_are_registered() -> None:
    for name in ("explain", "paths", "cmo", "hypotheses", "plan", "merge", "diff"):
        assert COMMANDS[name] == ("changemodel.cli.analyse", name)


def test_explain() -> None:
    code, out, _ = run("explain", FILE, "wellbeing")
    assert code == 0
    assert out.startswith("Mental well-being (wellbeing, downstream outcome)\n")
    assert "Hope, empowerment and confidence (hope_empowerment)" in out
    assert "pathways from the activities: 2" in out


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (["explain", FILE, "wellbeng"], "wellbeing"),
        (["paths", FILE, "--to", "wellbeing", "--from", "peer_suport"], "peer_support"),
        (["paths", FILE, "--to", "fewer_admission"], "fewer_admissions"),
    ],
)
def test_unknown_ids_exit_2_with_a_suggestion(args: list[str], suggestion: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert f"did you mean {suggestion!r}?" in err


def test_paths_list_count_and_limit() -> None:
    code, out, _ = run("paths", FILE, "--to", "fewer_admissions")
    assert code == 0
    assert out.splitlines() == [
        "peer_support -> engagement -> service_engagement -> fewer_admissions"
        "  (reduces; confidence very low)",
        "peer_support -> trusting_relationships -> service_engagement -> fewer_admissions"
        "  (reduces; confidence very low)",
    ]
    assert run("paths", FILE, "--to", "wellbeing", "--count") == (0, "2\n", "")
    code, out, _ = run("paths", FILE, "--from", "peer_support", "--to", "wellbeing", "--limit", "1")
    assert code == 0
    assert out.splitlines()[-1] == "... 1 of 2 pathways shown; raise --limit to see more"
    code, out, _ = run("paths", FILE, "--from", "wellbeing", "--to", "peer_support")
    assert (code, out) == (0, "no pathway\n")
    code, out, _ = run("paths", FILE, "--to", "wellbeing", "--most-confident")
    assert out.startswith("peer_support -> role_modelling -> hope_empowerment -> wellbeing")


def test_paths_count_on_a_large_generated_model(tmp_path: Path) -> None:
    model = layered_model(400, seed=4, fan_out=5)
    path = tmp_path / "big.yaml"
    dump(model, path)
    target = model.elements_of("downstream_outcome")[0].id
    code, out, _ = run("paths", str(path), "--to", target, "--count")
    assert code == 0 and int(out) > 0
    code, out, _ = run("paths", str(path), "--to", target, "--limit", "3")
    assert code == 0 and len(out.splitlines()) == 4


def test_cmo_formats() -> None:
    code, out, _ = run("cmo", FILE)
    # the three stored configurations, by id; every nearest pair is covered by one
    assert code == 0 and out.count(" (candidate") == 3 and "(derived)" not in out
    assert out.index("PW1 (") < out.index("PW2 (") < out.index("PW3 (")
    assert "PW2 (candidate; partial: no context)" in out
    code, out, _ = run("cmo", FILE, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [key for key, _ in CMO_COLUMNS]
    assert [r[0] for r in rows[1:]] == ["PW1", "PW2", "PW3"]
    code, out, _ = run("cmo", FILE, "--format", "markdown", "--all-outcomes")
    # with the distal outcomes, the pairs no configuration covers follow, marked derived
    assert code == 0 and len(out.splitlines()) == 2 + 7 and out.count("| derived |") == 4


def test_hypotheses() -> None:
    # the peer worker model stores configurations: one hypothesis per configuration,
    # then the pathways that go on past them to outcomes no configuration names
    code, out, _ = run("hypotheses", FILE)
    assert code == 0 and out.startswith("One per configuration:\nPW1 (candidate). In a context")
    assert "\nOne per pathway that no configuration covers:\nH1. If peer workers" in out
    assert out.count("\nH") == 4 and out.count("\nPW") == 3
    code, out, _ = run("hypotheses", FILE, "--by", "pathway")
    assert code == 0 and out.startswith("H1. If peer workers support service users")
    assert out.count("\nH") == 3
    code, out, _ = run("hypotheses", FILE, "--by", "configuration")
    assert code == 0 and out.startswith("One per configuration:\nPW1 (candidate). In a context of")
    assert "\nH1." not in out
    assert run("hypotheses", FILE, "--by", "pathway", "--limit", "1")[1].count("H2.") == 0


def test_hypotheses_leave_out_refuted_and_partial_configurations(tmp_path: Path) -> None:
    model = tmp_path / "groups.yaml"
    model.write_text(
        """\
changemodel: 1
title: Group classes
elements:
- {id: classes, kind: activity, label: Run weekly group classes}
- {id: trust, kind: mechanism, label: Trust in the group, reasoning: Members open up}
- {id: small, kind: context, label: Groups are small}
- {id: large, kind: context, label: A large group}
- {id: talk, kind: process_outcome, label: Disclosure}
- {id: quit, kind: process_outcome, label: Withdrawal, intended: false}
links:
- {from: classes, to: trust, evidence: [{note: trial, status: reported}]}
- {from: trust, to: talk, confidence: 0.7}
- {from: trust, to: quit, evidence: [{note: interviews, status: inferred}]}
- {from: small, to: trust, relation: moderates}
- {from: large, to: trust, relation: moderates}
configurations:
- {id: C1, contexts: [small], mechanisms: [trust], outcomes: [talk], intervention: [classes],
   confidence: moderate}
- {id: C2, contexts: [large], mechanisms: [trust], outcomes: [quit], intervention: [classes]}
- {id: C3, contexts: [large], mechanisms: [trust], outcomes: [talk], status: refuted}
- {id: C4, contexts: [small], mechanisms: [trust]}
""",
        encoding="utf-8",
    )
    code, out, err = run("hypotheses", str(model))
    assert code == 0, err
    assert out == (
        "One per configuration:\n"
        "C1. In settings where groups are small, if the intervention runs weekly group"
        " classes, then, through trust in the group, disclosure should increase. Not expected"
        " in a context of a large group (see C2: an increase in withdrawal instead).\n"
        '    mechanism: trust in the group (trust): reasoning "Members open up"\n'
        "    observe: trust in the group (trust): no indicator yet\n"
        "    observe: an increase in disclosure (talk): no indicator yet\n"
        "    confidence: very low (weakest: classes, no evidence; trust, no evidence; and talk,"
        " no evidence)\n"
        "    runs through: classes -> trust -> talk\n"
        "    contexts: small\n"
        "    contrasts with: C2\n"
        "    evidence: 1 item\n"
        "C2. In a context of a large group, monitor for an increase in withdrawal, which may"
        " follow if the intervention runs weekly group classes, through trust in the group.\n"
        '    mechanism: trust in the group (trust): reasoning "Members open up"\n'
        "    observe: trust in the group (trust): no indicator yet\n"
        "    observe: an increase in withdrawal (quit): no indicator yet\n"
        "    confidence: very low (weakest: C2, no CERQual level or evidence; classes, no"
        " evidence; trust, no evidence; and 1 more)\n"
        "    runs through: classes -> trust -> quit\n"
        "    contexts: large\n"
        "    contrasts with: C1\n"
        "    evidence: 2 items\n"
        "\n"
        "Left out:\n"
        "    C3: refuted\n"
        "    C4: not testable yet: no outcome\n"
    )
    code, out, _ = run("hypotheses", str(model), "--format", "json")
    data = json.loads(out)
    assert [h["id"] for h in data["configurations"]] == ["C1", "C2"]
    assert [h["kind"] for h in data["configurations"]] == ["test", "monitor"]
    assert data["left_out"] == [
        {"id": "C3", "reason": "refuted"},
        {"id": "C4", "reason": "not testable yet: no outcome"},
    ]
    # the refuted configuration's pathway does not come back as a pathway hypothesis
    assert data["pathways"] == []


def test_plan_to_stdout_and_file(tmp_path: Path) -> None:
    code, out, _ = run("plan", FILE)
    assert code == 0 and out.startswith("# Evaluation plan: Peer worker change model")
    target = tmp_path / "plan.csv"
    code, out, _ = run("plan", FILE, "--format", "csv", "-o", str(target))
    assert code == 0 and out == ""
    assert next(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))[0] == "heading"
    code, out, _ = run("plan", FILE, "--format", "json")
    assert json.loads(out)["title"] == "Peer worker change model"


def test_diff_exit_status(tmp_path: Path) -> None:
    assert run("diff", FILE, FILE) == (0, "no changes\n", "")
    changed = peer_worker()
    changed.update("wellbeing", label="Mental wellbeing")
    new = tmp_path / "new.yaml"
    dump(changed, new)
    code, out, _ = run("diff", FILE, str(new))
    assert code == 1
    assert out == "~ element wellbeing: label: 'Mental well-being' -> 'Mental wellbeing'\n"
    code, out, _ = run("diff", FILE, str(new), "--format", "json")
    assert code == 1 and json.loads(out)["equal"] is False
    code, out, _ = run("diff", FILE, str(new), "--format", "markdown")
    assert code == 1 and "### Elements" in out


def test_a_diff_written_as_json_applies_from_the_command_line(tmp_path: Path) -> None:
    changed = peer_worker()
    changed.update("wellbeing", label="Mental wellbeing", tags=["revised"])
    changed.remove("lived_experience_shared", cascade=True)
    changed.version = "2"
    new = tmp_path / "new.yaml"
    dump(changed, new)
    code, out, _ = run("diff", FILE, str(new), "--format", "json")
    assert code == 1
    changes = tmp_path / "changes.json"
    changes.write_text(out, encoding="utf-8")
    result = tmp_path / "result.yaml"
    code, _, err = run("apply", str(changes), FILE, "-o", str(result))
    assert code == 0, err
    assert load(result) == changed
    assert run("diff", str(result), str(new))[0] == 0
    # applied to the wrong model: refused, nothing written
    code, _, err = run("apply", str(changes), str(new), "-o", str(tmp_path / "never.yaml"))
    assert code == 2
    assert "does not apply" in err and "metadata version is not '1.0'" in err
    assert not (tmp_path / "never.yaml").exists()
    # not a diff
    changes.write_text('{"changes": [{"action": "moved"}]}', encoding="utf-8")
    code, _, err = run("apply", str(changes), FILE, "-o", "-")
    assert code == 2
    assert "changes[0].action: expected one of added, removed, changed, not 'moved'" in err


def test_merge_conflict_writes_nothing(tmp_path: Path) -> None:
    changed = peer_worker()
    changed.update("wellbeing", label="Mental wellbeing")
    other = tmp_path / "other.yaml"
    dump(changed, other)
    out_file = tmp_path / "merged.yaml"
    code, _, err = run("merge", FILE, str(other), "-o", str(out_file))
    assert code == 1
    assert ": 1 conflict\n" in err
    assert "element wellbeing: label differs" in err
    assert "nothing was written" in err
    assert not out_file.exists()


def test_merge_two_sites(tmp_path: Path) -> None:
    site_b = peer_worker()
    _ = site_b.ref("engagement") >> site_b.process_outcome("community", "Community participation")
    b = tmp_path / "site_b.yaml"
    dump(site_b, b)
    a = tmp_path / "site_a.yaml"
    a.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out_file = tmp_path / "merged.yaml"
    code, out, _ = run("merge", str(a), str(b), "-o", str(out_file))
    assert code == 0 and out.startswith(f"wrote {out_file}: 13 elements")
    merged = load(out_file)
    origin = provenance(merged)
    assert origin["community"] == ("site_b",)
    assert origin["wellbeing"] == ("site_a", "site_b")
    code, _, _ = run("merge", str(a), str(b), "-o", str(out_file), "--no-provenance")
    assert code == 0 and provenance(load(out_file))["wellbeing"] == ()


def test_instantiate_a_module_with_configurations_at_two_sites(tmp_path: Path) -> None:
    from changemodel import ChangeModel

    module = ChangeModel("Supervision module")
    supervision = module.activity("supervision", "Supervision of peer workers")
    small = module.context("small_team", "A small team")
    confidence = module.process_outcome("confidence", "Peer worker confidence")
    modelling = module.mechanism("modelling", "Role-modelling (interface)")
    _ = supervision >> confidence >> modelling
    module.configuration("SUP1", intervention=supervision, contexts=small, outcomes=confidence)
    module.configuration("SUP2", contexts=small, mechanisms=modelling, refines="SUP1")
    path = tmp_path / "module.yaml"
    dump(module, path)
    out_file = tmp_path / "two_sites.yaml"
    args = ["instantiate", FILE, str(path), "north", "south", "-o", str(out_file)]
    code, out, err = run(*args, "--connect", "modelling=role_modelling")
    assert code == 0, err
    host = peer_worker()
    result = load(out_file)
    n = len(host.configurations) + 4
    links = len(host.links) + 2 * len(module.links)
    assert out == (
        f"wrote {out_file}: {len(host) + 6} elements, {links} links, {n} configurations\n"
    )
    south = result.get_configuration("south.SUP2")
    assert south.mechanisms == ("role_modelling",) and south.refines == ("south.SUP1",)
    assert result.get_configuration("north.SUP1").contexts == ("north.small_team",)
    assert provenance(result)["south.supervision"] == ("south",)
    code, _, err = run(*args, "--connect", "modelling=wellbeing", "--force")
    assert code == 2 and "the kinds differ" in err
    code, _, err = run(*args, "--connect", "modelling")
    assert code == 2 and "--connect takes INNER=OUTER" in err
    code, _, err = run("instantiate", FILE, str(path), "north", "north", "-o", str(out_file))
    assert code == 2 and "north.supervision" in err


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: no version key\n", encoding="utf-8")
    code, _, err = run("explain", str(bad), "x")
    assert code == 2 and "changemodel" in err


def test_a_cyclic_model_cannot_be_analysed(tmp_path: Path) -> None:
    looped = tmp_path / "loop.yaml"
    looped.write_text(
        "changemodel: 1\ntitle: Loop\nelements:\n"
        "- {id: a, kind: activity, label: A}\n- {id: b, kind: process_outcome, label: B}\n"
        "links:\n- {from: a, to: b}\n- {from: b, to: a}\n",
        encoding="utf-8",
    )
    code, _, err = run("paths", str(looped), "--to", "b", "--count")
    assert code == 2
    assert "cycle not marked as feedback" in err


def test_json_outputs_carry_the_same_facts_as_the_api() -> None:
    from changemodel.analysis import configurations, evaluation_hypotheses, explain

    model = peer_worker()
    code, out, _ = run("explain", FILE, "wellbeing", "--format", "json")
    assert code == 0 and json.loads(out) == explain(model, "wellbeing").to_data()
    data = json.loads(out)
    assert [m["id"] for m in data["mechanisms"]] == ["role_modelling", "trusting_relationships"]
    assert data["contexts"][1] == {
        "id": "training_support",
        "label": "Training, supervision and support for peer workers",
        "moderates": ["peer_support", "trusting_relationships"],
    }
    code, out, _ = run("cmo", FILE, "--format", "json")
    assert code == 0 and json.loads(out) == [c.to_data() for c in configurations(model)]
    assert json.loads(out)[0]["actors"] == [
        {"name": "peer worker", "role": "offers shared lived experience"},
        {"name": "service user", "role": "responds"},
    ]
    assert [(c["id"], c["status"], c["derived"]) for c in json.loads(out)] == [
        (f"PW{n}", "candidate", False) for n in range(1, 4)
    ]
    assert json.loads(out)[1]["contexts"] == [] and json.loads(out)[1]["missing"] == ["contexts"]
    code, out, _ = run("hypotheses", FILE, "--format", "json")
    assert code == 0
    assert json.loads(out) == evaluation_hypotheses(model, limit=50).to_data()
    found = json.loads(out)["pathways"]
    assert found[0]["sign"] == "reduces" and found[0]["untested"] == [
        "engagement",
        "fewer_admissions",
    ]


SMA = str(EXAMPLE.parents[1] / "shared_medical_appointments" / "model.yaml")


def test_plan_has_a_realist_section_when_configurations_exist(tmp_path: Path) -> None:
    code, out, _ = run("plan", SMA)
    assert code == 0
    section = out[out.index("\n## Realist evaluation\n") : out.index("\n## Gaps\n")]
    assert "\n- **CMOC7** (initial): SMAs are longer sessions" in section
    assert "  Confidence: low (weakest: sma-\\>time_together, inferred).\n" in section
    assert (
        '\n- CAND1 and CMOC3 share the mechanism "Feeling inspired by successful peers": sample'
        " both. In a context of patients far behind their peers' progress, CAND1 expects"
    ) in section
    assert (
        '\n- Adequate time allotment (time_together; CMOC7). Resource: "Allows patients and'
        ' providers to get to know each other, relax", offered by providers.\n'
    ) in section
    assert "\nLeft out: CAND2 (not testable yet: no mechanism).\n" in section
    target = tmp_path / "plan.json"
    code, _, _ = run("plan", SMA, "--format", "json", "-o", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert code == 0 and data["realist"]["left_out"] == [
        {"id": "CAND2", "reason": "not testable yet: no mechanism"}
    ]


def test_explain_and_cmo_show_the_configuration_confidence() -> None:
    code, out, _ = run("explain", FILE, "hope_empowerment")
    assert code == 0 and "\n  configurations naming it:\n    - PW1 (candidate): very low" in out
    code, out, _ = run("cmo", FILE)
    assert code == 0
    assert (
        "  confidence:   very low (CERQual very low; weakest:"
        " trusting_relationships->hope_empowerment, hypothesised)\n" in out
    )


def test_hypotheses_say_why_there_are_none(tmp_path: Path) -> None:
    lone = tmp_path / "lone.yaml"
    lone.write_text(
        "changemodel: 1\ntitle: T\nelements:\n- {id: a, kind: activity, label: Run classes}\n",
        encoding="utf-8",
    )
    for by, why in (
        ("auto", "the model stores no configuration and no pathway runs from an activity"),
        ("configuration", "the model stores no configuration and no mechanism leads to an"),
        ("pathway", "no pathway runs from an activity to an outcome"),
    ):
        code, out, _ = run("hypotheses", str(lone), "--by", by)
        assert code == 0 and out.startswith(f"no hypotheses: {why}")
    code, out, _ = run("hypotheses", str(lone), "--format", "json")
    assert json.loads(out) == {"configurations": [], "pathways": [], "left_out": []}
