"""Local tests: a model's implications confronted with monitoring data.

Given a table with one column per measure, :func:`local_tests` maps columns to
elements, reads each column as numbers or as categories, and tests every
implied independence (see :mod:`changemodel.analysis.implications`) that the
mapped columns can test:

- all columns numeric (a two-category column counts as 0/1, a categorical
  conditioning column as indicator columns): the **partial correlation** of
  the two columns given the conditioning columns, with **Fisher's z** for the
  p value and the confidence interval;
- all columns categorical: the **conditional chi-square test** (Pearson's
  statistic summed over the strata of the conditioning columns), with
  Cramér's V as the effect and its confidence interval from the noncentral
  chi-square distribution.

Each signed causal link (not feedback) whose two ends are numeric is also
checked for the direction its sign predicts: the partial correlation of
source and target given the target's other measured causes. A link
*agrees* when that correlation is clearly in the predicted direction,
*contradicts* the theory when it is clearly in the other, and is
*inconclusive* otherwise.

p values are adjusted for multiple testing within each family (independences,
directions): Holm's method by default, Benjamini and Hochberg's on request.
Confidence intervals are at level ``1 - alpha``, not adjusted.

Rules for the data (the messages name the column and, where it helps, the row):

- a cell that is empty or reads ``NA``, ``N/A``, ``NaN``, ``null`` or ``.``
  (in any case) is missing, as is ``None`` from Parquet or Excel; each test
  uses the rows where all its columns have values, and a note says how many
  values each column misses;
- a column whose values all read as numbers is numeric, one with no number is
  categorical, and one that mixes both is refused (name it in *categorical*
  if its numbers are category codes);
- a column that is constant or has no values gives no information: its
  element is treated as an element without data, and a note says so;
- a column mapped to two elements, or an element mapped from two columns, is
  refused;
- a test whose complete rows are too few for its conditioning set is skipped,
  saying how many it needs.

numpy and scipy (``pip install 'changemodel[stats]'``) are imported when the
tests run, not when this module is imported.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from changemodel.analysis._text import csv_text, md_cell, md_table
from changemodel.analysis.causal import Independence
from changemodel.analysis.implications import ImplicationGraph, iter_implications
from changemodel.domain import Kind, Sign, normalise_id
from changemodel.errors import ChangeModelError, InvalidValueError, did_you_mean
from changemodel.model import ChangeModel
from changemodel.text import count as plural_count

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "ADJUSTMENTS",
    "DataError",
    "LocalTest",
    "LocalTestReport",
    "format_local_tests",
    "local_tests",
    "map_columns",
]

#: Multiple-testing adjustments by name.
ADJUSTMENTS: Final = {"holm": "Holm", "bh": "Benjamini-Hochberg", "none": "none"}
_MISSING: Final = frozenset({"", "na", "n/a", "nan", "null", "."})
_NUMBER: Final = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class DataError(ChangeModelError, ValueError):
    """Data that cannot be tested as given; the message names the column."""

    def __init__(self, message: str, *, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


def _need_stats() -> None:
    try:
        import numpy  # noqa: F401
        import scipy  # noqa: F401
    except ImportError:
        raise DataError(
            "the local tests need numpy and scipy: pip install 'changemodel[stats]'"
        ) from None


# ------------------------------------------------------------------ mapping


def _name_key(text: str) -> str:
    return " ".join(text.casefold().split())


def map_columns(
    model: ChangeModel, columns: Iterable[str], explicit: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Which element each column measures: *explicit* ``column -> element id``
    first, then a column named like an element's id (case, ``-`` and ``_``
    ignored), then one named like an element's indicator (case and spacing
    ignored). Columns that match nothing are left out.

    Raises :class:`DataError` for an explicit column that is not in the data,
    an id that is not a variable, a column that matches the indicators of two
    elements, and an element measured by two columns.
    """
    columns = list(columns)
    variables = {e.id: e for e in model.elements if e.kind is not Kind.ASSUMPTION}
    mapping: dict[str, str] = {}
    for column, id in (explicit or {}).items():
        if column not in columns:
            hint = did_you_mean(column, columns)
            raise DataError(
                f"--map names column {column!r}, which the data do not have"
                + (f"; did you mean {hint!r}?" if hint else ""),
                column=column,
            )
        if id not in variables:
            if any(e.id == id for e in model.elements):
                raise DataError(
                    f"column {column!r} is mapped to {id!r}, an assumption: assumptions are"
                    " not measured variables",
                    column=column,
                )
            hint = did_you_mean(id, variables)
            raise DataError(
                f"column {column!r} is mapped to {id!r}, which is not an element of the model"
                + (f"; did you mean {hint!r}?" if hint else ""),
                column=column,
            )
        mapping[column] = id
    by_id = {normalise_id(v): v for v in variables}
    by_indicator: dict[str, list[str]] = {}
    for e in variables.values():
        for indicator in e.indicators:
            owners = by_indicator.setdefault(_name_key(indicator.name), [])
            if e.id not in owners:
                owners.append(e.id)
    for column in columns:
        if column in mapping:
            continue
        match = by_id.get(normalise_id(column))
        owners = by_indicator.get(_name_key(column), [])
        others = [o for o in owners if o != match]
        if match is not None and others:
            raise DataError(
                f"column {column!r} names element {match!r} and is the indicator of {others[0]!r};"
                f" say which with --map {column}=ID",
                column=column,
            )
        if match is None:
            if len(owners) > 1:
                raise DataError(
                    f"column {column!r} is the indicator of two elements, {owners[0]!r} and"
                    f" {owners[1]!r}; say which with --map {column}=ID",
                    column=column,
                )
            match = owners[0] if owners else None
        if match is not None:
            mapping[column] = match
    measured_by: dict[str, str] = {}
    for column, id in mapping.items():
        if id in measured_by:
            raise DataError(
                f"element {id!r} is measured by two columns, {measured_by[id]!r} and {column!r};"
                " map only one of them",
                column=column,
            )
        measured_by[id] = column
    return mapping


# ------------------------------------------------------------------ columns


@attrs.frozen
class _Column:
    name: str
    element: str
    values: npt.NDArray[np.float64]  # numbers, or category codes; NaN where missing
    levels: tuple[str, ...] | None  # category names, or None for a numeric column
    missing: int

    @property
    def categorical(self) -> bool:
        return self.levels is not None

    @property
    def multilevel(self) -> bool:
        return self.levels is not None and len(self.levels) > 2


def _is_missing(cell: object) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float):
        return math.isnan(cell)
    return isinstance(cell, str) and cell.strip().casefold() in _MISSING


def _number(cell: object) -> float | None:
    value: float | None = None
    try:
        if isinstance(cell, bool | int | float):
            value = float(cell)
        elif isinstance(cell, str) and _NUMBER.fullmatch(cell.strip()):
            value = float(cell.strip())
    except OverflowError:  # an integer beyond any float
        return None
    return value if value is not None and math.isfinite(value) else None


def _read_column(
    name: str,
    element: str,
    cells: Sequence[object],
    rows: Sequence[str],
    categorical: bool,
) -> _Column | str:
    """The column, or a note saying why it gives no information."""
    import numpy as np

    if not categorical:
        fast = _numbers(cells)
        if fast is not None:
            return _checked(name, element, fast, None, int(np.isnan(fast).sum()))
    present = [(i, c) for i, c in enumerate(cells) if not _is_missing(c)]
    missing = len(cells) - len(present)
    values = np.full(len(cells), np.nan)
    levels: tuple[str, ...] | None = None
    if not categorical:
        numbers = [(i, _number(c)) for i, c in present]
        text = [(i, c) for (i, c), (_, x) in zip(present, numbers, strict=True) if x is None]
        if text and len(text) < len(present):
            i, cell = text[0]
            raise DataError(
                f"column {name!r} (element {element!r}) mixes numbers and text: {rows[i]} holds"
                f" {str(cell)!r}; correct the value, leave the cell empty if it is missing, or"
                f" read the column as categories (--categorical {name})",
                column=name,
            )
        if not text:
            for i, x in numbers:
                values[i] = x
        else:
            categorical = True
    if categorical:
        names = sorted({_cell_text(c) for _, c in present})
        code = {n: k for k, n in enumerate(names)}
        for i, c in present:
            values[i] = code[_cell_text(c)]
        levels = tuple(names)
    return _checked(name, element, values, levels, missing)


def _numbers(cells: Sequence[object]) -> npt.NDArray[np.float64] | None:
    """The cells as floats (NaN where missing) when numpy can read them all as
    finite numbers or NaN at once; ``None`` when the cell-by-cell reading is needed."""
    import numpy as np

    try:
        values = np.asarray(cells, dtype=np.float64)
    except (ValueError, TypeError, OverflowError):
        return None
    if values.ndim != 1 or np.isinf(values).any():
        return None
    return values


def _checked(
    name: str,
    element: str,
    values: npt.NDArray[np.float64],
    levels: tuple[str, ...] | None,
    missing: int,
) -> _Column | str:
    import numpy as np

    present = values[~np.isnan(values)]
    if present.size == 0:
        return f"column {name!r} (element {element!r}) has no values"
    if np.all(present == present[0]):
        only = levels[0] if levels else _short(float(present[0]))
        return f"column {name!r} (element {element!r}) is constant (every value is {only})"
    return _Column(name, element, values, levels, missing)


def _cell_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


# ------------------------------------------------------------------ results


@attrs.frozen
class LocalTest:
    """One test: an implied independence, or the direction of a signed link.

    ``verdict`` is ``consistent`` or ``rejected`` for an independence,
    ``agrees``, ``contradicts`` or ``inconclusive`` for a direction, and
    ``skipped`` (with ``reason``) when the data cannot test it.
    """

    kind: str  # "independence" or "direction"
    x: str
    y: str
    given: tuple[str, ...]
    expected: str  # "independent", "increases" or "reduces"
    columns: tuple[str, ...]
    verdict: str
    method: str | None = None
    n: int | None = None
    estimate: float | None = None
    ci: tuple[float, float] | None = None
    statistic: float | None = None
    df: float | None = None
    p: float | None = None
    p_adjusted: float | None = None
    reason: str | None = None
    note: str | None = None

    @property
    def statement(self) -> str:
        """``x _||_ y | given`` for an independence, ``source -> target (sign)`` for a link."""
        if self.kind == "independence":
            return str(Independence(self.x, self.y, self.given))
        given = f" | {', '.join(self.given)}" if self.given else ""
        return f"{self.x} -> {self.y} ({self.expected}){given}"

    @property
    def failed(self) -> bool:
        """Rejected, or contradicted by the data."""
        return self.verdict in ("rejected", "contradicts")

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: every field of the test."""
        data = attrs.asdict(self, recurse=False)
        data["given"] = list(self.given)
        data["columns"] = list(self.columns)
        data["ci"] = list(self.ci) if self.ci is not None else None
        data["statement"] = self.statement
        return data


@attrs.frozen
class LocalTestReport:
    """What :func:`local_tests` found, with the mapping and notes on the data."""

    title: str
    source: str
    rows: int
    alpha: float
    adjust: str
    mapping: dict[str, str]  # column -> element id
    unmeasured: tuple[str, ...]  # variables without usable data
    unmapped: tuple[str, ...]  # columns that measure no element
    tests: tuple[LocalTest, ...]
    notes: tuple[str, ...] = ()

    @property
    def independences(self) -> tuple[LocalTest, ...]:
        """The tests of implied independences."""
        return tuple(t for t in self.tests if t.kind == "independence")

    @property
    def directions(self) -> tuple[LocalTest, ...]:
        """The tests of the signs the links claim."""
        return tuple(t for t in self.tests if t.kind == "direction")

    @property
    def failed(self) -> tuple[LocalTest, ...]:
        """Implications rejected and directions contradicted at ``alpha``."""
        return tuple(t for t in self.tests if t.failed)

    def counts(self, kind: str) -> dict[str, int]:
        """How many tests of *kind* (``independence`` or ``direction``) have each verdict."""
        out: dict[str, int] = {}
        for t in self.tests:
            if t.kind == kind:
                out[t.verdict] = out.get(t.verdict, 0) + 1
        return out

    def summary(self, kind: str) -> str:
        """``4 consistent, 3 rejected`` for ``independence``, ``4 agree`` for ``direction``."""
        plural = {"agrees": "agree", "contradicts": "contradict"}
        counts = sorted(self.counts(kind).items())
        return ", ".join(f"{n} {plural.get(v, v) if n != 1 else v}" for v, n in counts) or "none"

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: the model, the data, the settings and every test."""
        return {
            "model": self.title,
            "data": self.source,
            "rows": self.rows,
            "alpha": self.alpha,
            "adjustment": self.adjust,
            "mapping": dict(self.mapping),
            "unmeasured": list(self.unmeasured),
            "unmapped_columns": list(self.unmapped),
            "notes": list(self.notes),
            "summary": {
                "independences": self.counts("independence"),
                "directions": self.counts("direction"),
            },
            "tests": [t.to_data() for t in self.tests],
        }


# ---------------------------------------------------------------- statistics


def _short(value: float) -> str:
    return f"{value:.3g}"


def _adjust(p: Sequence[float], method: str) -> list[float]:
    """Holm's step-down or Benjamini-Hochberg's step-up adjusted p values."""
    m = len(p)
    order = sorted(range(m), key=p.__getitem__)
    out = [0.0] * m
    if method == "none":
        return list(p)
    if method == "holm":
        running = 0.0
        for rank, i in enumerate(order):
            running = max(running, min(1.0, (m - rank) * p[i]))
            out[i] = running
        return out
    running = 1.0
    for rank in range(m - 1, -1, -1):
        i = order[rank]
        running = min(running, m * p[i] / (rank + 1))
        out[i] = min(1.0, running)
    return out


class _Tester:
    """The columns as arrays, and the two tests on them."""

    def __init__(self, columns: Mapping[str, _Column], alpha: float) -> None:
        import numpy as np
        from scipy import stats

        self.alpha = alpha
        self.quantile = float(stats.norm.ppf(1 - alpha / 2))
        self.columns = columns  # by element id
        # Each element's numeric block: one column, or indicator columns for the
        # categories after the first.
        blocks: dict[str, list[npt.NDArray[np.float64]]] = {}
        for id, col in columns.items():
            if col.levels is None or len(col.levels) == 2:
                blocks[id] = [col.values]
            else:
                present = ~np.isnan(col.values)
                blocks[id] = [
                    np.where(present, (col.values == k).astype(float), np.nan)
                    for k in range(1, len(col.levels))
                ]
        self.slots: dict[str, list[int]] = {}
        arrays: list[npt.NDArray[np.float64]] = []
        for id, block in blocks.items():
            self.slots[id] = list(range(len(arrays), len(arrays) + len(block)))
            arrays.extend(block)
        self.matrix = np.column_stack(arrays) if arrays else np.empty((0, 0))
        self.complete: npt.NDArray[np.bool_] = np.asarray(
            ~np.isnan(self.matrix).any(axis=0), dtype=bool
        )
        self._cov: npt.NDArray[np.float64] | None = None
        self._cov_index: dict[int, int] = {}

    def _full_cov(self) -> tuple[npt.NDArray[np.float64], dict[int, int]]:
        import numpy as np

        if self._cov is None:
            keep = np.flatnonzero(self.complete)
            self._cov_index = {int(j): k for k, j in enumerate(keep)}
            self._cov = np.atleast_2d(np.cov(self.matrix[:, keep], rowvar=False))
        return self._cov, self._cov_index

    def rows_for(self, ids: Sequence[str]) -> tuple[list[int], npt.NDArray[np.bool_] | None]:
        """The matrix columns of *ids*, and the complete-row mask (``None``: every row)."""
        import numpy as np

        slots = [j for id in ids for j in self.slots[id]]
        if all(self.complete[j] for j in slots):
            return slots, None
        mask = np.asarray(~np.isnan(self.matrix[:, slots]).any(axis=1), dtype=bool)
        return slots, mask

    def partial_correlation(self, x: str, y: str, given: Sequence[str]) -> dict[str, Any]:
        """Fisher's z test of the partial correlation of *x* and *y* given *given*."""
        import numpy as np

        slots, mask = self.rows_for([x, y, *given])
        if mask is None:
            cov, index = self._full_cov()
            pick = [index[j] for j in slots]
            sub = cov[np.ix_(pick, pick)]
            n = self.matrix.shape[0]
        else:
            n = int(mask.sum())
            data = self.matrix[mask][:, slots]
            sub = np.atleast_2d(np.cov(data, rowvar=False)) if n > 1 else np.zeros((1, 1))
        k = len(slots) - 2
        if n - k - 3 < 1:
            return {
                "reason": f"needs at least {k + 4} rows with a value in every column, has {n}",
                "n": n,
            }
        scale = np.sqrt(np.diag(sub))
        if not np.all(scale > 0):
            return {"reason": "a column is constant on the rows this test can use", "n": n}
        corr = sub / np.outer(scale, scale)
        if np.linalg.cond(corr) > 1e10:
            return {"reason": "the conditioning columns are collinear on these rows", "n": n}
        precision = np.linalg.inv(corr)
        r = float(-precision[0, 1] / math.sqrt(precision[0, 0] * precision[1, 1]))
        r = max(-1 + 1e-12, min(1 - 1e-12, r))
        se = 1 / math.sqrt(n - k - 3)
        z = math.atanh(r)
        q = self.quantile
        statistic = z / se
        return {
            "method": "partial correlation, Fisher's z",
            "n": n,
            "estimate": r,
            "ci": (math.tanh(z - q * se), math.tanh(z + q * se)),
            "statistic": statistic,
            "df": float(n - k - 3),
            "p": math.erfc(abs(statistic) / math.sqrt(2)),  # two-sided normal tail
        }

    def chi_square(self, x: str, y: str, given: Sequence[str]) -> dict[str, Any]:
        """The conditional chi-square test of *x* and *y* given categorical *given*."""
        import numpy as np
        from scipy import optimize, stats

        ids = [x, y, *given]
        values = np.column_stack([self.columns[i].values for i in ids])
        mask = ~np.isnan(values).any(axis=1)
        codes = values[mask].astype(np.int64)
        n = int(mask.sum())
        nx, ny = len(self.columns[x].levels or ()), len(self.columns[y].levels or ())
        if given:
            _, strata = np.unique(codes[:, 2:], axis=0, return_inverse=True)
            strata = strata.reshape(-1)
        else:
            strata = np.zeros(n, dtype=np.int64)
        statistic = 0.0
        df = 0
        cells = 0
        for s in range(int(strata.max()) + 1 if n else 0):
            pick = strata == s
            table = np.bincount(codes[pick, 0] * ny + codes[pick, 1], minlength=nx * ny)
            table = table.reshape(nx, ny).astype(float)
            table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
            r, c = table.shape
            if r < 2 or c < 2:
                continue
            expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
            statistic += float(((table - expected) ** 2 / expected).sum())
            df += (r - 1) * (c - 1)
            cells += r * c
        if df == 0:
            return {
                "reason": "no stratum of the conditioning columns holds two values of both columns",
                "n": n,
            }
        p = float(stats.chi2.sf(statistic, df))
        scale = n * (min(nx, ny) - 1)

        def bound(target: float) -> float:
            if stats.chi2.cdf(statistic, df) <= target:
                return 0.0
            high = max(1.0, statistic)
            while stats.ncx2.cdf(statistic, df, high) > target:
                high *= 2
            return float(
                optimize.brentq(lambda lam: stats.ncx2.cdf(statistic, df, lam) - target, 0.0, high)
            )

        lower, upper = bound(1 - self.alpha / 2), bound(self.alpha / 2)
        note = None
        if n < 5 * cells:
            note = f"fewer than 5 rows per cell ({n} rows, {cells} cells): p is approximate"
        return {
            "method": "conditional chi-square",
            "n": n,
            "estimate": min(1.0, math.sqrt(statistic / scale)),
            "ci": (min(1.0, math.sqrt(lower / scale)), min(1.0, math.sqrt(upper / scale))),
            "statistic": statistic,
            "df": float(df),
            "p": p,
            "note": note,
        }


def local_tests(
    model: ChangeModel,
    data: Mapping[str, Sequence[object]],
    *,
    mapping: Mapping[str, str] | None = None,
    categorical: Collection[str] = (),
    alpha: float = 0.05,
    adjust: str = "holm",
    rows: Sequence[str] | None = None,
    source: str = "data",
    directions: bool = True,
) -> LocalTestReport:
    """Test the model's implications (and the directions of its signed links) on *data*.

    *data* maps column names to their cells (text, numbers or ``None``), all of
    one length; *mapping* gives ``column -> element id`` pairs that take
    precedence over the automatic mapping of :func:`map_columns`;
    *categorical* names columns to read as categories even if they hold
    numbers; *rows* says where each row is, for messages (default ``row 1``,
    ``row 2`` ...). *adjust* is ``holm``, ``bh`` or ``none``.
    """
    if adjust not in ADJUSTMENTS:
        raise DataError(f"unknown adjustment {adjust!r}; expected holm, bh or none")
    if not 0 < alpha < 1:
        raise DataError(f"alpha must lie between 0 and 1, not {alpha!r}")
    _need_stats()
    lengths = {len(cells) for cells in data.values()}
    if len(lengths) > 1:
        raise DataError("the columns of the data have different lengths")
    count = lengths.pop() if lengths else 0
    labels = list(rows) if rows is not None else [f"row {i + 1}" for i in range(count)]
    for name in categorical:
        if name not in data:
            raise DataError(
                f"--categorical names column {name!r}, which the data do not have", column=name
            )
    graph = ImplicationGraph(model)
    column_of = map_columns(model, data, mapping)
    notes: list[str] = []
    columns: dict[str, _Column] = {}
    for name, id in column_of.items():
        read = _read_column(name, id, data[name], labels, name in categorical)
        if isinstance(read, str):
            notes.append(f"{read}: the element is treated as without data")
            continue
        columns[id] = read
        if read.missing:
            notes.append(
                f"column {name!r} (element {id!r}) misses {plural_count(read.missing, 'value')}"
                f" of {count};"
                " each test uses the rows where all its columns have values"
            )
    tester = _Tester(columns, alpha)
    tests: list[LocalTest] = []
    for statement in iter_implications(graph, measured=columns):
        tests.append(_independence(tester, statement))
    if directions:
        tests.extend(_directions(model, graph, tester))
    for kind in ("independence", "direction"):
        done = [i for i, t in enumerate(tests) if t.kind == kind and t.p is not None]
        adjusted = _adjust([tests[i].p or 0.0 for i in done], adjust)
        for i, p in zip(done, adjusted, strict=True):
            tests[i] = _judge(tests[i], p, alpha)
    unmeasured = tuple(v for v in graph.order if v not in columns)
    return LocalTestReport(
        title=model.title,
        source=source,
        rows=count,
        alpha=alpha,
        adjust=adjust,
        mapping=dict(column_of),
        unmeasured=unmeasured,
        unmapped=tuple(c for c in data if c not in column_of),
        tests=tuple(tests),
        notes=tuple(notes),
    )


def _independence(tester: _Tester, statement: Independence) -> LocalTest:
    x, y, given = statement.x, statement.y, statement.given
    cols = tester.columns
    names = tuple(cols[v].name for v in (x, y, *given))
    base: dict[str, Any] = {"kind": "independence", "x": x, "y": y, "given": given}
    base["expected"] = "independent"
    if all(cols[v].categorical for v in (x, y, *given)):
        found = tester.chi_square(x, y, given)
    elif cols[x].multilevel or cols[y].multilevel:
        which = cols[x] if cols[x].multilevel else cols[y]
        found = {
            "reason": f"column {which.name!r} has more than two categories and the others are"
            " not all categorical: neither test applies"
        }
    else:
        found = tester.partial_correlation(x, y, given)
    verdict = "skipped" if "reason" in found else "pending"
    return LocalTest(**base, columns=names, verdict=verdict, **found)


def _directions(model: ChangeModel, graph: ImplicationGraph, tester: _Tester) -> list[LocalTest]:
    cols = tester.columns
    loops = {(lk.source, lk.target) for lk in model.links if lk.is_causal and lk.feedback}
    out = []
    for link in model.links:
        if not link.is_causal or link.feedback:
            continue
        s, t = link.source, link.target
        if s not in cols or t not in cols:
            continue
        given = tuple(
            p
            for p in sorted(graph.parents[t], key=lambda v: graph.index.get(v, -1))
            if p != s and p in cols and (p, t) not in loops
        )
        base: dict[str, Any] = {
            "kind": "direction",
            "x": s,
            "y": t,
            "given": given,
            "expected": link.sign.value,
            "columns": tuple(cols[v].name for v in (s, t, *given)),
        }
        if cols[s].categorical or cols[t].categorical:
            which = cols[s] if cols[s].categorical else cols[t]
            reason = f"column {which.name!r} holds categories, which have no direction"
            out.append(LocalTest(**base, verdict="skipped", reason=reason))
            continue
        found = tester.partial_correlation(s, t, given)
        verdict = "skipped" if "reason" in found else "pending"
        out.append(LocalTest(**base, verdict=verdict, **found))
    return out


def _judge(test: LocalTest, p_adjusted: float, alpha: float) -> LocalTest:
    clear = p_adjusted < alpha
    if test.kind == "independence":
        verdict = "rejected" if clear else "consistent"
    elif not clear:
        verdict = "inconclusive"
    else:
        predicted = 1 if test.expected == Sign.INCREASES.value else -1
        verdict = "agrees" if (test.estimate or 0) * predicted > 0 else "contradicts"
    return attrs.evolve(test, p_adjusted=p_adjusted, verdict=verdict)


# ---------------------------------------------------------------- rendering

_HEADER: Final = [
    "Test",
    "Statement",
    "Columns",
    "Method",
    "N",
    "Estimate",
    "CI low",
    "CI high",
    "Statistic",
    "DF",
    "p",
    "Adjusted p",
    "Verdict",
    "Reason",
]


def _number_text(value: float | None) -> str:
    return "" if value is None else f"{value:.3g}"


def _row(t: LocalTest) -> list[str]:
    low, high = t.ci if t.ci is not None else (None, None)
    return [
        t.kind,
        t.statement,
        " ".join(t.columns),
        t.method or "",
        "" if t.n is None else str(t.n),
        _number_text(t.estimate),
        _number_text(low),
        _number_text(high),
        _number_text(t.statistic),
        _number_text(t.df),
        _number_text(t.p),
        _number_text(t.p_adjusted),
        t.verdict,
        t.reason or t.note or "",
    ]


def _effect(t: LocalTest) -> str:
    if t.estimate is None or t.ci is None:
        return ""
    name = "V" if t.method == "conditional chi-square" else "r"
    return (
        f"{name} = {t.estimate:.2f} [{t.ci[0]:.2f}, {t.ci[1]:.2f}], n = {t.n},"
        f" p = {t.p:.2g}, adjusted p = {t.p_adjusted:.2g}"
    )


def format_local_tests(report: LocalTestReport, format: str = "text") -> str:
    """The report as ``text``, ``markdown``, ``csv`` (formula-safe, one row per
    test) or ``json``."""
    if format == "json":
        return json.dumps(report.to_data(), indent=2, ensure_ascii=False) + "\n"
    if format == "csv":
        return csv_text(_HEADER, [_row(t) for t in report.tests])
    adjust = ADJUSTMENTS[report.adjust]
    level = f"{1 - report.alpha:.0%}"
    head = [
        f"Local tests of {report.title!r} against {report.source}: {report.rows} rows,"
        f" {len(report.mapping)} mapped columns",
        f"alpha {report.alpha:g}; p values adjusted by {adjust}; {level} confidence intervals",
        f"implied independences: {report.summary('independence')}",
        f"directions of signed links: {report.summary('direction')}",
    ]
    tail = [
        *(f"mapped: {c} -> {i}" for c, i in report.mapping.items()),
        *(
            ["columns that measure no element: " + ", ".join(report.unmapped)]
            if report.unmapped
            else []
        ),
        *(["elements without data: " + ", ".join(report.unmeasured)] if report.unmeasured else []),
        *report.notes,
    ]
    if format == "text":
        lines = [*head, ""]
        for t in report.tests:
            detail = _effect(t) or (t.reason or "")
            lines.append(f"{t.verdict.upper():<13} {t.statement}")
            if detail:
                lines.append(f"{'':<14}{detail}")
            if t.note:
                lines.append(f"{'':<14}{t.note}")
        return "\n".join([*lines, "", *tail]) + "\n"
    if format == "markdown":
        # dagitty's _||_ would read as emphasis in Markdown: the symbol instead
        rows = [
            [
                t.statement.replace(" _||_ ", " \u22a5 "),
                t.method or "",
                _effect(t) or (t.reason or ""),
                t.verdict,
            ]
            for t in report.tests
        ]
        lines = [*(f"{h}  " for h in head[:-1]), head[-1], ""]
        lines += md_table(["Test", "Method", "Result", "Verdict"], rows)
        lines += ["", *(f"- {md_cell(line)}" for line in tail)]
        return "\n".join(lines) + "\n"
    raise InvalidValueError(
        f"unknown format {format!r}; expected text, markdown, csv or json", value=format
    )
