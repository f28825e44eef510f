"""Apply a Layout to the kernel, and take it all down again.

Order: record the namespaces in the registry, create them and their veth pairs in one
``ip -batch`` (each veth end is born inside its namespace), then configure every namespace
(a thread each, two at a time per core: ``ip -batch`` and ``nft -f`` run inside it).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from vpcwire.errors import DeployError
from vpcwire.network import Network
from vpcwire.sandbox.dataplane.health import failed_health_checks
from vpcwire.sandbox.dataplane.layout import Box, Layout, build_layout
from vpcwire.sandbox.dataplane.plane import DataPlane
from vpcwire.sandbox.dataplane.registry import Registry, sandbox_id
from vpcwire.sandbox.dataplane.system import (
    DataPlaneUnavailable,
    list_namespaces,
    missing_requirements,
    namespace_pids,
    run_in,
    run_ip_batch,
)
from vpcwire.sandbox.dataplane.workload import start_workload

__all__ = ["DataPlane", "materialise", "require", "teardown"]

ETC_NETNS = Path("/etc/netns")


# Names come from the hosts file alone. A name it lacks must fail at once, as an unknown
# name does on the Amazon DNS server, and no query may leave the namespace: the host's
# resolver is out of reach there and would only time out. Nothing listens on port 53 of
# the namespace's loopback, so the query is refused immediately.
RESOLV_CONF = "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n"


def require() -> None:
    missing = missing_requirements()
    if missing:
        raise DataPlaneUnavailable(
            "the packet data plane cannot run here; missing: " + "; ".join(missing)
        )


def materialise(
    network: Network, state_dir: Path, *, imds: bool = True, workload: bool | None = None
) -> DataPlane:
    """Tear down this sandbox's data plane, then build ``network`` as namespaces.

    ``imds``: also start the instance metadata service (the workload and `sandbox exec`
    need it; probes alone do not, and it costs a Python start-up).
    ``workload``: run every instance's rendered user data (the real API and clients);
    ``None`` runs it again when the plane this replaces ran it. Tearing down kills every
    process in the namespaces, so a rebuild that did not restart the workload `up`
    started would leave `sandbox exec` and the probe nothing but responders to talk to
    (found running the README's sequence: `up`, then `probe`).
    """
    require()
    if workload is None:
        previous = Registry.load(state_dir)
        workload = bool(previous and previous.workload)
    teardown(state_dir)
    layout = build_layout(network, sandbox_id(state_dir))
    registry = Registry(layout.sid, [b.name for b in layout.boxes])
    registry.workdir = str(state_dir / "dataplane")
    for box in layout.boxes:
        if box.role in ("instance", "interface"):
            registry.names[box.resource] = box.name
    for inst in network.instances.values():
        ns = layout.namespace_of.get(inst.interface)
        if ns:
            registry.names[inst.id] = ns
            if inst.name:
                registry.names.setdefault(inst.name, ns)
    for eni in network.interfaces.values():
        ns = layout.namespace_of.get(eni.id)
        if ns and eni.name:
            registry.names.setdefault(eni.name, ns)
    registry.save(state_dir)
    try:
        run_ip_batch(layout.host_lines, "creating namespaces and links")
        for box in layout.boxes:
            if box.hosts:
                folder = ETC_NETNS / box.name
                folder.mkdir(parents=True, exist_ok=True)
                (folder / "hosts").write_text(box.hosts)
                (folder / "resolv.conf").write_text(RESOLV_CONF)
        with ThreadPoolExecutor(max_workers=(os.cpu_count() or 2) * 2) as pool:
            list(pool.map(_configure, layout.boxes))
        unhealthy = failed_health_checks(layout)
        if unhealthy:
            # Nodes send only to the targets that passed (or to all when none did).
            before = {b.name: b.nft for b in layout.boxes}
            layout = build_layout(network, layout.sid, unhealthy)
            for box in layout.boxes:
                if box.role == "node" and box.nft != before.get(box.name):
                    run_in(box.name, (), "flush ruleset\n" + box.nft, {})
        if imds or workload:
            registry.pids.append(_start_imds(network, layout, Path(registry.workdir)))
        registry.workload = workload
        registry.save(state_dir)
        plane = DataPlane(network, layout, state_dir)
        if workload:
            plane = DataPlane(network, layout, state_dir, tuple(start_workload(plane)))
    except BaseException:
        teardown(state_dir)
        raise
    return plane


def _start_imds(network: Network, layout: Layout, workdir: Path) -> int:
    """The metadata service for every instance namespace, in one background process."""
    items = []
    for inst in network.instances.values():
        ns = layout.namespace_of.get(inst.interface)
        slot = layout.slots.get(inst.interface)
        if ns is None or slot is None:
            continue
        subnet = network.subnets[slot.subnet]
        items.append(
            {
                "namespace": ns,
                "instance_id": inst.id,
                "az": subnet.az,
                "ip": str(slot.address),
                "hostname": f"ip-{str(slot.address).replace('.', '-')}.ec2.internal",
                "tags": dict(inst.tags),
            }
        )
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "imds.json").write_text(json.dumps(items))
    log_path = workdir / "imds.log"
    log_path.write_bytes(b"")
    with log_path.open("ab") as log:
        # setsid -f: the service outlives this command; teardown kills it by the pid it logs.
        subprocess.run(
            [
                "setsid",
                "-f",
                sys.executable,
                "-m",
                "vpcwire.sandbox.dataplane.imds",
                str(workdir / "imds.json"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
        )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        text = log_path.read_text()
        if "serving" in text:
            return int(text.split("pid ", 1)[1].split(")", 1)[0])
        if "Error" in text:
            break
        time.sleep(0.02)
    raise DeployError(f"data plane: the metadata service did not start: {log_path.read_text()}")


def _configure(box: Box) -> None:
    run_in(box.name, box.ip_lines, box.nft, dict(box.sysctls))


def teardown(state_dir: Path) -> int:
    """Remove every namespace, link, rule and process of this sandbox's data plane.

    Returns how many namespaces were removed. Works from the registry and from the name
    prefix alone, so it also cleans what a killed run left behind.
    """
    registry = Registry.load(state_dir) or Registry(sandbox_id(state_dir))
    for pid in registry.pids:
        if _is_ours(pid):
            _kill(pid)
    if missing_requirements():
        Registry.path(state_dir).unlink(missing_ok=True)
        return 0
    names = sorted(set(list_namespaces(registry.prefix)))
    for pid in namespace_pids(names):
        _kill(pid)
    run_ip_batch([f"netns del {ns}" for ns in names], "removing namespaces")
    for ns in names:
        shutil.rmtree(ETC_NETNS / ns, ignore_errors=True)
    for leftover in ETC_NETNS.glob(f"{registry.prefix}*") if ETC_NETNS.is_dir() else []:
        shutil.rmtree(leftover, ignore_errors=True)
    if registry.workdir:
        _unmount_under(Path(registry.workdir))
    Registry.path(state_dir).unlink(missing_ok=True)
    return len(names)


def _is_ours(pid: int) -> bool:
    """Still the metadata service we started? (A recorded pid may have been reused.)"""
    try:
        return b"vpcwire.sandbox.dataplane" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _kill(pid: int) -> None:
    """Kill a process we started (and its group when it leads one)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


def _unmount_under(path: Path) -> None:
    """Workload mounts live in private mount namespaces; nothing to unmount on the host."""
    if path.is_dir():
        subprocess.run(["rm", "-rf", str(path)], check=False)
