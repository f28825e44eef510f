"""Run the real, rendered workload: each instance's user_data inside its namespace.

The scripts are written for Amazon Linux (systemd, dnf, /usr/local/bin, /dev/console).
They run here unchanged, but isolated: inside the instance's network namespace and a
private mount namespace where ``/usr/local/bin``, ``/etc/systemd/system``, ``/opt``,
``/var/log`` and ``/dev/console`` are bind mounts of the instance's own directory under
the data plane's work directory. Small shims stand in for what the host must not do:
``systemctl`` starts a unit's ExecStart in the background (never the host's systemd),
``dnf`` says there is no repository (so the API falls back to Python's standard library,
as it does on AWS without egress), ``ping`` sends one ICMP echo from Python.
"""

from __future__ import annotations

import base64
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from vpcwire.sandbox.dataplane.plane import DataPlane, Started
from vpcwire.sandbox.dataplane.registry import Registry
from vpcwire.sandbox.dataplane.system import entered

__all__ = ["Started", "consumer_answers", "start_workload"]

_MOUNTS = {
    "usr-local-bin": "/usr/local/bin",
    "systemd": "/etc/systemd/system",
    "opt": "/opt",
    "var-log": "/var/log",
}

_SYSTEMCTL = r'''#!/usr/bin/python3
"""vpcwire sandbox stand-in for systemctl: `enable --now`/`start` run ExecStart here."""
import os, shlex, subprocess, sys
words = [a for a in sys.argv[1:] if not a.startswith("-")]
if words and words[0] in ("start", "restart") or (words and words[0] == "enable" and "--now" in sys.argv):
    for unit in words[1:]:
        name = unit if unit.endswith(".service") else unit + ".service"
        env, command = dict(os.environ), None
        for line in open(os.path.join("/etc/systemd/system", name)):
            line = line.strip()
            if line.startswith("Environment="):
                key, _, value = line[len("Environment="):].partition("=")
                env[key] = value
            elif line.startswith("ExecStart="):
                command = line[len("ExecStart="):]
        if command:
            log = open(os.path.join("/var/log", name + ".log"), "ab")
            subprocess.Popen(shlex.split(command), env=env, stdin=subprocess.DEVNULL,
                             stdout=log, stderr=log, start_new_session=True)
'''

_DNF = """#!/bin/sh
echo "dnf: no package repository is reachable from the vpcwire sandbox" >&2
exit 1
"""

_PING = r'''#!/usr/bin/python3
"""vpcwire sandbox stand-in for `ping -c 1 -W N ADDRESS`: one ICMP echo."""
import os, socket, struct, sys, time
address, wait = sys.argv[-1], 2.0
if "-W" in sys.argv:
    wait = float(sys.argv[sys.argv.index("-W") + 1])
def checksum(data):
    data += b"\0" * (len(data) % 2)
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    return ~(total + (total >> 16)) & 0xFFFF
ident = os.getpid() & 0xFFFF
body = struct.pack("!BBHHH", 8, 0, 0, ident, 1) + b"vpcwire"
packet = body[:2] + struct.pack("!H", checksum(body)) + body[4:]
sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
sock.sendto(packet, (address, 0))
deadline = time.monotonic() + wait
while time.monotonic() < deadline:
    sock.settimeout(max(deadline - time.monotonic(), 0.01))
    try:
        data, peer = sock.recvfrom(2048)
    except OSError:
        break
    ihl = (data[0] & 15) * 4
    if data[ihl] == 0 and struct.unpack("!H", data[ihl + 4:ihl + 6])[0] == ident:
        print("1 packets transmitted, 1 received")
        sys.exit(0)
print("1 packets transmitted, 0 received")
sys.exit(1)
'''


def _user_data(ec2: Any, instance_id: str) -> str | None:
    raw = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="userData")
    value = raw.get("UserData", {}).get("Value")
    if not value:
        return None
    text = base64.b64decode(value).decode(errors="replace")
    if not text.startswith("#!"):
        try:
            text = base64.b64decode(text).decode(errors="replace")
        except ValueError:
            return None
    return text if text.startswith("#!") else None


class _Clients:
    """One EC2 client per account and region (creating one costs a second)."""

    def __init__(self, endpoint_url: str) -> None:
        self.endpoint_url = endpoint_url
        self.made: dict[tuple[str, str], Any] = {}

    def prepare(self, keys: set[tuple[str, str]]) -> None:
        """Make the clients side by side: each waits on an AssumeRole and client set-up."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=max(len(keys), 1)) as pool:
            list(pool.map(lambda key: self.ec2(*key), sorted(keys)))

    def ec2(self, account: str, region: str) -> Any:
        from vpcwire.sandbox.clients import boto3_session

        key = (account, region)
        if key not in self.made:
            self.made[key] = boto3_session(self.endpoint_url, account, region).client("ec2")
        return self.made[key]


def _prepare(directory: Path, script: str) -> None:
    for sub in _MOUNTS:
        (directory / "root" / sub).mkdir(parents=True, exist_ok=True)
    (directory / "console").write_text("")
    shims = directory / "shims"
    shims.mkdir(exist_ok=True)
    for name, body in (("systemctl", _SYSTEMCTL), ("dnf", _DNF), ("ping", _PING)):
        (shims / name).write_text(body)
        (shims / name).chmod(0o755)
    (directory / "user-data.sh").write_text(script)


def _launch(namespace: str, directory: Path) -> None:
    mounts = [f"mount --bind {directory}/root/{sub} {target}" for sub, target in _MOUNTS.items()]
    mounts.append(f"mount --bind {directory}/console /dev/console")
    setup = " && ".join(
        [*mounts, f"export PATH={directory}/shims:$PATH", f"exec bash {directory}/user-data.sh"]
    )
    # setsid -f: detached; teardown kills every process left in the namespace.
    argv = ["setsid", "-f", "ip", "netns", "exec", namespace, "unshare", "--mount"]
    argv += ["--propagation", "private", "bash", "-c", setup]
    with (directory / "user-data.log").open("ab") as log:
        subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, check=True)


def start_workload(plane: DataPlane, endpoint_url: str | None = None) -> list[Started]:
    """Start every instance's user_data (services first, then clients)."""
    from vpcwire.sandbox.background import find_running

    if endpoint_url is None:
        info = find_running()
        if info is None:
            return []
        endpoint_url = info.endpoint_url
    registry = Registry.load(plane.state_dir)
    if registry is None:
        return []
    net = plane.network
    jobs: list[tuple[Started, str]] = []
    clients = _Clients(endpoint_url)
    clients.prepare(
        {(v.account, v.region) for i in net.instances.values() if (v := net.vpcs.get(i.vpc))}
    )
    for inst in sorted(net.instances.values(), key=lambda i: i.name or i.id):
        ns = plane.layout.namespace_of.get(inst.interface)
        vpc = net.vpcs.get(inst.vpc)
        if ns is None or vpc is None:
            continue
        script = _user_data(clients.ec2(vpc.account, vpc.region), inst.id)
        if script is None:
            continue
        directory = Path(registry.workdir) / ns
        _prepare(directory, script)
        jobs.append(
            (Started(inst.name or inst.id, ns, directory, "vpcwire-client" in script), script)
        )
    started = []
    for client_phase in (False, True):
        for job, _ in jobs:
            if job.client == client_phase:
                _launch(job.namespace, job.directory)
                started.append(job)
        if not client_phase:
            registry.save(plane.state_dir)
            services = {job.namespace: served_ports(s) for job, s in jobs if not job.client}
            wait_listening(services)
    registry.save(plane.state_dir)
    return started


_SERVES = re.compile(r"^# vpcwire sample service .*: answers on (\S+) port\(s\) ([0-9, ]+)$", re.M)


def served_ports(script: str) -> frozenset[tuple[str, int]]:
    """(protocol, port) the rendered service script says it answers on (its first line
    after the shebang, written by templates/service.sh.tftpl); empty for another script."""
    found = _SERVES.search(script)
    if found is None:
        return frozenset()
    protocols = found[1].split("/")
    ports = [int(p) for p in found[2].replace(",", " ").split()]
    return frozenset((proto, port) for proto in protocols for port in ports)


def wait_listening(
    services: dict[str, frozenset[tuple[str, int]]], *, timeout: float = 15.0
) -> list[str]:
    """Wait until each namespace's service listens on every port it serves; returns the
    namespaces still not listening at ``timeout``.

    A probe right after opens responders on the ports nothing listens on yet, and a
    service starting later then finds its port taken and exits: the probe would talk to
    a responder and `sandbox exec` to nothing. The services read IMDS before they listen,
    which takes a Python start-up and more on a busy machine: a fixed pause was a guess,
    and stays only for a script that does not say its ports (not rendered by vpcwire).
    """
    if any(not ports for ports in services.values()):
        time.sleep(1.0)
    pending = {ns: ports for ns, ports in services.items() if ports}
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for ns in list(pending):
            if pending[ns] <= listening(ns):
                del pending[ns]
        if pending:
            time.sleep(0.05)
    return sorted(pending)


def listening(namespace: str) -> frozenset[tuple[str, int]]:
    """(protocol, port) a socket of ``namespace`` listens on (TCP) or is bound to (UDP),
    from the kernel's socket tables of that namespace."""
    found: set[tuple[str, int]] = set()
    with entered(namespace):  # /proc/thread-self/net shows the calling thread's namespace
        for proto, state in (("tcp", "0A"), ("udp", "07")):
            lines = Path(f"/proc/thread-self/net/{proto}").read_text().splitlines()[1:]
            for line in lines:
                fields = line.split()
                if fields[3] == state:
                    found.add((proto, int(fields[1].rsplit(":", 1)[1], 16)))
    return frozenset(found)


def consumer_answers(
    plane: DataPlane, started: list[Started], *, wait: float = 15.0
) -> dict[str, str | None]:
    """Client instance -> the first line its client logged (the API's JSON answer, or why
    it failed); None when nothing was logged within ``wait`` seconds."""
    clients = [s for s in started if s.client]
    lines: dict[str, str] = {}
    deadline = time.monotonic() + wait
    while len(lines) < len(clients) and time.monotonic() < deadline:
        for s in clients:
            log = s.directory / "root" / "var-log" / "vpcwire-client.log"
            if s.instance not in lines and log.exists():
                text = log.read_text().strip().splitlines()
                if text:
                    lines[s.instance] = text[0]
        time.sleep(0.2)
    return {s.instance: lines.get(s.instance) for s in sorted(clients, key=lambda c: c.instance)}
