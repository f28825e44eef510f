"""An instance metadata service at 169.254.169.254 inside every instance namespace.

One background process holds a listening socket in each instance's namespace (opened from
there, served from here) and answers the IMDSv2 token dance and the paths the rendered
workload reads: ``instance-id``, ``placement/availability-zone``, ``local-ipv4`` and the
instance's tags under ``tags/instance/<key>``.

    python -m vpcwire.sandbox.dataplane.imds INSTANCES.json
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from vpcwire.sandbox.dataplane.layout import IMDS_ADDRESS
from vpcwire.sandbox.dataplane.system import socket_in

__all__ = ["answer", "main"]

TOKEN = "vpcwire-sandbox-imds-token"
NAMESPACE_POLL_SECONDS = 1.0


def answer(identity: dict[str, Any], path: str) -> str | None:
    """The body IMDS returns for ``/latest/meta-data/<path>``, or None (404)."""
    tags: dict[str, str] = identity.get("tags", {})
    fixed = {
        "instance-id": identity["instance_id"],
        "placement/availability-zone": identity["az"],
        "local-ipv4": identity["ip"],
        "hostname": identity["hostname"],
        "local-hostname": identity["hostname"],
        "tags/instance": "\n".join(sorted(tags)),
        "": "instance-id\nlocal-ipv4\nplacement/\ntags/",
    }
    path = path.strip("/")
    if path in fixed:
        return str(fixed[path])
    if path.startswith("tags/instance/"):
        return tags.get(path.removeprefix("tags/instance/"))
    return None


def _handler(identity: dict[str, Any]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, code: int, body: str) -> None:
            data = body.encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_PUT(self) -> None:
            if self.path == "/latest/api/token":
                self._send(200, TOKEN)
            else:
                self._send(404, "Not Found")

        def do_GET(self) -> None:
            prefix = "/latest/meta-data/"
            body = (
                answer(identity, self.path[len(prefix) :]) if self.path.startswith(prefix) else None
            )
            if body is None:
                self._send(404, "Not Found")
            else:
                self._send(200, body)

    return Handler


def _server(namespace: str, identity: dict[str, Any]) -> ThreadingHTTPServer:
    sock = socket_in(namespace)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((IMDS_ADDRESS, 80))
    sock.listen(16)
    server = ThreadingHTTPServer((IMDS_ADDRESS, 80), _handler(identity), bind_and_activate=False)
    server.socket.close()
    server.socket = sock
    return server


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    instances = json.loads(Path(args[0]).read_text())
    threads = []
    for item in instances:
        server = _server(item["namespace"], item)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        threads.append(thread)
    print(f"imds: serving {len(threads)} instances (pid {os.getpid()})", flush=True)
    # Outlive nothing: once every namespace we serve is gone (a teardown that lost the
    # registry, a killed sandbox cleaned up by the next start), stop on our own.
    namespaces = [Path("/run/netns") / item["namespace"] for item in instances]
    while any(ns.exists() for ns in namespaces):
        time.sleep(NAMESPACE_POLL_SECONDS)


if __name__ == "__main__":
    main()
