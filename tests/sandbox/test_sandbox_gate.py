"""The sandbox's gate: only its own key and the keys its STS hands out get in."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from vpcwire.sandbox.gate import access_key_of
from vpcwire.sandbox.server import Sandbox

OWN_KEY = "VWSBTESTGATEKEY0000000000000000001"


@pytest.fixture(scope="module")
def gated() -> Iterator[str]:
    with Sandbox(access_key_id=OWN_KEY) as running:
        yield running.endpoint_url


def client(url: str, service: str, key: str, **extra: str) -> Any:
    return boto3.client(
        service,
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id=key,
        aws_secret_access_key="anything",
        **extra,
    )


def status_of(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        with error:  # it holds the connection
            return int(error.code)


def test_the_own_key_gets_in(gated: str) -> None:
    assert client(gated, "ec2", OWN_KEY).describe_vpcs()["Vpcs"]


@pytest.mark.parametrize("key", ["vpcwire-sandbox", "testing", OWN_KEY[:-1], "ASIAFAKEFAKEFAKE"])
def test_any_other_key_is_refused(gated: str, key: str) -> None:
    with pytest.raises(ClientError) as refused:
        client(gated, "ec2", key).describe_vpcs()
    assert refused.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_the_moto_api_needs_the_key_too(gated: str) -> None:
    assert status_of(f"{gated}/moto-api/data.json") == 403
    signed = f"AWS4-HMAC-SHA256 Credential={OWN_KEY}/20240101/us-east-1/ec2/aws4_request"
    assert status_of(f"{gated}/moto-api/reset", {"Authorization": "Bearer x"}) == 403
    # (a cheap route: the dump of a test worker's whole moto state takes seconds)
    assert status_of(f"{gated}/moto-api/config", {"Authorization": signed}) < 400


def test_keys_its_sts_hands_out_get_in_as_their_account(gated: str) -> None:
    sts = client(gated, "sts", OWN_KEY)
    keys = sts.assume_role(RoleArn="arn:aws:iam::444455556666:role/x", RoleSessionName="tests")[
        "Credentials"
    ]
    assumed = client(
        gated, "sts", keys["AccessKeyId"], aws_session_token=keys["SessionToken"]
    ).get_caller_identity()
    assert assumed["Account"] == "444455556666"


def test_unsigned_sts_calls_hand_out_nothing(gated: str) -> None:
    request = urllib.request.Request(
        gated + "/",
        data=b"Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn:aws:iam::"
        b"111111111111:role/x&RoleSessionName=s&WebIdentityToken=t",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    with refused.value:
        assert refused.value.code == 403


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {
                "HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/"
                "sts/aws4_request, SignedHeaders=host, Signature=x"
            },
            ("AKID", "sts"),
        ),
        (
            {"QUERY_STRING": "X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"},
            ("AKID", None),
        ),
        ({"HTTP_AUTHORIZATION": "Bearer nothing"}, (None, None)),
        ({}, (None, None)),
    ],
)
def test_access_key_of(environ: dict[str, str], expected: tuple[str | None, str | None]) -> None:
    assert access_key_of(environ) == expected
