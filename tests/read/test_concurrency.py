"""Accounts and regions are read at the same time; every list call follows its pages."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

from tests.read.helpers import Aws, caller_session, read
from tests.read.hooks import InFlight, fake_pages
from vpcwire.read import tasks

REGIONS = ["us-east-1", "us-west-2"]


def test_two_accounts_in_two_regions_are_read_in_one_call_concurrently(
    fresh: Aws, fresh2: Aws
) -> None:
    made = {
        (aws.account, r): aws.client("ec2", r).create_vpc(CidrBlock="10.4.0.0/16")["Vpc"]["VpcId"]
        for aws in (fresh, fresh2)
        for r in REGIONS
    }
    session = caller_session()
    slow = InFlight(session, "ec2.DescribeVpcs", delay=20.0, until=4)
    result = read([fresh, fresh2], REGIONS, session=session)
    for (account, region), vpc_id in made.items():
        vpc = result.network.vpcs[vpc_id]
        assert (vpc.account, vpc.region) == (account, region)
    # all four (account, region) discoveries were under way at once (wall time is not
    # asserted: it depends on how loaded the machine is)
    assert slow.most == 4


def test_clients_are_made_once_per_account_region_and_service(fresh: Aws, fresh2: Aws) -> None:
    session = caller_session()
    with mock.patch.object(session, "client", wraps=session.client) as made:
        read([fresh, fresh2], REGIONS, session=session)
    keys = [
        (call.args[0], call.kwargs["region_name"], call.kwargs.get("aws_access_key_id"))
        for call in made.call_args_list
    ]
    assert len(keys) == len(set(keys))
    services = sorted(k[0] for k in keys)
    assert services == ["ec2"] * 4 + ["elbv2"] * 4 + ["ram"] * 4 + ["sts"]


def test_native_pagination_reads_every_page(fresh: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    ec2 = fresh.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    ids = {
        ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=subnet)[
            "Instances"
        ][0]["InstanceId"]
        for _ in range(12)
    }
    monkeypatch.setattr(tasks, "PAGE_SIZE_CAP", 5)
    session = caller_session()
    calls: list[Any] = []
    session.events.register("before-call.ec2.DescribeInstances", lambda **kw: calls.append(kw))
    result = read([fresh], ["us-east-1"], session=session)
    assert ids <= set(result.network.instances)
    assert len(calls) == 3  # 12 reservations, 5 per page


def test_security_groups_over_several_pages_are_all_read_once(fresh: Aws) -> None:
    ec2 = fresh.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    made = {
        ec2.create_security_group(GroupName=f"g{i}", Description="d", VpcId=vpc)["GroupId"]
        for i in range(7)
    }
    session = caller_session()
    fake_pages(session, "ec2", "DescribeSecurityGroups", "SecurityGroups", size=3)
    baseline = read([fresh], ["us-east-1"])
    paged = read([fresh], ["us-east-1"], session=session)
    assert made <= set(paged.network.security_groups)
    assert paged.network.security_groups == baseline.network.security_groups
    groups = len(baseline.network.security_groups)  # ours, the defaults of both VPCs
    assert paged.calls - baseline.calls == -(-groups // 3) - 1
