"""Before `up --target aws` touches anything: whose credentials, for which account.

Terraform finds out about missing or expired credentials only after init, and says so in
the provider's words, once per provider block. Asking STS first (as `verify --live
--target aws` does through the reader) fails in a second with one message that names the
profile or role, and catches credentials of the wrong account before terraform's
`allowed_account_ids` does. Each spec account is checked the way its provider block will
authenticate: its `profile` (else the ambient credentials), then its `role_arn` if any.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vpcwire.errors import DeployError

__all__ = ["AccountAccess", "check_aws_credentials"]

SESSION_NAME = "vpcwire-up-check"


@dataclass(frozen=True, slots=True)
class AccountAccess:
    """How one spec account will be reached: the source of its credentials and who it is."""

    account: str  # the spec's name for it
    account_id: str
    source: str  # "profile prod", "credentials from env", …
    role_arn: str | None
    caller_arn: str

    def __str__(self) -> str:
        via = f" assuming {self.role_arn}" if self.role_arn else ""
        return (
            f"account {self.account} ({self.account_id}): {self.source}{via} as {self.caller_arn}"
        )


def _source(session: Any) -> str:
    name = session.profile_name
    if name and name != "default":
        return f"profile {name}"
    credentials = session.get_credentials()
    method = getattr(credentials, "method", None) or "default"
    return f"the default credential chain ({method})"


def _fail(account: str, doing: str, exc: BaseException, source: str) -> DeployError:
    from vpcwire.read.session import fatal_error

    fatal = fatal_error(exc, None, source.removeprefix("profile ") if "profile" in source else None)
    reason = str(fatal) if fatal is not None else f"{type(exc).__name__}: {exc}"
    return DeployError(
        f"cannot deploy to AWS: account {account}: {doing} failed with {source}",
        detail=f"{reason}\n  fix: check the credentials (AWS_PROFILE, `aws sso login`), or the "
        "account's profile/role_arn in the spec",
    )


def check_aws_credentials(
    spec: Any, *, session_factory: Callable[..., Any] | None = None
) -> list[AccountAccess]:
    """One AccountAccess per spec account, or DeployError (exit 3) naming what is wrong."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound

    make = session_factory or boto3.Session
    regions = {v.account: v.region for v in reversed(list(spec.vpcs.values()))}
    found = []
    for name, account in spec.accounts.items():
        region = regions.get(name, "us-east-1")
        try:
            session = make(profile_name=account.profile) if account.profile else make()
        except ProfileNotFound as exc:
            raise DeployError(
                f"cannot deploy to AWS: account {name}: profile {account.profile} is not in "
                "your AWS configuration",
                detail=f"{exc}\n  fix: create the profile (`aws configure --profile "
                f"{account.profile}`) or change `profile` in the spec",
            ) from None
        source = _source(session)
        if session.get_credentials() is None:
            raise DeployError(
                f"cannot deploy to AWS: account {name}: no AWS credentials found ({source})",
                detail="  fix: set AWS_PROFILE or run `aws sso login` (or give the account a "
                "`profile` in the spec); `--target sandbox` needs none",
            )
        sts = session.client("sts", region_name=region)
        try:
            identity = sts.get_caller_identity()
        except (BotoCoreError, ClientError) as exc:
            raise _fail(name, "sts:GetCallerIdentity", exc, source) from None
        caller = str(identity["Arn"])
        actual = str(identity["Account"])
        if account.role_arn:
            try:
                keys = sts.assume_role(RoleArn=account.role_arn, RoleSessionName=SESSION_NAME)
            except (BotoCoreError, ClientError) as exc:
                raise _fail(name, f"assuming {account.role_arn}", exc, source) from None
            caller = str(keys["AssumedRoleUser"]["Arn"])
            actual = caller.split(":")[4]
        if actual != account.id:
            raise DeployError(
                f"cannot deploy to AWS: account {name} is {account.id} in the spec, but "
                f"{source}{' assuming ' + account.role_arn if account.role_arn else ''} "
                f"acts in account {actual} (as {caller})",
                detail="  fix: use credentials of that account (AWS_PROFILE, the account's "
                "`profile`), or give it a `role_arn` in it",
            )
        found.append(AccountAccess(name, account.id, source, account.role_arn, caller))
    return found
