"""Deterministic generated models, for benchmarks and large tests.

No extra dependency: a seeded :class:`random.Random` drives everything, so the
same arguments always give the same model.

>>> m = layered_model(60, seed=1)
>>> len(m)
60
>>> m.is_acyclic()
True
"""

from __future__ import annotations

import random
from typing import Final

from changemodel.domain import (
    Activity,
    Context,
    DownstreamOutcome,
    Element,
    Evidence,
    Indicator,
    Input,
    Kind,
    Link,
    Mechanism,
    Output,
    ProcessOutcome,
    Relation,
)
from changemodel.model import ChangeModel

__all__ = ["CHAIN", "layered_model", "systems_map"]

#: The chain kinds in order, with the share of elements each gets.
CHAIN: Final[tuple[tuple[Kind, float], ...]] = (
    (Kind.INPUT, 0.08),
    (Kind.ACTIVITY, 0.17),
    (Kind.OUTPUT, 0.15),
    (Kind.MECHANISM, 0.2),
    (Kind.PROCESS_OUTCOME, 0.2),
    (Kind.DOWNSTREAM_OUTCOME, 0.1),
)
_CLASSES: Final[dict[Kind, type[Element]]] = {
    Kind.INPUT: Input,
    Kind.ACTIVITY: Activity,
    Kind.OUTPUT: Output,
    Kind.MECHANISM: Mechanism,
    Kind.PROCESS_OUTCOME: ProcessOutcome,
    Kind.DOWNSTREAM_OUTCOME: DownstreamOutcome,
}


def layered_model(
    n: int,
    *,
    seed: int = 0,
    fan_out: int = 2,
    feedback: bool = False,
    contexts: float = 0.1,
) -> ChangeModel:
    """A logic model of *n* elements in MRC layers, every link running forward.

    Each chain element leads to ``fan_out`` elements of the next layers (on
    average), contexts moderate mechanisms, outcomes carry indicators and links
    carry evidence, so every rule and export has something to do. With
    ``feedback=True`` about one downstream outcome in ten feeds back to an
    activity (a marked feedback link).
    """
    rng = random.Random(seed)
    model = ChangeModel(f"Generated layered model ({n} elements)")
    n_context = int(n * contexts)
    n_chain = n - n_context
    layers: list[list[str]] = []
    made = 0
    for i, (kind, share) in enumerate(CHAIN):
        count = max(1, round(n_chain * share)) if i < len(CHAIN) - 1 else n_chain - made
        count = max(0, min(count, n_chain - made))
        ids = []
        for j in range(count):
            eid = f"{kind.value}_{j}"
            extra: dict[str, object] = {}
            if kind.is_outcome:
                extra["indicators"] = (Indicator(f"measure of {eid}", timepoints=("12 months",)),)
            model.add(_CLASSES[kind](eid, f"{kind.label} {j}", **extra))  # type: ignore[arg-type]
            ids.append(eid)
        made += count
        layers.append(ids)
    layers = [layer for layer in layers if layer]
    evidence = (Evidence(note="generated"),)
    for i, layer in enumerate(layers[:-1]):
        nxt = layers[i + 1]
        later = [x for lay in layers[i + 1 : i + 3] for x in lay]
        for source in layer:
            targets = {rng.choice(nxt)}
            while len(targets) < min(fan_out, len(later)) and rng.random() < 0.9:
                targets.add(rng.choice(later))
            for target in sorted(targets):
                model.add(Link(source, target, evidence=evidence, rationale="generated"))
    # Every element of a later layer gets at least one incoming link.
    for i, layer in enumerate(layers[1:], start=1):
        for target in layer:
            if not model.links_to(target):
                model.add(Link(rng.choice(layers[i - 1]), target, evidence=evidence))
    mechanisms = [e.id for e in model.elements_of(Kind.MECHANISM)] or [layers[0][0]]
    for j in range(n_context):
        cid = f"context_{j}"
        model.add(Context(cid, f"context {j}"))
        model.add(Link(cid, rng.choice(mechanisms), relation=Relation.MODERATES))
    if feedback and len(layers) > 1:
        activities = [e.id for e in model.elements_of(Kind.ACTIVITY)]
        for outcome in model.elements_of(Kind.DOWNSTREAM_OUTCOME):
            if activities and rng.random() < 0.1:
                model.add(Link(outcome.id, rng.choice(activities), feedback=True))
    return model


def systems_map(n: int, *, seed: int = 0, loops: float = 0.05) -> ChangeModel:
    """A systems map: a layered model with many marked feedback loops (share *loops*
    of the elements start one), as merged multi-site maps tend to have."""
    model = layered_model(n, seed=seed, feedback=False)
    rng = random.Random(seed + 1)
    chain = [e for e in model.elements if e.kind.stage is not None]
    for _ in range(int(n * loops)):
        a, b = rng.sample(chain, 2)
        early, late = sorted((a, b), key=lambda e: e.kind.stage or 0)
        if early.kind.stage == late.kind.stage:
            continue
        key = (late.id, early.id, Relation.LEADS_TO)
        if key not in {lk.key for lk in model.links_from(late.id)}:
            model.add(Link(late.id, early.id, feedback=True))
    return model
