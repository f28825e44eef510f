"""Fuzzing the loader and planner: every spec plans, or fails with located problems and fixes.

A few hundred cases per run (``benchmarks/fuzz_spec.py`` runs 10,000 and prints figures).
A crash found here gets a regression test in ``test_hardening.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.spec.fuzz_cases import mutated_texts, run_case, structured_texts

# Generous: a case normally takes a few milliseconds; this catches a hang, not a slow CI.
MAX_SECONDS = 5.0

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.slow
@FUZZ
@given(structured_texts())
def test_structured_specs_plan_or_fail_located(text: str) -> None:
    """Specs that plan are also rendered and priced: those commands consume any plan."""
    assert run_case(text, downstream=True).seconds < MAX_SECONDS


@pytest.mark.slow
@FUZZ
@given(mutated_texts())
def test_mutated_yaml_plans_or_fails_located(text: str) -> None:
    assert run_case(text).seconds < MAX_SECONDS
