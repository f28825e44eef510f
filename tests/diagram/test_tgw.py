"""Transit Gateways in the pictures: a hub per TGW inside its region, an edge per attachment
coloured and named by its route table (the segment), TGW peering as an edge between hubs, the
legend from what is drawn. Networks from the hand-written corpus (tests/corpus/hand/tgw-*)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from tests.diagram.test_html import _styles
from tests.diagram.test_svg import SVG, groups, stroke
from vpcwire.diagram import build_scene, to_html, to_mermaid, to_svg
from vpcwire.diagram.layout import lay_out
from vpcwire.diagram.scene import Scene
from vpcwire.diagram.svg import TGW_SEGMENT_COLOURS
from vpcwire.scan.run import run_scan

CORPUS = Path(__file__).parent.parent / "corpus" / "hand"


@cache
def scene(case: str) -> Scene:
    report = run_scan(CORPUS / case)
    return build_scene(report.network, report.verdicts, title=case)


def test_the_tgw_is_a_hub_with_an_edge_per_attachment_coloured_by_route_table() -> None:
    found = groups(to_svg(scene("tgw-shared-services-defects")))
    assert "transit_gateway:tgw_hub" in found
    edges = {k: g for k, g in found.items() if re.fullmatch(r"link:tgw_attachment:\d+", k)}
    ends = {(g.get("data-from"), g.get("data-to")): g for g in edges.values()}
    assert sorted(ends) == [
        ("vpc_dev", "tgw_hub"),
        ("vpc_prod", "tgw_hub"),
        ("vpc_shared", "tgw_hub"),
        ("vpc_tools", "tgw_hub"),
    ]
    colour = {src: stroke(g) for (src, _), g in ends.items()}
    # the spokes share their table's colour; shared's table has another
    assert colour["vpc_dev"] == colour["vpc_prod"] == colour["vpc_tools"]
    assert colour["vpc_shared"] != colour["vpc_dev"]
    assert set(colour.values()) <= set(TGW_SEGMENT_COLOURS)
    labels = {
        src: "".join(t.text or "" for t in found[f"{g.get('id')}:label"].iter(f"{SVG}text"))
        for (src, _), g in ends.items()
    }
    assert labels["vpc_shared"] == "route table shared"
    assert labels["vpc_dev"] == "route table spokes"
    hub_text = "".join(
        t.text or "" for t in found["text:transit_gateway:tgw_hub"].iter(f"{SVG}text")
    )
    assert "route tables: shared, spokes" in hub_text


def test_a_hub_sits_in_its_region_and_peering_joins_the_hubs() -> None:
    s = scene("tgw-inter-region")
    layout = lay_out(s)
    regions = {b.ident: b for b in layout.all_boxes() if b.kind == "region"}
    for hub, region in (("tgw_tgw_use1", "us_east_1"), ("tgw_tgw_euw1", "eu_west_1")):
        home = next(b for k, b in regions.items() if k.endswith(region))
        assert any(c.node == hub for c in home.walk()), f"{hub} not in {region}"
    found = groups(to_svg(s))
    peering = [g for k, g in found.items() if re.fullmatch(r"link:tgw_peering:\d+", k)]
    assert len(peering) == 1
    assert {peering[0].get("data-from"), peering[0].get("data-to")} == {
        "tgw_tgw_use1",
        "tgw_tgw_euw1",
    }
    label = "".join(t.text or "" for t in found[f"{peering[0].get('id')}:label"].iter(f"{SVG}text"))
    assert label == "TGW peering (inter-region)"


def test_the_legend_shows_what_is_drawn_and_nothing_else() -> None:
    found = _styles(to_html(scene("tgw-inter-region")))
    assert set(found.edges) == {"tgw_0", "tgw_peering"}
    assert set(found.legend) == set(found.edges)
    for key, drawn in found.edges.items():
        assert drawn == found.legend[key], key


def test_an_unassociated_attachment_says_so() -> None:
    # module.tgw_peer's second attachment of vpc1 has both default flags off and no table
    root = Path(__file__).parent.parent / "corpus" / "tam-transit-gateway" / "examples"
    report = run_scan(root / "multi-account")
    labels = sorted(
        link.label for link in build_scene(report.network).links if link.kind == "tgw_attachment"
    )
    # the module names its tables after path.cwd, which the test does not fix
    assert labels[0] == "no route table"
    assert [label.startswith("route table ex-") for label in labels[1:]] == [True, True]


def test_mermaid_draws_hubs_in_their_region_and_colours_segments() -> None:
    text = to_mermaid(scene("tgw-shared-services-defects"))
    lines = text.splitlines()
    region = next(i for i, ln in enumerate(lines) if ln.strip().startswith("subgraph reg_"))
    assert lines[region + 1].strip().startswith('tgw_hub{{"Transit Gateway hub')
    links = [ln for ln in lines if "<==>" in ln]
    styles = {int(ln.split()[1]): ln for ln in lines if ln.strip().startswith("linkStyle")}
    for n, link in enumerate(links):
        assert "route table" in link and n in styles
    assert len({styles[n].split()[2] for n in styles}) == 2  # two tables, two colours


def test_mermaid_with_tgws_renders_in_the_real_mermaid_library() -> None:
    from tests.diagram.browser import browser_page, render_mermaid

    sources = [to_mermaid(scene(c)) for c in ("tgw-shared-services-defects", "tgw-inter-region")]
    with browser_page() as page:
        results = render_mermaid(page, sources)
    for source, (status, svg) in zip(sources, results, strict=True):
        assert status == "ok", svg
        assert "Transit Gateway" in svg
        for vpc in re.findall(r"<b>(\w+)</b>", source):
            assert vpc in svg
