"""`vpcwire probe SPEC`: every intent of the spec tried with real packets on the sandbox.

The live network is read from the sandbox, materialised as network namespaces (see
:mod:`vpcwire.sandbox.dataplane`), and every intent's flow is sent for real; the table shows the
engine's verdict beside what the packet did. Exit 0 when every packet result is what its
intent expects, 1 otherwise, 3 when the data plane cannot run here (it says what is missing)
or the stack is not deployed.
The data plane stays up afterwards for `vpcwire sandbox exec`, until `down`/`sandbox stop`.
"""

from __future__ import annotations

from typing import Any

import typer

from vpcwire.cli._app import (
    JsonOpt,
    SpecArg,
    app,
    err,
    escape,
    handled,
    out,
    plan_spec,
    print_document,
    require_deployed,
)
from vpcwire.errors import EXIT_VERIFY_FAILED

__all__ = ["packet_probe", "packets_after_up", "probe", "probe_document"]


def packet_probe(plan: Any, network: Any, *, as_json: bool, workload: bool = False) -> int:
    """Materialise ``network`` on this sandbox's data plane and probe the plan's intents.

    Returns the exit code (0 or 1); raises DataPlaneUnavailable when it cannot run.
    """
    code, document, lines = probe_document(plan, network, workload=workload)
    if as_json:
        print_document(document)
    else:
        for line in lines:
            out.print(escape(line))
    return code


def probe_document(
    plan: Any, network: Any, *, workload: bool = False
) -> tuple[int, dict[str, Any], list[str]]:
    """(exit code, the `probe --json` document, the text to print): the probe itself.

    With ``workload``, the rendered services and clients run first; the document then
    lists each consumer's answer under ``consumers`` (the text starts with them).
    """
    from vpcwire.sandbox.background import resolve_state_dir
    from vpcwire.sandbox.dataplane import materialise
    from vpcwire.sandbox.dataplane.compare import compare, comparison_json, comparison_text
    from vpcwire.verify.intents import derive_intents

    # Without ``workload``, a workload `up` started is started again (materialise).
    plane = materialise(network, resolve_state_dir(), workload=True if workload else None)
    lines: list[str] = []
    consumers: list[dict[str, Any]] = []
    if workload:
        from vpcwire.sandbox.dataplane.workload import consumer_answers

        started = list(plane.started)
        folders = {s.instance: s.directory for s in started}
        wait = 15.0
        for name, answer in consumer_answers(plane, started, wait=wait).items():
            consumers.append({"instance": name, "response": answer})
            lines.append(
                f"consumer {name}: {answer}"
                if answer is not None
                else f"consumer {name}: no response logged in {wait:.0f}s "
                f"(see {folders[name]}/user-data.log)"
            )
    rows = compare(network, plane.layout, derive_intents(plan))
    where = f"packets on the sandbox data plane ({len(plane.layout.boxes)} namespaces)"
    lines.append(comparison_text(rows, where=where))
    document = comparison_json(rows, where=where)
    if workload:
        document["consumers"] = consumers
    code = 0 if all(r.ok for r in rows) else EXIT_VERIFY_FAILED
    return code, document, lines


def read_sandbox(plan: Any) -> Any:
    from vpcwire.deploy.stack import read_stack

    result = read_stack(plan, target="sandbox")
    require_deployed(plan, result.network, "sandbox")
    for warning in result.warnings:
        err.print(f"[yellow]warning: {escape(warning)}[/]")
    return result.network


@app.command()
@handled
def probe(spec: SpecArg, as_json: JsonOpt = False) -> None:
    """Try every intent of the spec with real packets on the sandbox; compare with the engine.

    Exit 0 when every packet result matches its intent, 1 otherwise, 3 when the data plane
    cannot run here or the stack is not deployed.
    """
    from vpcwire.sandbox.dataplane import require

    require()
    result = plan_spec(spec)
    code = packet_probe(result, read_sandbox(result), as_json=as_json)
    if code:
        raise typer.Exit(code)


def packets_after_up(plan: Any, *, as_json: bool = False) -> tuple[int, dict[str, Any] | None]:
    """The end of `vpcwire up` on the sandbox: the workload's real answer and the probe.

    Prints them, or under ``as_json`` returns them as the `probe --json` document (with
    ``consumers``) for `up`'s own document. Where the data plane cannot run, say exactly
    what is missing and return 0 (the document says ``skipped``): the static and live
    verification already ran, and `up` must not fail for this.
    """
    from vpcwire.sandbox.dataplane import missing_requirements

    missing = missing_requirements()
    if missing:
        err.print(
            "[yellow]packet data plane skipped (static and live verification still ran); "
            f"missing: {escape('; '.join(missing))}[/]"
        )
        return 0, {"skipped": "; ".join(missing)}
    code, document, lines = probe_document(plan, read_sandbox(plan), workload=True)
    if as_json:
        return code, document
    for line in lines:
        out.print(escape(line))
    return code, None


def remove_data_plane(show: Any = out) -> None:
    """For `vpcwire down`: remove the sandbox's namespaces, links, rules and processes."""
    from vpcwire.sandbox.background import resolve_state_dir
    from vpcwire.sandbox.dataplane import missing_requirements, teardown

    if not missing_requirements():
        removed = teardown(resolve_state_dir())
        if removed:
            show.print(f"packet data plane removed ({removed} namespaces)")


def check_packets(network: Any, flow: Any, trace: Any, *, as_json: bool) -> bool:
    """`check --packets`: the engine's trace and, beside it, what one real packet did."""
    from vpcwire.sandbox.background import resolve_state_dir
    from vpcwire.sandbox.dataplane import materialise, probe_flows, require
    from vpcwire.sandbox.dataplane.compare import agrees

    require()
    plane = materialise(network, resolve_state_dir())
    result = probe_flows(network, plane.layout, [flow])[0]
    if as_json:
        from vpcwire.report.verify_text import trace_document

        print_document({**trace_document(trace), "packets": result.to_dict()})
    else:
        out.print(escape(str(trace)))
        if result.outside:
            out.print(escape(f"packets: {result.word} — {result.detail}"))
        else:
            agree = "agrees with" if agrees(trace, result) else "DISAGREES with"
            out.print(
                escape(f"packets: {result.word} — {result.detail} (the kernel {agree} the engine)")
            )
    return bool(trace.reachable) if result.outside else bool(result.reached)
