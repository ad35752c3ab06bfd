"""A synthetic monitoring data set for the peer worker change model.

The rows are simulated, not collected: 400 service users of a peer worker
service, one row each, drawn with a fixed seed from the linear model below.
``python examples/build.py`` writes them to ``monitoring.csv``; the file is
the same on every machine, since only Python's own random numbers (whose
``random()`` sequence is fixed for a seed) are used.

The model that made the data (every ``e`` an independent standard normal
error, ``training`` 0 or 1 with equal odds):

    peer_z   = 0.8 training + 0.6 distinct_role + e      (distinct_role unmeasured)
    engage   = 0.6 peer_z + 0.5 team_acceptance + e      (both unmeasured)
    role     = 0.6 peer_z + e                            (unmeasured)
    trust    = 0.6 peer_z + 0.4 training + e
    hope     = 0.5 role + 0.5 trust + e
    service  = 0.5 engage + 0.4 trust + e
    wellbeing = 0.6 hope + 0.45 service + e

It follows the theory in ``model.yaml`` with one difference: the last line
has a link the theory does not draw, from engagement with services to
well-being. The how-to guide "Test a theory against data" shows what the
local tests make of it.

Columns: ``participant`` (an identifier, which measures no element),
``training_support`` (``yes``/``no``: the peer worker had training and
supervision), ``peer_support`` (peer support sessions attended, 0-20),
``working_alliance`` (a working alliance score for trusting relationships),
``Empowerment and confidence``, ``Appointments attended`` (of 12) and
``Mental well-being`` (WEMWBS, 14-70), which is missing for the one in
twelve service users lost to follow-up at 12 months.
"""

from __future__ import annotations

import csv
import io
import math
import random

SEED = 20140703
ROWS = 400
HEADER = [
    "participant",
    "training_support",
    "peer_support",
    "working_alliance",
    "Empowerment and confidence",
    "Appointments attended",
    "Mental well-being",
]


def _normal(rng: random.Random) -> float:
    """A standard normal draw by the Box-Muller transform of ``random()`` alone."""
    u = 1.0 - rng.random()
    return math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * rng.random())


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def rows(seed: int = SEED, n: int = ROWS) -> list[list[str]]:
    """The simulated rows (as the CSV cells)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        e = [_normal(rng) for _ in range(10)]
        training = 1 if rng.random() < 0.5 else 0
        distinct_role, team_acceptance = e[0], e[1]
        peer_z = 0.8 * training + 0.6 * distinct_role + e[2]
        engage = 0.6 * peer_z + 0.5 * team_acceptance + e[3]
        role = 0.6 * peer_z + e[4]
        trust = 0.6 * peer_z + 0.4 * training + e[5]
        hope = 0.5 * role + 0.5 * trust + e[6]
        service = 0.5 * engage + 0.4 * trust + e[7]
        wellbeing = 0.6 * hope + 0.45 * service + e[8]
        lost = rng.random() < 1 / 12
        out.append(
            [
                f"P{i + 1:03d}",
                "yes" if training else "no",
                str(round(_clip(8 + 3 * peer_z, 0, 20))),
                f"{36 + 6 * trust:.1f}",
                f"{50 + 8 * hope:.1f}",
                str(round(_clip(7 + 2 * service, 0, 12))),
                "" if lost else str(round(_clip(48 + 6 * wellbeing, 14, 70))),
            ]
        )
    return out


def monitoring_csv() -> str:
    """The data set as CSV text."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows())
    return buffer.getvalue()


if __name__ == "__main__":
    print(monitoring_csv(), end="")
