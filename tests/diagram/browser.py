"""Open HTML in a real headless Chromium (Debian's `chromium`, driven by Playwright).

Playwright's own browser download is not used: tests run Debian's package, which `.ci/run`
installs (`apt-get install -y chromium`). Without it these tests fail, saying so,
rather than skip: a diagram nobody opened is not a tested diagram.
"""

from __future__ import annotations

import shutil
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError(
        "no Chromium on PATH: install it (Debian: apt-get install -y chromium) — .ci/run does"
    )


@contextmanager
def browser_page(width: int = 1400, height: int = 900) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


def boxes(page: Any, selector: str) -> list[tuple[str, float, float, float, float]]:
    """(id or text, x, y, width, height) of every element matching ``selector``."""
    script = """els => els.map(e => { const r = e.getBoundingClientRect();
        return [e.id || e.textContent, r.x, r.y, r.width, r.height]; })"""
    return [tuple(b) for b in page.eval_on_selector_all(selector, script)]


def overlaps(
    items: list[tuple[str, float, float, float, float]], slack: float = 0.5
) -> list[tuple[str, str]]:
    out = []
    for i, (a, ax, ay, aw, ah) in enumerate(items):
        for b, bx, by, bw, bh in items[i + 1 :]:
            if (
                ax + slack < bx + bw - slack
                and bx + slack < ax + aw - slack
                and ay + slack < by + bh - slack
                and by + slack < ay + ah - slack
            ):
                out.append((a, b))
    return out


def png_colours(path: Path) -> int:
    """How many distinct pixel values a PNG holds (decoded with zlib: no imaging library)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, bpp = 8, b"", 0, 0, 4
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            bpp = {2: 3, 6: 4}.get(colour, 4) * depth // 8
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp + 1
    # Filter bytes aside, rows of a blank page hold one value; count distinct raw pixels.
    seen = set()
    for row in range(0, min(height, 2000), 7):
        line = raw[row * stride + 1 : (row + 1) * stride]
        seen.update(line[i : i + bpp] for i in range(0, len(line), bpp * 5))
    return len(seen)


MERMAID_JS = Path(__file__).resolve().parents[2] / ".ci" / "node_modules" / "mermaid" / "dist"


def mermaid_js() -> str:
    """Mermaid's own bundle, installed by `.ci/run` (npm install --prefix .ci mermaid@11)."""
    path = MERMAID_JS / "mermaid.min.js"
    if not path.exists():
        raise AssertionError(
            f"{path} is missing: run `npm install --prefix .ci --no-audit --no-fund mermaid@11` "
            "(.ci/run does)"
        )
    return path.read_text(encoding="utf-8")


def render_mermaid(page: Any, sources: list[str]) -> list[tuple[str, str]]:
    """Render each source with the real Mermaid library: ("ok", svg) or ("error", message)."""
    page.set_content("<html><body></body></html>")
    page.add_script_tag(content=mermaid_js())
    script = """async (sources) => {
        mermaid.initialize({startOnLoad: false});
        const out = [];
        for (const [i, src] of sources.entries()) {
            try { out.push(['ok', (await mermaid.render('m' + i, src)).svg]); }
            catch (e) { out.push(['error', String(e.message || e)]); }
        }
        return out; }"""
    return [tuple(r) for r in page.evaluate(script, sources)]
