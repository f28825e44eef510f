"""Network -> Terraform. ``render(plan)`` returns file contents; ``write`` puts them on disk."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

from vpcwire.plan.plan import Plan
from vpcwire.render.sandbox import SANDBOX_FILE, sandbox_override
from vpcwire.render.terraform import RenderedFiles, Renderer
from vpcwire.render.written import write_files

__all__ = ["GENERATED_MARK", "RenderedFiles", "render", "write"]

Target = Literal["aws", "sandbox"]
GENERATED_MARK = "Rendered by vpcwire"


def render(plan: Plan, *, target: Target = "aws", source: str = "") -> RenderedFiles:
    renderer = Renderer(plan, source=source)
    out = renderer.render()
    templates = resources.files("vpcwire.render") / "templates"
    for name in ("service.sh.tftpl", "client.sh.tftpl"):
        out.files[f"templates/{name}"] = (templates / name).read_text(encoding="utf-8")
    if target == "sandbox":
        out.files[SANDBOX_FILE] = sandbox_override(plan, renderer.providers)
    return out


def write(rendered: RenderedFiles, directory: Path) -> list[Path]:
    """Write the files; remove files an earlier render wrote that this one does not.

    Only files vpcwire can prove it wrote (its manifest, render/written.py) are removed or
    overwritten, so a person's own files in the same directory survive. Returns the paths
    written; UsageError if a file of theirs is in the way.
    """
    return write_files(rendered.files, directory)
