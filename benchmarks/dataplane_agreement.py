"""Engine vs kernel on many random estates built in the sandbox with boto3.

    sudo .venv/bin/python benchmarks/dataplane_agreement.py [N=500] [--seed S]

Each estate (tests/dataplane/estates.py: peering chains, overlapping CIDRs, SG and NACL
variations, PrivateLink with and without the outpost pattern, two regions, two accounts)
is read back, materialised as namespaces, and every drawn flow is sent for real. Prints
each disagreement (recipe, flow, engine verdict, packet result) and a summary; exits 1 if
any disagreement was found.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from botocore.exceptions import ClientError
from hypothesis import Phase, given, settings

from tests.dataplane.estates import Recipe, build, judge, recipes
from vpcwire.dataplane import teardown
from vpcwire.dataplane.compare import engine_word
from vpcwire.deploy.sandbox import Sandbox


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 500
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0
    state = Path(tempfile.mkdtemp(prefix="vpcwire-agreement-"))
    found: list[str] = []
    tally = {"estates": 0, "flows": 0, "reachable": 0, "refused": 0, "partial": 0}
    started = time.monotonic()
    with Sandbox() as sandbox:

        @settings(max_examples=count, deadline=None, phases=[Phase.generate], database=None)
        @given(recipe=recipes())
        def run(recipe: Recipe) -> None:
            try:
                _, outcomes = judge(build(sandbox.endpoint_url, recipe), state)
            except ClientError as exc:  # an estate the API refuses: not a disagreement
                tally["refused"] += 1
                print(f"refused by the API: {exc}", flush=True)
                return
            finally:
                teardown(state)
            tally["estates"] += 1
            tally["flows"] += len(outcomes)
            tally["reachable"] += sum(bool(o.packets) for o in outcomes)
            tally["partial"] += sum(engine_word(o.trace) == "partial" for o in outcomes)
            for o in outcomes:
                if not o.agree:
                    found.append(
                        f"{o.flow}: engine {o.engine}, packets {o.packets} ({o.detail})\n"
                        f"    recipe: {recipe}"
                    )
                    print("DISAGREE", found[-1], flush=True)
            if tally["estates"] % 25 == 0:
                print(f"{tally['estates']} estates, {len(found)} disagreements", flush=True)

        import hypothesis

        hypothesis.seed(seed)(run)()
    took = time.monotonic() - started
    print(
        f"{tally['estates']} estates, {tally['flows']} flows ({tally['reachable']} reachable by "
        f"packets, {tally['partial']} partial), {tally['refused']} refused by the API, "
        f"{len(found)} disagreements, {took:.0f}s ({took / max(tally['estates'], 1):.1f}s per estate)"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
