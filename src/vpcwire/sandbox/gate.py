"""The sandbox's door: only callers holding its secret get in.

moto's server answers anyone who can open a TCP connection to it, and every local user can
do that on 127.0.0.1: read the whole sandbox (`/moto-api/data.json`), change it or reset it.
The background sandbox therefore draws a random access key when it starts (kept in its
0600 state file) and this WSGI middleware, wrapped around moto's application, admits a
request only when it is signed with that key or with a key the sandbox's own STS handed
out (`AssumeRole` and friends, which is how other accounts are reached). Everything else,
`/moto-api/…` included, gets HTTP 403 with an AWS-shaped error.

What this does not do (docs/sandbox.md): it does not verify SigV4 signatures, so the
access key id itself is the secret (it is long and random, never logged, and only the
owner can read the state file or the environment of the processes that use it); traffic
on the loopback is not encrypted (only root can sniff it); STS keys stay valid until the
sandbox stops, also across a `/moto-api/reset`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["SandboxGate", "access_key_of"]

# SigV4 header: "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request, ..."
_HEADER_KEY = re.compile(r"Credential=([^/\s,]+)/[^/]*/[^/]*/([^/\s,]+)/")
# presigned URLs carry it in the query string, "/" percent-encoded or not
_QUERY_KEY = re.compile(r"X-Amz-Credential=([^/%&]+)(?:/|%2F)", re.IGNORECASE)
_ISSUED_KEY = re.compile(rb"<AccessKeyId>([A-Za-z0-9]+)</AccessKeyId>")
_MAX_CAPTURE = 1 << 20  # STS answers are a few hundred bytes; never buffer more than this

_DENIED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>"
    b"<Message>The security token included in the request is invalid: this vpcwire "
    b"sandbox accepts only its own access key (see sandbox.json in its state directory) "
    b"and keys its STS issued.</Message></Error></ErrorResponse>\n"
)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def access_key_of(environ: dict[str, Any]) -> tuple[str | None, str | None]:
    """The access key id a request is signed with, and the service of its credential scope."""
    header = str(environ.get("HTTP_AUTHORIZATION", ""))
    if match := _HEADER_KEY.search(header):
        return match[1], match[2]
    if match := _QUERY_KEY.search(str(environ.get("QUERY_STRING", ""))):
        return match[1], None
    return None, None


class SandboxGate:
    """WSGI middleware: pass requests signed with an admitted key, refuse the rest (403).

    Keys issued by the sandbox's STS are learnt from STS answers as they pass through,
    so no moto internals are read.
    """

    def __init__(self, app: WsgiApp, access_key_id: str) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._admitted = {access_key_id}

    def admits(self, key: str | None) -> bool:
        with self._lock:
            return key is not None and key in self._admitted

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        key, service = access_key_of(environ)
        if not self.admits(key):
            start_response(
                "403 Forbidden",
                [("Content-Type", "text/xml"), ("Content-Length", str(len(_DENIED)))],
            )
            return [_DENIED]
        if service != "sts":
            return self._app(environ, start_response)
        body = b"".join(self._app(environ, start_response))
        if len(body) <= _MAX_CAPTURE:
            issued = {m.decode() for m in _ISSUED_KEY.findall(body)}
            with self._lock:
                self._admitted |= issued
        return [body]
