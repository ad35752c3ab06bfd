"""Analysis for evaluators: questions asked of a change model.

One module per question: :mod:`~changemodel.analysis.pathways`,
:mod:`~changemodel.analysis.explain`, :mod:`~changemodel.analysis.mediation`,
:mod:`~changemodel.analysis.cmo`, :mod:`~changemodel.analysis.hypotheses`,
:mod:`~changemodel.analysis.plan`, :mod:`~changemodel.analysis.causal`,
:mod:`~changemodel.analysis.compose` and :mod:`~changemodel.analysis.diff`.
The most used functions are importable from here. Nothing here reads or
writes files.
"""

from __future__ import annotations

from changemodel.analysis.causal import CausalView, causal_view, d_separated
from changemodel.analysis.cmo import configurations, from_configurations
from changemodel.analysis.compose import (
    SubTheory,
    find_conflicts,
    instantiate,
    merge,
    provenance,
)
from changemodel.analysis.diff import ModelDiff, apply, diff
from changemodel.analysis.explain import Explanation, explain
from changemodel.analysis.hypotheses import (
    configuration_hypotheses,
    evaluation_hypotheses,
    iter_hypotheses,
)
from changemodel.analysis.mediation import (
    assumption_load,
    mediators,
    moderators,
    single_points_of_failure,
)
from changemodel.analysis.pathways import (
    Pathway,
    count_pathways,
    iter_pathways,
    most_confident_pathway,
    pathway_elements,
)
from changemodel.analysis.plan import EvaluationPlan, evaluation_plan

__all__ = [
    "CausalView",
    "EvaluationPlan",
    "Explanation",
    "ModelDiff",
    "Pathway",
    "SubTheory",
    "apply",
    "assumption_load",
    "causal_view",
    "configuration_hypotheses",
    "configurations",
    "count_pathways",
    "d_separated",
    "diff",
    "evaluation_hypotheses",
    "evaluation_plan",
    "explain",
    "find_conflicts",
    "from_configurations",
    "instantiate",
    "iter_hypotheses",
    "iter_pathways",
    "mediators",
    "merge",
    "moderators",
    "most_confident_pathway",
    "pathway_elements",
    "provenance",
    "single_points_of_failure",
]
