"""What the patches share: constants, argument binding, bookkeeping, ENI handling."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any

# AWS's status message for a peering that cannot be set up (overlapping CIDRs among others).
PEERING_FAILED_MESSAGE = "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range"
IMPLICIT_DENY_RULE = 32767


def _replace(owner: object, name: str, new: Callable[..., Any]) -> None:
    """Put `new` in place of `owner.name` (class or module attribute), keeping name and doc."""
    functools.update_wrapper(new, getattr(owner, name))
    setattr(owner, name, new)


def _bind(func: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The arguments of a call to `func` by parameter name (moto calls its models both ways)."""
    bound = inspect.signature(func).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


def _extra(obj: object) -> dict[str, Any]:
    """The bookkeeping the patches keep on one moto object, under a single attribute."""
    store: dict[str, Any] = vars(obj).setdefault("_vpcwire", {})
    return store


def _random_hex(length: int) -> str:
    from moto.moto_api._internal import mock_random

    return str(mock_random.get_random_hex(length=length))


def _claim_address(subnet: Any, wanted: str | None = None) -> str:
    """Reserve `wanted`, or the subnet's next free address, the way instance launches do."""
    if wanted is None:
        return str(subnet.get_available_subnet_ip(instance=None))
    subnet.request_ip(wanted, instance=None)
    return wanted


def _set_primary_address(eni: Any, address: str) -> None:
    """Give an ENI a new primary private address (moto chose a random 10.x one)."""
    from moto.ec2.utils import generate_dns_from_ip

    eni.private_ip_address = address
    entry: dict[str, Any] = {"Primary": True, "PrivateIpAddress": address}
    if getattr(eni, "private_dns_name", None):
        eni.private_dns_name = generate_dns_from_ip(address)
        entry["PrivateDnsName"] = eni.private_dns_name
    eni.private_ip_addresses = [entry]


def _make_managed(
    eni: Any, *, description: str, interface_type: str, groups: Iterable[Any], requester: str = ""
) -> None:
    """Dress an ENI as one AWS creates on a service's behalf (requester-managed, in use)."""
    eni.description = description
    eni.interface_type = interface_type
    eni.requester_managed = True
    if requester:
        eni.requester_id = requester
    eni.status = "in-use"
    eni._group_set = list(groups)
    _extra(eni)["managed"] = True


def _delete_eni(ec2_backend: Any, eni: Any) -> None:
    """Remove an ENI and give its addresses back to the subnet."""
    ec2_backend.enis.pop(eni.id, None)
    for entry in eni.private_ip_addresses:
        eni.subnet.del_subnet_ip(entry["PrivateIpAddress"])


def _groups(ec2_backend: Any, group_ids: Iterable[str]) -> list[Any]:
    found = (ec2_backend.get_security_group_from_id(group_id) for group_id in group_ids)
    return [group for group in found if group is not None]
