"""botocore event hooks that make the sandbox misbehave the way AWS sometimes does.

Registered on the boto3 Session given to ``read_network``; every client the reader makes
from it (assumed-role accounts included) inherits them.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import boto3


class FakeHttp:
    """The http half of a ``before-call`` short-circuit answer."""

    def __init__(self, status: int) -> None:
        self.status_code = status
        self.headers: dict[str, str] = {}
        self.content = b""


def fail(
    session: boto3.Session, event: str, code: str, *, status: int = 403, region: str | None = None
) -> None:
    """Answer ``event`` (``before-call.ec2.DescribeSecurityGroups``) with an error ``code``,
    only in ``region`` when given."""

    def answer(context: dict[str, Any], **_: Any) -> Any:
        if region is not None and context.get("client_region") != region:
            return None
        return FakeHttp(status), {
            "Error": {"Code": code, "Message": "refused by the test"},
            "ResponseMetadata": {},
        }

    session.events.register(event, answer)


def fake_pages(session: boto3.Session, service: str, operation: str, key: str, size: int) -> None:
    """Serve ``operation`` in pages of ``size`` items with NextTokens, as AWS does and moto
    (which ignores MaxResults for most EC2 calls) does not: each call gets the full answer
    from moto and keeps only the page its NextToken asks for."""

    def remember(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        body = params.get("body") or {}
        context["fake_page"] = int(body.get("NextToken", "0")) if isinstance(body, dict) else 0

    def cut(parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        start = context.get("fake_page", 0)
        items = sorted(parsed.get(key) or [], key=repr)
        parsed[key] = items[start : start + size]
        parsed.pop("NextToken", None)
        if start + size < len(items):
            parsed["NextToken"] = str(start + size)

    session.events.register(f"before-call.{service}.{operation}", remember)
    session.events.register(f"after-call.{service}.{operation}", cut)


class InFlight:
    """How many calls were under way at once, the most; each call slowed by ``delay``."""

    def __init__(
        self, session: boto3.Session, event_suffix: str, delay: float, until: int | None = None
    ) -> None:
        """``until``: a call waits at most ``delay`` for that many calls to be under way at
        once (then goes on at once), instead of always ``delay``: a loaded machine may start
        the calls further apart than any fixed delay, and an unloaded one needn't wait."""
        self.lock = threading.Condition()
        self.now = self.most = 0
        self.delay = delay
        self.until = until
        session.events.register(f"before-call.{event_suffix}", self.start)
        session.events.register(f"after-call.{event_suffix}", self.stop)

    def start(self, **_: Any) -> None:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
            until = self.until
            if until is not None:
                self.lock.notify_all()
                self.lock.wait_for(lambda: self.most >= until, timeout=self.delay)
                return
        time.sleep(self.delay)

    def stop(self, **_: Any) -> None:
        with self.lock:
            self.now -= 1
