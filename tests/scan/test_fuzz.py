"""Fuzzing `vpcwire scan`: mutated HCL and plan JSON scan, or fail located -- never crash.

A few dozen cases per run, a few seconds (set VPCWIRE_SCAN_FUZZ=N for N cases of each kind;
``benchmarks/fuzz_scan.py`` runs thousands and prints figures). Each case is checked by
``fuzz_cases.run_case``: exit 0, 1 or 2, never an internal error or a traceback, an exit 2
located at a file and line, within a generous time and memory bound (a hang guard, not a
timing assertion). A crash found here gets a regression test in ``test_bad_input.py``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, given, settings

from tests.scan.fuzz_cases import Case, hcl_cases, plan_cases, run_case

FUZZ = settings(
    max_examples=int(os.environ.get("VPCWIRE_SCAN_FUZZ", "8")),
    deadline=None,
    database=None,
    # no shrinking: a failing case is reported as drawn (fuzz_cases.Case.describe says it
    # plainly), where shrinking a scan case would take minutes of the suite
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(hcl_cases())
def test_mutated_hcl_scans_or_fails_located(case: Case) -> None:
    run_case(case)


@FUZZ
@given(plan_cases())
def test_mutated_plan_json_scans_or_fails_located(case: Case) -> None:
    run_case(case)
