"""Time `vpcwire scan` on vpcwire's own rendered Terraform of a 500-VPC spec (target <= 10 s),
and, separately, terraform's own time on the same configuration.

    .venv/bin/python benchmarks/scan_scale.py [--vpcs 500] [--repeat 3] [--no-terraform]
    .venv/bin/python benchmarks/scan_scale.py --src OTHER/src   # another checkout: "before"

The spec is plan_render.py's generator (accounts, regions, services, PrivateLink consumers,
native cross-region consumers, outposts), planned and rendered once with this tree. Then,
--repeat times each, in fresh processes (so no run inherits another's warm caches or heap):

* the stages, timed inside one process the way ``run_scan`` runs them (with the collector
  paused when the measured tree has ``vpcwire.scan.collector``): parse (HCL -> blocks, and
  the configuration indexed), build (instances expanded, expressions evaluated, Network
  built), rules, intents (derived), verify (every intent traced);
* the whole command, ``python -m vpcwire scan DIR --format json`` (the largest output: every
  intent's trace, ~42 MB) and ``--format text`` (the default), start-up and output included:
  this is the figure the target is about.

Medians of --repeat, wall time and CPU time (user+system, less sensitive to other load on
a shared machine; the load average is printed). Then, once, `terraform init` + `terraform
validate` on the same directory: terraform's own time to read the configuration, which the
scan does not need (it runs terraform only with --sandbox) and which the target excludes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
TARGET_S = 10.0
STAGES = ("parse", "build", "rules", "intents", "verify")
FORMATS = ("json", "text")


def child(tf_dir: Path) -> dict[str, Any]:
    """One scan's stages in this (fresh) process: wall and CPU seconds each, and counts."""
    import contextlib

    from vpcwire.rules import judge_network
    from vpcwire.scan.build import build_network
    from vpcwire.scan.config import load_configuration
    from vpcwire.scan.intents import derive_intents
    from vpcwire.verify.intents import evaluate

    try:  # the pause run_scan makes; absent in trees from before it (--src)
        from vpcwire.scan.collector import collector_paused
    except ImportError:
        collector_paused = contextlib.nullcontext  # type: ignore[assignment]

    marks: list[tuple[float, float]] = []

    def mark() -> None:
        marks.append((time.perf_counter(), time.process_time()))

    with collector_paused():
        mark()
        config = load_configuration(tf_dir)
        mark()
        instances = list(config.resources())
        network = build_network(config)
        mark()
        findings = judge_network(network)
        mark()
        intents = derive_intents(network)
        mark()
        verdicts = evaluate(network, intents)
        mark()
    out: dict[str, Any] = {
        name: {"wall": marks[i + 1][0] - marks[i][0], "cpu": marks[i + 1][1] - marks[i][1]}
        for i, name in enumerate(STAGES)
    }
    out["counts"] = {
        "instances": len(instances),
        "resources": len(network),
        "findings": len(findings),
        "intents": len(verdicts),
        "failed": sum(not v.ok for v in verdicts),
        "unresolved": len(config.unresolved),
    }
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_child(tf_dir: Path, env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(tf_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def run_command(tf_dir: Path, env: dict[str, str], fmt: str) -> dict[str, Any]:
    """The whole `vpcwire scan DIR --format FMT`, as a user runs it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "vpcwire", "scan", str(tf_dir), "--format", fmt],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1, 2):
        raise SystemExit(f"vpcwire scan failed (exit {proc.returncode}):\n{proc.stderr}")
    return {"wall": wall, "cpu": cpu, "exit": proc.returncode}


def render_config(vpcs: int, tmp: Path) -> Path:
    sys.path.insert(0, str(HERE))
    from plan_render import generate  # benchmarks/ is not a package: found via sys.path

    from vpcwire.pipeline import plan
    from vpcwire.render import render, write
    from vpcwire.spec.load import load_spec

    spec_path = tmp / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(generate(vpcs)))
    tf_dir = tmp / "tf"
    write(render(plan(load_spec(spec_path))), tf_dir)
    return tf_dir


def terraform_times(tf_dir: Path) -> dict[str, Any]:
    from vpcwire.deploy.terraform import Terraform

    tf = Terraform(tf_dir)
    t0 = time.perf_counter()
    tf.init()
    t1 = time.perf_counter()
    errors = tf.validate()
    t2 = time.perf_counter()
    return {"init": t1 - t0, "validate": t2 - t1, "errors": len(errors)}


def median(runs: list[dict[str, Any]], *keys: str) -> float:
    values = []
    for run in runs:
        value: Any = run
        for key in keys:
            value = value[key]
        values.append(float(value))
    return statistics.median(values)


def print_table(result: dict[str, Any]) -> None:
    counts = result["counts"]
    print(
        f"{result['vpcs']} VPCs: {result['files']} files, {result['lines']} lines, "
        f"{result['bytes'] / 1e6:.1f} MB of HCL -> {counts['instances']} resource instances, "
        f"{counts['resources']} Network resources, {counts['findings']} findings, "
        f"{counts['intents']} intents ({counts['failed']} failed), "
        f"{counts['unresolved']} unresolved"
    )
    print(
        f"tree measured: {result['src']}; median of {result['repeat']} fresh processes; "
        f"load average {result['load_before']} before, {result['load_after']} after "
        f"on {os.cpu_count()} CPUs; stage peak RSS {result['peak_rss_mib']:.0f} MiB"
    )
    print(f"{'what':<44} {'target':>8} {'measured':>9} {'ratio':>6} {'CPU':>8}")
    for name in STAGES:
        wall, cpu = result["stages"][name]["wall"], result["stages"][name]["cpu"]
        print(f"{'  stage: ' + name:<44} {'-':>8} {wall:>8.2f}s {'-':>6} {cpu:>7.2f}s")
    total = result["stages_total"]
    print(
        f"{'  stages together':<44} {'-':>8} {total['wall']:>8.2f}s {'-':>6} {total['cpu']:>7.2f}s"
    )
    for fmt, cmd in result["commands"].items():
        print(
            f"{f'vpcwire scan DIR --format {fmt} (whole command)':<44} {TARGET_S:>7.1f}s "
            f"{cmd['wall']:>8.2f}s {cmd['wall'] / TARGET_S:>6.2f} {cmd['cpu']:>7.2f}s"
            f"   exit {cmd['exit']}"
        )
    tf = result.get("terraform")
    if tf:
        note = f"   {tf['errors']} errors" if tf["errors"] else ""
        print(
            f"{'terraform init (separately, not in the target)':<44} {'-':>8} {tf['init']:>8.2f}s"
        )
        print(
            f"{'terraform validate (separately, not in target)':<44} {'-':>8} "
            f"{tf['validate']:>8.2f}s{note}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vpcs", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-terraform", action="store_true")
    parser.add_argument("--src", help="PYTHONPATH of the vpcwire tree to measure (default: this)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    src = args.src or str(HERE.parent / "src")
    env = dict(os.environ, PYTHONPATH=src)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env.setdefault("VPCWIRE_HOME", str(tmp / "home"))
        tf_dir = render_config(args.vpcs, tmp)
        files = sorted(tf_dir.glob("*.tf"))
        load_before = os.getloadavg()
        stage_runs = [run_child(tf_dir, env) for _ in range(args.repeat)]
        command_runs = {
            fmt: [run_command(tf_dir, env, fmt) for _ in range(args.repeat)] for fmt in FORMATS
        }
        load_after = os.getloadavg()
        result: dict[str, Any] = {
            "vpcs": args.vpcs,
            "src": src,
            "repeat": args.repeat,
            "files": len(files),
            "lines": sum(p.read_text().count("\n") for p in files),
            "bytes": sum(p.stat().st_size for p in files),
            "load_before": " ".join(f"{x:.2f}" for x in load_before),
            "load_after": " ".join(f"{x:.2f}" for x in load_after),
            "counts": stage_runs[0]["counts"],
            "peak_rss_mib": median(stage_runs, "peak_rss_mib"),
            "stages": {
                name: {k: median(stage_runs, name, k) for k in ("wall", "cpu")} for name in STAGES
            },
            "stages_total": {
                k: statistics.median(sum(r[n][k] for n in STAGES) for r in stage_runs)
                for k in ("wall", "cpu")
            },
            "commands": {
                fmt: {
                    "wall": median(runs, "wall"),
                    "cpu": median(runs, "cpu"),
                    "exit": runs[0]["exit"],
                }
                for fmt, runs in command_runs.items()
            },
        }
        if not args.no_terraform:
            result["terraform"] = terraform_times(tf_dir)
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)
    return 0 if all(c["wall"] <= TARGET_S for c in result["commands"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
