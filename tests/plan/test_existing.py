"""Existing VPCs (issue 18): found in a read of the target, planned with their real facts,
rendered as inputs, never as resources of ours.

The estates here are built by hand as a read would return them (AWS ids, Name tags, a
main table, explicit associations), so each test states what AWS would hold and what a
careful engineer expects before vpcwire answers.
"""

from __future__ import annotations

import re
from dataclasses import replace
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

import pytest

from tests.estate_helpers import A, B, estate, planned, spec_text
from tests.helpers import write_spec
from vpcwire.errors import SpecError
from vpcwire.network import (
    Network,
    NetworkBuilder,
    PeeringConnection,
    Route,
    RouteTable,
    SecurityGroup,
)
from vpcwire.pipeline import plan
from vpcwire.plan.existing import Estate, estate_changes, rule_description
from vpcwire.plan.plan import Plan
from vpcwire.render import render
from vpcwire.spec.load import load_spec
from vpcwire.verify.intents import derive_intents, evaluate


def resources_of(text: str) -> list[str]:
    return re.findall(r'^resource "([a-z0-9_]+)" "([^"]+)"', text, re.M)


# -- the spec ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cidr", "10.0.0.0/16"),
        ("azs", "[us-east-1a]"),
        ("nat", "true"),
        ("instances", "1"),
        ("secondary_cidrs", "[10.1.0.0/16]"),
    ],
)
def test_an_existing_vpc_takes_no_layout(tmp_path: Path, field: str, value: str) -> None:
    text = spec_text().replace(
        "existing: {tags: {Name: bf-api}}}",
        f"existing: {{tags: {{Name: bf-api}}}}, {field}: {value}}}",
    )
    with pytest.raises(SpecError) as caught:
        load_spec(write_spec(tmp_path, text))
    (problem,) = caught.value.problems
    assert problem.location.line == 6, problem  # the provider VPC's line
    assert f"an existing VPC takes no {field}" in problem.message
    assert f"remove {field}" in problem.hint


@pytest.mark.parametrize(
    ("existing", "words"),
    [
        ("{}", "exactly one of tags or id"),
        ("{tags: {Name: x}, id: vpc-0123456789abcdef0}", "exactly one of tags or id"),
        ("{id: vpc-12}", "is not a VPC id"),
        ("{tags: {}}", "existing.tags is empty"),
    ],
)
def test_existing_finds_by_tags_or_by_id(tmp_path: Path, existing: str, words: str) -> None:
    text = spec_text().replace("existing: {tags: {Name: bf-api}}", f"existing: {existing}")
    with pytest.raises(SpecError) as caught:
        load_spec(write_spec(tmp_path, text))
    assert any(words in p.message for p in caught.value.problems), caught.value.problems


def test_a_new_vpc_still_needs_its_cidr(tmp_path: Path) -> None:
    text = spec_text().replace("existing: {tags: {Name: bf-api}}", "azs: [us-east-1a]")
    with pytest.raises(SpecError) as caught:
        load_spec(write_spec(tmp_path, text))
    assert any("the VPC has no cidr" in p.message for p in caught.value.problems)


def test_planning_existing_vpcs_without_a_read_is_refused(tmp_path: Path) -> None:
    from vpcwire.errors import UsageError

    with pytest.raises(UsageError, match="needs a read of the target"):
        plan(load_spec(write_spec(tmp_path, spec_text())))


# -- finding the VPC ---------------------------------------------------------------------------


def test_a_tag_matching_two_vpcs_is_a_located_error_listing_both(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        planned(tmp_path, estate(twin=True))
    (problem,) = caught.value.problems
    assert problem.path == "vpcs.consumer.existing" and problem.location.line == 7
    assert "2 VPCs in account 111111111111 us-east-1 match tags Name=bf-client" in problem.message
    assert "vpc-0cccccccccccccccc Name=bf-client 10.20.0.0/16" in problem.message
    assert "vpc-0dddddddddddddddd Name=bf-client 10.30.0.0/16" in problem.message
    assert "existing: {id" in problem.hint


def test_no_match_lists_what_the_account_and_region_hold(tmp_path: Path) -> None:
    """The consumer VPC lives in account B; the spec says account A: nothing matches there,
    and the error shows A's VPCs (the api VPC), not B's."""
    with pytest.raises(SpecError) as caught:
        planned(tmp_path, estate(client_account=B))
    (problem,) = caught.value.problems
    assert "no VPC in account 111111111111 us-east-1 matches tags Name=bf-client" in problem.message
    assert "vpc-0aaaaaaaaaaaaaaaa Name=bf-api 10.10.0.0/16" in problem.message


def test_an_existing_vpc_in_another_account(tmp_path: Path) -> None:
    """Found in account B (where it is), consumed through PrivateLink with B's root allowed."""
    result = planned(tmp_path, estate(client_account=B), consumer_account="other")
    assert result.vpcs["consumer"].existing == "vpc-0cccccccccccccccc"
    (decision,) = result.decisions
    assert decision.mechanism == "privatelink"
    (service,) = result.network.endpoint_services.values()
    assert service.allowed_principals == (f"arn:aws:iam::{B}:root",)


# -- deciding with the real facts -------------------------------------------------------------


def test_overlapping_existing_vpcs_rule_out_peering(tmp_path: Path) -> None:
    """The consumer's real block is the provider's: peering is impossible, PrivateLink is
    chosen, and the rejected peering says why."""
    result = planned(tmp_path, estate(client_cidr="10.10.0.0/16", admits="10.10.0.0/16"))
    (decision,) = result.decisions
    assert decision.mechanism == "privatelink"
    assert "cidr-overlap" in {r.code for r in decision.reasons}
    assert any(a.mechanism == "peering" and "overlap" in a.why_not for a in decision.rejected)


def test_peering_routes_go_into_every_table_serving_the_subnets(tmp_path: Path) -> None:
    """Provider: its two private tables and the public one serve subnets, so each gets the
    consumer's block; the main table (every subnet has its own) and the spare table serve
    none and stay untouched. Consumer: the same, with the provider's block."""
    result = planned(tmp_path, estate(), via="peering")
    tables = {rt.name: rt for rt in result.network.route_tables.values()}
    to_peer = {name for name, rt in tables.items() if any(r.kind == "peering" for r in rt.routes)}
    assert to_peer == {
        "bf-api-private-us-east-1a",
        "bf-api-private-us-east-1b",
        "bf-api-public",
        "bf-client-private-us-east-1a",
        "bf-client-private-us-east-1b",
        "bf-client-public",
    }
    files = render(result, target="aws").files
    routes = [n for kind, n in resources_of(files["peering.tf"]) if kind == "aws_route"]
    assert len(routes) == 6
    assert re.search(r"route_table_id\s+= var\.provider_route_table_\d+_id", files["peering.tf"])


def test_the_main_table_gets_the_route_when_it_serves_a_subnet(tmp_path: Path) -> None:
    """A subnet without an association of its own uses the main table: it must get the route."""
    the_estate = estate()
    b = NetworkBuilder(the_estate.network)
    rt = the_estate.network.route_tables["rtb-a1"]
    b.put(RouteTable(rt.id, rt.name, rt.vpc, rt.routes, subnets=()))
    result = planned(tmp_path, Estate(b.build(), "test"), via="peering")
    main = next(t for t in result.network.route_tables.values() if t.name == "bf-api-default")
    assert any(r.kind == "peering" for r in main.routes)


# -- only the connection is ours --------------------------------------------------------------


def test_render_creates_only_the_connection_and_takes_the_estate_as_inputs(
    tmp_path: Path,
) -> None:
    result = planned(tmp_path, estate(), via="peering", mode="report")
    files = render(result, target="aws").files
    created = [r for name in files if name.endswith(".tf") for r in resources_of(files[name])]
    assert sorted({kind for kind, _ in created}) == [
        "aws_route",
        "aws_vpc_peering_connection",
        "aws_vpc_peering_connection_accepter",
    ]  # (options only with private_dns: true)
    variables = dict(
        re.findall(r'variable "([^"]+)" \{[^}]*default\s+= "([^"]+)"', files["variables.tf"])
    )
    assert variables["provider_vpc_id"] == "vpc-0aaaaaaaaaaaaaaaa"
    assert variables["consumer_vpc_id"] == "vpc-0cccccccccccccccc"
    assert set(variables.values()) <= set(result.existing.values())
    # every input is used, and every id the blocks use is an input
    used = set(re.findall(r"var\.([a-z0-9_]+)", "".join(files.values())))
    assert used == set(variables)


def test_a_blocking_group_is_reported_not_changed(tmp_path: Path) -> None:
    """PrivateLink: the NLB nodes (the provider's private subnets) are what the host sees.
    Its group admits 8080 from the consumer's block only: blocked, reported with the fix,
    and nothing renders a rule for it."""
    result = planned(tmp_path, estate(), mode="report")
    warnings = [f for f in result.findings if f.rule == "VW-W405"]
    assert [f.message.split(": ")[0] for f in warnings] == [
        "bf-api (sg-a) of bf-api-host admits tcp/8080 only from 10.20.0.0/16"
    ] * 2
    assert {
        re.search(r"from (\S+) to sg-a", f.fix)[1]
        for f in warnings
        if re.search(r"from (\S+) to sg-a", f.fix)
    } == {"10.10.1.0/24", "10.10.2.0/24"}
    assert result.added_rules == ()
    files = render(result, target="aws").files
    assert "var.provider_security_group_1_id" not in files["security.tf"]
    # the verifier blames that group, and the plan does not pretend it passes
    failed = [v for v in evaluate(result.network, derive_intents(result)) if not v.ok]
    assert failed and all("(bf-api)" in str(v.trace) for v in failed)


def test_add_rules_opens_the_group_with_a_separate_rule_resource(tmp_path: Path) -> None:
    result = planned(tmp_path, estate(), mode="add_rules")
    assert [f for f in result.findings if f.rule == "VW-W405"] == []
    assert [str(a.rule.cidr) for a in result.added_rules] == ["10.10.1.0/24", "10.10.2.0/24"]
    files = render(result, target="aws").files
    rules = re.findall(
        r'resource "aws_vpc_security_group_ingress_rule" "[^"]+" \{.*?\n\}',
        files["security.tf"],
        re.S,
    )
    on_existing = [r for r in rules if "security_group_id = var.provider_security_group_1_id" in r]
    assert len(on_existing) == 2
    assert all(rule_description("consumer", "api", "bf") in r for r in on_existing)
    assert 'resource "aws_security_group" "bf-api"' not in files["security.tf"]
    assert all(v.ok for v in evaluate(result.network, derive_intents(result)))


# -- leaving the estate as it was --------------------------------------------------------------


def _deployed(the_estate: Estate, result: Plan) -> Estate:
    """The estate after `up`: the stack's peering, its routes in the tables and its rules."""
    b = NetworkBuilder(the_estate.network)
    pcx = PeeringConnection(
        "pcx-1",
        "consumer_api",
        "vpc-0cccccccccccccccc",
        "vpc-0aaaaaaaaaaaaaaaa",
        A,
        A,
        "us-east-1",
        "us-east-1",
    )
    b.add(pcx)
    for rt in the_estate.network.route_tables.values():
        if not rt.main:
            b.put(
                RouteTable(
                    rt.id,
                    rt.name,
                    rt.vpc,
                    (*rt.routes, Route(IPv4Network("10.99.0.0/16"), "pcx-1", "peering")),
                    subnets=rt.subnets,
                    main=rt.main,
                )
            )
    sg = the_estate.network.security_groups["sg-a"]
    added = tuple(a.rule for a in result.added_rules)
    b.put(SecurityGroup(sg.id, sg.name, sg.vpc, ingress=sg.ingress + added, egress=sg.egress))
    return Estate(b.build(), "test", ours=frozenset({"pcx-1"}))


def test_a_plan_made_while_the_stack_is_deployed_is_the_same_plan(tmp_path: Path) -> None:
    """verify, down and a second up plan against an estate holding the stack's routes and
    rules: they must be left out, or the second up would render differently."""
    first = planned(tmp_path, estate(), mode="add_rules")
    again = planned(tmp_path, _deployed(estate(), first), mode="add_rules")
    assert render(again, target="aws").files == render(first, target="aws").files


def test_estate_changes_prove_the_estate_as_it_was(tmp_path: Path) -> None:
    before = estate()
    result = planned(tmp_path, before, mode="add_rules")
    vpc_ids = {"vpc-0aaaaaaaaaaaaaaaa", "vpc-0cccccccccccccccc"}
    # the stack's own additions, still there, are not a change of the estate
    assert estate_changes(_deployed(before, result), before, vpc_ids, "bf") == []
    # a route of the estate's own, gone, is
    b = NetworkBuilder(before.network)
    rt = before.network.route_tables["rtb-ap"]
    b.put(RouteTable(rt.id, rt.name, rt.vpc, rt.routes[:1], subnets=rt.subnets))
    assert estate_changes(before, Estate(b.build(), "t"), vpc_ids, "bf") == [
        "route table rtb-ap (bf-api-public) changed"
    ]
    b = NetworkBuilder(Network())
    assert "instance i-a (bf-api-host) is gone" in estate_changes(
        before, Estate(b.build(), "t"), vpc_ids, "bf"
    )


def test_ips_in_an_existing_vpc_must_be_a_host_there(tmp_path: Path) -> None:
    text = spec_text().replace(
        "targets: {existing_instances: {tags: {Role: api}}}",
        "targets: {ips: [10.10.1.10, 10.10.1.99]}",
    )
    with pytest.raises(SpecError) as caught:
        plan(load_spec(write_spec(tmp_path, text)), estate())
    (problem,) = caught.value.problems
    assert problem.path == "services.api.targets.ips[1]"
    assert "has the address 10.10.1.99" in problem.message
    assert IPv4Address("10.10.1.10")  # the first one is the API host: no problem for it


# -- an existing VPC beside a new one ------------------------------------------------------------

MIXED = """
name: bf
accounts:
  main: {id: "111111111111"}
vpcs:
  provider: PROVIDER
  consumer: CONSUMER
services:
  api:
    vpc: provider
    port: 8080
    targets: TARGETS
connections:
  - {consumer: consumer, service: api, via: peering}
"""
EXISTING_API = "{region: us-east-1, existing: {tags: {Name: bf-api}}}"
EXISTING_CLIENT = "{region: us-east-1, existing: {tags: {Name: bf-client}}}"
NEW = "{region: us-east-1, cidr: 10.50.0.0/16, azs: [us-east-1a]}"


@pytest.mark.parametrize(
    ("provider", "consumer", "targets"),
    [
        (EXISTING_API, NEW, "{existing_instances: {tags: {Role: api}}}"),
        (NEW, EXISTING_CLIENT, "{instances: 1}"),
    ],
    ids=["new consumer, existing service", "existing consumer, new service"],
)
def test_an_existing_vpc_beside_a_new_one(
    tmp_path: Path, provider: str, consumer: str, targets: str
) -> None:
    """Over a peering, the new side's sample instance calls (or serves) the existing one:
    its group sends to (admits from) the real addresses, and every intent holds. The
    existing API host admits 10.50.0.0/16 (the new consumer's block)."""
    text = MIXED.replace("PROVIDER", provider).replace("CONSUMER", consumer)
    text = text.replace("TARGETS", targets)
    result = plan(load_spec(write_spec(tmp_path, text)), estate(admits="10.50.0.0/16"))
    verdicts = evaluate(result.network, derive_intents(result))
    assert verdicts and all(v.ok for v in verdicts), [str(v.trace) for v in verdicts if not v.ok]
    reachable = [v for v in verdicts if v.intent.expect == "reachable"]
    assert reachable
    files = render(result, target="aws").files
    created = {
        kind for name in files if name.endswith(".tf") for kind, _ in resources_of(files[name])
    }
    assert "aws_vpc" in created and "aws_instance" in created  # the new VPC and its instance
    assert len(re.findall(r'resource "aws_vpc" ', files["network.tf"])) == 1


def test_plan_counts_the_estate_apart(tmp_path: Path) -> None:
    """`plan`'s Terraform count adds up with the existing resources taken out: peering 1 +
    its accepter 1 + 6 routes = 8 to add; the 28 existing resources are inputs."""
    from vpcwire.report.resource_counts import terraform_count_line

    result = planned(tmp_path, estate(), via="peering")
    line = terraform_count_line(result.network, render(result).resources)
    assert line.startswith("terraform: 8 resources to add")
    existing = re.search(r"− (.*) \(existing: read from the target", line)
    assert existing is not None, line
    assert sum(int(n) for n in re.findall(r"(\d+) \w+", existing[1])) == 28


def test_a_network_finding_about_an_existing_subnet_points_at_its_existing_entry(
    tmp_path: Path,
) -> None:
    """The consumer's endpoint goes where the NLB has nodes; an estate whose provider has
    private subnets only in us-east-1b and a consumer only in us-east-1a cannot work
    (VW-E303): the finding points at the consumer's existing: line, which the user wrote."""
    from vpcwire.pipeline import PlanRejected

    the_estate = estate()
    b = NetworkBuilder(the_estate.network)
    for sid, az in (("subnet-a0", "us-east-1b"), ("subnet-c1", "us-east-1a")):
        b.update(the_estate.network.subnets[sid], az=az)
    with pytest.raises(PlanRejected) as caught:
        planned(tmp_path, Estate(b.build(), "test"))
    e303 = [f for f in caught.value.findings if f.rule == "VW-E303"]
    assert e303, caught.value.findings
    assert {f.path for f in e303} == {"vpcs.consumer.existing"}
    assert {f.location.line for f in e303} == {7}


def test_hosts_sharing_a_name_are_named_by_their_ids(tmp_path: Path) -> None:
    """Two API hosts called alike (an autoscaling group's habit): each intent must name one
    instance, so each is named by its AWS id; both serve, both are reached."""
    the_estate = estate(admits="10.0.0.0/8")
    b = NetworkBuilder(the_estate.network)
    first = the_estate.network.instances["i-a"]
    eni = the_estate.network.interfaces["eni-a"]
    b.add(
        replace(
            eni, id="eni-a2", private_ip=IPv4Address("10.10.2.10"), subnet="subnet-a1", owner="i-a2"
        )
    )
    b.add(replace(first, id="i-a2", subnet="subnet-a1", interface="eni-a2"))
    result = planned(tmp_path, Estate(b.build(), "test"))
    names = sorted(i.name for i in result.network.instances.values() if i.role == "target:api")
    assert names == ["i-a", "i-a2"]
    verdicts = evaluate(result.network, derive_intents(result))
    assert all(v.ok for v in verdicts)
    assert {v.intent.flow.destination for v in verdicts if v.intent.flow.source == "i-a2"} == {
        "bf-client-host"
    }
