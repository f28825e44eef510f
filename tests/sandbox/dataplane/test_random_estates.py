"""Property: on random estates built in the sandbox with boto3, the engine agrees with the
kernel for every flow (see estates.py for what varies). A few dozen estates here; the
long run is benchmarks/dataplane_agreement.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from vpcwire.sandbox.dataplane import sandbox_id, teardown
from vpcwire.sandbox.dataplane.system import list_namespaces
from vpcwire.sandbox.server import Sandbox

from .estates import Recipe, build, judge, recipes
from .helpers import disagreements

# slow: among the longest tests of the run, so it starts first
pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with Sandbox() as sandbox:
        yield sandbox.endpoint_url


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("plane")
    yield home
    teardown(home)
    assert list_namespaces(f"vw{sandbox_id(home)}-") == []


@settings(
    max_examples=24,
    deadline=None,
    # No shrinking: each estate costs seconds, and the failing recipe prints in full anyway.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(recipe=recipes())
def test_engine_agrees_with_packets_on_random_estates(
    url: str, state: Path, recipe: Recipe
) -> None:
    try:
        _, found = judge(build(url, recipe), state)
        assert disagreements(found) == []
    finally:
        teardown(state)
