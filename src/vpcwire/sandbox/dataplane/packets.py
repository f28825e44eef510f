"""Probes: real packets from a source namespace — TCP connect and a request, UDP echo,
ICMP echo — and what happened to them.

A probe is *reachable* only when an answer comes back (a TCP connection that carries a
request and its response, a UDP reply, an ICMP echo reply). A refused connection, a
timeout or a local "no route" is *unreachable*, with the detail saying which.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import struct
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from ipaddress import IPv4Address

from vpcwire.errors import UsageError
from vpcwire.network import Network
from vpcwire.sandbox.dataplane.layout import Layout
from vpcwire.sandbox.dataplane.responders import Responders
from vpcwire.sandbox.dataplane.slots import Slot
from vpcwire.sandbox.dataplane.system import socket_in
from vpcwire.verify.flow import Flow
from vpcwire.verify.resolve import Destination, resolve_destination, resolve_source

__all__ = [
    "ANSWER_WIDTH",
    "PROBE_TIMEOUT_S",
    "PacketResult",
    "clip",
    "entries_of",
    "probe_flows",
    "target_of",
]

PROBE_TIMEOUT_S = 1.0
REQUEST = b"GET / HTTP/1.0\r\nHost: vpcwire-probe\r\n\r\n"
RESPONDER = "vpcwire responder"


@dataclass(frozen=True, slots=True)
class PacketResult:
    flow: Flow
    reached: bool | None  # None: could not be tried (said in detail)
    detail: str
    source_ns: str = ""
    address: str = ""
    # The destination lies beyond the data plane (the internet, an AWS service's prefix
    # list, a public address): gateways are not emulated as real egress (no packet may leave
    # the namespaces), so only the engine judges such a flow.
    outside: bool = False
    # An endpoint or NLB destination is tried through each of its ENIs (endpoint ENIs, NLB
    # nodes): a client resolving its DNS name may use any of them. (slot id, reached) each;
    # ``reached`` is then True only when every one carried the flow.
    entries: tuple[tuple[str, bool], ...] = ()

    @property
    def partial(self) -> bool:
        """Some entry ENIs carried the flow and others did not: on AWS some connections
        work and others fail, depending on the address the client's DNS answer gave."""
        return len({r for _, r in self.entries}) > 1

    @property
    def word(self) -> str:
        if self.outside:
            return "not emulated"
        if self.reached is None:
            return "not tried"
        if self.partial:
            return "partial"
        return "reachable" if self.reached else "unreachable"

    def to_dict(self) -> dict[str, object]:
        return {
            "reached": self.reached,
            "result": self.word,
            "detail": self.detail,
            "namespace": self.source_ns,
            "address": self.address,
            "outside": self.outside,
            "entries": [{"interface": e, "reached": r} for e, r in self.entries],
        }


def target_of(network: Network, layout: Layout, flow: Flow) -> tuple[str, str, str] | str:
    """(source namespace, destination address, the destination's responder label — empty
    when any answer counts), or why the probe cannot be sent."""
    try:
        eni = resolve_source(network, flow.source)
        dest = resolve_destination(network, flow.destination)
    except UsageError as exc:
        return str(exc)
    if _beyond_the_data_plane(dest):
        return OUTSIDE
    ns = layout.namespace_of.get(eni.id)
    if ns is None:
        return f"{flow.source} has no namespace (not running, or no address)"
    src_subnet = network.subnets.get(eni.subnet)
    if dest.kind == "address":
        return ns, dest.id, ""
    if dest.kind == "interface":
        slot = layout.slots.get(dest.id)
        if slot is None:
            target_eni = network.interfaces.get(dest.id)
            if target_eni is None or target_eni.private_ip is None:
                return f"{flow.destination} has no address"
            return ns, str(target_eni.private_ip), ""
        return ns, str(slot.address), slot.label
    pool = layout.endpoint_slots if dest.kind == "endpoint" else layout.node_slots
    ids = list(pool.get(dest.id, ()))
    if dest.only and dest.only in ids:
        ids = [dest.only]
    if not ids:
        return f"{flow.destination} has no interface in the data plane"
    slots = [layout.slots[i] for i in ids]
    az = src_subnet.az if src_subnet else ""
    slots.sort(key=lambda s: network.subnets[s.subnet].az != az)
    return ns, str(slots[0].address), ""


def entries_of(network: Network, layout: Layout, flow: Flow) -> list[tuple[str, str]]:
    """(slot id, address) of every ENI through which a flow to an endpoint or NLB can
    enter — the client's AZ first — or [] for any other destination (or one ENI named)."""
    try:
        dest = resolve_destination(network, flow.destination)
        eni = resolve_source(network, flow.source)
    except UsageError:
        return []
    if dest.kind not in ("endpoint", "load_balancer") or dest.only:
        return []
    pool = layout.endpoint_slots if dest.kind == "endpoint" else layout.node_slots
    slots = [layout.slots[i] for i in pool.get(dest.id, ())]
    src_subnet = network.subnets.get(eni.subnet)
    az = src_subnet.az if src_subnet else ""
    slots.sort(key=lambda s: network.subnets[s.subnet].az != az)
    return [(s.id, str(s.address)) for s in slots]


def probe_flows(
    network: Network,
    layout: Layout,
    flows: Sequence[Flow],
    *,
    timeout: float = PROBE_TIMEOUT_S,
    responders: bool = True,
) -> list[PacketResult]:
    """Send every flow's packets at once (a thread each) and report what came back."""
    wanted: set[tuple[str, str, int, str]] = set()
    if responders:
        ports = {(f.protocol, f.port) for f in flows if f.protocol != "icmp"}
        for group in network.target_groups.values():
            for t in group.targets:
                for proto in ("tcp", "udp"):
                    ports.add((proto, t.port or group.port))
        for slot in layout.slots.values():
            if slot.role in ("instance", "interface"):
                ns = layout.namespace_of[slot.id]
                for proto, port in ports:
                    wanted.add((ns, proto, port, slot.label))
    with Responders(wanted), ThreadPoolExecutor(max_workers=64) as pool:
        return list(pool.map(lambda f: _probe(network, layout, f, timeout), flows))


OUTSIDE = (
    "beyond the sandbox data plane: internet and AWS-service destinations are not emulated "
    "(no packet leaves the namespaces); the engine's verdict stands alone"
)


def _beyond_the_data_plane(dest: Destination) -> bool:
    """The internet, an AWS service, or a public address: nothing in the namespaces answers
    for them, by design (see docs/sandbox.md)."""
    if dest.kind in ("internet", "service"):
        return True
    if dest.kind == "address":
        try:
            return ipaddress.ip_address(dest.id).is_global
        except ValueError:
            return False
    return False


def _probe(network: Network, layout: Layout, flow: Flow, timeout: float) -> PacketResult:
    where = target_of(network, layout, flow)
    if where == OUTSIDE:
        return PacketResult(flow, None, OUTSIDE, outside=True)
    if isinstance(where, str):
        return PacketResult(flow, False, where)
    ns, address, expected = where
    if flow.protocol == "icmp" and flow.port != 8:
        return PacketResult(
            flow, None, f"ICMP type {flow.port}: only echo (8) is sent", ns, address
        )
    entries = entries_of(network, layout, flow)
    source = layout.slots.get(resolve_source(network, flow.source).id)

    def attempt(entry: tuple[str, str]) -> tuple[bool, str]:
        twin = _shadow(layout, source, entry[1], layout.slots[entry[0]].label)
        return (False, twin) if twin else _send(flow, ns, entry[1], expected, timeout)

    if len(entries) == 1:
        reached, detail = attempt(entries[0])
        return PacketResult(flow, reached, detail, ns, entries[0][1])
    if len(entries) > 1:
        with ThreadPoolExecutor(max_workers=len(entries)) as pool:
            tried = list(pool.map(attempt, entries))
        reached_all = all(r for r, _ in tried)
        if len({r for r, _ in tried}) == 1:
            detail = tried[0][1]
        else:
            detail = "partial: " + "; ".join(
                f"{'reached' if r else 'not reached'} via {a} ({d})"
                for (_, a), (r, d) in zip(entries, tried, strict=True)
            )
        marks = tuple((e, r) for (e, _), (r, _) in zip(entries, tried, strict=True))
        return PacketResult(flow, reached_all, detail, ns, entries[0][1], entries=marks)
    twin = _shadow(layout, source, address, expected)
    if twin:
        return PacketResult(flow, False, twin, ns, address)
    reached, detail = _send(flow, ns, address, expected, timeout)
    return PacketResult(flow, reached, detail, ns, address)


def _shadow(layout: Layout, source: Slot | None, address: str, target: str) -> str:
    """Why a packet from ``source`` to ``address`` reaches another interface than
    ``target`` (a label): one of the source's own VPC (the source itself included) holds
    the same address, and the VPC's local route wins (overlapping CIDRs). Empty when none
    does, or when any answer counts (no ``target``).

    Judged from the layout, before anything is sent, for every protocol: who answers
    cannot say it. A responder names itself, but a real service (the workload's API that
    `up` starts) answers in its own words, and an ICMP reply names nobody; `up` of
    examples/cross-account.yaml (two VPCs of 10.0.0.0/16) once counted api_1's own API,
    answering a packet api_1 sent to its own address, as consumer_client_1 reached."""
    if source is None or not target:
        return ""
    for slot in layout.slots.values():
        if slot.vpc == source.vpc and str(slot.address) == address and slot.label != target:
            return (
                f"{address} is {slot.label} in the source's own VPC (overlapping CIDRs: "
                f"the local route wins), not {target}"
            )
    return ""


def _send(flow: Flow, ns: str, address: str, expected: str, timeout: float) -> tuple[bool, str]:
    """One try of ``flow`` from ``ns`` to ``address``: (answered, what happened)."""
    try:
        if flow.protocol == "tcp":
            reached, detail = _tcp(ns, address, flow.port, timeout)
        elif flow.protocol == "udp":
            reached, detail = _udp(ns, address, flow.port, timeout)
        elif flow.port == 8:
            reached, detail = _icmp(ns, address, timeout)
        else:
            return False, f"ICMP type {flow.port}: only echo (8) is sent"
    except OSError as exc:
        reached, detail = False, f"{exc.strerror or exc}"
    if reached and expected and RESPONDER in detail:
        other = detail.split(RESPONDER, 1)[1].split(":")[0].strip()
        if other != expected:
            # Another host at the same address answered (a case _shadow does not foresee).
            detail = f"answered by {other}, another host at {address}, not {expected}"
            reached = False
    return reached, detail


def _tcp(ns: str, address: str, port: int, timeout: float) -> tuple[bool, str]:
    sock = socket_in(ns)
    with sock:
        sock.settimeout(timeout)
        try:
            sock.connect((address, port))
        except ConnectionRefusedError:
            return False, "connection refused (RST)"
        except TimeoutError:
            return False, f"no answer to SYN in {timeout:g}s"
        sock.sendall(REQUEST)
        try:
            reply = read_answer(sock)
        except TimeoutError:
            return False, "connected, but no response to the request"
        if not reply:
            return False, "connected, closed without a response"
        first = reply.split(b"\r\n\r\n", 1)[-1].decode(errors="replace")
        return True, f"connected, answered: {clip(first)}"


ANSWER_WIDTH = 80


def clip(text: str, width: int = ANSWER_WIDTH) -> str:
    """An answer on one line of at most ``width`` characters, cut at a word boundary and
    ended with an ellipsis when it is longer (never mid-word: a cut token such as
    ``"u`` reads like a broken answer). A single word longer than ``width`` is cut."""
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    head = line[: width - 1]
    if line[width - 1] != " " and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip() + "…"


def read_answer(sock: socket.socket, limit: int = 65536) -> bytes:
    """What the destination answered: its first bytes, and for an HTTP answer whose body
    has not come yet, more until the body starts, the server closes, the socket's timeout
    ends or ``limit`` bytes arrived. An HTTP server may write its headers and its body in
    separate sends (Python's http.server, which the rendered service uses, does), and the
    body is the API's answer the user wants to see. A TimeoutError before any byte is the
    caller's to report."""
    reply = sock.recv(4096)
    while reply.startswith(b"HTTP/") and len(reply) < limit:
        _, blank, body = reply.partition(b"\r\n\r\n")
        if blank and body.strip():
            break
        try:
            more = sock.recv(4096)
        except TimeoutError:
            break
        if not more:
            break
        reply += more
    return reply


def _udp(ns: str, address: str, port: int, timeout: float) -> tuple[bool, str]:
    sock = socket_in(ns, socket.SOCK_DGRAM)
    with sock:
        sock.settimeout(timeout)
        sock.connect((address, port))
        sock.send(b"vpcwire-probe")
        try:
            reply = sock.recv(2048)
        except TimeoutError:
            return False, f"no UDP reply in {timeout:g}s"
        except ConnectionRefusedError:
            return False, "ICMP port unreachable"
        return True, f"UDP reply: {clip(reply.decode(errors='replace'))}"


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def _icmp(ns: str, address: str, timeout: float) -> tuple[bool, str]:
    ident = (os.getpid() ^ int.from_bytes(os.urandom(2), "big")) & 0xFFFF
    header = struct.pack("!BBHHH", 8, 0, 0, ident, 1)
    payload = b"vpcwire-probe"
    packet = struct.pack("!BBHHH", 8, 0, _checksum(header + payload), ident, 1) + payload
    sock = socket_in(ns, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    with sock:
        sock.sendto(packet, (address, 0))
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            try:
                data, peer = sock.recvfrom(2048)
            except TimeoutError:
                break
            ihl = (data[0] & 0x0F) * 4
            kind, _, _, rid, _ = struct.unpack("!BBHHH", data[ihl : ihl + 8])
            if kind == 0 and rid == ident and IPv4Address(peer[0]) == IPv4Address(address):
                return True, "echo reply"
        return False, f"no echo reply in {timeout:g}s"
