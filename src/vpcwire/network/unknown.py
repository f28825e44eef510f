"""Asking a Network "is this known?", the same way for every field of every resource.

A scanned network has parts nobody knows before apply (see
:class:`~vpcwire.network.model.UnknownValue`). Rules and the verifier must not build an
error or a failed intent on them: an error finding is a proof. These helpers are the one
way to ask, so that no rule has to know how the scan marks what it could not resolve.

Accounts are the one value with a stand-in that still means something: a provider whose
account the configuration does not say (no ``allowed_account_ids``, no ``assume_role``)
stands for an account written as a symbol naming that provider. Every resource created
through one provider shares its symbol, so *equal* accounts still prove "same account";
two *different* accounts, one of them a symbol, prove nothing (:func:`same_account`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from vpcwire.network.model import Resource, UnknownValue

if TYPE_CHECKING:
    from vpcwire.network.network import Network

__all__ = [
    "ACCOUNT_FIELDS",
    "account_known",
    "is_known",
    "resting_on",
    "same_account",
    "unknown_account",
    "unknown_fields",
    "unknowns_of",
]

_ACCOUNT = re.compile(r"\d{12}")
# Account fields hold a meaningful stand-in (equal symbols: one account), so a fact that
# only compares them for equality does not rest on them; rules that need an account's
# real value (a principal ARN) ask account_known / same_account themselves.
ACCOUNT_FIELDS = frozenset({"account", "requester_account", "accepter_account"})
# Fields that name another resource of the Network: what a resource's facts rest on too.
_REFERENCES = (
    "vpc",
    "subnet",
    "requester_vpc",
    "accepter_vpc",
    "load_balancer",
    "target_group",
    "interface",
)


def account_known(account: str) -> bool:
    """A real 12-digit account id, rather than a provider's stand-in."""
    return bool(_ACCOUNT.fullmatch(account))


def unknown_account(provider: str) -> str:
    """The stand-in account of a provider whose account the configuration does not say."""
    return f"(account of provider {provider})"


def same_account(a: str, b: str) -> bool | None:
    """True: provably one account; False: provably two; None: nobody can tell yet."""
    if a == b:
        return True
    if account_known(a) and account_known(b):
        return False
    return None


def unknown_fields(resource: Resource) -> frozenset[str]:
    return frozenset(u.field for u in resource.unknowns)


def is_known(resource: Resource, *fields: str) -> bool:
    """Are these fields of the resource known (with none named: is all of it known)?"""
    if not resource.unknowns:
        return True
    if not fields:
        return False
    return not unknown_fields(resource) & set(fields)


def unknowns_of(
    resource: Resource, fields: Iterable[str] | None = None
) -> tuple[UnknownValue, ...]:
    """The resource's unknowns, only those of ``fields`` when given."""
    if fields is None:
        return resource.unknowns
    wanted = set(fields)
    return tuple(u for u in resource.unknowns if u.field in wanted)


def _referenced(network: Network, resource: Resource) -> Iterator[Resource]:
    for name in _REFERENCES:
        value = getattr(resource, name, None)
        if isinstance(value, str):
            found = network.get(value)
            if found is not None:
                yield found


def resting_on(
    network: Network,
    resource_ids: Iterable[str],
    fields: Iterable[str] | None = None,
    *,
    ignore: frozenset[str] = frozenset(),
) -> list[UnknownValue]:
    """The unknowns a fact about these resources may rest on: their own and those of the
    resources they name directly (a subnet's VPC, a peering's two VPCs), limited to
    ``fields`` when the fact is known to read only those, and never ``ignore``."""
    wanted = None if fields is None else set(fields) - ignore
    out: dict[UnknownValue, None] = {}
    for rid in resource_ids:
        resource = network.get(rid)
        if resource is None:
            continue
        for r in (resource, *_referenced(network, resource)):
            for u in r.unknowns:
                if (wanted is None or u.field in wanted) and u.field not in ignore:
                    out.setdefault(u)
    return list(out)
