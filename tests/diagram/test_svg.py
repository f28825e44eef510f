"""The SVG's structure: one box per VPC, one element per link and per path, colours by verdict."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

from tests.conftest import EXAMPLES
from vpcwire.diagram import build_scene, to_svg
from vpcwire.diagram.scene import CLOSED_COLOUR, DRIFT_COLOUR, OPEN_COLOUR, Scene, mechanisms_of
from vpcwire.diff import ResourceChange
from vpcwire.network import NetworkBuilder
from vpcwire.pipeline import plan
from vpcwire.plan.plan import Plan
from vpcwire.spec.load import load_spec
from vpcwire.verify.intents import derive_intents, evaluate

SVG = "{http://www.w3.org/2000/svg}"


def example(name: str) -> Plan:
    return plan(load_spec(EXAMPLES / f"{name}.yaml"))


def scene_of(p: Plan, network: object = None, drift: tuple[ResourceChange, ...] = ()) -> Scene:
    net = p.network if network is None else network
    return build_scene(
        net,  # type: ignore[arg-type]
        evaluate(net, derive_intents(p)),  # type: ignore[arg-type]
        mechanisms=mechanisms_of(p),
        drift=drift,
    )


def groups(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("id", ""): g for g in root.iter(f"{SVG}g") if g.get("id")}


def stroke(g: ET.Element) -> str:
    shape = next(e for e in g.iter() if e.tag in (f"{SVG}path", f"{SVG}polygon"))
    return shape.get("stroke", "")


def test_reference_architecture_has_every_vpc_link_and_path() -> None:
    p = example("inter-region-privatelink")
    found = groups(to_svg(scene_of(p)))
    assert sorted(k for k in found if k.startswith("vpc:")) == [
        "vpc:consumer",
        "vpc:provider",
        "vpc:provider_outpost_us_west_2",
    ]
    assert sorted(k.rsplit(":", 1)[0] for k in found if re.fullmatch(r"link:\w+:\d+", k)) == [
        "link:fronts",
        "link:peering",
        "link:privatelink",
        "link:targets",
    ]
    assert "load_balancer:lb_api_us_west_2" in found
    assert "endpoint:ep_consumer_api" in found
    assert "endpoint_service:svc_api_us_west_2" in found
    opened = [g for k, g in found.items() if re.fullmatch(r"path:open:\d+", k)]
    closed = [g for k, g in found.items() if re.fullmatch(r"path:closed:\d+", k)]
    # consumer -> endpoint on 8080 opens; tcp/22 to it, both ways to the provider stay closed
    assert len(opened) == 1 and len(closed) == 3
    assert {stroke(g) for g in opened} == {OPEN_COLOUR}
    assert {stroke(g) for g in closed} == {CLOSED_COLOUR}
    # each path is two halves around its label, one colour throughout
    for g in opened + closed:
        ident = g.get("id")
        assert stroke(found[f"{ident}:from"]) == stroke(g)
    label = "".join(t.text or "" for t in found[f"{opened[0].get('id')}:label"].iter(f"{SVG}text"))
    assert label == "tcp/8080 open"
    # why a path is closed is on hover: the edge's title / tooltip names the reason
    tooltip = " ".join(
        a.get("{http://www.w3.org/1999/xlink}title", "") for a in closed[0].iter(f"{SVG}a")
    )
    assert "SG_" in tooltip or "ENDPOINT_ONE_WAY" in tooltip or "NO_ROUTE" in tooltip


def test_a_broken_intent_is_drawn_as_failing() -> None:
    p = example("privatelink")
    b = NetworkBuilder(p.network)
    for lst in list(p.network.listeners.values()):
        b.put(replace(lst, port=9999))  # the listener moved: the endpoint path closes
    found = groups(to_svg(scene_of(p, b.build())))
    failing = [
        g
        for k, g in found.items()
        if re.fullmatch(r"path:closed:\d+", k)
        and "FAILS" in "".join(t.text or "" for t in found[f"{k}:label"].iter(f"{SVG}text"))
    ]
    assert len(failing) == 1
    widths = {e.get("stroke-width") for e in failing[0].iter(f"{SVG}path")}
    assert widths == {"4"}


def test_drift_marks_the_vpc_box() -> None:
    p = example("privatelink")
    drift = (ResourceChange("route_table", "consumer_private", "changed"),)
    found = groups(to_svg(scene_of(p, drift=drift)))
    assert stroke(found["vpc:consumer"]) == DRIFT_COLOUR
    assert stroke(found["vpc:provider"]) != DRIFT_COLOUR
    texts = "".join(t.text or "" for t in found["vpcnode:consumer"].iter(f"{SVG}text"))
    assert "drift: changed route_table consumer_private" in texts


def test_accounts_and_regions_nest() -> None:
    p = example("cross-account")
    found = groups(to_svg(scene_of(p)))
    accounts = [k for k in found if k.startswith("account:")]
    assert len(accounts) == 2
    regions = [k for k in found if k.startswith("region:")]
    assert len(regions) >= 2
