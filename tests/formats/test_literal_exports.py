"""Exports show text as typed and stay acceptable to the tools that read them.

DOT tooltips through Graphviz, Mermaid's handling of ``style`` lines, and the
names dagitty reserves.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from changemodel import ChangeModel
from changemodel.formats.dagitty import (
    RESERVED_NAMES,
    dagitty_losses,
    from_dagitty,
    to_dagitty,
)
from changemodel.formats.dot import to_dot
from changemodel.formats.loss import Loss
from changemodel.formats.mermaid import to_mermaid

TYPED = r"Needs \N and \G, \E; shows &#60; &lt; & \\ as typed" + "\nsecond line"


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_dot_tooltips_show_text_as_typed() -> None:
    model = ChangeModel("T")
    a = model.activity("a", "A", description=TYPED)
    b = model.mechanism("b", "B")
    a.leads_to(b, rationale=TYPED)
    svg = subprocess.run(
        ["dot", "-Tsvg"], input=to_dot(model), capture_output=True, text=True, check=True
    ).stdout
    titles = [
        el.get("{http://www.w3.org/1999/xlink}title")
        for el in ET.fromstring(svg).iter()
        if el.get("{http://www.w3.org/1999/xlink}title")
    ]
    shown = [t.replace("\u2060", "") for t in titles if t and t.startswith("Needs")]
    assert shown == [TYPED, TYPED]


def _mermaid_entity_step(text: str) -> str:
    """What Mermaid's ``encodeEntities`` does to style lines before parsing."""
    text = re.sub(r"style.*:\S*#.*;", lambda m: m.group()[:-1], text)
    return re.sub(r"classDef.*:\S*#.*;", lambda m: m.group()[:-1], text)


def test_mermaid_lines_with_style_keep_their_last_semicolon() -> None:
    model = ChangeModel("Lifestyle: #1; and more")
    model.activity("lifestyle", "Lifestyle: a & b; c")
    model.mechanism("classDef_x", "Style: #x;")
    text = to_mermaid(model, styles=False)
    assert _mermaid_entity_step(text) == text
    assert "e_lifes_tyle" in text


#: The reserved names a model can hold as ids (``__proto__`` cannot be one).
_ID_LIKE = sorted(n for n in RESERVED_NAMES if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.\-]*", n))


@pytest.mark.parametrize("name", _ID_LIKE)
def test_dagitty_never_names_a_variable_as_dagitty_reserves(name: str) -> None:
    model = ChangeModel("T")
    _ = model.activity(name, "Do") >> model.process_outcome("o", "Change")
    text = to_dagitty(model)
    names = re.findall(r'^"([^"]+)"', text, flags=re.MULTILINE)
    assert name not in names
    assert f'label="{name}"' in text
    report = dagitty_losses(model)
    assert any(loss.key == (f"element:{name}", "id") for loss in report)
    back = from_dagitty(text)
    assert back.element(f"{name}_").label == name


def test_dagitty_import_keeps_labels_and_flags_and_lists_the_rest() -> None:
    losses: list[Loss] = []
    model = from_dagitty(
        'dag {\n bb="0,0,1,1"\n x [exposure,pos="0.1,0.2",label="Age at entry"]\n'
        ' z [adjusted,selected,pos="1,1"]\n y [outcome,unobserved]\n x -> y <- z\n}\n',
        losses=losses,
    )
    assert model.element("x").label == "Age at entry"
    assert model.element("z").tags == ("adjusted", "selected")
    assert sorted(str(loss) for loss in losses) == [
        "element:x: pos ('0.1,0.2')",
        "element:y: unobserved (a flag with no meaning here)",
        "element:z: pos ('1,1')",
        "model: bb ('0,0,1,1')",
    ]
