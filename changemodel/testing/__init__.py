"""Test support for users and for this project: model generators and Hypothesis strategies.

:mod:`changemodel.testing.generate` builds large deterministic models (no extra
dependencies); :mod:`changemodel.testing.strategies` needs Hypothesis
(``pip install changemodel[testing]``).
"""
