"""Specs that used to crash, hang or pass though AWS refuses them: each is now exit 2, through
the CLI, with a located message, a fix line and no traceback."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import BASE, write_spec
from vpcwire.cli import app

runner = CliRunner()

SERVICE = BASE + "services:\n  api:\n    vpc: a\n    port: 8080\n"
TWO_REGIONS = BASE.replace(
    "region: us-east-1\n    cidr: 10.1.0.0/16\n    azs: [us-east-1a, us-east-1b]",
    "region: us-west-2\n    cidr: 10.1.0.0/16\n    azs: [us-west-2a, us-west-2b]",
)


def _lol(levels: int = 9) -> str:
    text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, levels + 1):
        text += f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n"
    return text


# case -> (spec text, where the problem is "line:column: path", words the message has)
REFUSED: dict[str, tuple[str, str, str]] = {
    "same consumer+service connection twice": (
        SERVICE
        + "connections:\n  - {consumer: b, service: api}\n  - {consumer: b, service: api}\n",
        "18:5: connections[1]",
        "is already connections[0]",
    ),
    "one target IP in two services": (
        BASE
        + "services:\n  api:\n    vpc: a\n    port: 80\n    targets: {ips: [10.0.0.50]}\n"
        + "  web:\n    vpc: a\n    port: 81\n    targets: {ips: [10.0.0.50]}\n",
        "20:21: services.web.targets.ips[0]",
        "already a target of service api",
    ),
    "a /29 VPC with azs": (
        BASE.replace("10.0.0.0/16", "10.0.0.0/29"),
        "6:11: vpcs.a.cidr",
        "smaller than AWS allows",
    ),
    "a /32 VPC with azs": (
        BASE.replace("10.0.0.0/16", "10.0.0.0/32"),
        "6:11: vpcs.a.cidr",
        "/16 to /28",
    ),
    "a /15 secondary block": (
        BASE.replace(
            "    cidr: 10.0.0.0/16\n", "    cidr: 10.0.0.0/16\n    secondary_cidrs: [10.2.0.0/15]\n"
        ),
        "7:23: vpcs.a.secondary_cidrs[0]",
        "larger than AWS allows",
    ),
    "outpost_cidr /29": (
        TWO_REGIONS.replace("10.0.0.0/16", "10.0.0.0/16")
        + "services:\n  api:\n    vpc: a\n    port: 80\n"
        + "connections:\n  - {consumer: b, service: api, via: outpost, outpost_cidr: 10.9.0.0/29}\n",
        "17:61: connections[0].outpost_cidr",
        "smaller than AWS allows",
    ),
    "outpost_cidr /28: no room for the outpost's subnets": (
        TWO_REGIONS
        + "services:\n  api:\n    vpc: a\n    port: 80\n"
        + "connections:\n  - {consumer: b, service: api, via: outpost, outpost_cidr: 10.9.0.0/28}\n",
        "17:61: connections[0].outpost_cidr",
        "leaves no room for the outpost's subnets",
    ),
    "outpost_cidr written as /29": (
        TWO_REGIONS
        + "services:\n  api:\n    vpc: a\n    port: 80\n"
        + "connections:\n  - {consumer: b, service: api, via: outpost, outpost_cidr: /29}\n",
        "17:61: connections[0].outpost_cidr",
        "not an IPv4 CIDR block",
    ),
    "consumer VPC 0.0.0.0/0 needing an outpost": (
        TWO_REGIONS.replace("10.1.0.0/16", "0.0.0.0/0")
        + "services:\n  api:\n    vpc: a\n    port: 80\n"
        + "connections:\n  - {consumer: b, service: api, via: outpost}\n",
        "10:11: vpcs.b.cidr",
        "larger than AWS allows",
    ),
    "a /32 subnet with instances": (
        BASE.replace(
            "    azs: [us-east-1a, us-east-1b]\n  b:",
            "    subnets: {private: [{cidr: 10.0.0.0/32, az: us-east-1a}]}\n    instances: 2\n  b:",
        ),
        "7:32: vpcs.a.subnets.private[0].cidr",
        "smaller than AWS allows",
    ),
    "a /28 subnet asked for more instances than it holds": (
        BASE.replace(
            "    azs: [us-east-1a, us-east-1b]\n  b:",
            "    subnets: {private: [{cidr: 10.0.0.0/28, az: us-east-1a}]}\n    instances: 12\n  b:",
        )
        + "connections:\n  - peers: [a, b]\n",
        "8:16: vpcs.a.instances",
        "has no address left for a_client_12",
    ),
    "an unknown YAML tag": (
        BASE.replace('{id: "111111111111"}', '!account {id: "111111111111"}'),
        "2:9: accounts.main",
        "YAML tag '!account' is not allowed",
    ),
    "a bad !!binary": (
        BASE.replace('"111111111111"', "!!binary xx%%"),
        "2:14: accounts.main.id",
        "YAML tag 'tag:yaml.org,2002:binary' is not allowed",
    ),
    "a recursive alias": (
        BASE + "connections: &c\n  - peers: *c\n",
        "12:14: connections[0].peers",
        "recursive alias",
    ),
    "a billion laughs": (
        BASE + _lol(),
        "12:31: a4[0][2][0][6][7]",
        "aliases expand to more than 10000 nodes",
    ),
    "a document nested 5,000 levels deep (flow)": (
        BASE + "connections: " + "[" * 5000 + "]" * 5000 + "\n",
        "12:1013: <root>",
        "nesting depth",
    ),
    "mappings nested 900 levels deep": (
        BASE + "expect: " + "{a: " * 900 + "1" + "}" * 900 + "\n",
        "12:",
        "nests deeper than 64 levels",
    ),
    "Arabic-Indic digits in an account id": (
        BASE.replace('"111111111111"', '"١١١١١١١١١١١١"'),
        "2:14: accounts.main.id",
        "12 digits (ASCII 0-9)",
    ),
    "full-width digits in a role ARN": (
        BASE.replace(
            '{id: "111111111111"}',
            '{id: "111111111111", role_arn: "arn:aws:iam::１１１１１１１１１１１１:role/x"}',
        ),
        "2:40: accounts.main.role_arn",
        "not an IAM role ARN",
    ),
    "a role ARN of another account": (  # located at the role_arn, the value the fix changes
        BASE.replace(
            '{id: "111111111111"}',
            '{id: "111111111111", role_arn: "arn:aws:iam::222222222222:role/deployer"}',
        ),
        "2:40: accounts.main.role_arn",
        "role_arn is in account 222222222222",
    ),
    "an instance_type AWS cannot have": (
        BASE + 'instance_type: "t3.micro\\"; rm -rf /"\n',
        "12:16: instance_type",
        "not an EC2 instance type name",
    ),
    "an AZ the region does not have": (
        BASE.replace("azs: [us-east-1a, us-east-1b]\n  b:", "azs: [us-east-1a, us-east-1g]\n  b:"),
        "7:23: vpcs.a.azs[1]",
        "AZ 'us-east-1g' does not exist in us-east-1",
    ),
    "an AZ id the region does not have": (
        BASE.replace(
            '{id: "111111111111"}', '{id: "111111111111", az_ids: {us-east-1a: use1-az9}}'
        ),
        "2:51: accounts.main.az_ids.us-east-1a",
        "AZ id 'use1-az9' is not an AZ id of us-east-1; did you mean 'use1-az6'?",
    ),
    "a secondary block overlapping the VPC's own": (
        BASE.replace(
            "    cidr: 10.0.0.0/16\n",
            "    cidr: 10.0.0.0/16\n    secondary_cidrs: [10.0.128.0/17]\n",
        ),
        "7:23: vpcs.a.secondary_cidrs[0]",
        "overlaps VPC a's block 10.0.0.0/16",
    ),
    "an infinite traffic volume": (
        SERVICE + "connections:\n  - {consumer: b, service: api, traffic_gb_month: .inf}\n",
        "17:51: connections[0].traffic_gb_month",
        "Input should be a finite number",
    ),
    "one target IP twice in a service": (
        BASE
        + "services:\n  api:\n    vpc: a\n    port: 80\n    targets: {ips: [10.0.0.50, 10.0.0.50]}\n",
        "16:14: services.api.targets",
        "ips lists an address twice",
    ),
    "a CIDR block written as a boolean": (
        BASE.replace("10.0.0.0/16", "true"),
        "6:11: vpcs.a.cidr",
        "True is not an IPv4 CIDR block",
    ),
}


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_with_located_message_and_fix(tmp_path: Path, case: str) -> None:
    text, where, words = REFUSED[case]
    spec = write_spec(tmp_path, text)
    started = time.perf_counter()
    code, stdout, stderr = _run("plan", str(spec))
    elapsed = time.perf_counter() - started
    assert code == 2, (stdout, stderr)
    assert "Traceback" not in stdout + stderr and "internal error" not in stderr, stderr
    assert f"spec.yaml:{where}" in stderr, stderr
    assert words in stderr, stderr
    line = next(x for x in stderr.splitlines() if f"spec.yaml:{where}" in x)
    following = stderr.splitlines()[stderr.splitlines().index(line) + 1]
    assert following.strip().startswith("fix: "), stderr
    assert elapsed < 10.0, f"{case} took {elapsed:.2f}s"  # a hang, not a loaded CI machine


def test_billion_laughs_is_refused_well_under_a_second(tmp_path: Path) -> None:
    from vpcwire.errors import SpecError
    from vpcwire.spec.load import parse_spec

    text = BASE + _lol(levels=12)  # 9**13 nodes if expanded
    started = time.perf_counter()
    with pytest.raises(SpecError) as caught:
        parse_spec(text, tmp_path / "spec.yaml")
    assert time.perf_counter() - started < 0.5
    assert any("aliases expand" in p.message for p in caught.value.problems)


def test_outpost_pools_exhausted_is_located(tmp_path: Path) -> None:
    """Every pool vpcwire draws an outpost block from is covered: ask for outpost_cidr."""
    vpcs = ["  a:\n    region: us-east-1\n    cidr: 10.0.0.0/16\n    azs: [us-east-1a]\n"]
    blocks = [f"10.{i}.0.0/16" for i in range(1, 256)]
    blocks += [f"172.{i}.0.0/16" for i in range(16, 32)] + ["192.168.255.0/24"]
    for n in range(0, len(blocks), 5):
        first, *rest = blocks[n : n + 5]
        vpcs.append(
            f"  v{n}:\n    region: us-west-2\n    cidr: {first}\n"
            f"    secondary_cidrs: [{', '.join(rest)}]\n    azs: [us-west-2a]\n    instances: 0\n"
        )
    text = (
        'accounts:\n  main: {id: "111111111111"}\nvpcs:\n'
        + "".join(vpcs)
        + "services:\n  api:\n    vpc: a\n    port: 80\n"
        + "connections:\n  - {consumer: v0, service: api, via: outpost}\n"
    )
    code, _, stderr = _run("plan", str(write_spec(tmp_path, text)))
    assert code == 2, stderr
    assert "connections[0]: no free /24" in stderr and "fix: give outpost_cidr" in stderr


def test_huge_values_are_cut_in_messages(tmp_path: Path) -> None:
    huge = "x" * 100_000
    spec = write_spec(
        tmp_path, BASE.replace("10.0.0.0/16", huge).replace("us-east-1a,", f"{huge},")
    )
    code, _, stderr = _run("plan", str(spec))
    assert code == 2
    assert "xxxxxxxxxx" in stderr and "(100000 characters)" in stderr
    assert max(len(line) for line in stderr.splitlines()) < 400


def test_all_independent_problems_in_one_run(tmp_path: Path) -> None:
    text = (
        BASE.replace("    nat: true\n", "")
        .replace(
            "    azs: [us-east-1a, us-east-1b]\n  b:", "    azs: [us-east-1a]\n    nta: 1\n  b:"
        )
        .replace('{id: "111111111111"}', '{id: "111111111111"}\n  main: {id: "222222222222"}')
        + "connections:\n  - peers: [a, c]\n"
    )
    code, _, stderr = _run("plan", str(write_spec(tmp_path, text)))
    assert code == 2
    assert "duplicate key 'main'" in stderr  # YAML
    assert "unknown key 'nta'" in stderr  # schema
    assert "unknown VPC 'c'" in stderr  # names
    assert stderr.count("fix: ") == 3


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("accounts: {main: {id: '1'}\n", "VW-E001"),  # YAML syntax
        (BASE.replace("10.0.0.0/16", "10.0.0.5/16"), "VW-E002"),  # schema
        (BASE + "connections:\n  - peers: [a, c]\n", "VW-E003"),  # names
        (BASE.replace("us-east-1b]\n  b:", "us-east-1q]\n  b:"), "VW-E004"),  # AWS
    ],
)
def test_every_error_appears_in_json_and_sarif(tmp_path: Path, text: str, rule: str) -> None:
    spec = write_spec(tmp_path, text)
    code, stdout, stderr = _run("plan", str(spec), "--json")
    assert code == 2, stderr
    report = json.loads(stdout)
    assert report["rejected"] is True and report["counts"]["error"] >= 1
    (finding,) = [f for f in report["findings"] if f["rule"] == rule]
    assert finding["line"] and finding["fix"] and finding["file"].endswith("spec.yaml")
    code, stdout, _ = _run("plan", str(spec), "--format", "sarif")
    assert code == 2
    run = json.loads(stdout)["runs"][0]
    (result,) = [r for r in run["results"] if r["ruleId"] == rule]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == finding["line"]
    assert "Fix: " in result["message"]["text"]
    assert rule in [d["id"] for d in run["tool"]["driver"]["rules"]]


def test_loader_and_rule_errors_together(tmp_path: Path) -> None:
    """An unknown AZ (loader) and a peering between overlapping CIDRs (spec rule VW-E201) do
    not depend on each other: one run reports both, in text and in JSON. (Rules that judge
    the planned Network need a plan, so they come once the spec itself is accepted.)"""
    text = (
        BASE.replace("10.1.0.0/16", "10.0.0.0/16").replace(
            "azs: [us-east-1a, us-east-1b]\n", "azs: [us-east-1a, us-east-1x]\n"
        )
        + "connections:\n  - peers: [a, b]\n"
    )
    spec = write_spec(tmp_path, text)
    code, _, stderr = _run("plan", str(spec))
    assert code == 2
    assert "AZ 'us-east-1x' does not exist in us-east-1" in stderr and "VW-E201" in stderr
    code, stdout, _ = _run("plan", str(spec), "--json")
    rules = {f["rule"] for f in json.loads(stdout)["findings"]}
    assert rules == {"VW-E004", "VW-E201"}


@pytest.mark.parametrize(
    ("where", "located"),
    [
        ("azs: [us-east-1a, us-west-2a]", "vpcs.b.azs[1]"),
        (
            "subnets: {private: [{cidr: 10.1.0.0/24, az: us-west-2a}]}",
            "vpcs.b.subnets.private[0].az",
        ),
    ],
)
def test_an_overlap_does_not_hide_another_vpcs_az_of_another_region(
    tmp_path: Path, where: str, located: str
) -> None:
    """Issue 16: a connection's error (overlapping CIDRs, VW-E201) stopped the plan before
    the network rules ran, hiding VPC b's AZ of another region (VW-E103). Both, in one run."""
    text = BASE.replace("azs: [us-east-1a, us-east-1b]\n  b:", "azs: [us-east-1a]\n  b:")
    text = text.replace("azs: [us-east-1a, us-east-1b]\n", where + "\n", 1)
    text += (
        "  c: {region: us-east-1, cidr: 10.0.0.0/16, azs: [us-east-1a]}\n"
        "connections:\n  - peers: [a, c]\n"
    )
    spec = write_spec(tmp_path, text)
    code, stdout, _ = _run("plan", str(spec), "--json")
    assert code == 2
    found = {(f["rule"], f["path"]) for f in json.loads(stdout)["findings"]}
    assert ("VW-E103", located) in found
    assert any(rule == "VW-E201" for rule, _ in found), found
    # alone, the AZ is reported once, by the network rule on the plan
    alone = write_spec(tmp_path, text.replace("  - peers: [a, c]\n", "  - peers: [a, b]\n"))
    code, stdout, _ = _run("plan", str(alone), "--json")
    assert code == 2
    rules = [f["rule"] for f in json.loads(stdout)["findings"] if f["severity"] == "error"]
    assert rules == ["VW-E103"]


def test_pure_python_yaml_loader_is_bounded_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without libyaml, PyYAML's composer recurses: a deep document is still located."""
    import yaml

    from vpcwire.errors import SpecError
    from vpcwire.spec import source
    from vpcwire.spec.load import parse_spec

    monkeypatch.setattr(source, "_Loader", yaml.SafeLoader)
    text = BASE + "expect: " + "[" * 3000 + "]" * 3000 + "\n"
    with pytest.raises(SpecError) as caught:
        parse_spec(text, tmp_path / "spec.yaml")
    (problem,) = caught.value.problems
    assert "nests deeper than 64 levels" in problem.message
    assert (problem.location.line, problem.location.column) == (13, 73)  # the 65th [
    assert problem.hint


def test_thousands_of_problems_print_the_first_fifty(tmp_path: Path) -> None:
    text = BASE + "".join(f"k{i}: 1\n" for i in range(500))
    code, _, stderr = _run("plan", str(write_spec(tmp_path, text)))
    assert code == 2
    assert "the spec has 500 problems" in stderr and "… and 450 more" in stderr


def test_unreadable_files_are_located_errors_in_json(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(b'accounts:\n  main: {id: "111111111111"}\nname: caf\xe9\n')
    code, _, stderr = _run("plan", str(latin1))
    assert code == 2 and "latin1.yaml:3:10: <root>: the spec is not UTF-8 text" in stderr
    assert "fix: save the file as UTF-8" in stderr
    for spec in (latin1, tmp_path / "missing.yaml"):
        code, stdout, _ = _run("plan", str(spec), "--json")
        assert code == 2
        (finding,) = json.loads(stdout)["findings"]
        assert finding["rule"] == "VW-E001" and finding["file"] == str(spec) and finding["fix"]


def test_a_duplicate_key_does_not_hide_problems_in_the_first_entry(tmp_path: Path) -> None:
    text = BASE.replace(
        '  main: {id: "111111111111"}', '  main: {id: "1234"}\n  main: {id: "111111111111"}'
    )
    code, _, stderr = _run("plan", str(write_spec(tmp_path, text)))
    assert code == 2
    assert "duplicate key 'main'" in stderr and "accounts.main.id: an AWS account id" in stderr


def test_complex_keys_are_refused_and_the_rest_still_checked(tmp_path: Path) -> None:
    text = BASE + "? [a, b]\n: 1\nexpect: 3\n"
    code, _, stderr = _run("plan", str(write_spec(tmp_path, text)))
    assert code == 2
    assert (
        "a key must be a plain name" in stderr and "expect: Input should be a valid list" in stderr
    )


def test_a_megabyte_region_is_refused_quickly(tmp_path: Path) -> None:
    """did-you-mean compares a bounded prefix: difflib on a 1 MB name took over a second."""
    from vpcwire.errors import SpecError
    from vpcwire.spec.load import parse_spec

    parse_spec(BASE, tmp_path / "warm.yaml")  # botocore's region list, loaded once
    text = BASE.replace(
        "region: us-east-1\n    cidr: 10.1", f"region: us-east-1{'x' * 10**6}\n    cidr: 10.1"
    )
    started = time.perf_counter()
    with pytest.raises(SpecError) as caught:
        parse_spec(text, tmp_path / "spec.yaml")
    assert time.perf_counter() - started < 0.5
    (problem,) = caught.value.problems
    assert "unknown AWS region" in problem.message and len(str(problem)) < 400
