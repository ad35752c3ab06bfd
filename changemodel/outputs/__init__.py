"""What combines validation, analysis and the formats into something to hand over.

The layer above :mod:`changemodel.validation`, :mod:`changemodel.analysis` and
:mod:`changemodel.formats`, which do not know of one another: the shareable
report (:mod:`~changemodel.outputs.report`), the realist CMO table that needs an
analysis of the model (:mod:`~changemodel.outputs.cmo_table`) and the registry
of every format by name that the command line chooses from
(:mod:`~changemodel.outputs.registry`). Only the command line is above it.
"""

from __future__ import annotations

__all__: list[str] = []
