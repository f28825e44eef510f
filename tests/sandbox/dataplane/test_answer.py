"""What a probe shows of the destination's answer: the body of an HTTP answer, also when the
server writes its headers and its body in separate sends (as Python's http.server does for
the rendered service). A socket pair stands in for the namespace's connection."""

from __future__ import annotations

import socket
import threading
import time

from vpcwire.sandbox.dataplane.packets import read_answer

HEADERS = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n"
BODY = b'{"service": "api", "instance_id": "i-0123"}'


def _served(*sends: bytes, close: bool = True, pause: float = 0.05) -> tuple[bytes, float]:
    """The answer read_answer gives, and how long it took (the server's pauses after its
    last send are not waited for unless read_answer waits for them)."""
    client, server = socket.socketpair()
    client.settimeout(1.0)

    def serve() -> None:
        for chunk in sends:
            server.sendall(chunk)
            time.sleep(pause)
        if close:
            server.close()

    thread = threading.Thread(target=serve)
    thread.start()
    started = time.monotonic()
    try:
        return read_answer(client), time.monotonic() - started
    finally:
        thread.join()
        client.close()
        if not close:
            server.close()


def test_headers_then_body_in_two_sends_gives_the_body() -> None:
    reply, _ = _served(HEADERS, BODY)
    assert reply.split(b"\r\n\r\n", 1)[1] == BODY


def test_headers_split_before_the_blank_line_still_reach_the_body() -> None:
    reply, _ = _served(HEADERS[:20], HEADERS[20:], BODY)
    assert reply.endswith(BODY)


def test_an_answer_in_one_send_is_read_at_once_without_waiting_for_close() -> None:
    reply, seconds = _served(HEADERS + BODY, close=False, pause=0.5)
    assert reply.endswith(BODY) and seconds < 0.45


def test_a_plain_answer_is_not_read_past_its_first_bytes() -> None:
    reply, seconds = _served(b"vpcwire responder api_1\n", close=False, pause=0.5)
    assert reply == b"vpcwire responder api_1\n" and seconds < 0.45


def test_headers_with_no_body_end_when_the_server_closes() -> None:
    assert _served(HEADERS)[0] == HEADERS
