"""Responders: something that answers on a port, so a probe measures the network alone.

Sockets are opened inside the destination namespaces from this process (a thread enters a
namespace, binds, comes back) and served by one selector thread: no process per port.
Where a real service already listens (the rendered API), the responder steps aside and the
probe talks to the service.
"""

from __future__ import annotations

import errno
import selectors
import socket
import threading
from collections.abc import Iterable
from types import TracebackType

from vpcwire.sandbox.dataplane.system import socket_in

__all__ = ["Responders"]


class Responders:
    """``with Responders([(ns, "tcp", 8080, "api_1"), …]):`` — answers while the block runs."""

    def __init__(self, wanted: Iterable[tuple[str, str, int, str]]) -> None:
        self._wanted = sorted(set(wanted))
        self._sel = selectors.DefaultSelector()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="vpcwire-responders", daemon=True)
        self._sockets: list[socket.socket] = []

    def __enter__(self) -> Responders:
        for ns, proto, port, label in self._wanted:
            sock = self._open(ns, proto, port)
            if sock is not None:
                self._sockets.append(sock)
                self._sel.register(sock, selectors.EVENT_READ, (proto, label))
        self._thread.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for sock in self._sockets:
            sock.close()
        self._sel.close()

    @staticmethod
    def _open(ns: str, proto: str, port: int) -> socket.socket | None:
        kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
        sock = socket_in(ns, kind)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError as exc:
            sock.close()
            if exc.errno == errno.EADDRINUSE:
                return None  # a real service listens there: let it answer
            raise
        if proto == "tcp":
            sock.listen(64)
        sock.setblocking(False)
        return sock

    def _serve(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._sel.select(timeout=0.05):
                proto, label = key.data
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    if proto == "tcp":
                        self._answer_tcp(sock, label)
                    else:
                        data, peer = sock.recvfrom(2048)
                        sock.sendto(f"vpcwire responder {label}: ".encode() + data, peer)
                except OSError:
                    continue

    @staticmethod
    def _answer_tcp(listener: socket.socket, label: str) -> None:
        conn, _ = listener.accept()
        conn.settimeout(0.5)
        try:
            conn.recv(4096)
            body = f"vpcwire responder {label}\n".encode()
            conn.sendall(
                b"HTTP/1.0 200 OK\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )
        except OSError:
            pass
        finally:
            conn.close()
