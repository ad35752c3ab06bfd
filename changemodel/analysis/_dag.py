"""The causal chain of a model for the analysis modules: the model's graph index,
checked to be acyclic.

Only causal (``leads_to``) links that are not marked feedback take part: a
deliberate feedback loop is part of the theory but not of a pathway. The index
is the model's own (:attr:`ChangeModel.graph_index
<changemodel.model.ChangeModel.graph_index>`), built once per change and shared
with validation; :func:`causal_index` raises
:class:`~changemodel.errors.IntegrityError` naming a cycle when the links are
not acyclic.
"""

from __future__ import annotations

from collections.abc import Iterable

from changemodel.domain import Kind
from changemodel.errors import InvalidValueError
from changemodel.index import GraphIndex
from changemodel.model import ChangeModel

__all__ = ["causal_index", "ids", "reach"]


def causal_index(model: ChangeModel) -> GraphIndex:
    """The model's graph index, once its forward links are known to be acyclic."""
    index = model.graph_index
    index.order  # noqa: B018  raises IntegrityError naming a cycle
    return index


def ids(
    model: ChangeModel, items: str | Iterable[str] | None, *, default: Kind | None = None
) -> list[str]:
    """Check ids exist (unknown ones raise with a suggestion) and drop repeats;
    ``None`` means every element of kind *default*."""
    if items is None:
        if default is None:
            raise InvalidValueError("no elements given")
        return [e.id for e in model.elements_of(default)]
    if isinstance(items, str):
        items = [items]
    out: dict[str, None] = {}
    for id in items:
        model.element(id)
        out[id] = None
    return list(out)


def reach(index: GraphIndex, starts: Iterable[str], *, forward: bool) -> set[str]:
    """Elements reachable from *starts* (included) along or against the forward links."""
    starts = set(starts)
    return index.reachable(starts, forward=forward) | starts
