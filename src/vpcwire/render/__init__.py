"""Network -> Terraform. ``render(plan)`` returns file contents; ``write`` puts them on disk."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

from vpcwire.plan.plan import Plan
from vpcwire.render.sandbox import SANDBOX_FILE, sandbox_override
from vpcwire.render.terraform import RenderedFiles, Renderer

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
    """Write the files; remove .tf files an earlier render wrote that this one does not.

    Only files carrying our mark are removed, so a person's own .tf files in the same
    directory survive. Returns the paths written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.tf"):
        if old.name not in rendered.files and _ours(old):
            old.unlink()
    written = []
    for name, text in rendered.files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _ours(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except OSError:
        return False
    return GENERATED_MARK in head or "vpcwire writes this file" in head
