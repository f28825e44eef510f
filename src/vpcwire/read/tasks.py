"""Concurrent API calls with follow-ups: a small task graph on a thread pool.

Every API call runs on a worker thread; what to do with its answer (store it, schedule the
calls that depend on it) runs back in the coordinating thread, in :meth:`Scheduler.drain`.
Workers never wait for other work, so the pool cannot deadlock however deep the follow-ups
go, and snapshots are only ever written by one thread.

Per-call failures become warnings (:mod:`vpcwire.read.session` decides which are fatal).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from vpcwire.errors import ReadError
from vpcwire.read.convert import Raw
from vpcwire.read.session import error_code, fatal_error, is_denied
from vpcwire.read.snapshot import Unit

__all__ = ["PAGE_SIZE_CAP", "Scheduler", "api_name", "pages", "paginate", "store_at"]

T = TypeVar("T")

PAGE_SIZE_CAP: int | None = None
"""Upper bound on page sizes; tests lower it to exercise pagination. None: each API's max."""

# What AWS answers in an opt-in region the account has not enabled, although the same
# credentials work elsewhere: worth a hint when it comes from one region only.
_REGION_REFUSALS = {"AuthFailure", "UnrecognizedClientException", "InvalidClientTokenId"}
_DEFAULT_PAGE_SIZE = 1000  # EC2's usual maximum where the model does not state one
_FILTER_VALUES = 100  # VPC ids per server-side filter (EC2 caps the values of one filter)


def store_at(mapping: dict[str, T], key: str) -> Callable[[T], None]:
    """A follow-up that files an answer under ``key`` (attributes per ARN, per VPC...)."""

    def store(value: T) -> None:
        mapping[key] = value

    return store


def api_name(client: Any, operation: str) -> str:
    """The IAM action of a call (``ec2:DescribeVpcs``, ``elasticloadbalancing:…``), so a
    warning names exactly the permission to grant."""
    prefix = client.meta.service_model.signing_name
    return f"{prefix}:{client.meta.method_to_api_mapping[operation]}"


def _page_size(client: Any, operation: str) -> tuple[str, int] | None:
    """The API's page-size parameter and its largest value, from the service model."""
    shape = client.meta.service_model.operation_model(operation).input_shape
    for key in ("MaxResults", "PageSize"):  # EC2 says MaxResults, ELBv2 PageSize
        member = shape.members.get(key) if shape is not None else None
        if member is not None:
            return key, int(member.metadata.get("max", _DEFAULT_PAGE_SIZE))
    return None


def pages(client: Any, operation: str, **kwargs: Any) -> Callable[[], Iterator[Raw]]:
    """A paginated call, prepared in the coordinating thread, iterated in a worker.

    Pages are as large as the API allows: EC2 asks callers to paginate (unpaginated
    Describe calls are kept only for compatibility) and big pages mean fewer calls."""
    name = client.meta.method_to_api_mapping[operation]
    paginator = client.get_paginator(operation)
    config: dict[str, int] = {}
    limit = _page_size(client, name)
    if limit is not None:
        config["PageSize"] = min(limit[1], PAGE_SIZE_CAP) if PAGE_SIZE_CAP else limit[1]
    result_key = paginator.result_keys[0].expression

    def run() -> Iterator[Raw]:
        for page in paginator.paginate(**kwargs, PaginationConfig=config):
            yield from page.get(result_key) or ()

    return run


def paginate(client: Any, operation: str, **kwargs: Any) -> Callable[[], list[Raw]]:
    run = pages(client, operation, **kwargs)
    return lambda: list(run())


@dataclass(frozen=True, slots=True)
class _Job:
    unit: Unit
    key: str
    api: str
    then: Callable[[Any], None]
    missing: str


class Scheduler:
    """Submits calls to a pool and runs their follow-ups as answers arrive."""

    def __init__(self, pool: Executor, endpoint: str | None, profile: str | None) -> None:
        self.pool = pool
        self.endpoint = endpoint
        self.profile = profile
        self.warnings: list[str] = []
        self._futures: dict[Future[tuple[Any, str | None]], _Job] = {}

    def call(
        self,
        unit: Unit,
        key: str,
        api: str,
        run: Callable[[], T],
        then: Callable[[T], None],
        missing: str,
    ) -> None:
        """Run ``run`` on a worker; ``then(result)`` here. ``api`` (``ec2:DescribeVpcs``) and
        ``missing`` (what the network lacks if the call fails) make up the warning."""
        job = _Job(unit, key, api, then, missing)
        unit.pending[key] += 1
        self._futures[self.pool.submit(self._guard, job, run)] = job

    def list_all(
        self,
        unit: Unit,
        key: str,
        client: Any,
        operation: str,
        store: Callable[[list[Raw]], None],
        missing: str,
        *,
        vpc_filter: str | None = None,
        **kwargs: Any,
    ) -> None:
        """A paginated list call. When the unit reads only some VPCs and the API can filter by
        VPC (``vpc_filter`` names the filter), AWS does the filtering, in chunks of ids."""
        chunks: list[list[str] | None] = [None]
        if vpc_filter and unit.filtered:
            ids = sorted(unit.snap.selected)
            chunks = [ids[i : i + _FILTER_VALUES] for i in range(0, len(ids), _FILTER_VALUES)]
        for chunk in chunks:
            args = dict(kwargs)
            if chunk is not None:
                extra = {"Name": vpc_filter, "Values": chunk}
                args["Filters"] = [*kwargs.get("Filters", []), extra]
            self.call(
                unit,
                key,
                api_name(client, operation),
                paginate(client, operation, **args),
                store,
                missing,
            )

    def after(self, unit: Unit, keys: set[str], then: Callable[[], None]) -> None:
        """Run ``then`` once no call under any of ``keys`` is outstanding."""
        unit.joins.append((frozenset(keys), then))
        self._fire_joins(unit)

    def drain(self) -> None:
        """Process answers until nothing is outstanding. A fatal error cancels the rest."""
        try:
            while self._futures:
                done, _ = wait(list(self._futures), return_when=FIRST_COMPLETED)
                for future in done:
                    job = self._futures.pop(future)
                    value, warning = future.result()
                    if warning is None:
                        job.then(value)
                    else:
                        self.warnings.append(warning)
                    job.unit.pending[job.key] -= 1
                    self._fire_joins(job.unit)
        except BaseException:
            for future in self._futures:
                future.cancel()
            self._futures.clear()
            raise

    def _fire_joins(self, unit: Unit) -> None:
        for join in list(unit.joins):
            keys, then = join
            if all(unit.pending[k] == 0 for k in keys):
                unit.joins.remove(join)
                then()

    def _guard(self, job: _Job, run: Callable[[], T]) -> tuple[T | None, str | None]:
        """Worker side: the result, or a warning for a local failure; fatal ones raise."""
        try:
            return run(), None
        except ClientError as exc:
            code = error_code(exc)
            fatal = fatal_error(exc, self.endpoint, self.profile)
            if fatal is not None and code in _REGION_REFUSALS:
                fatal = ReadError(
                    f"{fatal} (in {job.unit.where}: if that region is not enabled "
                    "for the account, leave it out of the regions to read)"
                )
            if fatal is not None:
                raise fatal from exc
            if is_denied(exc):
                what = f"was denied in {job.unit.where} ({code})"
            else:
                message = exc.response.get("Error", {}).get("Message", "")
                what = f"failed in {job.unit.where} ({code}: {message})"
            return None, f"{job.api} {what}: {job.missing}"
        except BotoCoreError as exc:
            fatal = fatal_error(exc, self.endpoint, self.profile)
            if fatal is not None:
                raise fatal from exc
            raise
