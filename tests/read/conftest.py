"""Fixtures for the live reader: one sandbox per test session, and fresh accounts on it.

The server is the sandbox layer's ``Sandbox``. The reader must give the same answers with and
without the sandbox's moto patches, so assertions on what the patches change (ENI addresses,
NLB node ENIs, ICMP types of ACL entries) accept both; the hand-written responses of
test_mapping.py cover moto's unpatched shapes one by one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.read.helpers import Aws
from vpcwire.sandbox.server import Sandbox


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """The sandbox, patched as vpcwire runs it. VPCWIRE_READ_PLAIN_MOTO=1 serves plain moto
    instead (in a fresh process only: patches cannot be undone), to check that the reader
    copes with moto's unpatched answers too."""
    plain = os.environ.get("VPCWIRE_READ_PLAIN_MOTO") == "1"
    with Sandbox(patched=not plain) as sandbox:
        yield sandbox.endpoint_url


@pytest.fixture
def fresh(moto_url: str) -> Aws:
    return Aws.new(moto_url)


@pytest.fixture
def fresh2(moto_url: str) -> Aws:
    return Aws.new(moto_url)
