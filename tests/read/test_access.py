"""Credentials, endpoints and refusals: what stops a read, and what only warns."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from tests.read.helpers import CALLER_ACCOUNT, Aws, caller_session, read
from tests.read.hooks import fail
from vpcwire.errors import ReadError, UsageError
from vpcwire.read import read_network
from vpcwire.read.session import Identity

_ENV = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
)


@pytest.fixture
def no_aws_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials anywhere: not in the environment, files or instance metadata."""
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _vpc(aws: Aws, region: str, cidr: str) -> str:
    return str(aws.client("ec2", region).create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"])


def test_denied_call_in_one_region_warns_and_the_rest_is_read(fresh: Aws) -> None:
    east, west = _vpc(fresh, "us-east-1", "10.0.0.0/16"), _vpc(fresh, "us-west-2", "10.1.0.0/16")
    session = caller_session()
    fail(
        session,
        "before-call.ec2.DescribeSecurityGroups",
        "UnauthorizedOperation",
        region="us-west-2",
    )
    result = read([fresh], ["us-east-1", "us-west-2"], session=session)
    where = f"account {fresh.account}, us-west-2"
    assert result.warnings == (
        f"ec2:DescribeSecurityGroups was denied in {where} (UnauthorizedOperation): "
        f"security groups of {where} are not in the network",
    )
    groups = {sg.vpc for sg in result.network.security_groups.values()}
    assert east in groups and west not in groups
    assert {east, west} <= set(result.network.vpcs)
    assert result.network.subnets  # everything else still read


def test_denied_elbv2_call_names_the_iam_action(fresh: Aws) -> None:
    session = caller_session()
    fail(session, "before-call.elastic-load-balancing-v2.DescribeTargetGroups", "AccessDenied")
    result = read([fresh], ["us-east-1"], session=session)
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith(
        "elasticloadbalancing:DescribeTargetGroups was denied "
        f"in account {fresh.account}, us-east-1 (AccessDenied)"
    )


def test_expired_token_stops_the_read_without_showing_any_key(fresh: Aws) -> None:
    session = caller_session()
    fail(session, "before-call.ec2.DescribeVpcs", "ExpiredToken", status=400)
    with pytest.raises(ReadError, match=r"session token .* has expired \(ExpiredToken\)") as err:
        read([fresh], ["us-east-1"], session=session)
    for secret in (*fresh.keys.values(), "testing"):
        assert secret not in str(err.value)


def test_credentials_refused_in_one_region_hint_at_opt_in_regions(fresh: Aws) -> None:
    session = caller_session()
    fail(session, "before-call.ec2.DescribeVpcs", "AuthFailure", status=401, region="us-west-2")
    with pytest.raises(
        ReadError,
        match=f"AuthFailure.*in account {fresh.account}, us-west-2: if that region is not enabled",
    ):
        read([fresh], ["us-east-1", "us-west-2"], session=session)


def test_assumed_role_keys_never_show_in_a_repr() -> None:
    who = Identity("1", "arn:aws:iam::1:role/x", {"aws_secret_access_key": "s3cr3t"})
    assert "s3cr3t" not in repr(who)


def test_refused_role_stops_the_read_naming_the_role(fresh: Aws) -> None:
    session = caller_session()
    fail(session, "before-call.sts.AssumeRole", "AccessDenied")
    with pytest.raises(ReadError, match=f"cannot assume role {fresh.role} \\(AccessDenied\\)"):
        read([fresh], ["us-east-1"], session=session)


@pytest.mark.usefixtures("no_aws_config")
def test_no_credentials_says_what_to_do() -> None:
    with pytest.raises(
        ReadError,
        match="no AWS credentials found: set AWS_PROFILE or run "
        "`aws sso login`, or pass --endpoint-url",
    ):
        read_network(["us-east-1"])


def test_unreachable_endpoint_fails_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    started = time.perf_counter()
    with pytest.raises(ReadError, match=f"cannot reach the AWS API at {url}.*sandbox running"):
        read_network(["us-east-1"], endpoint_url=url, session=caller_session())
    assert time.perf_counter() - started < 10


def test_endpoint_comes_from_the_environment_unless_given(
    fresh: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    vpc = _vpc(fresh, "us-east-1", "10.0.0.0/16")
    monkeypatch.setenv("AWS_ENDPOINT_URL", fresh.url)
    from_env = read_network(
        ["us-east-1"], session=caller_session(), role_arns=[fresh.role], include_caller=False
    )
    assert vpc in from_env.network.vpcs
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{_closed_port()}")
    assert vpc in read([fresh], ["us-east-1"]).network.vpcs  # the argument wins


@pytest.mark.usefixtures("no_aws_config")
def test_local_sandbox_needs_no_credentials(moto_url: str) -> None:
    made = (
        caller_session()
        .client("ec2", endpoint_url=moto_url)
        .create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    )
    result = read_network(["us-east-1"], endpoint_url=moto_url)
    assert made in result.network.vpcs
    assert CALLER_ACCOUNT in result.network.accounts


def test_caller_and_roles_and_an_account_reached_twice_is_read_once(fresh: Aws) -> None:
    mine = _vpc(fresh, "us-east-1", "10.5.0.0/16")
    result = read_network(
        ["us-east-1"],
        endpoint_url=fresh.url,
        session=caller_session(),
        role_arns=[fresh.role, fresh.role],
    )
    assert set(result.network.accounts) >= {fresh.account, CALLER_ACCOUNT}
    assert mine in result.network.vpcs
    assert sum(v.is_default for v in result.network.vpcs.values()) == 2


@pytest.mark.parametrize(
    ("regions", "kwargs", "message"),
    [
        ([], {}, "no region"),
        (["us-east-1"], {"include_caller": False}, "nothing to read"),
    ],
)
def test_usage_errors(regions: list[str], kwargs: dict[str, bool], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        read_network(regions, session=caller_session(), **kwargs)  # type: ignore[arg-type]


def _profiles_file(tmp_path: Path, **profiles: dict[str, str]) -> None:
    lines = []
    for name, keys in profiles.items():
        lines.append(f"[{name}]")
        lines += [f"{key} = {value}" for key, value in keys.items()]
    (tmp_path / "credentials").write_text("\n".join(lines) + "\n")


def test_a_named_profile_reaches_another_account(
    fresh: Aws, fresh2: Aws, no_aws_config: None, tmp_path: Path
) -> None:
    """An account reached by a profile of the user's AWS config (as SSO users reach theirs)
    is read with that profile's credentials, beside the roles; its keys never show."""
    mine = _vpc(fresh, "us-east-1", "10.6.0.0/16")
    theirs = _vpc(fresh2, "us-east-1", "10.7.0.0/16")
    _profiles_file(tmp_path, **{"team-b": fresh.keys})
    result = read_network(
        ["us-east-1"],
        endpoint_url=fresh.url,
        session=caller_session(),
        include_caller=False,
        role_arns=[fresh2.role],
        profiles=["team-b", "team-b"],
    )
    assert result.network.vpcs[mine].account == fresh.account
    assert result.network.vpcs[theirs].account == fresh2.account
    assert set(result.network.accounts) == {fresh.account, fresh2.account}
    assert fresh.keys["aws_secret_access_key"] not in repr(result)


def test_a_profile_that_does_not_exist_stops_the_read_naming_it(
    fresh: Aws, no_aws_config: None, tmp_path: Path
) -> None:
    _profiles_file(tmp_path, **{"team-b": fresh.keys})
    with pytest.raises(ReadError, match="AWS profile team-c is not in your AWS config"):
        read_network(
            ["us-east-1"],
            endpoint_url=fresh.url,
            session=caller_session(),
            include_caller=False,
            profiles=["team-c"],
        )
