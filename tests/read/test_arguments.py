"""Where `check` reads, as typed: bad regions, endpoint URLs and role ARNs are usage errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.read.helpers import Aws, caller_session
from tests.read.hooks import fail
from vpcwire.cli import app
from vpcwire.cli.check_scope import ReadScope
from vpcwire.errors import UsageError
from vpcwire.read.arguments import (
    parse_endpoint_url,
    parse_profiles,
    parse_regions,
    parse_role_arns,
)

runner = CliRunner()
CHECK = ["check", "--from", "a", "--to", "b", "--port", "22"]


def test_regions_as_aws_spells_them() -> None:
    assert parse_regions("us-east-1, us-west-2,us-east-1") == ["us-east-1", "us-west-2"]
    assert "cn-north-1" in parse_regions("cn-north-1")  # other partitions count too


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("US-EAST-1", "did you mean us-east-1"),
        ("../x", "is not a region name"),
        ("us-east-9", "is not an AWS region"),
        ("mars-north-1", "is not an AWS region"),
        (",,", "name at least one region"),
        ("us-east-1/../../x", "is not a region name"),
    ],
)
def test_a_bad_region_is_a_located_usage_error(text: str, says: str) -> None:
    with pytest.raises(UsageError, match="--regions") as raised:
        parse_regions(text)
    assert says in str(raised.value)
    assert "fix:" in str(raised.value) or "name at least one" in str(raised.value)


@pytest.mark.parametrize(
    "url",
    [
        "127.0.0.1:4566",
        "ftp://127.0.0.1",
        "http://",
        "http://127.0.0.1:99999",
        "http://127.0.0.1:port",
        "http://user:pw@127.0.0.1:4566",
        "http://127.0.0.1:4566/?x=1",
        "http://127.0.0.1 :4566",
        "http://[::1",
    ],
)
def test_a_malformed_endpoint_url_is_a_usage_error(url: str) -> None:
    with pytest.raises(UsageError, match="--endpoint-url"):
        parse_endpoint_url(url)


def test_good_endpoint_urls_pass() -> None:
    assert parse_endpoint_url("http://127.0.0.1:4566/") == "http://127.0.0.1:4566"
    assert parse_endpoint_url("https://ec2.us-east-1.amazonaws.com") is not None
    assert parse_endpoint_url(None) is None


@pytest.mark.parametrize(
    "role",
    [
        "arn:aws:iam::12345678901:role/x",
        "arn:aws:iam::123456789012:user/x",
        "arn:aws:iam::１２３４５６７８９０１２:role/x",
        "role/x",
        "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:role/a b",
    ],
)
def test_a_malformed_role_arn_is_a_usage_error(role: str) -> None:
    with pytest.raises(UsageError, match="--assume-role"):
        parse_role_arns(role)


def test_good_role_arns_pass() -> None:
    roles = "arn:aws:iam::123456789012:role/a, arn:aws-cn:iam::123456789012:role/path/b"
    assert len(parse_role_arns(roles)) == 2


@pytest.mark.parametrize(
    "extra",
    [
        ["--regions", "../x"],
        ["--regions", "US-EAST-1"],
        ["--regions", "us-nowhere-1"],
        ["--endpoint-url", "not a url"],
        ["--assume-role", "arn:aws:iam::1:role/x"],
        ["--sandbox", "--target", "aws"],
        ["--profile", " , "],
        ["--profile", "has space"],
        ["--sandbox", "--profile", "team-b"],
    ],
)
def test_check_exits_2_with_a_message_and_never_reads(extra: list[str]) -> None:
    result = runner.invoke(app, [*CHECK, *extra])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error:")
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--regions", "us-east-1,,eu-west-1"], "--regions 'us-east-1,,eu-west-1': entry 2 of 3"),
        (["--regions", "us-east-1,"], "entry 2 of 2 is empty"),
        (["--assume-role", ",arn:aws:iam::111111111111:role/r"], "entry 1 of 2 is empty"),
        (["--assume-role", ""], "--assume-role '': name at least one role"),
        (["--profile", "team-b,,team-c"], "--profile 'team-b,,team-c': entry 2 of 3"),
        (["--port", "0"], "--port 0: TCP ports are 1 to 65535"),
        (["--port", "-0"], "--port 0: TCP ports are 1 to 65535"),
        (["--port", "0", "--protocol", "udp"], "--port 0: UDP ports"),
    ],
)
def test_empty_entries_and_port_0_are_refused_not_dropped(extra: list[str], says: str) -> None:
    """Issue 16: `check` took --port 0 and silently dropped empty list entries (often a
    shell variable that was not set), reading less than the user asked for."""
    result = runner.invoke(app, [*CHECK, *extra])
    assert result.exit_code == 2, result.output
    assert says in result.stderr
    assert "fix:" in result.stderr


def test_icmp_type_0_is_a_type_not_a_missing_port() -> None:
    assert parse_regions("us-east-1") == ["us-east-1"]
    result = runner.invoke(
        app, [*CHECK, "--port", "0", "--protocol", "icmp", "--endpoint-url", "::nope"]
    )
    assert result.exit_code == 2 and "--endpoint-url" in result.stderr  # got past the port


def test_a_region_not_enabled_for_the_account_is_a_usage_error(fresh: Aws) -> None:
    session = caller_session()
    fail(session, "before-call.ec2.*", "OptInRequired", region="ap-east-1")
    scope = ReadScope(
        regions=("us-east-1", "ap-east-1"),
        role_arns=(fresh.role,),
        include_caller=False,
        endpoint_url=fresh.url,
        sandbox=False,
        session=session,
    )
    with pytest.raises(UsageError) as raised:
        scope.read()
    assert "--regions: ap-east-1 is not enabled for the account (OptInRequired)" in str(
        raised.value
    )
    assert "fix:" in str(raised.value)


def test_verify_live_with_a_malformed_endpoint_url_exits_2(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text('accounts: {main: {id: "111111111111"}}\nvpcs: {}\n')
    result = runner.invoke(app, ["verify", str(spec), "--live", "--endpoint-url", "::nope"])
    assert result.exit_code == 2, result.output
    assert "--endpoint-url" in result.stderr


def test_profiles_as_the_aws_config_names_them() -> None:
    assert parse_profiles("team-b, prod.admin@x ,team-b") == ["team-b", "prod.admin@x"]
    with pytest.raises(UsageError, match="is not a profile name"):
        parse_profiles("[team-b]")


def test_check_on_aws_reads_the_named_profiles_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """`check --profile a,b` reads the caller's account and one more account per profile."""
    import vpcwire.read

    seen: dict[str, object] = {}

    def fake_read(regions: list[str], **kwargs: object) -> object:
        seen.update(kwargs, regions=regions)
        raise UsageError("stop here: what would be read is known")

    monkeypatch.setattr(vpcwire.read, "read_network", fake_read)
    result = runner.invoke(
        app, [*CHECK, "--regions", "us-east-1", "--profile", "team-b,team-c", "--target", "aws"]
    )
    assert result.exit_code == 2 and "stop here" in result.stderr
    assert seen["profiles"] == ["team-b", "team-c"] and seen["include_caller"] is True


def test_verify_live_on_aws_reads_profile_accounts_with_their_profile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An account the spec reaches by `profile` (no role) is read live with that profile;
    an account with a role is read by assuming the role."""
    import vpcwire.read
    from vpcwire.deploy.stack import read_stack
    from vpcwire.pipeline import plan
    from vpcwire.spec.load import parse_spec

    spec = parse_spec(
        """
name: two
accounts:
  a: {id: "111111111111"}
  b: {id: "222222222222", profile: team-b}
  c: {id: "333333333333", role_arn: "arn:aws:iam::333333333333:role/reader", profile: ignored}
vpcs:
  one: {account: a, region: us-east-1, cidr: 10.0.0.0/16, azs: [us-east-1a]}
  two: {account: b, region: us-east-1, cidr: 10.1.0.0/16, azs: [us-east-1a]}
  three: {account: c, region: us-east-1, cidr: 10.2.0.0/16, azs: [us-east-1a]}
""",
        Path("two.yaml"),
    )
    seen: dict[str, object] = {}
    monkeypatch.setattr(vpcwire.read, "read_network", lambda regions, **kw: seen.update(kw))
    read_stack(plan(spec), target="aws")
    assert seen["profiles"] == ["team-b"]
    assert seen["role_arns"] == ["arn:aws:iam::333333333333:role/reader"]
    assert seen["include_caller"] is True
