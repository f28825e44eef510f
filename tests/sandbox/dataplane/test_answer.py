"""What a probe shows of the destination's answer: the body of an HTTP answer, also when the
server writes its headers and its body in separate sends (as Python's http.server does for
the rendered service). A socket pair stands in for the namespace's connection."""

from __future__ import annotations

import socket
import threading
import time

from vpcwire.sandbox.dataplane.packets import ANSWER_WIDTH, clip, read_answer

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


ANSWER = (
    '{"service": "api", "instance_id": "i-6f1c82cfb277a5e26", '
    '"availability_zone": "us-east-1a", "private_ip": "10.0.0.10", "port": 8080}'
)


def test_a_long_answer_is_cut_at_a_word_with_an_ellipsis() -> None:
    # The probe table once showed `"availability_zone": "u`: cut mid-word at 80 characters.
    shown = clip(ANSWER)
    assert shown == '{"service": "api", "instance_id": "i-6f1c82cfb277a5e26", "availability_zone":…'
    assert len(shown) <= ANSWER_WIDTH
    assert ANSWER.startswith(shown[:-1])  # what is shown is the answer's own start


def test_a_cut_that_falls_between_words_keeps_the_whole_last_word() -> None:
    assert clip("alpha beta gamma", 11) == "alpha beta…"  # "alpha beta " then "gamma"
    assert clip("alpha beta gamma", 12) == "alpha beta…"
    assert clip("alpha beta gamma", 16) == "alpha beta gamma"


def test_a_short_answer_is_one_line_and_whole() -> None:
    assert clip("vpcwire responder api_1\n") == "vpcwire responder api_1"
    assert clip('{\n  "status": "ok"\n}\n') == '{ "status": "ok" }'


def test_a_single_word_longer_than_the_width_is_cut_in_it() -> None:
    assert clip("x" * 100, 10) == "x" * 9 + "…"
