"""The one seam to the kernel: namespaces, `ip -batch`, `nft -f`, and entering a namespace.

Why `ip`/`nft` subprocesses and not pyroute2: nftables has no complete netlink binding in
Python, and both tools take a whole batch on stdin, so a namespace costs two short-lived
processes however many addresses, routes and rules it holds. Entering a namespace from
Python (``setns`` on the calling thread) needs no helper process at all: a thread that has
entered a namespace opens its sockets there, and a child it forks starts there.

Nothing here ever changes the host's own namespace: every command runs in a namespace named
``vw<id>-…`` that vpcwire created, except ``netns add``/``netns del`` and the creation of
veth pairs whose two ends are born directly inside such namespaces.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import platform
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from vpcwire.errors import DeployError

__all__ = [
    "CLONE_NEWNET",
    "NETNS_DIR",
    "DataPlaneUnavailable",
    "entered",
    "list_namespaces",
    "missing_requirements",
    "run_in",
    "run_ip_batch",
]

CLONE_NEWNET = 0x40000000
NETNS_DIR = Path("/run/netns")
_libc = ctypes.CDLL(None, use_errno=True) if platform.system() == "Linux" else None
_host_ns = threading.local()


class DataPlaneUnavailable(DeployError):
    """The data plane cannot run here; the message says exactly what is missing."""


def missing_requirements() -> list[str]:
    """What this machine lacks for the data plane, each with how to get it (empty: all set)."""
    if platform.system() != "Linux":
        return [
            f"Linux network namespaces (this is {platform.system()}): run vpcwire on Linux, "
            "e.g. in a Linux VM or a privileged container"
        ]
    missing = []
    if os.geteuid() != 0:
        missing.append(
            "root (CAP_NET_ADMIN) to create network namespaces: run as root, e.g. `sudo -E "
            "vpcwire …` (unprivileged user namespaces cannot create the named namespaces "
            "`ip netns` and `sandbox exec` need)"
        )
    if shutil.which("ip") is None:
        missing.append("iproute2 (`ip`): `apt-get install -y iproute2`")
    if shutil.which("nft") is None:
        missing.append("nftables (`nft`): `apt-get update && apt-get install -y nftables`")
    return missing


def _setns(path: Path) -> None:
    assert _libc is not None
    fd = os.open(path, os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns {path}: {os.strerror(err)}")
    finally:
        os.close(fd)


@contextlib.contextmanager
def entered(namespace: str) -> Iterator[None]:
    """Run the block with this thread inside the named namespace, then come back.

    Only the calling thread moves (network namespaces are per thread), so other threads
    keep working in theirs. Sockets opened inside stay in that namespace after we leave.
    """
    if not hasattr(_host_ns, "fd"):
        _host_ns.fd = os.open(f"/proc/self/task/{threading.get_native_id()}/ns/net", os.O_RDONLY)
    _setns(NETNS_DIR / namespace)
    try:
        yield
    finally:
        assert _libc is not None
        if _libc.setns(_host_ns.fd, CLONE_NEWNET) != 0:  # pragma: no cover - kernel refused
            raise OSError(ctypes.get_errno(), "setns back to the original namespace")


def socket_in(namespace: str, kind: int = socket.SOCK_STREAM, proto: int = 0) -> socket.socket:
    """An IPv4 socket that lives in ``namespace`` (it stays there after this returns)."""
    with entered(namespace):
        return socket.socket(socket.AF_INET, kind, proto)


def _run(argv: Sequence[str], stdin: str, what: str) -> None:
    proc = subprocess.run(list(argv), input=stdin, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise DeployError(f"data plane: {what} failed: {proc.stderr.strip() or proc.stdout}")


def run_ip_batch(lines: Sequence[str], what: str = "ip -batch") -> None:
    """Run ``ip -batch`` lines in the current thread's namespace (the host's for netns/veth)."""
    if lines:
        _run(["ip", "-batch", "-"], "\n".join(lines) + "\n", what)


def run_in(namespace: str, ip_lines: Sequence[str], nft: str, sysctls: dict[str, str]) -> None:
    """Configure one namespace: sysctls, then addresses/routes/rules, then the ruleset."""
    with entered(namespace):
        for key, value in sysctls.items():
            Path("/proc/sys", *key.split(".")).write_text(value)
        run_ip_batch(ip_lines, f"configuring {namespace}")
        if nft:
            _run(["nft", "-f", "-"], nft, f"loading nftables rules into {namespace}")


def list_namespaces(prefix: str) -> list[str]:
    """Named namespaces whose name starts with ``prefix`` (ours carry ``vw<id>-``)."""
    if not NETNS_DIR.is_dir():
        return []
    return sorted(p.name for p in NETNS_DIR.iterdir() if p.name.startswith(prefix))


def namespace_pids(namespaces: Sequence[str]) -> list[int]:
    """Processes living in any of these namespaces (one pass over /proc, no `ip` per name)."""
    wanted = set()
    for ns in namespaces:
        with contextlib.suppress(OSError):
            wanted.add(os.stat(NETNS_DIR / ns).st_ino)
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if os.stat(f"/proc/{entry.name}/ns/net").st_ino in wanted:
                    found.append(int(entry.name))
    return found
