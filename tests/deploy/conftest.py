"""The deploy tests use the sandbox tests' fixtures: one sandbox per test session, clients per
account (defined in tests/sandbox/conftest.py, which also holds ``--sandbox-unpatched``)."""

from __future__ import annotations

from tests.sandbox.conftest import (
    ACCOUNT_B,
    Clients,
    _private_state_dir,
    aws,
    sandbox,
    unpatched,
)

__all__ = ["ACCOUNT_B", "Clients", "_private_state_dir", "aws", "sandbox", "unpatched"]
