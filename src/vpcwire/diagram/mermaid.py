"""The Scene as a Mermaid flowchart, which GitHub renders in Markdown files and PR comments.

Accounts and regions are nested subgraphs; a VPC is one node (name, CIDRs, subnets per AZ,
its instances and route tables by name)
with its endpoints, endpoint services and load balancers in a subgraph of their own where
it has any. Paths are dotted links coloured by verdict with ``linkStyle``.
"""

from __future__ import annotations

from vpcwire.diagram.scene import Hub, Scene, VpcBox, slug
from vpcwire.diagram.svg import TGW_SEGMENT_COLOURS

__all__ = ["to_mermaid"]

_SHAPE = {
    "endpoint": ("([", "])"),
    "endpoint_service": ("[[", "]]"),
    "load_balancer": ("[/", "/]"),
    "transit_gateway": ("{{", "}}"),
}


def _text(text: str) -> str:
    """Mermaid label text: quotes and markup characters as entities."""
    return (
        text.replace("&", "&amp;")
        .replace('"', "#quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", "<br/>")
    )


def _vpc_text(box: VpcBox) -> str:
    lines = [f"<b>{_text(box.name)}</b>" + (" (outpost VPC)" if box.outpost else "")]
    lines.append(_text(", ".join(box.cidrs)))
    lines += [_text(f"{az}: {cidr}") for az, cidr, _ in box.subnets]
    names = [name for _, name in box.instances]
    if names:
        more = f" +{len(names) - 4}" if len(names) > 4 else ""
        lines.append(_text(f"instances: {', '.join(names[:4])}{more}"))
    if box.route_tables:
        lines.append(_text(f"route tables: {', '.join(n for n, _, _ in box.route_tables)}"))
    if box.drift:
        lines.append(f"⚠ drift: {len(box.drift)}")
    return "<br/>".join(lines)


def to_mermaid(scene: Scene) -> str:
    out = ["flowchart LR"]
    styles: list[str] = []
    hubs: dict[tuple[str, str], list[Hub]] = {}
    for hub in scene.hubs:
        hubs.setdefault((hub.account, hub.region), []).append(hub)
    for account, regions in scene.accounts().items():
        out.append(f'  subgraph acct_{slug(account)}["account {_text(account)}"]')
        for region, boxes in regions.items():
            out.append(f'    subgraph reg_{slug(account)}_{slug(region)}["{_text(region)}"]')
            for hub in hubs.pop((account, region), []):
                out.append(f'      {hub.id}{{{{"{_text(hub.label)}"}}}}')
            for box in boxes:
                comps = scene.components_of(box.id)
                indent = "      "
                if comps:
                    out.append(f'      subgraph box_{box.id}[" "]')
                    indent = "        "
                out.append(f'{indent}{box.id}["{_vpc_text(box)}"]')
                for comp in comps:
                    left, right = _SHAPE[comp.kind]
                    out.append(f'{indent}{comp.id}{left}"{_text(comp.label)}"{right}')
                if comps:
                    out.append("      end")
                if box.drift:
                    styles.append(f"  style {box.id} stroke:#bf8700,stroke-width:3px")
            out.append("    end")
        out.append("  end")
    for alone in hubs.values():  # a TGW in a region without VPCs
        for hub in alone:
            out.append(f'  {hub.id}{{{{"{_text(hub.label)}"}}}}')
    placed = {b.id for b in scene.vpcs}
    for comp in scene.components:
        if comp.vpc not in placed:
            left, right = _SHAPE[comp.kind]
            out.append(f'  {comp.id}{left}"{_text(comp.label)}"{right}')
    n = 0
    for link in scene.links:
        arrow = "<==>" if link.both_ways else "==>"
        out.append(f'  {link.source} {arrow}|"{_text(link.label)}"| {link.target}')
        if link.kind == "tgw_attachment":  # its route table's colour, as in the SVG
            colour = TGW_SEGMENT_COLOURS[link.segment % len(TGW_SEGMENT_COLOURS)]
            styles.append(f"  linkStyle {n} stroke:{colour},color:{colour}")
        n += 1
    for path in scene.paths:
        state = "open" if path.verdict == "open" else "closed"
        mark = "" if path.ok else " ✗ FAILS"
        arrow = "-.->" if path.verdict == "open" else "-.-x"
        out.append(f'  {path.source} {arrow}|"{_text(path.label)} {state}{mark}"| {path.target}')
        width = "2px" if path.ok else "4px"
        styles.append(
            f"  linkStyle {n} stroke:{path.colour},stroke-width:{width},color:{path.colour}"
        )
        n += 1
    return "\n".join(out + styles) + "\n"
