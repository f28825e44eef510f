"""The sandbox's fixed names: where it listens, its default account and region, and the
placeholder keys an ungated in-process sandbox accepts.

A module of their own so that the background launcher and the client helpers can both use
them without importing each other (the clients ask the launcher for a running sandbox's keys).
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "LOOPBACK",
    "SANDBOX_ACCESS_KEY_ID",
    "SANDBOX_SECRET_ACCESS_KEY",
]

LOOPBACK = "127.0.0.1"
DEFAULT_ACCOUNT_ID = "123456789012"  # moto's account for credentials it did not issue
DEFAULT_REGION = "us-east-1"
# Credentials for the sandbox only: obviously fake, so they are harmless wherever they leak.
SANDBOX_ACCESS_KEY_ID = "vpcwire-sandbox"
SANDBOX_SECRET_ACCESS_KEY = "vpcwire-sandbox-not-a-secret"
