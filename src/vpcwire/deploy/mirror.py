"""Find a local mirror of the hashicorp/aws provider and write the Terraform CLI config for it.

Some machines (air-gapped hosts, these build machines) carry the provider in a filesystem
mirror and cannot reach the registry. Terraform uses a mirror only if a CLI config says so,
so vpcwire looks for one in the usual places and, if it finds a provider version our
constraint accepts, writes a CLI config for its own terraform processes. Without a mirror
it leaves the user's configuration alone and terraform downloads providers as usual (into
a shared plugin cache, so each working directory does not download them again).
"""

from __future__ import annotations

import os
import platform
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vpcwire.render.hcl import Attr, Block, Comment, dumps

__all__ = ["ProviderMirror", "cli_config_text", "find_provider_mirror", "platform_dir"]

PROVIDER = "registry.terraform.io/hashicorp/aws"
MIRROR_ENV = "VPCWIRE_PROVIDER_MIRROR"


@dataclass(frozen=True, slots=True)
class ProviderMirror:
    root: Path  # the directory holding registry.terraform.io/...
    versions: tuple[str, ...]


def platform_dir() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(
        machine, machine
    )
    return f"{platform.system().lower()}_{arch}"


def _candidates() -> Iterable[Path]:
    if os.environ.get(MIRROR_ENV):
        yield Path(os.environ[MIRROR_ENV])
    home = Path.home()
    yield from (
        Path("/opt/tf-plugins"),
        home / ".terraform.d" / "plugins",
        home / ".local" / "share" / "terraform" / "plugins",
        Path("/usr/local/share/terraform/plugins"),
        Path("/usr/share/terraform/plugins"),
    )
    opt = Path("/opt")
    if opt.is_dir():
        yield from sorted(p for p in opt.iterdir() if p.is_dir())


def _accepted(version: str) -> bool:
    """Our constraint, >= 5.83 and < 6 (render/terraform.py: PROVIDER_CONSTRAINT)."""
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version)
    if not match:
        return False
    major, minor = int(match[1]), int(match[2])
    return major == 5 and minor >= 83


def find_provider_mirror() -> ProviderMirror | None:
    """The first mirror holding an acceptable aws provider for this platform, if any."""
    plat = platform_dir()
    for root in _candidates():
        base = root / PROVIDER
        if not base.is_dir():
            continue
        versions = tuple(
            sorted(
                (
                    v.name
                    for v in base.iterdir()
                    if _accepted(v.name) and any((v / plat).glob("terraform-provider-aws_*"))
                ),
                key=lambda s: tuple(int(x) for x in s.split(".")),
            )
        )
        if versions:
            return ProviderMirror(root, versions)
    return None


def cli_config_text(mirror: ProviderMirror) -> str:
    """A CLI config that takes hashicorp/aws from the mirror and anything else directly."""
    return dumps(
        [
            Comment("Terraform CLI configuration written by vpcwire for its own terraform runs."),
            Block(
                "provider_installation",
                (),
                [
                    Block(
                        "filesystem_mirror",
                        (),
                        [
                            Attr("path", str(mirror.root)),
                            Attr("include", [PROVIDER]),
                        ],
                    ),
                    Block("direct", (), [Attr("exclude", [PROVIDER])]),
                ],
            ),
        ]
    )
