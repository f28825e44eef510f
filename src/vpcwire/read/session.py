"""Credentials, accounts and API clients for the live reader.

One boto3 Session is used per read: the caller's (or the one passed in). Assumed-role
accounts (and accounts reached by a named profile, whose credentials are resolved once per
read) get clients made from that same Session with their keys given to
``Session.client``; that way every account shares one loaded copy of the EC2 service model
(loading it costs ~0.2 s per Session) and the Session's configuration (profile, retries).

boto3 Sessions are not thread-safe, clients are. So every Session call (client creation)
happens in the coordinating thread, in :class:`Clients`, and worker threads only ever call
client methods. Clients are made once per (account, region, service) and cached.

Errors are sorted into two kinds, because they need different handling:

* fatal (:func:`fatal_error`): no credentials, expired or rejected credentials, an endpoint
  that cannot be reached. Nothing else will work either, so the read stops with a
  :class:`~vpcwire.errors.ReadError` that says what to do.
* local (:func:`is_denied` and the rest of ClientError): one API in one account and region
  failed; the reader records a warning and carries on without that piece.

Credentials are never printed or stored: messages name profiles, roles and codes only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    CredentialRetrievalError,
    HTTPClientError,
    NoCredentialsError,
    ParamValidationError,
    PartialCredentialsError,
    SSOError,
    TokenRetrievalError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError

from vpcwire.errors import ReadError

__all__ = [
    "CallCounter",
    "Clients",
    "Identity",
    "error_code",
    "fatal_error",
    "is_denied",
    "profile_of",
    "resolve_endpoint",
]

ROLE_SESSION_NAME = "vpcwire-read"

NO_CREDENTIALS = (
    "no AWS credentials found: set AWS_PROFILE or run `aws sso login`, "
    "or pass --endpoint-url for the sandbox"
)

# Codes that mean "these credentials are no good anywhere": stop, and say so.
_CREDENTIAL_CODES = {
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "TokenRefreshRequired",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "InvalidAccessKeyId",
    "AuthFailure",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "MissingAuthenticationToken",
}
_EXPIRED_CODES = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"}

# Codes that mean "not allowed here": one API, one account, one region. Warn and go on.
# OptInRequired is a region the account has not enabled.
_DENIED_CODES = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "UnauthorizedAccess",
    "Forbidden",
    "OptInRequired",
}

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True, slots=True)
class Identity:
    """One account to read, and how: the caller's own credentials or an assumed role's."""

    account: str
    label: str  # "the caller" or the role ARN: for messages and the client cache
    # assumed-role keys; None = the Session's own. Kept out of repr: never printed.
    keys: Mapping[str, str] | None = field(default=None, repr=False)


class CallCounter:
    """Counts API calls (not HTTP retries) through botocore's ``before-call`` event."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.total = 0

    def __call__(self, **_: Any) -> None:
        with self._lock:
            self.total += 1


def resolve_endpoint(endpoint_url: str | None) -> str | None:
    """The endpoint used, for messages: the argument, else ``AWS_ENDPOINT_URL``.

    Only the explicit argument is passed to clients: with None, botocore itself honours
    ``AWS_ENDPOINT_URL``, the per-service ``AWS_ENDPOINT_URL_EC2`` and the config file, and
    an explicit argument beats all of them."""
    return endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None


def is_loopback(endpoint: str | None) -> bool:
    return bool(endpoint) and (urlparse(endpoint).hostname or "") in _LOOPBACK


class Clients:
    """Makes and caches API clients. Use from the coordinating thread only."""

    def __init__(
        self,
        session: boto3.Session,
        *,
        endpoint_url: str | None,
        counter: CallCounter,
        max_workers: int,
    ) -> None:
        self.session = session
        self.endpoint_url = endpoint_url
        self.endpoint = resolve_endpoint(endpoint_url)
        self.counter = counter
        self._cache: dict[tuple[str, str, str], Any] = {}
        self._sandbox_keys: dict[str, str] | None = None
        # Standard retry mode backs off on throttling, which a wide concurrent read can hit.
        self._config = Config(
            retries={"mode": "standard", "max_attempts": 5},
            connect_timeout=5,
            read_timeout=60,
            max_pool_connections=max(10, max_workers),
        )
        # STS answers first: an unreachable endpoint should fail in a second, not after
        # five backed-off attempts.
        self._probe_config = self._config.merge(
            Config(retries={"mode": "standard", "max_attempts": 2})
        )

    def check_credentials(self) -> None:
        """Fail early, before any thread starts, when there is nothing to sign with.

        Against a loopback endpoint the sandbox's own keys are used instead of failing: the
        background sandbox's from its state file, else placeholder keys (moto maps unknown
        keys to its default account)."""
        try:
            found = self.session.get_credentials()
        except BotoCoreError as exc:  # e.g. a failing credential_process
            raise fatal_error(exc, self.endpoint, profile_of(self.session)) or ReadError(
                NO_CREDENTIALS
            ) from exc
        if found is not None:
            return
        if self.endpoint and is_loopback(self.endpoint):
            from vpcwire.sandbox.clients import sandbox_keys

            access_key_id, secret_access_key = sandbox_keys(self.endpoint)
            self._sandbox_keys = {
                "aws_access_key_id": access_key_id,
                "aws_secret_access_key": secret_access_key,
            }
            return
        raise ReadError(NO_CREDENTIALS)

    def get(self, who: Identity, region: str, service: str, *, probe: bool = False) -> Any:
        key = (who.label + (" probe" if probe else ""), region, service)
        client = self._cache.get(key)
        if client is None:
            keys: Mapping[str, str] = who.keys or self._sandbox_keys or {}
            client = self.session.client(
                service,
                region_name=region,
                endpoint_url=self.endpoint_url,
                config=self._probe_config if probe else self._config,
                **keys,
            )
            # first, so that a handler answering in place of AWS (tests) is still counted
            client.meta.events.register_first("before-call", self.counter)
            self._cache[key] = client
        return client

    @property
    def created(self) -> int:
        return len(self._cache)


def profile_of(session: boto3.Session) -> str | None:
    """The profile to name in messages; None when it is just "default" (or keys in the
    environment), where "your credentials" says it better."""
    name = session.profile_name
    return name if name and name != "default" else None


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def is_denied(exc: ClientError) -> bool:
    return error_code(exc) in _DENIED_CODES


def fatal_error(
    exc: BaseException, endpoint: str | None, profile: str | None = None
) -> ReadError | None:
    """The ReadError that ``exc`` means for the whole read, or None if it is local."""
    where = f"profile {profile}" if profile else "your credentials"
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return ReadError(NO_CREDENTIALS)
    if isinstance(exc, SSOError | TokenRetrievalError):
        return ReadError(
            f"the AWS SSO session for {where} has expired or is missing: "
            "run `aws sso login` and try again"
        )
    if isinstance(exc, CredentialRetrievalError):
        return ReadError(
            f"AWS credentials for {where} could not be obtained "
            f"({type(exc).__name__}): check the credential_process or role "
            "settings of the profile"
        )
    if isinstance(exc, BotoConnectionError | ConnectionClosedError | HTTPClientError):
        if endpoint:
            return ReadError(
                f"cannot reach the AWS API at {endpoint}: {type(exc).__name__} — "
                "is the sandbox running? (--endpoint-url / AWS_ENDPOINT_URL)"
            )
        return ReadError(
            f"cannot reach AWS: {type(exc).__name__} — check the network "
            "connection and proxy settings"
        )
    if isinstance(exc, ClientError):
        code = error_code(exc)
        if code in _EXPIRED_CODES:
            return ReadError(
                f"the AWS session token of {where} has expired ({code}): refresh "
                "it (`aws sso login`, or re-run whatever exported the keys)"
            )
        if code in _CREDENTIAL_CODES:
            return ReadError(
                f"AWS rejected {where} ({code}): check AWS_PROFILE or the access "
                "keys in the environment"
            )
    if isinstance(exc, BotoCoreError) and not isinstance(exc, ParamValidationError):
        return ReadError(f"the AWS SDK failed: {type(exc).__name__}: {exc}")
    return None
