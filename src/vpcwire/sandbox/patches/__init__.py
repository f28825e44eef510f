"""Small, documented corrections that make moto 5.2.1 answer like AWS for what vpcwire deploys.

The sandbox (`vpcwire.sandbox.server`) runs moto's server in-process. Where moto differs from
AWS in a way that breaks a Terraform apply → re-plan → destroy cycle, or that would make the
live reader see a network AWS would never build, one function in this package corrects it
(one module per area: instances, interfaces, load_balancers, network, placement,
privatelink, transit_gateway, resource_shares). Each
docstring has three parts:

    AWS:    what AWS does,
    moto:   what moto 5.2.1 does instead,
    patch:  what the patch changes.

The patches replace methods of moto's model and response classes, so they depend on moto's
internals: `apply_patches` refuses any moto but the pinned version (SandboxError) rather
than mis-patch silently. Every patch has a `test_aws_*` test in
tests/sandbox/test_sandbox_patches.py that fails on plain moto; docs/sandbox.md lists them, and
the deviations deliberately left alone.

moto keeps its state in module globals, so the patches are process-wide and applied once.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass

import moto

from vpcwire.errors import SandboxError
from vpcwire.sandbox.patches._helpers import IMPLICIT_DENY_RULE, PEERING_FAILED_MESSAGE
from vpcwire.sandbox.patches.instances import (
    instance_addresses_released_on_termination,
    instance_security_groups,
    instance_user_data_update,
)
from vpcwire.sandbox.patches.interfaces import (
    endpoint_network_interfaces,
    nat_gateway_network_interfaces,
)
from vpcwire.sandbox.patches.load_balancers import (
    load_balancer_ip_targets,
    network_load_balancers,
)
from vpcwire.sandbox.patches.network import (
    network_acl_implicit_deny,
    peering_overlap_fails,
    route_inside_vpc_refused,
    security_group_rule_descriptions,
)
from vpcwire.sandbox.patches.placement import endpoint_dns_names, subnet_zone_in_region
from vpcwire.sandbox.patches.privatelink import (
    endpoint_connections_api,
    endpoint_service_access,
    endpoint_service_permission_ids,
    endpoint_service_region,
)
from vpcwire.sandbox.patches.resource_shares import ram_share_lifecycle, tgw_shared_attachments
from vpcwire.sandbox.patches.transit_gateway import (
    tgw_attachment_kinds,
    tgw_attachment_tags,
    tgw_default_route_tables,
    tgw_deletion,
    tgw_route_table_associations,
    tgw_route_table_propagations,
    tgw_search_routes,
    tgw_static_route_targets,
)

__all__ = [
    "IMPLICIT_DENY_RULE",
    "PATCHES",
    "PEERING_FAILED_MESSAGE",
    "PINNED_MOTO_VERSION",
    "Patch",
    "apply_patches",
    "check_moto_version",
    "patches_applied",
]

PINNED_MOTO_VERSION = "5.2.1"


_lock = threading.Lock()
_applied = False


@dataclass(frozen=True, slots=True)
class Patch:
    """One correction: a name (used in docs and tests) and the function that installs it."""

    name: str
    install: Callable[[], None]

    @property
    def summary(self) -> str:
        doc = inspect.getdoc(self.install) or ""
        return doc.splitlines()[0] if doc else ""


def check_moto_version(version: str | None = None) -> None:
    """Raise SandboxError unless moto is the version the patches were written and tested for."""
    found = moto.__version__ if version is None else version
    if found != PINNED_MOTO_VERSION:
        raise SandboxError(
            f"the sandbox needs moto {PINNED_MOTO_VERSION}, found moto {found}",
            detail=(
                "vpcwire patches a few moto internals and tests them against one version; "
                f"install it with: pip install 'moto[server]=={PINNED_MOTO_VERSION}'"
            ),
        )


def apply_patches() -> None:
    """Install every patch once per process (later calls do nothing)."""
    global _applied
    with _lock:
        if _applied:
            return
        check_moto_version()
        for patch in PATCHES:
            patch.install()
        _applied = True


def patches_applied() -> bool:
    """Whether this process's moto is patched (patches cannot be taken back)."""
    return _applied


PATCHES: tuple[Patch, ...] = (
    Patch("security_group_rule_descriptions", security_group_rule_descriptions),
    Patch("instance_security_groups", instance_security_groups),
    Patch("instance_addresses_released_on_termination", instance_addresses_released_on_termination),
    Patch("instance_user_data_update", instance_user_data_update),
    Patch("endpoint_network_interfaces", endpoint_network_interfaces),
    Patch("nat_gateway_network_interfaces", nat_gateway_network_interfaces),
    Patch("network_load_balancers", network_load_balancers),
    Patch("load_balancer_ip_targets", load_balancer_ip_targets),
    Patch("network_acl_implicit_deny", network_acl_implicit_deny),
    Patch("peering_overlap_fails", peering_overlap_fails),
    Patch("route_inside_vpc_refused", route_inside_vpc_refused),
    Patch("endpoint_service_permission_ids", endpoint_service_permission_ids),
    Patch("endpoint_service_region", endpoint_service_region),
    # after endpoint_service_region: it wraps that wrapper, so it refuses before anything exists
    Patch("endpoint_service_access", endpoint_service_access),
    Patch("endpoint_connections_api", endpoint_connections_api),
    Patch("subnet_zone_in_region", subnet_zone_in_region),
    Patch("tgw_default_route_tables", tgw_default_route_tables),
    Patch("tgw_route_table_associations", tgw_route_table_associations),
    Patch("tgw_route_table_propagations", tgw_route_table_propagations),
    Patch("tgw_deletion", tgw_deletion),
    Patch("tgw_static_route_targets", tgw_static_route_targets),
    Patch("tgw_search_routes", tgw_search_routes),
    Patch("tgw_attachment_tags", tgw_attachment_tags),
    Patch("tgw_attachment_kinds", tgw_attachment_kinds),
    Patch("ram_share_lifecycle", ram_share_lifecycle),
    # after the TGW patches: it wraps their create_transit_gateway_vpc_attachment
    Patch("tgw_shared_attachments", tgw_shared_attachments),
    # last: it rewrites what the other create_vpc_endpoint wrappers return
    Patch("endpoint_dns_names", endpoint_dns_names),
)
