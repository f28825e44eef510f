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
    shape = next(e for e in g.iter() if e.tag in (f"{SVG}path", f"{SVG}polygon", f"{SVG}rect"))
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
    # each path's label is drawn in its colour
    for g in opened + closed:
        label = found[f"{g.get('id')}:label"]
        assert {t.get("fill") for t in label.iter(f"{SVG}text")} == {stroke(g)}
    label = "".join(t.text or "" for t in found[f"{opened[0].get('id')}:label"].iter(f"{SVG}text"))
    assert label == "tcp/8080 open"
    # why a path is closed is on hover: the edge's title (tooltip) names the reason
    tooltip = closed[0].findtext(f"{SVG}title") or ""
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


def _rect(g: ET.Element) -> tuple[float, float, float, float]:
    r = next(e for e in g.iter(f"{SVG}rect"))
    return tuple(float(r.get(k, "0")) for k in ("x", "y", "width", "height"))  # type: ignore[return-value]


def _distance(point: tuple[float, float], rect: tuple[float, float, float, float]) -> float:
    x, y, w, h = rect
    dx = max(x - point[0], 0.0, point[0] - (x + w))
    dy = max(y - point[1], 0.0, point[1] - (y + h))
    return float((dx * dx + dy * dy) ** 0.5)


def _node_group(found: dict[str, ET.Element], node: str) -> ET.Element:
    """The drawn box of a scene node: ``vpc_consumer`` -> ``vpc:consumer``, else by suffix."""
    if node.startswith("vpc_") and f"vpc:{node[4:]}" in found:
        return found[f"vpc:{node[4:]}"]
    return next(g for k, g in found.items() if k.endswith(f":{node}") and _has_rect(g))


def _has_rect(g: ET.Element) -> bool:
    return any(True for _ in g.iter(f"{SVG}rect"))


def test_closed_paths_carry_an_arrowhead_at_their_destination() -> None:
    svg = to_svg(scene_of(example("inter-region-privatelink")))
    found = groups(svg)
    markers = {m.get("id"): m for m in ET.fromstring(svg).iter(f"{SVG}marker")}
    closed = [g for k, g in found.items() if re.fullmatch(r"path:closed:\d+", k)]
    assert len(closed) == 3
    for g in closed:
        line = next(g.iter(f"{SVG}path"))
        assert line.get("stroke-dasharray")  # dashed, as the legend says
        ref = re.fullmatch(r"url\(#(.+)\)", line.get("marker-end", ""))
        assert ref is not None, f"{g.get('id')} has no arrowhead"
        head = markers[ref.group(1)]
        assert next(head.iter(f"{SVG}path")).get("fill") == CLOSED_COLOUR
        # the curve runs from the source's box to the destination's: the arrow points at it
        coords = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", line.get("d", ""))]
        start, end = (coords[0], coords[1]), (coords[-2], coords[-1])
        target = _rect(_node_group(found, g.get("data-to", "")))
        assert _distance(start, _rect(_node_group(found, g.get("data-from", "")))) < 1
        assert _distance(end, target) < 1 < _distance(start, target) - 10


def test_instances_and_route_tables_are_drawn_in_their_vpc() -> None:
    p = example("inter-region-privatelink")
    found = groups(to_svg(scene_of(p)))
    for inst in p.network.instances.values():
        vpc = p.network.vpcs[inst.vpc]
        subnet = p.network.subnets[inst.subnet]
        chip = found[f"instance:{inst.name}"]
        # drawn inside its subnet's box, which is inside its VPC's box
        assert chip in list(found[f"subnet:{subnet.cidr}"].iter())
        assert chip in list(found[f"vpc:{vpc.name}"].iter())
        assert "".join(found[f"text:instance:{inst.name}"].itertext()).strip() == inst.name
    tables = {k for k in found if k.startswith("route_table:")}
    assert tables == {f"route_table:{rt.name}" for rt in p.network.route_tables.values()}
    text = " ".join(found["route_table:provider_private"].itertext())
    assert "route table provider_private (us-east-1a, us-east-1b)" in text
    assert "10.255.0.0/24 → peering provider_outpost_us_west_2" in text


def test_many_instances_and_routes_are_counted_not_drawn() -> None:
    """A scanned estate's subnet of 20 instances or table of 30 routes stays compact."""
    from vpcwire.diagram.scene import VpcBox

    box = VpcBox(
        "vpc_a",
        "a",
        "main (111111111111)",
        "us-east-1",
        ("10.0.0.0/16",),
        (("us-east-1a", "10.0.0.0/24", False),),
        instances=tuple(("10.0.0.0/24", f"i{n:02d}") for n in range(20)),
        route_tables=(
            ("rt", "us-east-1a", tuple(f"10.{n}.0.0/16 → peering p{n}" for n in range(30))),
        ),
    )
    found = groups(to_svg(Scene("many", (box,), (), (), ())))
    assert sorted(k for k in found if k.startswith("instance:")) == [
        f"instance:i{n:02d}" for n in range(5)
    ]
    texts = " ".join(found["subnet:10.0.0.0/24"].itertext()) + " ".join(
        "".join(g.itertext()) for k, g in found.items() if k.startswith("text:subnet:")
    )
    assert "+15 more instances" in texts
    routes = [t.strip() for t in found["route_table:rt"].itertext() if t.strip()]
    assert routes[0] == "route table rt (us-east-1a)" and routes[-1] == "+25 more routes"
    assert len(routes) == 7
