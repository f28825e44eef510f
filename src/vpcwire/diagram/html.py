"""The Scene as one self-contained HTML page: the inline SVG, a legend and the intents.

Nothing is fetched when the page opens (no scripts, fonts or stylesheets from elsewhere),
so it can be attached to a CI run or mailed. Hovering a path shows its intents and, for a
closed one, why it is closed (the SVG ``<title>`` of the edge); the table under the
picture says the same for readers who print it.
"""

from __future__ import annotations

import html

from vpcwire.diagram.scene import CLOSED_COLOUR, DRIFT_COLOUR, OPEN_COLOUR, Scene
from vpcwire.diagram.svg import to_svg

__all__ = ["to_html"]

_CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 1.5em; color: #1f2328; }
h1 { font-size: 1.4em; margin: 0 0 .3em; }
.legend { display: flex; flex-wrap: wrap; gap: 1.4em; margin: .6em 0 1em; font-size: .9em; }
.legend span.swatch { display: inline-block; width: 2.2em; height: 0; vertical-align: middle;
  margin-right: .4em; border-top-width: 3px; }
.diagram { overflow: auto; border: 1px solid #d0d7de; }
#fit:checked ~ .diagram svg { max-width: 100%; height: auto; }
label.fit { font-size: .85em; color: #57606a; }
table { border-collapse: collapse; font-size: .85em; margin-top: 1.2em; }
td, th { border: 1px solid #d0d7de; padding: .25em .6em; text-align: left; vertical-align: top; }
tr.fail td { background: #ffebe9; }
"""


def _swatch(border: str, text: str) -> str:
    return f'<span><span class="swatch" style="border-top: {border}"></span>{text}</span>'


def to_html(scene: Scene, svg: str | None = None) -> str:
    svg = to_svg(scene) if svg is None else svg
    iso_ok, iso_bad = scene.isolation
    legend = [
        _swatch(f"3px solid {OPEN_COLOUR}", "path proven open"),
        _swatch(f"3px dashed {CLOSED_COLOUR}", "path proven closed (hover for why)"),
        "<span><b>✗ FAILS</b>: the verdict is not the one the spec asks for</span>",
        _swatch("3px solid #0969da", "peering"),
        _swatch("3px solid #8250df", "PrivateLink"),
        f"<span>isolation between unconnected VPCs: {iso_ok} proven"
        + (f", <b>{iso_bad} failing</b>" if iso_bad else "")
        + "</span>",
    ]
    if scene.drift:
        legend.append(
            f'<span style="color:{DRIFT_COLOUR}"><b>drift from the plan</b>: {len(scene.drift)} resource(s)</span>'
        )
    rows = []
    for path in scene.paths:
        for line in path.detail:
            cls = ' class="fail"' if line.startswith("✗") else ""
            rows.append(
                f"<tr{cls}><td>{'open' if path.verdict == 'open' else 'closed'}</td>"
                f"<td>{html.escape(line)}</td></tr>"
            )
    drift = "".join(f"<li>{html.escape(d)}</li>" for d in scene.drift)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(scene.title or 'vpcwire diagram')}</title>"
        f"<style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(scene.title or 'vpcwire diagram')}</h1>"
        f'<div class="legend">{"".join(legend)}</div>'
        '<input type="checkbox" id="fit"> <label class="fit" for="fit">fit to the window</label>'
        f'<div class="diagram">{svg}</div>'
        + (f"<h2>Drift from the plan</h2><ul>{drift}</ul>" if drift else "")
        + "<table><tr><th>verdict</th><th>intent</th></tr>"
        + "".join(rows)
        + "</table></body></html>\n"
    )
