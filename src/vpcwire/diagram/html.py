"""The Scene as one self-contained HTML page: the inline SVG, a legend and the intents.

Nothing is fetched when the page opens (no scripts, fonts or stylesheets from elsewhere),
so it can be attached to a CI run or mailed. Hovering a path shows its intents and, for a
closed one, why it is closed (the SVG ``<title>`` of the edge); the table under the
picture says the same for readers who print it.

The legend draws one sample of every edge style the picture uses, from the same table
(``svg.EDGE_STYLES``) and with the same arrowheads, so it cannot drift from the picture. The
picture is laid out to fit a 1,280 px window and shrinks to narrower ones; "actual size"
turns that off (the page then scrolls).
"""

from __future__ import annotations

import html

from vpcwire.diagram.scene import DRIFT_COLOUR, Scene
from vpcwire.diagram.svg import EDGE_STYLES, edges_of, marker, to_svg

__all__ = ["to_html"]

_CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 1.5em; color: #1f2328; }
h1 { font-size: 1.4em; margin: 0 0 .3em; }
.legend { display: flex; flex-wrap: wrap; gap: 1.4em; margin: .6em 0 1em; font-size: .9em; }
.legend svg.swatch { vertical-align: middle; margin-right: .4em; }
.diagram { overflow: auto; border: 1px solid #d0d7de; }
.diagram svg { display: block; max-width: 100%; height: auto; }
#full:checked ~ .diagram svg { max-width: none; }
label.fit { font-size: .85em; color: #57606a; }
table { border-collapse: collapse; font-size: .85em; margin-top: 1.2em; }
td, th { border: 1px solid #d0d7de; padding: .25em .6em; text-align: left; vertical-align: top; }
tr.fail td { background: #ffebe9; }
"""


def _swatch(key: str, both_ways: bool) -> str:
    style = EDGE_STYLES[key]
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    start = f' marker-start="url(#{marker(key)})"' if both_ways else ""
    return (
        f'<span><svg class="swatch" data-style="{key}" width="58" height="14">'
        f'<line x1="2" y1="7" x2="56" y2="7" stroke="{style.colour}" '
        f'stroke-width="{style.width:g}"{dash}{start} marker-end="url(#{marker(key)})"/></svg>'
        f"{html.escape(style.legend)}</span>"
    )


def to_html(scene: Scene, svg: str | None = None) -> str:
    svg = to_svg(scene) if svg is None else svg
    iso_ok, iso_bad = scene.isolation
    used: dict[str, bool] = {}
    for edge in edges_of(scene):
        used[edge.style] = used.get(edge.style, False) or edge.both_ways
    legend = [_swatch(key, used[key]) for key in EDGE_STYLES if key in used]
    legend.append(
        f"<span>isolation between unconnected VPCs: {iso_ok} proven"
        + (f", <b>{iso_bad} failing</b>" if iso_bad else "")
        + "</span>"
    )
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
        '<input type="checkbox" id="full"> <label class="fit" for="full">actual size</label>'
        f'<div class="diagram">{svg}</div>'
        + (f"<h2>Drift from the plan</h2><ul>{drift}</ul>" if drift else "")
        + "<table><tr><th>verdict</th><th>intent</th></tr>"
        + "".join(rows)
        + "</table></body></html>\n"
    )
