"""Engine bugs the packet data plane found (benchmarks/dataplane_agreement.py), one case each.

The kernel was right in each: these pin the engine's corrected verdict on a hand-built
network, so they run without the data plane.
"""

from __future__ import annotations

from vpcwire.verify import Disposition, Engine, Flow

from .scenarios import peered


def test_an_instance_reaches_its_own_address_over_loopback() -> None:
    # Found: engine UNREACHABLE (SG_INGRESS_DENIED), packets reachable. A host sending to its
    # own private address never puts the packet on the ENI: no SG, ACL or route applies.
    net = peered()
    net.set_rules("sg-client", ingress=(), egress=())
    result = Engine(net.build()).trace(Flow("client", "client", "tcp", 22))
    assert result.disposition is Disposition.REACHABLE
    assert "loopback" in str(result)
    # ...and only the very same interface: another host in the subnet is still filtered.
    other = Engine(net.build()).trace(Flow("api", "client", "tcp", 22))
    assert other.disposition is Disposition.UNREACHABLE
