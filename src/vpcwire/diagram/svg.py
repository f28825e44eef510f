"""The Scene as SVG, laid out by Graphviz ``dot``.

Why Graphviz: it is the long-kept standard for exactly this shape of picture — nested
clusters (account ⊃ region ⊃ VPC) that its layout keeps together and never overlaps, edge
labels placed as part of the layout (so they do not collide), and SVG output with ids and
tooltips we can style and test. Debian ships it (``apt-get install graphviz``) and the
``graphviz`` package on PyPI is a small, maintained binding that runs ``dot`` for us. ELK
needs a JVM or a JavaScript runtime; pure-Python layouts on PyPI do not do nested clusters.

Element ids in the SVG are an interface the tests (and anyone styling the picture) use:
``account:<slug>``, ``region:<slug>``, ``vpc:<name>`` (the VPC box), ``link:<kind>:<n>``
and ``path:<open|closed>:<n>`` (the arrow into the destination; ``…:from`` is the half from
the source and ``…:label`` the label between them).
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass, field

from vpcwire.diagram.scene import DRIFT_COLOUR, Component, Scene, VpcBox, slug
from vpcwire.errors import UsageError

__all__ = ["GRAPHVIZ_MISSING", "to_dot", "to_svg"]

GRAPHVIZ_MISSING = (
    "Graphviz's `dot` is not on PATH: install it (Debian/Ubuntu: apt-get install graphviz; "
    "macOS: brew install graphviz), or use --format mermaid"
)
_FONT = "DejaVu Sans,Helvetica,Arial,sans-serif"
_SHAPES = {
    "endpoint": ("box", "#fff8c5", "rounded,filled"),
    "endpoint_service": ("component", "#fbefff", "filled"),
    "load_balancer": ("box3d", "#ffebe9", "filled"),
}
_LINK_STYLE = {
    "peering": ("#0969da", "bold"),
    "privatelink": ("#8250df", "bold"),
    "fronts": ("#57606a", "solid"),
    "targets": ("#57606a", "solid"),
}


def _vpc_label(box: VpcBox) -> str:
    rows = [
        f'<TR><TD ALIGN="LEFT"><B>{html.escape(box.name)}</B>'
        + (" <I>(outpost VPC)</I>" if box.outpost else "")
        + "</TD></TR>",
        f'<TR><TD ALIGN="LEFT">{html.escape(", ".join(box.cidrs))}</TD></TR>',
    ]
    for az, cidr, public in box.subnets:
        kind = "public" if public else "private"
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10">{html.escape(az)}: '
            f"{html.escape(cidr)} ({kind})</FONT></TD></TR>"
        )
    for line in box.drift[:4]:
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10" COLOR="{DRIFT_COLOUR}">drift: '
            f"{html.escape(line[:70])}</FONT></TD></TR>"
        )
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">'
        + "".join(rows)
        + "</TABLE>>"
    )


def _q(text: str) -> str:
    """A quoted DOT string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _attrs(**kw: str) -> str:
    return "[" + ", ".join(f"{k}={v if v.startswith('<<') else _q(v)}" for k, v in kw.items()) + "]"


def _line(indent: int, head: str, **attrs: str) -> str:
    return " " * indent + f"{head} {_attrs(**attrs)};"


def _component(indent: int, comp: Component) -> str:
    shape, fill, style = _SHAPES[comp.kind]
    return _line(
        indent,
        _q(comp.id),
        shape=shape,
        style=style,
        fillcolor=fill,
        label=comp.label,
        id=f"{comp.kind}:{comp.id}",
    )


def _vpc(box: VpcBox, scene: Scene) -> list[str]:
    colour = DRIFT_COLOUR if box.drift else "#0969da"
    return [
        f"      subgraph {_q('cluster_' + box.id)} {{",
        _line(
            8,
            "graph",
            label="",
            id=f"vpc:{box.name}",
            style="rounded,filled",
            fillcolor="#f0f6ff",
            color=colour,
            penwidth="2" if box.drift else "1.2",
        ),
        _line(8, _q(box.id), shape="plain", label=_vpc_label(box), id=f"vpcnode:{box.name}"),
        *(_component(8, comp) for comp in scene.components_of(box.id)),
        "      }",
    ]


@dataclass
class _Edges:
    """Edges drawn through a label node, so that Graphviz lays labels out as nodes — which
    never overlap — instead of as edge labels, which can collide on big pictures. Each label
    node sits in the innermost cluster holding both ends, so the edge stays inside it."""

    place: dict[str, tuple[str, ...]]  # node id -> (account, region, vpc) cluster path
    labels: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    edges: list[str] = field(default_factory=list)

    def add(self, source: str, target: str, label: str, ident: str, **attrs: str) -> None:
        here, there = self.place.get(source, ()), self.place.get(target, ())
        common: tuple[str, ...] = ()
        for x, y in zip(here, there, strict=False):
            if x != y:
                break
            common += (x,)
        node = "label_" + slug(ident)
        colour = attrs.get("color", "#57606a")
        tooltip = attrs.get("tooltip", label)
        self.labels.setdefault(common, []).append(
            _line(
                0,
                _q(node),
                shape="plaintext",
                label=label,
                fontcolor=colour,
                fontsize="10",
                margin="0.02",
                height="0.2",
                id=f"{ident}:label",
                tooltip=tooltip,
            )
        )
        first = {k: v for k, v in attrs.items() if k not in ("arrowhead", "dir")}
        both = attrs.get("dir") == "both"
        self.edges.append(
            _line(
                2,
                f"{_q(source)} -> {_q(node)}",
                id=f"{ident}:from",
                arrowhead="none",
                **({"dir": "back", "arrowtail": "normal"} if both else {}),
                **first,
            )
        )
        last = {k: v for k, v in attrs.items() if k != "dir"}
        self.edges.append(_line(2, f"{_q(node)} -> {_q(target)}", id=ident, **last))

    def inside(self, path: tuple[str, ...], indent: int) -> list[str]:
        return [" " * indent + line for line in self.labels.get(path, [])]


def _places(scene: Scene) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for box in scene.vpcs:
        out[box.id] = (box.account, box.region, box.id)
    for comp in scene.components:
        if comp.vpc in out:
            out[comp.id] = out[comp.vpc]
    return out


def _connections(scene: Scene, edges: _Edges) -> None:
    for n, link in enumerate(scene.links):
        colour, style = _LINK_STYLE[link.kind]
        extra = {"dir": "both"} if link.both_ways else {}
        edges.add(
            link.source,
            link.target,
            link.label,
            f"link:{link.kind}:{n}",
            color=colour,
            style=style,
            penwidth="2",
            tooltip=link.label,
            **extra,
        )
    for n, path in enumerate(scene.paths):
        is_open = path.verdict == "open"
        mark = "" if path.ok else " ✗ FAILS"
        edges.add(
            path.source,
            path.target,
            f"{path.label} {'open' if is_open else 'closed'}{mark}",
            f"path:{path.verdict}:{n}",
            color=path.colour,
            style="solid" if is_open else "dashed",
            penwidth="2.5" if path.ok else "4",
            tooltip="\n".join(path.detail),
            arrowhead="normal" if is_open else "tee",
        )


def to_dot(scene: Scene) -> str:
    """DOT source; the nesting of clusters is what keeps accounts and regions together."""
    edges = _Edges(_places(scene))
    _connections(scene, edges)
    lines = [
        "digraph vpcwire {",
        _line(
            2,
            "graph",
            rankdir="LR",
            compound="true",
            fontname=_FONT,
            nodesep="0.3",
            ranksep="0.5",
            newrank="true",
            id="diagram",
        ),
        _line(2, "node", fontname=_FONT, fontsize="11"),
        _line(2, "edge", fontname=_FONT, fontsize="10"),
    ]
    for account, regions in scene.accounts().items():
        acc = slug(account)
        lines.append(f"  subgraph {_q('cluster_account_' + acc)} {{")
        lines.append(
            _line(
                4,
                "graph",
                label=f"account {account}",
                id=f"account:{acc}",
                style="rounded",
                color="#57606a",
                fontsize="13",
            )
        )
        for region, boxes in regions.items():
            reg = f"{acc}_{slug(region)}"
            lines.append(f"    subgraph {_q('cluster_region_' + reg)} {{")
            lines.append(
                _line(
                    6,
                    "graph",
                    label=f"region {region}",
                    id=f"region:{reg}",
                    style="dashed,rounded",
                    color="#8c959f",
                    fontsize="12",
                )
            )
            for box in boxes:
                lines += _vpc(box, scene)[:-1]
                lines += edges.inside((account, region, box.id), 8)
                lines.append("      }")
            lines += edges.inside((account, region), 6)
            lines.append("    }")
        lines += edges.inside((account,), 4)
        lines.append("  }")
    placed = {b.id for b in scene.vpcs}
    lines += [_component(2, c) for c in scene.components if c.vpc not in placed]
    lines += edges.inside((), 2)
    lines += edges.edges
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_svg(scene: Scene) -> str:
    """Run ``dot`` on the scene; the SVG without its XML prologue, ready to inline."""
    if shutil.which("dot") is None:
        raise UsageError(GRAPHVIZ_MISSING)
    import graphviz

    svg = graphviz.Source(to_dot(scene)).pipe(format="svg", encoding="utf-8")
    return re.sub(r"^.*?(?=<svg)", "", svg, flags=re.S)
