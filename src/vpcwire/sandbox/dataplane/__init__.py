"""The packet data plane: the sandbox's Network as Linux network namespaces + nftables.

    >>> plane = materialise(network, state_dir)        # namespaces, links, routes, rules
    >>> results = probe_flows(network, plane.layout, flows)   # real packets
    >>> teardown(state_dir)                              # nothing left behind

Only on Linux with CAP_NET_ADMIN and ``nft``; :func:`missing_requirements` says what is
missing elsewhere. See docs/sandbox.md for what is and is not emulated.
"""

from vpcwire.sandbox.dataplane.layout import Layout, build_layout
from vpcwire.sandbox.dataplane.materialise import DataPlane, materialise, require, teardown
from vpcwire.sandbox.dataplane.packets import PacketResult, probe_flows
from vpcwire.sandbox.dataplane.registry import Registry, sandbox_id
from vpcwire.sandbox.dataplane.system import DataPlaneUnavailable, missing_requirements

__all__ = [
    "DataPlane",
    "DataPlaneUnavailable",
    "Layout",
    "PacketResult",
    "Registry",
    "build_layout",
    "materialise",
    "missing_requirements",
    "probe_flows",
    "require",
    "sandbox_id",
    "teardown",
]
