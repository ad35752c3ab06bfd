"""Analysis for evaluators: questions asked of a change model.

One module per question: :mod:`~changemodel.analysis.pathways`,
:mod:`~changemodel.analysis.explain`, :mod:`~changemodel.analysis.mediation`,
:mod:`~changemodel.analysis.cmo`, :mod:`~changemodel.analysis.hypotheses`,
:mod:`~changemodel.analysis.plan`, :mod:`~changemodel.analysis.causal`,
:mod:`~changemodel.analysis.compose` and :mod:`~changemodel.analysis.diff`.
Nothing here reads or writes files.
"""
