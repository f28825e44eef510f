"""Where everything in a Scene sits: nested boxes packed into a width the reader's window has.

Why a layout of our own rather than Graphviz or a layout library: the picture is regular —
accounts hold regions, regions hold VPCs, a VPC holds its subnets by availability zone (with
their instances), its endpoints, endpoint services and load balancers, and its route tables —
so placing it is packing boxes in rows, which a few dozen lines do exactly and within a width
we choose (the default fits a 1,280 px window; Graphviz's left-to-right ranks drew the
reference architecture 2,450 px wide and cannot be told a width). Graphviz also needs its
`dot` binary, which pip cannot install. The pure-pip candidates did not fit: grandalf lays out
flat graphs only (no nested clusters), pyelk ports a part of ELK, and graphviz-pure (a Rust
port of `dot`, 0.2.x) would bring the width problem back with a 6 MB binary. What a general
layout does well — edges that avoid boxes — is done here for the few edges a network has:
``vpcwire.diagram.route`` picks each edge's sides by its cost in length and crossings, and
places its label where no text is.

Geometry is in SVG pixels; text is measured with ``metrics.text_width`` (DejaVu Sans).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from vpcwire.diagram.metrics import text_width
from vpcwire.diagram.scene import DRIFT_COLOUR, Component, Hub, Scene, VpcBox, slug

__all__ = ["WIDTH", "Box", "Layout", "Rect", "Text", "lay_out"]

WIDTH = 1200  # the picture's widest; with the page's margins it fits a 1,280 px window
_MAX_INSTANCES = 6  # per subnet; more are counted, not drawn
_MAX_ROUTES = 6  # per route table, likewise
_RT_WIDTH = 420  # route table lines wider than this (and than the VPC) are cut with "…"


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h / 2)

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)

    def overlaps(self, other: Rect, slack: float = 0.0) -> bool:
        return (
            self.x - slack < other.right
            and other.x - slack < self.right
            and self.y - slack < other.bottom
            and other.y - slack < self.bottom
        )


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = 11
    bold: bool = False
    italic: bool = False
    colour: str = "#1f2328"
    title: str = ""  # the full text, when ``text`` was cut

    @property
    def rect(self) -> Rect:
        """The box a browser reports for it (DejaVu's ascent .93 em, descent .24 em)."""
        width = text_width(self.text, self.size, bold=self.bold)
        return Rect(self.x, self.y - 0.93 * self.size, width, 1.17 * self.size)

    def moved(self, dx: float, dy: float) -> Text:
        return replace(self, x=self.x + dx, y=self.y + dy)


@dataclass(frozen=True, slots=True)
class Box:
    """A drawn rectangle with its texts and the boxes inside it, in absolute coordinates once
    placed. ``ident`` is the SVG id (``vpc:consumer``); ``node`` the scene id edges use."""

    ident: str
    kind: str  # account, region, vpc, az, subnet, component kinds, instance, group
    rect: Rect
    texts: tuple[Text, ...] = ()
    children: tuple[Box, ...] = ()
    node: str = ""
    anchor: Rect | None = None  # where edges attach (a VPC's header strip), else ``rect``
    # where edges leave downwards, when not the anchor's bottom: a VPC's name and CIDRs, so
    # a path to one of its endpoints starts at the name, not anywhere along the strip
    below: Rect | None = None
    title: str = ""
    stroke: str = ""

    def moved(self, dx: float, dy: float) -> Box:
        return replace(
            self,
            rect=self.rect.moved(dx, dy),
            texts=tuple(t.moved(dx, dy) for t in self.texts),
            children=tuple(c.moved(dx, dy) for c in self.children),
            anchor=self.anchor.moved(dx, dy) if self.anchor else None,
            below=self.below.moved(dx, dy) if self.below else None,
        )

    def walk(self) -> list[Box]:
        out = [self]
        for child in self.children:
            out += child.walk()
        return out


@dataclass(frozen=True, slots=True)
class Layout:
    width: float
    height: float
    boxes: tuple[Box, ...]

    def all_boxes(self) -> list[Box]:
        return [b for top in self.boxes for b in top.walk()]

    def anchors(self) -> dict[str, tuple[Rect, Rect]]:
        """Scene node -> (the rectangle edges attach to, the one they leave downwards from)."""
        out = {}
        for b in self.all_boxes():
            if b.node:
                rect = b.anchor or b.rect
                out[b.node] = (rect, b.below or rect)
        return out

    def texts(self) -> list[tuple[str, Text]]:
        """Every text with the scene node it belongs to ("" for none)."""
        out: list[tuple[str, Text]] = []

        def visit(box: Box, owner: str) -> None:
            owner = box.node or owner
            out.extend((owner, t) for t in box.texts)
            for child in box.children:
                visit(child, owner)

        for top in self.boxes:
            visit(top, "")
        return out


def _lines(x: float, y: float, rows: Sequence[tuple[str, float, bool]]) -> tuple[list[Text], float]:
    """Texts one under another from top ``y``; (texts, height used)."""
    out = []
    top = y
    for text, size, bold in rows:
        y += size * 1.3
        out.append(Text(x, y - 0.3 * size, text, size, bold))
    return out, y - top


def _cut(text: str, size: float, width: float) -> str:
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _component(comp: Component) -> Box:
    lines = comp.label.split("\n")
    rows = [(line, 11.0, i == 0) for i, line in enumerate(lines)]
    texts, h = _lines(8, 4, rows)
    w = max(t.rect.w for t in texts) + 16
    return Box(
        f"{comp.kind}:{comp.id}", comp.kind, Rect(0, 0, w, h + 9), tuple(texts), node=comp.id
    )


def _hub(hub: Hub) -> Box:
    """A Transit Gateway: a node of its region, beside the VPCs attached to it."""
    return _component(Component(hub.id, "", "transit_gateway", hub.label))


def _subnet(cidr: str, public: bool, instances: list[str]) -> Box:
    rows = [(f"{cidr} ({'public' if public else 'private'})", 10.0, False)]
    shown = instances if len(instances) <= _MAX_INSTANCES else instances[: _MAX_INSTANCES - 1]
    texts, h = _lines(6, 3, rows)
    chips = []
    y = 3 + h + 2
    for name in shown:
        t = Text(20, y + 11, name, 10)
        chips.append(Box(f"instance:{name}", "instance", Rect(8, y + 2, 9, 9), (t,), title=name))
        y += 14
    if len(shown) < len(instances):
        texts.append(Text(20, y + 11, f"+{len(instances) - len(shown)} more instances", 10))
        y += 14
    all_texts = texts + [t for c in chips for t in c.texts]
    w = max(t.rect.right for t in all_texts) + 8
    return Box(f"subnet:{cidr}", "subnet", Rect(0, 0, w, y + 5), tuple(texts), tuple(chips))


def _az_column(az: str, subnets: list[Box]) -> Box:
    title = Text(6, 13, az, 10, bold=True, colour="#57606a")
    y = 19.0
    width = title.rect.right + 6
    placed = []
    for sub in subnets:
        placed.append(sub.moved(6, y))
        y += sub.rect.h + 5
        width = max(width, sub.rect.w + 12)
    placed = [replace(p, rect=replace(p.rect, w=width - 12)) for p in placed]
    return Box(f"az:{az}", "az", Rect(0, 0, width, y + 1), (title,), tuple(placed))


def _vpc(box: VpcBox, comps: list[Component]) -> Box:
    pad = 10
    head_rows = [(box.name + (" (outpost VPC)" if box.outpost else ""), 12.0, True)]
    head_rows.append((", ".join(box.cidrs), 11.0, False))
    head, head_h = _lines(pad, 6, head_rows)
    drift = []
    y = 6 + head_h
    for line in box.drift[:4]:
        y += 13
        drift.append(Text(pad, y - 3, f"drift: {line[:70]}", 10, colour=DRIFT_COLOUR))
    header_h = y + 4
    children: list[Box] = []
    # components in a column on the left, availability zones beside them; the column starts
    # lower, leaving room for the paths from the VPC's name to its endpoints and their labels
    x, col_h = float(pad), 0.0
    cy = header_h + 30
    comp_w = 0.0
    for comp in comps:
        placed = _component(comp).moved(pad, cy)
        children.append(placed)
        cy += placed.rect.h + 34
        comp_w = max(comp_w, placed.rect.w)
    if comps:
        x += comp_w + 24
        col_h = cy - 34 - header_h
    by_az: dict[str, list[Box]] = {}
    names: dict[str, list[str]] = {}
    for cidr, name in box.instances:
        names.setdefault(cidr, []).append(name)
    for az, cidr, public in box.subnets:
        by_az.setdefault(az, []).append(_subnet(cidr, public, names.get(cidr, [])))
    for az in sorted(by_az):
        column = _az_column(az, by_az[az]).moved(x, header_h)
        children.append(column)
        x += column.rect.w + 8
        col_h = max(col_h, column.rect.h)
    body_w = x - 8 if by_az else x
    y = header_h + col_h + 6
    texts = list(head) + drift
    inner = max([body_w - pad, *(t.rect.right - pad for t in texts)])
    rt_width = max(inner, _RT_WIDTH)
    tables: list[Box] = []
    for name, where, routes in box.route_tables:
        top = y
        rows = []
        if len(routes) > _MAX_ROUTES:
            routes = (*routes[: _MAX_ROUTES - 1], f"+{len(routes) - _MAX_ROUTES + 1} more routes")
        for i, line in enumerate((f"route table {name} ({where})", *routes)):
            y += 13
            size, indent = 10.0, (0 if i == 0 else 12)
            cut = _cut(line, size, rt_width - indent)
            rows.append(Text(pad + indent, y - 3, cut, size, colour="#57606a", title=line))
        right = max(t.rect.right for t in rows)
        tables.append(
            Box(f"route_table:{name}", "route_table", Rect(pad, top, right, y - top), tuple(rows))
        )
    inner = max([inner, *(t.rect.right - pad for b in tables for t in b.texts)])
    w, h = inner + 2 * pad, y + pad
    vpc_texts = Box(f"vpcnode:{box.name}", "group", Rect(0, 0, w, h), tuple(texts))
    children += tables
    return Box(
        f"vpc:{box.name}",
        "vpc",
        Rect(0, 0, w, h),
        (),
        (vpc_texts, *children),
        node=box.id,
        anchor=Rect(0, 0, w, header_h),
        below=Rect(0, 0, max(t.rect.right for t in head) + pad, header_h),
        stroke=DRIFT_COLOUR if box.drift else "",
    )


def _flow(
    items: Sequence[Callable[[float], Box]], budget: float, gap_x: float, gap_y: float
) -> tuple[list[Box], float, float]:
    """Boxes left to right, wrapping at ``budget``; each is measured with the width left in
    its row, so a region of stacked VPCs can sit beside another. (boxes, width, height)"""
    out: list[Box] = []
    x = y = row_h = width = 0.0
    for make in items:
        box = make(budget - x)
        if x > 0 and x + box.rect.w > budget:
            x, y, row_h = 0.0, y + row_h + gap_y, 0.0
            box = make(budget)
        out.append(box.moved(x, y))
        width = max(width, x + box.rect.w)
        row_h = max(row_h, box.rect.h)
        x += box.rect.w + gap_x
    return out, width, y + row_h


def _fixed(box: Box) -> Callable[[float], Box]:
    """A box whose size does not depend on the width left for it."""
    return lambda _budget: box


def _frame(
    ident: str, kind: str, title: Text, inner: list[Box], w: float, h: float, pad: float
) -> Box:
    top = title.rect.bottom + 8
    children = tuple(b.moved(pad, top) for b in inner)
    width = max(w + 2 * pad, title.rect.right + pad)
    return Box(ident, kind, Rect(0, 0, width, top + h + pad), (title,), children)


def _region(account: str, region: str, vpcs: list[Box]) -> Callable[[float], Box]:
    def make(budget: float) -> Box:
        inner, w, h = _flow([_fixed(v) for v in vpcs], budget - 24, 100, 60)
        title = Text(12, 18, f"region {region}", 12, colour="#57606a")
        return _frame(f"region:{slug(account)}_{slug(region)}", "region", title, inner, w, h, 12)

    return make


def _account(account: str, regions: dict[str, list[Box]]) -> Callable[[float], Box]:
    def make(budget: float) -> Box:
        makers = [_region(account, r, vpcs) for r, vpcs in regions.items()]
        inner, w, h = _flow(makers, budget - 28, 170, 50)
        title = Text(14, 20, f"account {account}", 13, bold=True)
        return _frame(f"account:{slug(account)}", "account", title, inner, w, h, 14)

    return make


def lay_out(scene: Scene, width: float = WIDTH) -> Layout:
    """The scene's boxes, packed into ``width`` (wider only if one VPC is wider than that)."""
    accounts = {
        account: {
            region: [_vpc(box, scene.components_of(box.id)) for box in boxes]
            for region, boxes in regions.items()
        }
        for account, regions in scene.accounts().items()
    }
    for hub in scene.hubs:  # first in its region: the VPCs around it
        accounts.setdefault(hub.account, {}).setdefault(hub.region, []).insert(0, _hub(hub))
    margin = 10.0
    makers = [_account(a, regions) for a, regions in accounts.items()]
    boxes, w, h = _flow(makers, width - 2 * margin, 40, 40)
    placed = {b.id for b in scene.vpcs}
    loose = [c for c in scene.components if c.vpc not in placed]
    if loose:
        extra, lw, lh = _flow([_fixed(_component(c)) for c in loose], width, 40, 30)
        boxes += [b.moved(0, h + 40) for b in extra]
        w, h = max(w, lw), h + 40 + lh
    boxes = [b.moved(margin, margin) for b in boxes]
    return Layout(w + 2 * margin, h + 2 * margin, tuple(boxes))
