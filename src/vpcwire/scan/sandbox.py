"""`vpcwire scan --sandbox`: apply the user's configuration to a private embedded sandbox,
read it back, verify it the same way, destroy it, and say where prediction and result differ.

The configuration is copied (with the local modules it calls, keeping their relative
layout) into a temporary directory, so the user's directory never sees a state file or an
override. One override file per provider block of the root module keeps its region and
assume_role and adds what the sandbox needs (no profile, ``max_retries = 2``, a role in the
provider's account so that the sandbox tells accounts apart). The sandbox is this process's
own, on 127.0.0.1, stopped at the end: nothing is left behind.

Predicted ids are Terraform addresses and live ids are AWS ids; terraform's state maps one
to the other, so every predicted intent is re-asked of the live network about the very
resources it names.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from vpcwire.errors import DeployError
from vpcwire.network import Network
from vpcwire.network.unknown import account_known
from vpcwire.scan.config import DEFAULT_ACCOUNT, Configuration, ModuleInstance, load_configuration
from vpcwire.verify.flow import Flow
from vpcwire.verify.intents import Intent, Verdict, evaluate

__all__ = ["apply_and_verify", "override_text"]

OVERRIDE = "vpcwire_sandbox_override.tf"
FALLBACK = "vpcwire_sandbox_provider.tf"


def override_text(config: Configuration) -> tuple[str, str]:
    """(override file, fallback provider file) for the root module's provider blocks."""
    blocks = []
    aliases = [p for p in config.providers if p.location is not None]
    root_dir = config.root
    for p in aliases:
        if (
            p.location is None
            or p.location.file is None
            or Path(p.location.file).parent != root_dir
        ):
            continue
        role = p.assume_role or f"arn:aws:iam::{_sandbox_account(p.account)}:role/vpcwire-sandbox"
        alias = f'  alias       = "{p.key[4:]}"\n' if p.key != "aws" else ""
        blocks.append(
            'provider "aws" {\n'
            f"{alias}"
            "  profile     = null\n"
            "  max_retries = 2\n"
            "  assume_role {\n"
            f'    role_arn = "{role}"\n'
            "  }\n"
            "}\n"
        )
    fallback = ""
    if not any(p.location is not None for p in config.providers):
        # No provider block at all: terraform would configure an empty one from the
        # environment; give it the region the scan assumed and the sandbox's retry limit.
        p = config.module.providers["aws"]
        fallback = f'provider "aws" {{\n  region      = "{p.region}"\n  max_retries = 2\n}}\n'
    header = (
        "# Written by vpcwire scan --sandbox into a temporary copy; never into your directory.\n"
    )
    return header + "\n".join(blocks), fallback


def _module_dirs(module: ModuleInstance) -> set[Path]:
    out = {module.dir}
    for call in module.calls.values():
        for child in call.instances():
            out |= _module_dirs(child)
    return out


def _copy_tree(config: Configuration, into: Path) -> Path:
    dirs = {d.resolve() for d in _module_dirs(config.module)}
    root = config.root.resolve()
    common = Path(*Path(*root.parts).parts[:1])
    parts = [d.parts for d in dirs]
    prefix = []
    for group in zip(*parts, strict=False):
        if len(set(group)) != 1:
            break
        prefix.append(group[0])
    common = Path(*prefix) if prefix else common
    for d in dirs:
        target = into / d.relative_to(common)
        target.mkdir(parents=True, exist_ok=True)
        for item in d.iterdir():
            if item.is_file() and not item.name.endswith((".tfstate", ".tfstate.backup")):
                shutil.copy2(item, target / item.name)
            elif (
                item.is_dir()
                and item.name not in (".terraform",)
                and not (item / "main.tf").exists()
            ):
                shutil.copytree(item, target / item.name, dirs_exist_ok=True)
    return into / root.relative_to(common)


def _state_ids(workdir: Path) -> dict[str, str]:
    """Terraform address -> AWS id, from the state terraform just wrote."""
    state = json.loads((workdir / "terraform.tfstate").read_text())
    out: dict[str, str] = {}
    for res in state.get("resources", []):
        if res.get("mode") != "managed":
            continue
        base = f"{res['module']}." if res.get("module") else ""
        base += f"{res['type']}.{res['name']}"
        for inst in res.get("instances", []):
            key = inst.get("index_key")
            address = base
            if isinstance(key, int):
                address += f"[{key}]"
            elif isinstance(key, str):
                address += f'["{key}"]'
            rid = inst.get("attributes", {}).get("id")
            if isinstance(rid, str):
                out[address] = rid
    return out


def apply_and_verify(
    path: Path,
    predicted: Network,
    intents: Sequence[Intent],
    var_files: Sequence[Path],
    variables: Mapping[str, str],
) -> tuple[list[Verdict], list[str]]:
    """Apply, read back, verify, destroy. Returns the live verdicts and the differences."""
    from vpcwire.deploy.terraform import Terraform
    from vpcwire.read import read_network
    from vpcwire.sandbox.clients import boto3_session, sandbox_env
    from vpcwire.sandbox.server import Sandbox

    if path.is_file():
        raise DeployError("--sandbox needs the configuration's directory, not a plan JSON")
    config = load_configuration(path, list(var_files), variables)
    with tempfile.TemporaryDirectory(prefix="vpcwire-scan-") as tmp:
        workdir = _copy_tree(config, Path(tmp))
        override, fallback = override_text(config)
        if override.count("provider ") > 0:
            (workdir / OVERRIDE).write_text(override)
        if fallback:
            (workdir / FALLBACK).write_text(fallback)
        for i, vf in enumerate(var_files):
            shutil.copy2(vf, workdir / f"vpcwire_{i}.auto.tfvars")
        if variables:
            (workdir / "vpcwire_cli.auto.tfvars.json").write_text(json.dumps(dict(variables)))
        with Sandbox() as sandbox:
            env = sandbox_env(sandbox.endpoint_url)
            tf = Terraform(workdir, env)
            tf.init()
            regions = sorted({v.region for v in predicted.vpcs.values()}) or ["us-east-1"]
            accounts = sorted({_sandbox_account(v.account) for v in predicted.vpcs.values()})
            roles = [f"arn:aws:iam::{a}:role/vpcwire-sandbox" for a in accounts]

            def read() -> Network:
                return read_network(
                    regions,
                    endpoint_url=sandbox.endpoint_url,
                    role_arns=roles,
                    include_caller=False,
                    session=boto3_session(sandbox.endpoint_url).session,
                ).network

            try:
                tf.apply()
                ids = _state_ids(workdir)
                live_ids = {ids[v] for v in predicted.vpcs if v in ids}
                live = _only(read(), live_ids)
            finally:
                try:
                    tf.destroy(refresh=False)
                except DeployError as exc:
                    raise DeployError(f"{exc}\n{_leftovers(read())}") from exc
            left = tf.state_resources()
            if left:
                raise DeployError(f"terraform destroy left {len(left)} resources in the sandbox")
    verdicts = evaluate(live, [_mapped(i, ids) for i in intents])
    return verdicts, differences(predicted, live, ids)


def _leftovers(network: Network) -> str:
    """What the sandbox still holds after a failed destroy, so the failure names its cause
    (the sandbox is private and stopped right after, so nothing outlives this message)."""
    ours = {v.id for v in network.vpcs.values() if not v.is_default}
    held = sorted(f"{type(r).__name__} {r.id}" for r in _only(network, ours).resources())
    if not held:
        return "  the sandbox read back holds nothing of it"
    shown = ", ".join(held[:20]) + (f" and {len(held) - 20} more" if len(held) > 20 else "")
    return f"  still in the sandbox: {shown}"


def _only(network: Network, vpc_ids: set[str]) -> Network:
    """The live network without the sandbox's default VPCs (and what is in them)."""
    from vpcwire.network import KINDS, NetworkBuilder

    builder = NetworkBuilder()
    for acc in network.accounts.values():
        builder.add_account(acc)
    for _, attr in KINDS.values():
        for r in getattr(network, attr).values():
            vpc = getattr(r, "vpc", None)
            if attr == "vpcs" and r.id not in vpc_ids:
                continue
            if isinstance(vpc, str) and vpc not in vpc_ids:
                continue
            builder.put(r)
    return builder.build()


def _mapped(intent: Intent, ids: Mapping[str, str]) -> Intent:
    f = intent.flow

    def live(rid: str) -> str:
        return ids.get(rid, rid)

    return replace(intent, flow=Flow(live(f.source), live(f.destination), f.protocol, f.port))


def differences(predicted: Network, live: Network, ids: Mapping[str, str]) -> list[str]:
    """Where the applied network differs from the prediction, resource by resource."""
    out: list[str] = []
    checks: dict[str, tuple[str, ...]] = {
        "vpcs": ("cidrs", "region", "account"),
        "subnets": ("cidr", "az"),
        "peerings": ("status", "requester_region", "accepter_region"),
        "instances": ("subnet",),
        "endpoints": ("state", "type"),
        "target_groups": ("port", "target_type"),
        "listeners": ("port",),
    }
    reverse = {v: k for k, v in ids.items()}
    for attr, fields in checks.items():
        for rid, want in getattr(predicted, attr).items():
            live_id = ids.get(rid)
            got = getattr(live, attr).get(live_id) if live_id else None
            label = want.origin.address if want.origin and want.origin.address else rid
            if got is None:
                out.append(f"{label}: predicted, but not found after apply")
                continue
            unknown = {u.field for u in want.unknowns}
            for name in fields:
                a, b = getattr(want, name), getattr(got, name)
                if name in unknown:
                    continue  # predicted as unknown: whatever the sandbox made is no difference
                if name == "subnet":
                    a, b = ids.get(a, a), b
                if a != b:
                    out.append(f"{label}: {name} predicted {_show(a)}, applied {_show(b)}")
        for live_id in getattr(live, attr):
            if live_id not in reverse:
                out.append(f"{attr[:-1]} {live_id}: applied, but not predicted")
    return out


def _sandbox_account(account: str) -> str:
    """Where the sandbox applies what runs under a provider whose account is unknown: moto's
    default account (the scanned network keeps the provider's stand-in)."""
    return account if account_known(account) else DEFAULT_ACCOUNT


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    return str(value)
