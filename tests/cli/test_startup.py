"""Start-up cost: commands that print help, the version, the schema or the rules must not
import the pipeline. Each heavy module below costs tens to hundreds of milliseconds on every
invocation, so a stray top-level import is a regression this test names."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "boto3",
    "botocore",
    "moto",
    "pydantic",
    "vpcwire.spec.models",
    "vpcwire.plan.plan",
    "vpcwire.verify.engine",
    "vpcwire.deploy.stack",
    "vpcwire.render",
)

PROBE = """
import json, sys
from vpcwire.cli import main
sys.argv = ["vpcwire", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
print("\\nMODULES=" + json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported_by(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    line = proc.stderr.rsplit("MODULES=", 1)[1]
    return set(json.loads(line))


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--version"]])
def test_help_and_version_import_nothing_heavy(args: list[str]) -> None:
    modules = imported_by(*args)
    assert "vpcwire.cli" in modules  # the probe really ran the CLI
    assert sorted(m for m in HEAVY if m in modules) == []


def test_command_help_imports_none_of_ours() -> None:
    # typer itself imports pydantic (its parameter adapters) to show a command's help: 17 ms
    # that are not ours to save; our own models, engine and AWS clients stay out.
    modules = imported_by("plan", "--help")
    assert "vpcwire.cli" in modules
    assert sorted(m for m in HEAVY if m in modules and m != "pydantic") == []


def test_rules_imports_no_aws_client_and_no_engine() -> None:
    modules = imported_by("rules")
    assert "vpcwire.rules" in modules
    assert sorted(m for m in ("boto3", "moto", "vpcwire.verify.engine") if m in modules) == []


def test_the_probe_sees_heavy_imports_when_a_command_needs_them(tmp_path: object) -> None:
    # guards the test above against a probe that could never see an import
    modules = imported_by("schema")
    assert "pydantic" in modules and "vpcwire.spec.models" in modules


def test_import_vpcwire_is_lazy_but_complete() -> None:
    code = (
        "import sys, vpcwire; before = 'vpcwire.plan.plan' in sys.modules; "
        "import vpcwire.plan.plan, vpcwire.render; "
        "print(before, callable(vpcwire.plan), callable(vpcwire.render), "
        "vpcwire.plan.__module__, vpcwire.render.__module__)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert proc.stdout.split() == ["False", "True", "True", "vpcwire.pipeline", "vpcwire.render"]


def test_plan_imports_no_aws_client_and_no_engine() -> None:
    from tests.conftest import EXAMPLES

    modules = imported_by("plan", str(EXAMPLES / "privatelink.yaml"))
    assert "vpcwire.plan.plan" in modules
    unwanted = ("boto3", "botocore", "moto", "vpcwire.verify.engine", "vpcwire.deploy.stack")
    assert sorted(m for m in unwanted if m in modules) == []


def test_known_regions_are_botocores_ec2_regions() -> None:
    # read from botocore's data file without importing botocore: must be the same set
    import botocore.session

    from vpcwire.spec.models import known_regions

    session = botocore.session.get_session()
    expected = {
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions("ec2", partition_name=partition)
    }
    assert set(known_regions()) == expected
