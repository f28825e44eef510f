"""Sample instances boot without waiting for resources they do not need: nothing in an
aws_instance block refers to an endpoint, endpoint service or load balancer (each such
reference put the endpoint's whole chain, ~70 s on the sandbox, in front of the instance).
Endpoint DNS names reach clients as instance tags read through instance metadata."""

from __future__ import annotations

import re

import pytest

from tests.conftest import EXAMPLES
from vpcwire import load_spec, plan, render

EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
BLOCK = re.compile(r'^resource "(?P<kind>\w+)" "(?P<name>\w+)" \{\n(?P<body>.*?)^\}', re.M | re.S)


def blocks(example: str, kind: str) -> dict[str, str]:
    files = render(plan(load_spec(EXAMPLES / f"{example}.yaml"))).files
    text = "\n".join(files.values())
    return {m["name"]: m["body"] for m in BLOCK.finditer(text) if m["kind"] == kind}


# What an instance needs before it boots: its AMI, its subnet, its security groups.
NEEDED = {"data.aws_ssm_parameter", "aws_subnet", "aws_security_group"}


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_instances_refer_only_to_what_they_need_to_boot(example: str) -> None:
    instances = blocks(example, "aws_instance")
    assert instances
    for name, body in instances.items():
        waits_on = set(re.findall(r"\b((?:data\.)?aws_[a-z0-9_]+)\.\w+\.", body))
        assert waits_on <= NEEDED, (name, sorted(waits_on - NEEDED))
        assert "aws_subnet" in waits_on  # the pattern does see references


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_every_endpoint_dns_name_reaches_its_client_as_an_imds_tag(example: str) -> None:
    instances = blocks(example, "aws_instance")
    tags = blocks(example, "aws_ec2_tag")
    endpoints = blocks(example, "aws_vpc_endpoint")
    for body in tags.values():
        instance = re.search(r"resource_id = aws_instance\.(\w+)\.id", body)
        key = re.search(r'key\s+= "([^"]+)"', body)
        value = re.search(r"value\s+= aws_vpc_endpoint\.(\w+)\.dns_entry\[0\]\.dns_name", body)
        assert instance and key and value, body
        client = instances[instance[1]]
        assert value[1] in endpoints
        # the client reads that key, with metadata tags exposed, and the instance leaves
        # the tag to the aws_ec2_tag resource
        assert f'tag      = "{key[1]}"' in client
        assert 'instance_metadata_tags = "enabled"' in client
        assert f'tags["{key[1]}"]' in client
        assert re.fullmatch(r"[A-Za-z0-9+\-=.,_:@]+", key[1])
    calls_via_endpoint = sum(b.count('tag      = "vpcwire-endpoint-') for b in instances.values())
    assert calls_via_endpoint == len(tags)
    if "privatelink" in example or "cross" in example:
        assert tags  # the PrivateLink examples do use the mechanism


def test_the_template_documents_and_reads_the_tag_path() -> None:
    files = render(plan(load_spec(EXAMPLES / "privatelink.yaml"))).files
    template = files["templates/client.sh.tftpl"]
    assert "/latest/meta-data/tags/instance/vpcwire-endpoint-<service>" in template
    assert '"http://169.254.169.254/latest/meta-data/tags/instance/$1"' in template
