"""Edges between placed boxes: which sides they leave and enter by, their curves, their labels.

Each edge is a cubic Bézier from a side of its source to a side of its target, leaving and
entering square to the side, as Graphviz's splines do. Of the sixteen pairs of sides the one
chosen is the cheapest: its length plus a heavy price for every text or box it crosses, so an
edge goes round a VPC's subnets rather than through them when it can. Edges sharing a side
are then spread along it, ordered by where their other ends are, so they do not cross there.

A label goes on its edge, at the middle if that spot is free, else at the first free spot
along the edge or beside it, else at the nearest free spot around the middle: no label ever
covers another label or any text of the picture (the browser tests measure that).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from vpcwire.diagram.layout import Rect, Text
from vpcwire.diagram.metrics import text_width

__all__ = ["Edge", "Routed", "route"]

Point = tuple[float, float]
Side = Literal["left", "right", "top", "bottom"]
_SIDES: tuple[Side, ...] = ("right", "left", "bottom", "top")
_NORMAL: dict[Side, Point] = {"left": (-1, 0), "right": (1, 0), "top": (0, -1), "bottom": (0, 1)}
_CROSSING = 260.0  # the length an edge may add to avoid crossing one text or box
_LABEL_SIZE = 10.0


@dataclass(frozen=True, slots=True)
class Edge:
    ident: str  # SVG id: "path:open:0", "link:peering:2"
    source: str  # scene node ids
    target: str
    label: str
    style: str  # a key of svg.EDGE_STYLES
    title: str  # the tooltip: intents and why they are closed
    both_ways: bool = False


@dataclass(frozen=True, slots=True)
class Routed:
    edge: Edge
    curve: tuple[Point, Point, Point, Point]
    label: Text


def _at(curve: Sequence[Point], t: float) -> Point:
    p0, c1, c2, p3 = curve
    u = 1 - t
    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return (
        a * p0[0] + b * c1[0] + c * c2[0] + d * p3[0],
        a * p0[1] + b * c1[1] + c * c2[1] + d * p3[1],
    )


def _samples(curve: Sequence[Point], n: int = 24) -> list[Point]:
    return [_at(curve, i / n) for i in range(n + 1)]


def _crosses(a: Point, b: Point, r: Rect) -> bool:
    """Whether segment a-b passes through rectangle r (Liang–Barsky clipping)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, a[0] - r.x),
        (dx, r.right - a[0]),
        (-dy, a[1] - r.y),
        (dy, r.bottom - a[1]),
    ):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


Anchor = tuple[Rect, Rect]  # (rectangle, its part edges leave downwards from)


def _point(anchor: Anchor, side: Side, f: float = 0.5) -> Point:
    r = anchor[1] if side == "bottom" else anchor[0]
    if side == "left":
        return (r.x, r.y + f * r.h)
    if side == "right":
        return (r.right, r.y + f * r.h)
    if side == "top":
        return (r.x + f * r.w, r.y)
    return (r.x + f * r.w, r.bottom)


def _curve(
    p0: Point, s0: Side, p3: Point, s3: Side, width: float = math.inf
) -> tuple[Point, Point, Point, Point]:
    """The Bézier; its control points are kept within ``width``, so the curve is too (it
    lies inside their hull) and the picture is no wider than its layout."""
    dist = math.dist(p0, p3)
    reach = max(30.0, min(140.0, dist * 0.4))
    if s0 == s3:  # round the outside: a C from one side back to the same side
        reach = max(reach, 50.0)
    n0, n3 = _NORMAL[s0], _NORMAL[s3]
    c1 = (min(max(p0[0] + n0[0] * reach, 2.0), width - 2), p0[1] + n0[1] * reach)
    c2 = (min(max(p3[0] + n3[0] * reach, 2.0), width - 2), p3[1] + n3[1] * reach)
    return (p0, c1, c2, p3)


def _loop(anchor: Anchor, n: int, width: float) -> tuple[Point, Point, Point, Point]:
    """An edge from a node to itself: a loop out of its right side."""
    r = anchor[0]
    p0, p3 = (r.right, r.y + r.h * 0.3), (r.right, r.y + r.h * 0.7)
    reach = min(50.0 + 20 * n, width - 2 - r.right)
    return (p0, (p0[0] + reach, p0[1] - 20), (p3[0] + reach, p3[1] + 20), p3)


class _Grid:
    """Obstacles bucketed by 100 px cell, so a curve is tested only against what is near it
    (50 VPCs have thousands of texts and hundreds of candidate curves)."""

    CELL = 100.0

    def __init__(self, rects: Sequence[Rect]) -> None:
        self.rects: list[Rect] = []
        self.cells: dict[tuple[int, int], list[int]] = {}
        for r in rects:
            self.add(r)

    def add(self, r: Rect) -> None:
        self.rects.append(r)
        for key in self._keys(r.x, r.y, r.right, r.bottom):
            self.cells.setdefault(key, []).append(len(self.rects) - 1)

    def free(self, r: Rect, slack: float) -> bool:
        near = self.near((r.x - slack, r.y - slack), (r.right + slack, r.bottom + slack))
        return not any(r.overlaps(self.rects[i], slack) for i in near)

    def _keys(self, x0: float, y0: float, x1: float, y1: float) -> list[tuple[int, int]]:
        c = self.CELL
        return [
            (i, j)
            for i in range(math.floor(x0 / c), math.floor(x1 / c) + 1)
            for j in range(math.floor(y0 / c), math.floor(y1 / c) + 1)
        ]

    def near(self, a: Point, b: Point) -> set[int]:
        out: set[int] = set()
        x0, x1 = sorted((a[0], b[0]))
        y0, y1 = sorted((a[1], b[1]))
        for key in self._keys(x0, y0, x1, y1):
            out.update(self.cells.get(key, ()))
        return out

    def crossed(self, curve: Sequence[Point], skip: Sequence[Rect]) -> int:
        points = _samples(curve)
        hit: set[int] = set()
        for a, b in pairwise(points):
            for i in self.near(a, b) - hit:
                r = self.rects[i]
                if _crosses(a, b, r) and not any(_inside(r, x) for x in skip):
                    hit.add(i)
        return len(hit)


def _cost(curve: Sequence[Point], grid: _Grid, skip: Sequence[Rect]) -> float:
    points = _samples(curve, 12)
    length = sum(math.dist(a, b) for a, b in pairwise(points))
    return length + _CROSSING * grid.crossed(curve, skip)


def _inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner.x >= outer.x - 1
        and inner.y >= outer.y - 1
        and inner.right <= outer.right + 1
        and inner.bottom <= outer.bottom + 1
    )


def _sides(a: Anchor, b: Anchor, grid: _Grid, width: float) -> tuple[Side, Side]:
    best: tuple[float, Side, Side] | None = None
    for s0 in _SIDES:
        for s3 in _SIDES:
            curve = _curve(_point(a, s0), s0, _point(b, s3), s3, width)
            cost = _cost(curve, grid, (*a, *b))
            if best is None or cost < best[0] - 1e-6:
                best = (cost, s0, s3)
    assert best is not None
    return best[1], best[2]


def _label_spot(text: str, curve: Sequence[Point], occupied: _Grid, width: float) -> Text:
    w, h = text_width(text, _LABEL_SIZE) + 4, _LABEL_SIZE * 1.3

    def at(cx: float, cy: float) -> Rect:
        return Rect(cx - w / 2, cy - h / 2, w, h)

    def free(r: Rect) -> bool:
        return r.x >= 0 and r.right <= width and occupied.free(r, 1.0)

    candidates: list[Rect] = []
    for t in (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82):
        x, y = _at(curve, t)
        x2, y2 = _at(curve, min(1.0, t + 0.01))
        length = math.hypot(x2 - x, y2 - y) or 1.0
        nx, ny = -(y2 - y) / length, (x2 - x) / length
        for k in (0.0, 1.0, -1.0, 2.0, -2.0):
            off = k * (h / 2 + 3 if abs(ny) > 0.7 else w / 2 + 3)
            candidates.append(at(x + nx * off, y + ny * off))
    mid = _at(curve, 0.5)
    for radius in range(12, 600, 10):
        for step in range(24):
            angle = step * math.pi / 12
            candidates.append(
                at(mid[0] + radius * math.cos(angle), mid[1] + radius * math.sin(angle))
            )
    spot = next((r for r in candidates if free(r)), candidates[0])
    occupied.add(spot)
    return Text(spot.x + 2, spot.y + h / 2 + 0.345 * _LABEL_SIZE, text, _LABEL_SIZE)


def route(
    edges: Sequence[Edge], anchors: dict[str, Anchor], obstacles: Sequence[Rect], width: float
) -> list[Routed]:
    """Curves and labels for every edge whose ends are both drawn."""
    drawn = [e for e in edges if e.source in anchors and e.target in anchors]
    grid = _Grid(obstacles)
    sides = {
        e.ident: _sides(anchors[e.source], anchors[e.target], grid, width)
        for e in drawn
        if e.source != e.target
    }
    # spread the ends sharing a side, ordered by where the other end is
    ends: dict[tuple[str, Side], list[tuple[float, str, int]]] = {}
    for e in drawn:
        if e.ident not in sides:
            continue
        for i, (node, other) in enumerate(((e.source, e.target), (e.target, e.source))):
            side = sides[e.ident][i]
            cx, cy = anchors[other][0].centre
            ends.setdefault((node, side), []).append(
                (cy if side in ("left", "right") else cx, e.ident, i)
            )
    fraction: dict[tuple[str, int], float] = {}
    for group in ends.values():
        group.sort()
        for n, (_, ident, i) in enumerate(group):
            fraction[(ident, i)] = (n + 1) / (len(group) + 1)
    occupied = _Grid(obstacles)
    out = []
    loops: dict[str, int] = {}
    for e in drawn:
        if e.ident in sides:
            s0, s3 = sides[e.ident]
            p0 = _point(anchors[e.source], s0, fraction[(e.ident, 0)])
            p3 = _point(anchors[e.target], s3, fraction[(e.ident, 1)])
            curve = _curve(p0, s0, p3, s3, width)
        else:
            loops[e.source] = loops.get(e.source, -1) + 1
            curve = _loop(anchors[e.source], loops[e.source], width)
        out.append(Routed(e, curve, _label_spot(e.label, curve, occupied, width)))
    return out
