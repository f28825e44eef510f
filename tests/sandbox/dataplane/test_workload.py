"""Starting the workload: the services listen before anything probes their ports.

A probe opens responders on every port nothing listens on yet; a service that starts
after them finds its port taken and exits, and the probe and `sandbox exec` then meet a
responder or nothing. So start_workload waits until each service listens on the ports
its rendered script says it serves.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

from tests.verify import scenarios
from vpcwire.sandbox.dataplane import materialise
from vpcwire.sandbox.dataplane.system import socket_in
from vpcwire.sandbox.dataplane.workload import listening, served_ports, wait_listening

TEMPLATE = Path(__file__).parents[3] / "src/vpcwire/render/templates/service.sh.tftpl"


def _rendered_header(service: str, protocols: list[str], ports: list[int]) -> str:
    """The template's first lines as terraform's templatefile renders them."""
    head = "\n".join(TEMPLATE.read_text().splitlines()[:3])
    head = head.replace("${service}", service)
    head = head.replace('${join("/", protocols)}', "/".join(protocols))
    head = head.replace('${join(", ", ports)}', ", ".join(str(p) for p in ports))
    assert not re.search(r"\$\{", head.splitlines()[1]), head  # every placeholder filled
    return head


def test_the_ports_a_rendered_service_serves_are_read_from_its_script() -> None:
    assert served_ports(_rendered_header("api", ["tcp"], [8080])) == {("tcp", 8080)}
    both = served_ports(_rendered_header("dns", ["tcp", "udp"], [53, 5353]))
    assert both == {("tcp", 53), ("udp", 53), ("tcp", 5353), ("udp", 5353)}
    assert served_ports("#!/bin/bash\necho another script\n") == frozenset()


def test_waiting_ends_when_the_service_listens_and_names_who_never_did(plane_dir: Path) -> None:
    plane = materialise(scenarios.peered().build(), plane_dir, imds=False)
    box = next(b for b in plane.layout.boxes if b.role == "instance")
    assert ("tcp", 8080) not in listening(box.name)
    assert wait_listening({box.name: frozenset({("tcp", 8080)})}, timeout=0.3) == [box.name]
    tcp = socket_in(box.name)
    udp = socket_in(box.name, socket.SOCK_DGRAM)
    with tcp, udp:
        tcp.bind(("0.0.0.0", 8080))
        tcp.listen(1)
        udp.bind(("0.0.0.0", 8080))
        assert {("tcp", 8080), ("udp", 8080)} <= listening(box.name)
        wanted = frozenset({("tcp", 8080), ("udp", 8080)})
        assert wait_listening({box.name: wanted}, timeout=5) == []
        # a socket in another namespace does not count
        other = next(b for b in plane.layout.boxes if b.role == "instance" and b != box)
        assert ("tcp", 8080) not in listening(other.name)
