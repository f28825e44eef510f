"""The HTML diagram in a real headless Chromium: it renders, and boxes and labels keep apart."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from benchmarks.synthetic import build, flows

from tests.conftest import EXAMPLES, ROOT
from tests.diagram.browser import boxes, browser_page, overlaps, png_colours
from vpcwire.diagram import build_scene, to_html
from vpcwire.diagram.scene import mechanisms_of
from vpcwire.pipeline import plan
from vpcwire.spec.load import load_spec
from vpcwire.verify.intents import Intent, derive_intents, evaluate

DOCS_PNG = ROOT / "docs" / "diagram.png"


def reference_html() -> str:
    p = plan(load_spec(EXAMPLES / "inter-region-privatelink.yaml"))
    scene = build_scene(
        p.network,
        evaluate(p.network, derive_intents(p)),
        title="inter-region-privatelink: planned network",
        mechanisms=mechanisms_of(p),
    )
    return to_html(scene)


def fifty_vpc_html() -> str:
    estate = build(50, 150)
    intents = [
        Intent(f"f{i}: {f}", 0, "reachable", f, "sample flow")
        for i, f in enumerate(flows(estate, 30))
    ]
    return to_html(build_scene(estate.network, evaluate(estate.network, intents), title="50 VPCs"))


def test_reference_architecture_renders_without_overlaps(tmp_path: Path) -> None:
    page_file = tmp_path / "diagram.html"
    page_file.write_text(reference_html())
    shot = tmp_path / "diagram.png"
    with browser_page(1280, 700) as page:
        page.goto(page_file.as_uri())
        # it fits a 1,280 px window as laid out, not only when shrunk: no horizontal scroll
        page.check("#full")
        width = page.evaluate(
            "document.querySelector('.diagram svg').getBoundingClientRect().width"
        )
        scroll = page.evaluate("document.documentElement.scrollWidth")
        vpcs = boxes(page, 'g[id^="vpc:"]')
        labels = boxes(page, "svg text")
        legend = boxes(page, ".legend svg.swatch")
        page.locator(".diagram svg").screenshot(path=str(shot))
    assert width <= 1280 - 2 * 24 and scroll <= 1280  # the body's margins are 1.5em
    assert sorted(v[0] for v in vpcs) == [
        "vpc:consumer",
        "vpc:provider",
        "vpc:provider_outpost_us_west_2",
    ]
    assert all(w > 50 and h > 30 for _, _, _, w, h in vpcs)
    assert overlaps(vpcs) == []
    # text boxes include the font's line gap: lines of one label may touch by a pixel or two
    assert overlaps(labels, slack=2.0) == []
    assert len(legend) == 5 and all(w > 40 for _, _, _, w, _ in legend)
    assert shot.stat().st_size > 10_000 and png_colours(shot) > 20
    if os.environ.get("VPCWIRE_UPDATE_DOCS"):
        shutil.copyfile(shot, DOCS_PNG)


def test_committed_readme_picture_is_a_rendered_png() -> None:
    """docs/diagram.png comes from the test above (VPCWIRE_UPDATE_DOCS=1 refreshes it)."""
    assert DOCS_PNG.exists(), "run: VPCWIRE_UPDATE_DOCS=1 pytest tests/diagram/test_browser.py"
    assert png_colours(DOCS_PNG) > 20


@pytest.mark.integration
def test_fifty_vpcs_keep_vpc_boxes_accounts_and_labels_apart(tmp_path: Path) -> None:
    page_file = tmp_path / "fifty.html"
    page_file.write_text(fifty_vpc_html())
    with browser_page(1280, 900) as page:
        page.goto(page_file.as_uri())
        page.check("#full")
        vpcs = boxes(page, 'g[id^="vpc:"]')
        accounts = boxes(page, 'g[id^="account:"]')
        labels = boxes(page, "svg text")
        wide = page.evaluate("document.querySelector('.diagram svg').getBoundingClientRect().width")
        # in a narrower window the picture shrinks to fit unless "actual size" is ticked
        page.set_viewport_size({"width": 800, "height": 900})
        page.uncheck("#full")  # no script: a checkbox and CSS
        fitted = page.evaluate(
            "document.querySelector('.diagram svg').getBoundingClientRect().width"
        )
    assert 800 < wide <= 1280 - 2 * 24  # 50 VPCs grow downwards, not sideways
    assert fitted <= 800 - 2 * 24
    assert len(vpcs) >= 50
    assert overlaps(vpcs) == []
    assert overlaps(accounts) == []  # every account's VPCs drawn together, apart from others
    assert len(labels) > 300
    assert overlaps(labels, slack=2.0) == []  # VPC, subnet, link and path labels alike


def test_text_widths_the_layout_assumes_are_the_browsers(tmp_path: Path) -> None:
    """Boxes are sized by metrics.text_width: it must agree with Chromium's DejaVu Sans."""
    from vpcwire.diagram.metrics import text_width

    page_file = tmp_path / "diagram.html"
    page_file.write_text(reference_html())
    script = """els => els.map(e => [e.firstChild.nodeValue, +e.getAttribute('font-size'),
        e.getAttribute('font-weight') === 'bold', e.getComputedTextLength()])"""
    with browser_page(1280, 700) as page:
        page.goto(page_file.as_uri())
        measured = page.eval_on_selector_all("svg#diagram text", script)
    assert len(measured) > 40
    for text, size, bold, width in measured:
        assert abs(text_width(text, size, bold=bold) - width) <= 0.02 * width + 0.5, text
