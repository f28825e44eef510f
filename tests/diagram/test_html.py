"""The HTML page: its legend shows every edge style the picture draws, drawn the same way."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.diagram.test_svg import example, scene_of
from vpcwire.diagram import to_html

_DRAWN = ("stroke", "stroke-dasharray", "stroke-width", "marker-end", "marker-start")


class _Styles(HTMLParser):
    """data-style -> how it is drawn, for the picture's edges and for the legend's samples."""

    def __init__(self) -> None:
        super().__init__()
        self.edges: dict[str, set[tuple[str, ...]]] = {}
        self.legend: dict[str, set[tuple[str, ...]]] = {}
        self._open: tuple[dict[str, set[tuple[str, ...]]], str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "g" and a.get("class") == "edge":
            self._open = (self.edges, a["data-style"])
        elif tag == "svg" and a.get("class") == "swatch":
            self._open = (self.legend, a["data-style"])
        elif tag in ("path", "line") and self._open is not None:
            table, key = self._open
            drawn = tuple(a.get(k, "") for k in _DRAWN)
            table.setdefault(key, set()).add(drawn)
            self._open = None


def _styles(page: str) -> _Styles:
    parser = _Styles()
    parser.feed(page)
    return parser


def test_legend_has_every_edge_style_of_the_reference_architecture() -> None:
    found = _styles(to_html(scene_of(example("inter-region-privatelink"))))
    # open and closed paths, peering, PrivateLink and the NLB's grey (fronts, targets)
    assert set(found.edges) == {"open", "closed", "peering", "privatelink", "nlb"}
    assert set(found.legend) == set(found.edges)
    for key, drawn in found.edges.items():
        assert drawn == found.legend[key], key  # same colour, dashes, width and arrowhead


def test_legend_shows_failing_paths_when_there_are_some() -> None:
    from dataclasses import replace

    from vpcwire.network import NetworkBuilder

    p = example("privatelink")
    b = NetworkBuilder(p.network)
    for lst in list(p.network.listeners.values()):
        b.put(replace(lst, port=9999))
    found = _styles(to_html(scene_of(p, b.build())))
    assert "closed_fails" in found.edges
    assert set(found.legend) == set(found.edges)
    assert found.legend["closed_fails"] == found.edges["closed_fails"]
