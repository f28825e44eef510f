"""The starter spec `vpcwire init` writes, from hand-built Networks.

The spec loader that accepts `existing:` is being written in parallel (issue 18's
brownfield): until it is merged, the shape is checked by a small local pydantic model of
exactly issue 18's `existing:` entry, the accounts by the real AccountSpec, the keys by the
spec's own name pattern and the regions by the spec's region list.
"""

from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv4Network
from typing import Any, Literal

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from vpcwire.network import Account, Network, NetworkBuilder
from vpcwire.network.model import (
    Instance,
    NetworkInterface,
    Origin,
    PeeringConnection,
    Subnet,
    Vpc,
)
from vpcwire.spec.models import NAME_PATTERN, AccountSpec, known_regions
from vpcwire.spec.starter import AccountHint, spec_key, starter_spec, unique_keys
from vpcwire.spec.yaml_text import comment, scalar

MAIN, OTHER = "111111111111", "222222222222"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Existing(_Strict):
    """Issue 18: existing: {tags: {Name: bf-provider}}  or  existing: {id: vpc-0abc123}."""

    tags: dict[Literal["Name"], str] | None = None
    id: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Existing:
        assert (self.tags is None) != (self.id is None), "exactly one of tags, id"
        assert self.id is None or re.fullmatch(r"vpc-[0-9a-z]+", self.id), self.id
        return self


class ExistingVpc(_Strict):
    account: str
    region: str
    existing: Existing


class StarterShape(_Strict):
    accounts: dict[str, AccountSpec]
    vpcs: dict[str, ExistingVpc]
    services: dict[str, Any]
    connections: list[Any]

    @model_validator(mode="after")
    def _names(self) -> StarterShape:
        for key, vpc in self.vpcs.items():
            assert re.fullmatch(NAME_PATTERN, key), key
            assert vpc.account in self.accounts, vpc.account
            assert vpc.region in known_regions(), vpc.region
        assert all(re.fullmatch(NAME_PATTERN, key) for key in self.accounts)
        return self


def loaded(text: str) -> StarterShape:
    return StarterShape.model_validate(yaml.safe_load(text))


def vpc(vid: str, name: str | None, cidrs: str, **kw: Any) -> Vpc:
    blocks = tuple(IPv4Network(c) for c in cidrs.split(","))
    tags = kw.pop("tags", {"Name": name} if name is not None else {})
    return Vpc(
        vid,
        name or vid,
        kw.pop("account", MAIN),
        kw.pop("region", "us-east-1"),
        blocks,
        tags=tags,
        **kw,
    )


def network(*vpcs: Vpc, extra: tuple[Any, ...] = ()) -> Network:
    b = NetworkBuilder()
    for account in dict.fromkeys(v.account for v in vpcs):
        b.add_account(Account(account))
    for resource in (*vpcs, *extra):
        b.add(resource)
    return b.build()


def brownfield() -> Network:
    """Issue 18's example estate: bf-provider (with a secondary block, two AZs, an API
    host) in us-east-1 and bf-consumer in us-west-2, already peered."""
    provider = vpc("vpc-0aaa", "bf-provider", "10.10.0.0/16,10.20.0.0/16")
    consumer = vpc("vpc-0bbb", "bf-consumer", "10.11.0.0/16", region="us-west-2")
    return network(
        provider,
        consumer,
        extra=(
            Subnet(
                "subnet-1",
                "bf-app-a",
                "vpc-0aaa",
                IPv4Network("10.10.1.0/24"),
                "us-east-1a",
                az_id="use1-az4",
            ),
            Subnet("subnet-2", "subnet-2", "vpc-0aaa", IPv4Network("10.10.2.0/24"), "us-east-1b"),
            NetworkInterface(
                "eni-1",
                "eni-1",
                "vpc-0aaa",
                "subnet-1",
                IPv4Address("10.10.1.10"),
                (),
                "instance",
                "i-1",
            ),
            Instance("i-1", "bf-api", "vpc-0aaa", "subnet-1", "eni-1"),
            PeeringConnection(
                "pcx-1", "pcx-1", "vpc-0bbb", "vpc-0aaa", MAIN, MAIN, "us-west-2", "us-east-1"
            ),
        ),
    )


def test_issue_18_estate_as_existing_entries() -> None:
    starter = starter_spec(brownfield(), source="the sandbox", aws_ids=True)
    spec = loaded(starter.text)
    assert spec.accounts == {"main": AccountSpec(id=MAIN)}
    assert {k: v.model_dump(exclude_none=True) for k, v in spec.vpcs.items()} == {
        "bf-consumer": {
            "account": "main",
            "region": "us-west-2",
            "existing": {"tags": {"Name": "bf-consumer"}},
        },
        "bf-provider": {
            "account": "main",
            "region": "us-east-1",
            "existing": {"tags": {"Name": "bf-provider"}},
        },
    }
    assert spec.services == {} and spec.connections == []
    assert starter.listed == ("bf-consumer", "bf-provider") and starter.left_out == ()
    # the facts, as comments under the entry they describe
    provider = starter.text.split("  bf-provider:\n", 1)[1].split("# A service")[0]
    assert "# vpc-0aaa Name bf-provider: 10.10.0.0/16 (+ 10.20.0.0/16)" in provider
    assert "#   us-east-1a (use1-az4): 10.10.1.0/24 bf-app-a" in provider
    assert "#   us-east-1b: 10.10.2.0/24\n" in provider
    assert "# instances: bf-api 10.10.1.10" in provider
    assert "# peered with vpc-0bbb (pcx-1, active)" in provider
    # the commented examples: the service where the hosts are, at a host's address
    assert "#     vpc: bf-provider\n" in starter.text
    assert "#     targets: {ips: [10.10.1.10]}" in starter.text
    assert "#   - consumer: bf-consumer " in starter.text
    assert "#   - peers: [bf-provider, bf-consumer]" in starter.text


def test_a_shared_name_or_no_name_is_selected_by_id() -> None:
    net = network(
        vpc("vpc-01", "app", "10.0.0.0/16"),
        vpc("vpc-02", "app", "10.1.0.0/16", region="eu-west-1"),
        vpc("vpc-03", None, "10.2.0.0/16"),
    )
    starter = starter_spec(net, source="x", aws_ids=True)
    spec = loaded(starter.text)
    selectors = {k: v.existing.model_dump(exclude_none=True) for k, v in spec.vpcs.items()}
    assert selectors == {
        "app": {"id": "vpc-01"},
        "app-2": {"id": "vpc-02"},
        "vpc-03": {"id": "vpc-03"},
    }
    assert "# named by id: 2 VPCs share the Name tag app" in starter.text
    assert "# named by id: it has no Name tag" in starter.text


def test_default_vpcs_are_listed_commented_out_and_uncomment_into_an_entry() -> None:
    net = network(
        vpc("vpc-0aaa", "bf-provider", "10.10.0.0/16"),
        vpc("vpc-0def", None, "172.31.0.0/16", is_default=True),
    )
    starter = starter_spec(net, source="x", aws_ids=True)
    assert set(loaded(starter.text).vpcs) == {"bf-provider"}
    assert starter.left_out == (
        "vpc-0def (us-east-1, account 111111111111): the region's default VPC",
    )
    # uncommenting the entry's own lines (not its explanation) makes it a live entry
    lines = starter.text.splitlines()
    start = lines.index("  # vpc-0def:")
    entry = [lines[start]] + [ln for ln in lines[start + 1 :] if ln.startswith("  #   ")]
    uncommented = [ln.replace("  # ", "  ", 1) for ln in entry]
    text = starter.text.replace("\n".join(entry), "\n".join(uncommented))
    assert loaded(text).vpcs["vpc-0def"].existing.id == "vpc-0def"


def test_vpcs_a_vpcwire_stack_made_are_commented_out() -> None:
    made = vpc(
        "vpc-0ccc", "provider", "10.0.0.0/16", tags={"Name": "provider", "vpcwire:stack": "pl"}
    )
    starter = starter_spec(
        network(vpc("vpc-0aaa", "app", "10.1.0.0/16"), made), source="x", aws_ids=True
    )
    assert starter.listed == ("app",)
    assert starter.left_out == (
        "vpc-0ccc (us-east-1, account 111111111111): made by vpcwire stack pl, whose spec "
        "describes it (and whose `down` removes it)",
    )


def test_only_default_vpcs_list_nothing() -> None:
    starter = starter_spec(
        network(vpc("vpc-0def", None, "172.31.0.0/16", is_default=True)), source="x", aws_ids=True
    )
    assert starter.listed == () and len(starter.left_out) == 1


def test_accounts_keep_how_they_were_reached() -> None:
    net = network(
        vpc("vpc-01", "a", "10.0.0.0/16"),
        vpc("vpc-02", "b", "10.1.0.0/16", account=OTHER),
        vpc("vpc-03", "c", "10.2.0.0/16", account="333333333333"),
    )
    role = f"arn:aws:iam::{OTHER}:role/audit"
    hints = {OTHER: AccountHint(role_arn=role), "333333333333": AccountHint(profile="team-c")}
    spec = loaded(starter_spec(net, source="x", aws_ids=True, accounts=hints).text)
    assert spec.accounts == {
        "main": AccountSpec(id=MAIN),
        f"account-{OTHER}": AccountSpec(id=OTHER, role_arn=role),
        "account-333333333333": AccountSpec(id="333333333333", profile="team-c"),
    }
    assert [v.account for v in spec.vpcs.values()] == [
        "main",
        f"account-{OTHER}",
        "account-333333333333",
    ]


def test_an_account_whose_way_is_not_known_says_so() -> None:
    net = network(
        vpc("vpc-01", "a", "10.0.0.0/16"), vpc("vpc-02", "b", "10.1.0.0/16", account=OTHER)
    )
    hints = {OTHER: AccountHint(note="reached by one of --profile x, y: add profile: NAME")}
    text = starter_spec(net, source="x", aws_ids=True, accounts=hints).text
    assert (
        "  # reached by one of --profile x, y: add profile: NAME\n"
        f'  account-{OTHER}: {{id: "{OTHER}"}}\n'
    ) in text
    assert loaded(text).accounts[f"account-{OTHER}"] == AccountSpec(id=OTHER)


def test_an_account_id_with_leading_zeros_stays_text() -> None:
    spec = loaded(
        starter_spec(
            network(vpc("vpc-01", "a", "10.0.0.0/16", account="012345678901")),
            source="x",
            aws_ids=True,
        ).text
    )
    assert spec.accounts["main"].id == "012345678901"


def scanned_vpc(address: str, name: str | None, **kw: Any) -> Vpc:
    origin = Origin(file="main.tf", line=28, address=address)
    return vpc(address, name, "10.0.0.0/16", origin=origin, **kw)


def test_terraform_unknowns_are_never_invented() -> None:
    # ids are Terraform addresses; the provider states no account; one Name is computed
    stand_in = "(account of provider aws)"
    net = network(
        scanned_vpc("module.a.aws_vpc.this[0]", "alpha", account=stand_in),
        scanned_vpc("module.b.aws_vpc.this[0]", None, account=stand_in),
        scanned_vpc("aws_vpc.c", "gamma", account=stand_in, region="(unknown region)"),
    )
    starter = starter_spec(net, source="Terraform x", aws_ids=False)
    document = yaml.safe_load(starter.text)
    assert starter.listed == ("alpha", "gamma")
    assert document["vpcs"]["alpha"] == {
        "account": "main",
        "region": "us-east-1",
        "existing": {"tags": {"Name": "alpha"}},
    }
    # an address is no VPC id: the unnamed VPC is commented out, with what to fill in
    assert starter.left_out == (
        "module.b.aws_vpc.this[0] (main.tf:28): its Name tag is not known from the "
        "configuration (absent, or computed at apply): once applied, write existing: "
        "{tags: {Name: …}} or {id: vpc-…}",
    )
    assert "  # module-b-aws_vpc-this-0:\n" in starter.text
    # placeholders the real loader refuses, with its own clear message
    with pytest.raises(ValidationError, match="an AWS account id is exactly 12 digits"):
        AccountSpec.model_validate(document["accounts"]["main"])
    assert document["vpcs"]["gamma"]["region"] == "(unknown region)"
    assert "(unknown region)" not in known_regions()


def test_terraform_shared_name_is_commented_out() -> None:
    net = network(
        scanned_vpc("aws_vpc.a", "same", account=MAIN),
        scanned_vpc("aws_vpc.b", "same", account=MAIN),
    )
    starter = starter_spec(net, source="t", aws_ids=False)
    assert starter.listed == ()
    assert all("2 VPCs of the configuration are tagged Name same" in n for n in starter.left_out)


def test_awkward_names_load_back_exactly() -> None:
    names = ['He said "hi" # not a comment', "no", "Ünïcode\u2028line", "12 monkeys", "- dash"]
    net = network(*(vpc(f"vpc-0{n}", name, f"10.{n}.0.0/16") for n, name in enumerate(names)))
    starter = starter_spec(net, source="x\nnew line", aws_ids=True)
    spec = loaded(starter.text)
    by_name = {v.existing.tags["Name"]: k for k, v in spec.vpcs.items() if v.existing.tags}
    assert by_name == {
        'He said "hi" # not a comment': "he-said-hi-not-a-comment",
        "no": "no",
        "Ünïcode\u2028line": "unicode-line",
        "12 monkeys": "vpc-12-monkeys",
        "- dash": "dash",
    }


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("bf-provider", "bf-provider"),
        ("Prod VPC (EU)", "prod-vpc-eu"),
        ("vpc-0abc123", "vpc-0abc123"),
        ("__", "vpc"),
        ("9lives", "vpc-9lives"),
        ("x" * 60, "x" * 39),
    ],
)
def test_spec_key(text: str, key: str) -> None:
    assert spec_key(text) == key


def test_unique_keys_fit_the_length_too() -> None:
    keys = unique_keys(["x" * 60, "x" * 50, "x" * 40])
    assert keys == ["x" * 39, "x" * 37 + "-2", "x" * 37 + "-3"]


@given(st.lists(st.text(max_size=60), max_size=8))
def test_keys_are_valid_spec_names_and_unique(texts: list[str]) -> None:
    keys = unique_keys(texts)
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(NAME_PATTERN, k) for k in keys)


@given(st.text(max_size=40))
def test_scalar_loads_back_as_the_same_text(text: str) -> None:
    assert yaml.safe_load(f"key: {scalar(text)}\n") == {"key": text}


@given(st.text(max_size=40))
def test_a_comment_stays_one_comment(text: str) -> None:
    assert yaml.safe_load(f"key: 1  # {comment(text)}\nother: 2\n") == {"key": 1, "other": 2}
