"""Pictures of a Network: a Scene built from it, drawn as SVG/HTML (laid out here) or Mermaid.

scene = build_scene(network, verdicts, decisions=plan.decisions, drift=changes)
html = to_html(scene)        # one self-contained file, inline SVG (layout.py: no Graphviz)
text = to_mermaid(scene)     # a flowchart GitHub renders
"""

from vpcwire.diagram.html import to_html
from vpcwire.diagram.mermaid import to_mermaid
from vpcwire.diagram.scene import Scene, build_scene
from vpcwire.diagram.svg import to_svg

__all__ = ["Scene", "build_scene", "to_html", "to_mermaid", "to_svg"]
