"""Which accounts and regions of the sandbox hold resources: `GET /vpcwire/holdings`.

moto keeps one state per (account, region), and nothing in the EC2 API lists accounts: a
reader that does not know which accounts exist can only guess. `vpcwire check --sandbox`
must answer about everything `vpcwire up` made (the README's example spans two accounts'
worth of roles and two regions), so the sandbox itself says where its non-default VPCs are.
Served by the sandbox process (it reads moto's in-memory backends), behind its gate.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["HOLDINGS_PATH", "InventoryRoute", "holdings"]

HOLDINGS_PATH = "/vpcwire/holdings"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def holdings() -> list[tuple[str, str]]:
    """(account, region) pairs that hold at least one non-default VPC, sorted.

    Iterates moto's backend dictionaries with `dict` methods: their own `__getitem__`
    would create a backend for every account and region it is asked about.
    """
    from moto.ec2.models import ec2_backends

    found: set[tuple[str, str]] = set()
    for account, regions in list(dict.items(ec2_backends)):
        for region, backend in list(dict.items(regions)):
            vpcs = list(getattr(backend, "vpcs", {}).values())
            if any(not getattr(vpc, "is_default", False) for vpc in vpcs):
                found.add((account, region))
    return sorted(found)


class InventoryRoute:
    """WSGI middleware answering HOLDINGS_PATH; every other request goes to moto."""

    def __init__(self, app: WsgiApp) -> None:
        self._app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != HOLDINGS_PATH:
            return self._app(environ, start_response)
        body = json.dumps(
            {"holdings": [{"account": a, "region": r} for a, r in holdings()]}
        ).encode()
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]
