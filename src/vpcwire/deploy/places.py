"""The accounts and regions a stack lives in, with API clients for each (sandbox or AWS).

The inventory and the sweep must look everywhere the stack's Terraform may have created
something: every account of the spec, in every region where one of its VPCs lives.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from vpcwire.deploy.inventory import Place
from vpcwire.plan.plan import Plan

__all__ = ["places_for", "stack_places"]


def stack_places(plan: Plan) -> tuple[str, ...]:
    """ "<account id>/<region>" of every VPC of the plan: where its resources live."""
    return tuple(
        sorted(
            {
                f"{plan.spec.accounts[v.account].id if v.account in plan.spec.accounts else v.account}"
                f"/{v.region}"
                for v in plan.network.vpcs.values()
            }
        )
    )


def places_for(
    plan: Plan, *, target: str, endpoint_url: str | None, also: Iterable[str] = ()
) -> list[Place]:
    """Clients for every account and region of the plan, and of ``also`` (places an earlier
    version of the spec used, from the target record: `down` must look there too)."""
    pairs = sorted({tuple(p.split("/", 1)) for p in (*stack_places(plan), *also) if "/" in p})
    if target == "sandbox":
        from vpcwire.sandbox.clients import boto3_session

        assert endpoint_url is not None
        out = []
        for account, region in pairs:
            session = boto3_session(endpoint_url, account, region)
            out.append(Place(account, region, session.client))
        return out
    return [
        Place(account, region, partial(_aws_client, plan, account, region))
        for account, region in pairs
    ]


def _aws_client(plan: Plan, account_id: str, region: str, service: str) -> Any:
    """A client in ``account_id`` as the spec says to reach it (profile, role, or the caller)."""
    import boto3

    account = next((a for a in plan.spec.accounts.values() if a.id == account_id), None)
    profile = account.profile if account else None
    session = boto3.Session(profile_name=profile) if profile else boto3.Session()
    if account is not None and account.role_arn:
        keys = session.client("sts", region_name=region).assume_role(
            RoleArn=account.role_arn, RoleSessionName="vpcwire-inventory"
        )["Credentials"]
        session = boto3.Session(
            aws_access_key_id=keys["AccessKeyId"],
            aws_secret_access_key=keys["SecretAccessKey"],
            aws_session_token=keys["SessionToken"],
        )
    return session.client(service, region_name=region)
