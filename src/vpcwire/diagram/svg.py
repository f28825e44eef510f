"""The Scene as SVG: boxes placed by ``layout``, edges by ``route``, written as an element tree.

No system program is run: the picture is laid out in Python (``layout``'s docstring says why
not Graphviz) and serialised with ElementTree, so ``pip install vpcwire`` is enough to draw.

It is drawn in three layers: the boxes (accounts, regions, VPCs, availability zones with their
subnets and instances, endpoints, endpoint services, load balancers), then the edges, then
every text with a halo of its background's colour, so a line that passes behind a text never
makes it unreadable.

Element ids are an interface the tests (and anyone styling the picture) use:
``account:<slug>``, ``region:<slug>``, ``vpc:<name>`` (the VPC box), ``vpcnode:<name>`` (its
name, CIDRs, subnets' drift lines), ``az:…``, ``subnet:<cidr>``, ``instance:<name>``,
``route_table:<name>``, ``<kind>:<scene id>`` for endpoints, endpoint services and load
balancers, ``link:<kind>:<n>`` and ``path:<open|closed>:<n>`` (the edge; its ``<title>`` is
the tooltip with the intents and why they are closed; ``…:label`` is its label). Every edge
carries ``data-style``, a key of ``EDGE_STYLES``, which the HTML legend draws from too.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from vpcwire.diagram.layout import Box, Layout, Rect, Text, lay_out
from vpcwire.diagram.metrics import FONT_FAMILY
from vpcwire.diagram.route import Edge, Routed, route
from vpcwire.diagram.scene import CLOSED_COLOUR, OPEN_COLOUR, Link, Scene

__all__ = ["EDGE_STYLES", "TGW_SEGMENT_COLOURS", "EdgeStyle", "edges_of", "marker", "to_svg"]


@dataclass(frozen=True, slots=True)
class EdgeStyle:
    colour: str
    dash: str  # stroke-dasharray, "" for solid
    width: float
    blocked: bool  # the arrowhead has a bar before it: the path is closed
    legend: str


EDGE_STYLES = {
    "open": EdgeStyle(OPEN_COLOUR, "", 2.5, False, "path proven open, in its direction"),
    "closed": EdgeStyle(CLOSED_COLOUR, "7 4", 2.5, True, "path proven closed (hover for why)"),
    "open_fails": EdgeStyle(OPEN_COLOUR, "", 4, False, "✗ FAILS: open, the spec wants it closed"),
    "closed_fails": EdgeStyle(
        CLOSED_COLOUR, "7 4", 4, True, "✗ FAILS: closed, the spec wants it open"
    ),
    "peering": EdgeStyle("#0969da", "", 2, False, "VPC peering (both ways)"),
    "privatelink": EdgeStyle("#8250df", "", 2, False, "PrivateLink: endpoint → endpoint service"),
    "nlb": EdgeStyle("#57606a", "", 1.5, False, "endpoint service → NLB → its targets"),
    "tgw_peering": EdgeStyle("#0550ae", "4 2", 2.5, False, "Transit Gateway peering (both ways)"),
}
# TGW attachments take the colour of their route table (its segment), named on the edge.
TGW_SEGMENT_COLOURS = ("#1b7c83", "#bc4c00", "#bf3989", "#6639ba", "#7d4e00", "#0a3069")
for _i, _colour in enumerate(TGW_SEGMENT_COLOURS):
    EDGE_STYLES[f"tgw_{_i}"] = EdgeStyle(
        _colour, "", 2, False, f"Transit Gateway attachment, route table {_i + 1} (named on it)"
    )
_LINK_STYLE = {
    "peering": "peering",
    "privatelink": "privatelink",
    "fronts": "nlb",
    "targets": "nlb",
    "tgw_peering": "tgw_peering",
}
_FILL = {
    "account": ("#ffffff", "#57606a", ""),
    "region": ("#ffffff", "#8c959f", "5 3"),
    "vpc": ("#f0f6ff", "#0969da", ""),
    "az": ("#f0f6ff", "#afb8c1", "3 2"),
    "subnet": ("#ffffff", "#d0d7de", ""),
    "instance": ("#57606a", "#57606a", ""),
    "endpoint": ("#fff8c5", "#9a6700", ""),
    "endpoint_service": ("#fbefff", "#8250df", ""),
    "load_balancer": ("#ffebe9", "#cf222e", ""),
    "transit_gateway": ("#ddf4ff", "#0550ae", ""),
}
_TEXT_ONLY = {"group", "route_table"}
_COMPONENTS = {"endpoint", "endpoint_service", "load_balancer", "transit_gateway"}


def edges_of(scene: Scene) -> list[Edge]:
    """The scene's links and paths as edges to route, with their ids and styles."""
    out = [
        Edge(
            f"link:{link.kind}:{n}",
            link.source,
            link.target,
            link.label,
            _link_style(link),
            link.label,
            link.both_ways,
        )
        for n, link in enumerate(scene.links)
    ]
    for n, path in enumerate(scene.paths):
        mark = "" if path.ok else " ✗ FAILS"
        out.append(
            Edge(
                f"path:{path.verdict}:{n}",
                path.source,
                path.target,
                f"{path.label} {path.verdict}{mark}",
                path.verdict + ("" if path.ok else "_fails"),
                "\n".join(path.detail),
            )
        )
    return out


def _link_style(link: Link) -> str:
    if link.kind == "tgw_attachment":
        return f"tgw_{link.segment % len(TGW_SEGMENT_COLOURS)}"
    return _LINK_STYLE[link.kind]


def marker(style: str) -> str:
    """The id of the arrowhead marker of an edge style (also used by the HTML legend)."""
    return f"arrow-{style}"


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _marker(parent: ET.Element, key: str, style: EdgeStyle) -> None:
    length = 16 if style.blocked else 10
    m = ET.SubElement(
        parent,
        "marker",
        id=marker(key),
        viewBox=f"0 0 {length} 10",
        refX=str(length),
        refY="5",
        markerWidth=str(length + 2),
        markerHeight="12",
        markerUnits="userSpaceOnUse",
        orient="auto-start-reverse",
    )
    head = "M{0},0 L{1},5 L{0},10 z".format(length - 10, length)
    if style.blocked:  # a bar across the line, then the arrowhead: "blocked, this way"
        head = "M0,0 h2.5 v10 h-2.5 z " + head
    ET.SubElement(m, "path", d=head, fill=style.colour)


def _text(parent: ET.Element, t: Text, halo: str) -> None:
    attrs = {
        "x": _n(t.x),
        "y": _n(t.y),
        "font-size": _n(t.size),
        "fill": t.colour,
        "stroke": halo,
        "stroke-width": "3",
        "stroke-linejoin": "round",
        "paint-order": "stroke",
    }
    if t.bold:
        attrs["font-weight"] = "bold"
    el = ET.SubElement(parent, "text", attrs)
    el.text = t.text
    if t.title and t.title != t.text:
        ET.SubElement(el, "title").text = t.title


def _frame(parent: ET.Element, box: Box) -> None:
    if box.kind in _TEXT_ONLY:
        return
    g = ET.SubElement(parent, "g", id=box.ident)
    if box.title:
        ET.SubElement(g, "title").text = box.title
    fill, stroke, dash = _FILL.get(box.kind, ("#ffffff", "#57606a", ""))
    r = box.rect
    attrs = {
        "x": _n(r.x),
        "y": _n(r.y),
        "width": _n(r.w),
        "height": _n(r.h),
        "fill": fill,
        "stroke": box.stroke or stroke,
        "stroke-width": "2" if box.stroke else "1",
    }
    if box.kind in ("account", "region", "vpc", "endpoint", "az"):
        attrs["rx"] = attrs["ry"] = "6"
    if dash:
        attrs["stroke-dasharray"] = dash
    ET.SubElement(g, "rect", attrs)
    for child in box.children:
        _frame(g, child)


def _texts(parent: ET.Element, box: Box, halo: str) -> None:
    if box.kind not in _TEXT_ONLY and box.kind != "instance":
        halo = _FILL.get(box.kind, (halo,))[0]
    if box.texts:
        ident = box.ident if box.kind in _TEXT_ONLY else f"text:{box.ident}"
        g = ET.SubElement(parent, "g", id=ident)
        for t in box.texts:
            _text(g, t, halo)
    for child in box.children:
        _texts(parent, child, halo)


def _curve_d(curve: tuple[tuple[float, float], ...]) -> str:
    (a, b), *rest = curve
    return f"M{_n(a)},{_n(b)} C" + " ".join(f"{_n(x)},{_n(y)}" for x, y in rest)


def _edge(parent: ET.Element, routed: Routed) -> None:
    e = routed.edge
    style = EDGE_STYLES[e.style]
    g = ET.SubElement(
        parent,
        "g",
        {"id": e.ident, "class": "edge", "data-style": e.style},
        **{"data-from": e.source, "data-to": e.target},
    )
    ET.SubElement(g, "title").text = e.title
    attrs = {
        "d": _curve_d(routed.curve),
        "fill": "none",
        "stroke": style.colour,
        "stroke-width": _n(style.width),
        "marker-end": f"url(#{marker(e.style)})",
    }
    if style.dash:
        attrs["stroke-dasharray"] = style.dash
    if e.both_ways:
        attrs["marker-start"] = f"url(#{marker(e.style)})"
    ET.SubElement(g, "path", attrs)


def _bounds(layout: Layout, routed: list[Routed]) -> Rect:
    xs, ys = [0.0, layout.width], [0.0, layout.height]
    for r in routed:
        for t in (i / 16 for i in range(17)):
            p0, c1, c2, p3 = r.curve
            u = 1 - t
            xs.append(u**3 * p0[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t**3 * p3[0])
            ys.append(u**3 * p0[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * p3[1])
        label = r.label.rect
        xs += [label.x, label.right]
        ys += [label.y, label.bottom]
    x, y = math.floor(min(xs)) - 4, math.floor(min(ys)) - 4
    return Rect(x, y, math.ceil(max(xs)) + 4 - x, math.ceil(max(ys)) + 4 - y)


def to_svg(scene: Scene) -> str:
    """The picture as an ``<svg>`` element, ready to inline in HTML or save as a file."""
    layout = lay_out(scene)
    obstacles = [t.rect for _, t in layout.texts()]
    obstacles += [b.rect for b in layout.all_boxes() if b.kind in _COMPONENTS]
    routed = route(edges_of(scene), layout.anchors(), obstacles, layout.width)
    view = _bounds(layout, routed)
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "id": "diagram",
            "width": _n(view.w),
            "height": _n(view.h),
            "viewBox": f"{_n(view.x)} {_n(view.y)} {_n(view.w)} {_n(view.h)}",
            "font-family": FONT_FAMILY,
        },
    )
    defs = ET.SubElement(svg, "defs")
    for key in sorted({r.edge.style for r in routed}):
        _marker(defs, key, EDGE_STYLES[key])
    frames = ET.SubElement(svg, "g", id="boxes")
    for box in layout.boxes:
        _frame(frames, box)
    edges = ET.SubElement(svg, "g", id="edges")
    for r in routed:
        _edge(edges, r)
    texts = ET.SubElement(svg, "g", id="texts")
    for box in layout.boxes:
        _texts(texts, box, "#ffffff")
    for r in routed:
        g = ET.SubElement(texts, "g", id=f"{r.edge.ident}:label")
        colour = EDGE_STYLES[r.edge.style].colour
        _text(g, Text(r.label.x, r.label.y, r.label.text, r.label.size, colour=colour), "#ffffff")
    ET.indent(svg, space=" ")
    return ET.tostring(svg, encoding="unicode") + "\n"
