"""The real-world corpus (tests/corpus/): public Terraform nobody on this project wrote, each
case with the findings a careful reader expects, written down before vpcwire ran on it
(``EXPECTED.yaml``, see tests/corpus/README.md). An error finding is a claim that AWS refuses
the configuration or that traffic the code means to allow is lost, so any error beyond the
expected ones is a false alarm; every expected defect must be found."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from vpcwire.rules import Severity
from vpcwire.scan.report import ScanReport
from vpcwire.scan.run import run_scan

CORPUS = Path(__file__).parent.parent / "corpus"

# Defect kinds (the keyword in EXPECTED.yaml) -> the rule id that finds it. None: the rule is
# not written yet; such a case runs as a strict xfail that only asks for *some* finding on the
# address, so the day the rule lands it XPASSes and this table must be filled in.
DEFECT_RULES: dict[str, str | None] = {
    "peering_never_accepted": "VW-E207",  # no auto_accept / accepter: stays pending-acceptance
    "peering_without_routes": "VW-E208",  # a peering no route on either side uses
    "nat_in_own_routed_subnet": "VW-E109",  # a NAT gateway whose own subnet's default route is it
    "vpc_cidr_not_private": "VW-W110",  # a VPC block outside RFC 1918 / 100.64.0.0/10 (warning)
    "endpoint_never_accepted": "VW-W309",  # acceptance required, nothing accepts (warning)
    "tgw_attachment_az_missing": "VW-E801",  # a subnet routes to the TGW from an AZ not attached
    "tgw_vpc_route_one_side": "VW-E802",  # the TGW carries both ways, one VPC has no route back
    "tgw_propagation_missing": "VW-E803",  # the receiver's TGW table has no route back
    "tgw_overlapping_propagation": "VW-E804",  # overlapping CIDRs propagated into one table
    "tgw_attachment_duplicate": "VW-E805",  # one VPC attached twice to one TGW
    "tgw_attachment_never_accepted": "VW-E808",  # no auto-accept, no accepter
}


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    expected: dict[str, Any]

    def __str__(self) -> str:
        return self.name


def _cases() -> list[Case]:
    out = []
    for exp in sorted(CORPUS.rglob("EXPECTED.yaml")):
        data = yaml.safe_load(exp.read_text()) or {}
        out.append(Case(str(exp.parent.relative_to(CORPUS)), exp.parent, data))
    return out


CASES = _cases()
_REPORTS: dict[str, ScanReport] = {}


def scanned(case: Case) -> ScanReport:
    if case.name not in _REPORTS:
        exp = case.expected
        _REPORTS[case.name] = run_scan(
            case.path,
            var_files=[case.path / f for f in exp.get("var_files", [])],
            variables={k: str(v) for k, v in (exp.get("vars") or {}).items()},
        )
    return _REPORTS[case.name]


def test_the_corpus_has_at_least_20_cases_each_with_its_source_and_licence() -> None:
    assert len(CASES) >= 20
    for case in CASES:
        source = next(p for p in [case.path, *case.path.parents] if (p / "SOURCE").is_file())
        assert CORPUS in source.parents, f"{case}: no SOURCE file"
        if source.relative_to(CORPUS).parts[0] != "hand":
            assert (source / "LICENSE").is_file(), f"{case}: vendored without its LICENSE"
            assert "commit: " in (source / "SOURCE").read_text()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_no_error_beyond_the_expected_ones(case: Case) -> None:
    report = scanned(case)
    expected = {(e["rule"], e["address"]) for e in case.expected.get("errors") or []}
    defect_rules = {
        (rule, d["address"])
        for d in case.expected.get("defects") or []
        if (rule := DEFECT_RULES[d["kind"]]) is not None
    }
    false = [
        f"{f.rule} {f.path}: {f.message}"
        for f in report.findings
        if f.severity is Severity.ERROR and (f.rule, f.path) not in expected | defect_rules
    ]
    assert false == []


@pytest.mark.parametrize("case", [c for c in CASES if c.expected.get("not_defects")], ids=str)
def test_no_defect_where_the_code_has_none(case: Case) -> None:
    """The traps (``not_defects``): a defect rule, once mapped in DEFECT_RULES, must not
    report these at any severity (a peering whose routes sit on main tables or on tables only
    a data source knows has routes; a NAT in a public subnet is where it belongs)."""
    report = scanned(case)
    traps = {
        (rule, d["address"])
        for d in case.expected["not_defects"]
        if (rule := DEFECT_RULES[d["kind"]]) is not None
    }
    # Until a kind's rule is mapped: no error or warning at all on that address.
    unmapped = {d["address"] for d in case.expected["not_defects"] if not DEFECT_RULES[d["kind"]]}
    assert [
        f"{f.rule} {f.path}: {f.message}"
        for f in report.findings
        if (f.rule, f.path) in traps
        or (f.path in unmapped and f.severity in (Severity.ERROR, Severity.WARNING))
    ] == []


def _defect_params() -> list[Any]:
    out = []
    for case in CASES:
        for d in case.expected.get("defects") or []:
            marks = []
            if DEFECT_RULES[d["kind"]] is None:
                marks.append(pytest.mark.xfail(strict=True, reason=f"no rule for {d['kind']} yet"))
            out.append(pytest.param(case, d, marks=marks, id=f"{case}-{d['kind']}"))
    return out


@pytest.mark.parametrize(("case", "defect"), _defect_params())
def test_every_expected_defect_is_found(case: Case, defect: dict[str, str]) -> None:
    report = scanned(case)
    rule = DEFECT_RULES[defect["kind"]]
    hits = [
        f
        for f in report.findings
        if f.path == defect["address"] and f.rule != "VW-W701" and (rule is None or f.rule == rule)
    ]
    assert hits, f"{defect['kind']} not found on {defect['address']}"


@pytest.mark.parametrize("case", [c for c in CASES if c.expected.get("not_modelled")], ids=str)
def test_what_scan_does_not_model_is_said_not_hidden(case: Case) -> None:
    report = scanned(case)
    said = " ".join(f.message for f in report.findings if f.rule == "VW-W701")
    for rtype in case.expected["not_modelled"]:
        assert f"{rtype} affects reachability but is not modelled" in said


@pytest.mark.parametrize("case", [c for c in CASES if c.expected.get("expect_intents")], ids=str)
def test_what_the_reader_understood_scan_understands_too(case: Case) -> None:
    report = scanned(case)
    assert report.verdicts, "no intent was derived"
    if case.expected.get("intents_pass"):
        assert [v.intent.key for v in report.verdicts if not v.ok] == []
    for address in case.expected.get("endpoints_linked") or []:
        endpoint = report.network.endpoints[address]
        assert endpoint.service_name in {
            s.service_name for s in report.network.endpoint_services.values()
        }, f"{address} is not tied to the configuration's endpoint service"


def _case(name: str) -> Case:
    return next(c for c in CASES if c.name == name)


def test_terraform_aws_modules_vpc_subnets_keep_their_literal_azs() -> None:
    # its AZ-or-AZ-id choice goes through regexall(): that made every AZ unknown
    network = scanned(_case("tam-vpc/examples/simple")).network
    assert sorted(s.az for s in network.subnets.values()) == [
        "eu-west-1a",
        "eu-west-1b",
        "eu-west-1c",
    ]


def test_network_acl_rule_resources_keep_their_entries() -> None:
    # aws_network_acl_rule names its number rule_number: every such rule was dropped
    network = scanned(_case("tam-vpc/examples/network-acls")).network
    acl = network.network_acls["module.vpc.aws_network_acl.public[0]"]
    numbers = {e.number for e in acl.entries if not e.egress}
    assert {100, 110, 32767} <= numbers


def test_the_vpc_endpoints_module_s_endpoints_are_modelled() -> None:
    # service names come from data.aws_vpc_endpoint_service (service = "s3"...), whose null
    # arguments were read as its answer; the security groups sat in an object whose policy
    # JSON is unknown, which made them all unknown and the endpoints fall back to the VPC's
    # default group (a false VW-W402)
    report = scanned(_case("tam-vpc/examples/complete"))
    endpoints = report.network.endpoints
    s3 = endpoints['module.vpc_endpoints.aws_vpc_endpoint.this["s3"]']
    assert s3.service_name == "com.amazonaws.eu-west-1.s3"
    dynamodb = endpoints['module.vpc_endpoints.aws_vpc_endpoint.this["dynamodb"]']
    assert "module.vpc.aws_route_table.private[0]" in dynamodb.route_tables
    ecr = endpoints['module.vpc_endpoints.aws_vpc_endpoint.this["ecr_api"]']
    assert ecr.security_groups == ("module.vpc_endpoints.aws_security_group.this[0]",)
    assert not [f for f in report.findings if f.rule == "VW-W402"]


def test_the_alb_module_s_network_load_balancer_is_modelled() -> None:
    # its listeners read optional attributes of typed objects (each.value.redirect...):
    # without the variable's type applied every listener was "object has no attribute"
    network = scanned(_case("tam-alb/examples/complete-nlb")).network
    assert [lb.kind for lb in network.load_balancers.values()] == ["network"]
    assert sorted(listener.port for listener in network.listeners.values()) == [81, 82, 83, 84]


def test_a_nat_gateway_given_as_gateway_id_routes_through_the_nat() -> None:
    # gossilva/aws-privatelink-terraform routes its private subnets with
    # gateway_id = aws_nat_gateway.x.id, which the API accepts
    network = scanned(_case("gossilva-privatelink/vpc2")).network
    table = network.route_tables["module.vpc2_network.aws_route_table.vpc2_private_rtb_1a"]
    default = next(r for r in table.routes if str(r.destination) == "0.0.0.0/0")
    assert default.kind == "nat_gateway"
    assert default.target == "module.vpc2_network.aws_nat_gateway.vpc2_ngw_1a"


def test_registry_modules_resolve_through_terraform_init_s_manifest() -> None:
    # cloudposse/vpc's example: dynamic-subnets and null-label (inside both) are registry
    # modules, found through .terraform/modules/modules.json by their dotted keys
    case = _case("cloudposse-vpc/examples/complete")
    manifest = case.path / ".terraform" / "modules" / "modules.json"
    assert '"Key": "subnets.this"' in manifest.read_text()
    network = scanned(case).network
    assert sorted((s.id, s.az) for s in network.subnets.values()) == [
        ("module.subnets.aws_subnet.private[0]", "us-east-2a"),
        ("module.subnets.aws_subnet.private[1]", "us-east-2b"),
        ("module.subnets.aws_subnet.public[0]", "us-east-2a"),
        ("module.subnets.aws_subnet.public[1]", "us-east-2b"),
    ]
