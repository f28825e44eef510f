"""Mermaid: golden files per example (VPCWIRE_UPDATE_GOLDEN=1 rewrites them) and its shape."""

from __future__ import annotations

import os
import re

import pytest

from tests.conftest import EXAMPLES
from tests.diagram.test_svg import example, scene_of
from vpcwire.diagram import to_mermaid
from vpcwire.diagram.scene import CLOSED_COLOUR, OPEN_COLOUR

GOLDEN = EXAMPLES.parent / "tests" / "diagram" / "golden"
NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("name", NAMES)
def test_mermaid_matches_golden(name: str) -> None:
    text = to_mermaid(scene_of(example(name)))
    golden = GOLDEN / f"{name}.mmd"
    if os.environ.get("VPCWIRE_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text()


def test_mermaid_shape_for_the_reference_architecture() -> None:
    text = to_mermaid(scene_of(example("inter-region-privatelink")))
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert text.count("subgraph ") == text.count("\n    end") + text.count("\n  end") + text.count(
        "\n      end"
    )
    # every linkStyle names a link that exists, coloured by its verdict
    links = [ln for ln in lines if re.search(r" (<?==>|-\.->|-\.-x)\|", ln)]
    for style in (ln for ln in lines if ln.strip().startswith("linkStyle")):
        index = int(style.split()[1])
        colour = OPEN_COLOUR if "-.->" in links[index] else CLOSED_COLOUR
        assert f"stroke:{colour}" in style
    assert any("<==>" in ln and "peering (inter-region) for the outpost" in ln for ln in links)
    assert any("PrivateLink (outpost)" in ln for ln in links)
    # ids are plain words: GitHub's Mermaid rejects punctuation in ids
    for ln in links:
        src, dst = ln.split()[0], ln.split()[-1]
        assert re.fullmatch(r"\w+", src) and re.fullmatch(r"\w+", dst)


def test_mermaid_renders_in_the_real_mermaid_library() -> None:
    """What GitHub runs: every golden flowchart parses and draws every VPC and path."""
    from tests.diagram.browser import browser_page, render_mermaid

    sources = [(GOLDEN / f"{name}.mmd").read_text() for name in NAMES]
    names = [*NAMES, "diff of an added peering"]
    sources.append(_diff_mermaid())
    with browser_page() as page:
        results = render_mermaid(page, sources)
    for name, source, (status, svg) in zip(names, sources, results, strict=True):
        assert status == "ok", f"{name}: {svg}"
        for vpc in re.findall(r"<b>(\w+)</b>", source):
            assert vpc in svg, f"{name}: VPC {vpc} not drawn"


def _diff_mermaid() -> str:
    """The Mermaid block `diff --format markdown` posts for an added peering."""
    import yaml

    from vpcwire.diff import flow_changes, resource_changes
    from vpcwire.diff.report import DiffReport, diff_markdown
    from vpcwire.pipeline import plan
    from vpcwire.spec.models import Spec
    from vpcwire.verify.intents import derive_intents

    old = example("privatelink")
    data = yaml.safe_load((EXAMPLES / "privatelink.yaml").read_text())
    data["connections"].append({"peers": ["consumer", "provider"]})
    new = plan(Spec.model_validate(data))
    report = DiffReport(
        "old",
        "new",
        flow_changes(old.network, new.network, derive_intents(new)),
        tuple(resource_changes(old.network, new.network)),
        None,
        old.network,
        new.network,
    )
    markdown = diff_markdown(report)
    block = markdown.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert "vpc_consumer -.->" in block and "vpc_provider" in block
    declared = set(re.findall(r"^\s+(\w+)[\[(]", block, re.M))
    for line in block.splitlines():
        if "-.->" in line or "==>" in line:
            ends = line.split()[0], line.split()[-1]
            assert set(ends) <= declared, line  # no node made up by a dangling reference
    return block
