"""The diff and diagram packages export what their __all__ says, and nothing by accident."""

import vpcwire.diagram
import vpcwire.diff


def test_diff_api() -> None:
    assert vpcwire.diff.__all__ == [
        "FieldChange",
        "FlowChange",
        "FlowDiff",
        "ResourceChange",
        "flow_changes",
        "resource_changes",
    ]
    assert all(hasattr(vpcwire.diff, name) for name in vpcwire.diff.__all__)


def test_diagram_api() -> None:
    assert vpcwire.diagram.__all__ == ["Scene", "build_scene", "to_html", "to_mermaid", "to_svg"]
    assert all(hasattr(vpcwire.diagram, name) for name in vpcwire.diagram.__all__)
