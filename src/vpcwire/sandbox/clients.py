"""Talking to the sandbox: the terraform process's environment and boto3 sessions.

No moto here: these only need the sandbox's URL, so commands that merely use a running
sandbox do not pay for importing moto. Accounts: moto picks the account from the request's
credentials; keys it did not issue map to DEFAULT_ACCOUNT_ID, and `sts:AssumeRole` on
"arn:aws:iam::<ACCOUNT>:role/<any>" returns keys of <ACCOUNT> (the role need not exist).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "LOOPBACK",
    "SANDBOX_ACCESS_KEY_ID",
    "SANDBOX_SECRET_ACCESS_KEY",
    "SandboxSession",
    "boto3_session",
    "sandbox_env",
    "sandbox_holdings",
    "sandbox_keys",
]

from vpcwire.sandbox.background import keys_for
from vpcwire.sandbox.defaults import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_REGION,
    LOOPBACK,
    SANDBOX_ACCESS_KEY_ID,
    SANDBOX_SECRET_ACCESS_KEY,
)

# --------------------------------------------------------------------------- clients


def sandbox_keys(endpoint_url: str) -> tuple[str, str]:
    """The keys the sandbox at `endpoint_url` accepts: the background sandbox's own random
    keys (from its state file) when it is that one, else the placeholder keys an in-process
    sandbox without a gate takes."""
    return keys_for(endpoint_url)


def sandbox_env(
    endpoint_url: str, *, region: str = DEFAULT_REGION, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment for a terraform (or aws CLI) process that must talk to the sandbox.

    Starts from `base` (default: os.environ), drops every AWS_* variable — a developer's
    profile, session token, role or endpoint overrides must never reach the sandbox, and
    their credentials must never be sent to it — and sets:

        AWS_ENDPOINT_URL             the sandbox, for every service
        AWS_ACCESS_KEY_ID            the sandbox's own keys (`sandbox_keys`): moto maps
        AWS_SECRET_ACCESS_KEY        them to DEFAULT_ACCOUNT_ID
        AWS_REGION, AWS_DEFAULT_REGION
        AWS_CONFIG_FILE              os.devnull: no profile, no credential_process, no SSO
        AWS_SHARED_CREDENTIALS_FILE  os.devnull
        AWS_EC2_METADATA_DISABLED    true: never ask an instance-metadata service

    Other accounts are reached from these keys by `assume_role` in the provider blocks.
    The provider still needs `max_retries = 2` in its configuration: it ignores
    AWS_MAX_ATTEMPTS, and retries an HTTP 500 from an action moto lacks for 15+ minutes.
    """
    env = {key: value for key, value in (os.environ if base is None else base).items()}
    for key in [key for key in env if key.startswith("AWS_")]:
        del env[key]
    access_key_id, secret_access_key = sandbox_keys(endpoint_url)
    env.update(
        AWS_ENDPOINT_URL=endpoint_url,
        AWS_ACCESS_KEY_ID=access_key_id,
        AWS_SECRET_ACCESS_KEY=secret_access_key,
        AWS_REGION=region,
        AWS_DEFAULT_REGION=region,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


def sandbox_holdings(endpoint_url: str, timeout: float = 10.0) -> list[tuple[str, str]]:
    """(account, region) pairs in which the sandbox holds non-default VPCs (sandbox_inventory)."""
    import json
    import urllib.request

    key = sandbox_keys(endpoint_url)[0]
    request = urllib.request.Request(
        endpoint_url.rstrip("/") + "/vpcwire/holdings",
        headers={
            "Authorization": (
                f"AWS4-HMAC-SHA256 Credential={key}/20240101/{DEFAULT_REGION}/ec2/aws4_request, "
                "SignedHeaders=host, Signature=0"
            )
        },
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data = json.loads(response.read())
    return [(str(h["account"]), str(h["region"])) for h in data["holdings"]]


@dataclass(frozen=True, slots=True)
class SandboxSession:
    """boto3 clients that talk to the sandbox as one account."""

    endpoint_url: str
    account_id: str
    region: str
    session: Any  # boto3.Session

    def client(self, service: str, region: str | None = None) -> Any:
        """A client for the sandbox. It never retries: moto has no transient failures, and
        an HTTP 500 (an action moto lacks) should surface at once, not after backoff."""
        from botocore.config import Config

        return self.session.client(
            service,
            region_name=region or self.region,
            endpoint_url=self.endpoint_url,
            config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
        )


def _isolated_boto3_session(region: str, **credentials: str) -> Any:
    """A boto3 Session that reads no AWS config file or profile of the developer's."""
    import boto3
    import botocore.session

    # "profile" is read from nowhere (not AWS_PROFILE): a developer's profile must not apply.
    core = botocore.session.Session(session_vars={"profile": (None, None, None, None)})
    core.set_config_variable("config_file", os.devnull)
    core.set_config_variable("credentials_file", os.devnull)
    return boto3.Session(botocore_session=core, region_name=region, **credentials)


def boto3_session(
    endpoint_url: str, account_id: str | None = None, region: str = DEFAULT_REGION
) -> SandboxSession:
    """Clients for the sandbox as `account_id` (default: moto's default account).

    Another account is reached the way a real multi-account setup does: sts:AssumeRole on
    a role ARN in that account, which moto answers with keys of that account.
    """
    access_key_id, secret_access_key = sandbox_keys(endpoint_url)
    base = _isolated_boto3_session(
        region, aws_access_key_id=access_key_id, aws_secret_access_key=secret_access_key
    )
    account = account_id or DEFAULT_ACCOUNT_ID
    if account == DEFAULT_ACCOUNT_ID:
        return SandboxSession(endpoint_url, account, region, base)
    sts = SandboxSession(endpoint_url, DEFAULT_ACCOUNT_ID, region, base).client("sts")
    keys = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/vpcwire-sandbox", RoleSessionName="vpcwire"
    )["Credentials"]
    session = _isolated_boto3_session(
        region,
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
        aws_session_token=keys["SessionToken"],
    )
    return SandboxSession(endpoint_url, account, region, session)
