"""Helpers for building on the sandbox and reading it back (fixtures are in conftest.py).

Resources are made with boto3 exactly as a user would, each test in accounts of its own,
reached with sts.assume_role (moto answers with keys of the role's account), and read back
the same way: ``role_arns`` without the caller.
"""

from __future__ import annotations

import itertools
import os
from typing import Any

import boto3

from vpcwire.read import ReadResult, read_network

CALLER_ACCOUNT = "123456789012"  # moto's account for keys it did not issue
_accounts = itertools.count(1)


def caller_session() -> boto3.Session:
    return boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )


class Aws:
    """boto3 clients for one account on the sandbox, by region.

    Tests work in accounts of their own (moto keeps each account's resources apart), so they
    never see each other's resources and never need to reset the shared sandbox."""

    def __init__(self, url: str, account: str, keys: dict[str, str]) -> None:
        self.url, self.account, self.keys = url, account, keys
        self.session = caller_session()

    @property
    def role(self) -> str:
        return f"arn:aws:iam::{self.account}:role/x"

    @classmethod
    def new(cls, url: str) -> Aws:
        """A fresh account no other test uses, reached the way the reader does: assume_role."""
        account = f"3{os.getpid() % 100000:05d}{next(_accounts):06d}"
        sts = caller_session().client("sts", endpoint_url=url)
        keys = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/x", RoleSessionName="tests")[
            "Credentials"
        ]
        return cls(
            url,
            account,
            {
                "aws_access_key_id": keys["AccessKeyId"],
                "aws_secret_access_key": keys["SecretAccessKey"],
                "aws_session_token": keys["SessionToken"],
            },
        )

    def client(self, service: str, region: str = "us-east-1") -> Any:
        return self.session.client(service, region_name=region, endpoint_url=self.url, **self.keys)


def read(accounts: list[Aws], regions: list[str], **kwargs: Any) -> ReadResult:
    """read_network over the given accounts only (as assumed roles), on the sandbox."""
    kwargs.setdefault("session", caller_session())
    return read_network(
        regions,
        endpoint_url=accounts[0].url,
        include_caller=False,
        role_arns=[a.role for a in accounts],
        **kwargs,
    )


def tag(kind: str, name: str, **extra: str) -> list[dict[str, Any]]:
    """TagSpecifications with a Name (and the stack tag when ``stack`` is given)."""
    tags = {"Name": name}
    if "stack" in extra:
        tags["vpcwire:stack"] = extra.pop("stack")
    tags.update(extra)
    return [{"ResourceType": kind, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]
