"""`vpcwire sandbox start|stop|status|env|exec`: the embedded AWS sandbox in the background."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from vpcwire.cli._app import handled, out, print_document, sandbox_app


@sandbox_app.command("start")
@handled
def sandbox_start() -> None:
    """Start the sandbox in the background (it keeps its state until stopped)."""
    from vpcwire.sandbox.background import find_running, start_background

    running = find_running()
    if running is None:
        _remove_data_plane()  # what a killed sandbox left behind
    info = running or start_background()
    state = "already running" if running else "started"
    out.print(f"sandbox {state} at {info.endpoint_url} (pid {info.pid})")


@sandbox_app.command("stop")
@handled
def sandbox_stop() -> None:
    """Stop the background sandbox; everything deployed to it is gone."""
    from vpcwire.sandbox.background import stop_background

    removed = _remove_data_plane()
    out.print("sandbox stopped" if stop_background() else "no sandbox was running")
    if removed:
        out.print(f"packet data plane removed ({removed} namespaces)")


@sandbox_app.command("status")
@handled
def sandbox_status() -> None:
    """Say whether a background sandbox is running, and where. Exit 1 if none is."""
    from vpcwire.sandbox.background import find_running

    info = find_running()
    if info is None:
        out.print("no sandbox running")
        raise typer.Exit(1)
    from vpcwire.sandbox.background import STATE_FILE, resolve_state_dir

    out.print(f"sandbox running at {info.endpoint_url} (pid {info.pid})")
    # it admits only its own keys (and those its STS hands out): say where they are
    out.print(f"its access keys: {resolve_state_dir() / STATE_FILE} (readable by you only)")


class EnvFormat(enum.StrEnum):
    sh = "sh"
    dotenv = "dotenv"
    json = "json"


# Variables a shell may hold that would send something else than the sandbox's keys: a
# profile (whose credentials would win over nothing) or a session token from real AWS.
_CONFLICTING = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


@sandbox_app.command("env")
@handled
def sandbox_env_command(
    fmt: Annotated[
        EnvFormat,
        typer.Option(
            "--format",
            help='sh: export lines for `eval "$(vpcwire sandbox env)"` (default); dotenv: '
            "KEY=value lines; json: one object",
        ),
    ] = EnvFormat.sh,
) -> None:
    """Print the environment that points terraform, the AWS CLI and boto3 at the sandbox.

    The sandbox admits only its own keys (drawn when it starts), so other tools need them:
    `eval "$(vpcwire sandbox env)"`. Exit 3 if no sandbox runs.
    """
    import shlex

    from vpcwire.errors import SandboxError
    from vpcwire.sandbox.background import find_running
    from vpcwire.sandbox.clients import DEFAULT_REGION

    info = find_running()
    if info is None:
        raise SandboxError(
            "no sandbox is running, so there is no environment to print",
            detail="fix: `vpcwire sandbox start` (or `vpcwire up SPEC`, which starts it), "
            "then run this again",
        )
    access_key_id, secret_access_key = info.keys
    env = {
        "AWS_ENDPOINT_URL": info.endpoint_url,
        "AWS_ACCESS_KEY_ID": access_key_id,
        "AWS_SECRET_ACCESS_KEY": secret_access_key,
        "AWS_REGION": DEFAULT_REGION,
        "AWS_DEFAULT_REGION": DEFAULT_REGION,  # the name older SDKs and the AWS CLI v1 read
    }
    if fmt is EnvFormat.json:
        print_document(env)
        return
    lines = [f"{key}={shlex.quote(value)}" for key, value in env.items()]
    if fmt is EnvFormat.sh:
        lines = [f"unset {' '.join(_CONFLICTING)}", *(f"export {line}" for line in lines)]
    # plain print: rich would wrap a long line or read [ ] as markup
    print("\n".join(lines))


@sandbox_app.command(
    "exec",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
@handled
def sandbox_exec(
    name: Annotated[str, typer.Argument(help="instance Name tag or id (or an ENI's)")],
    command: Annotated[list[str], typer.Argument(help="the command and its arguments (after --)")],
) -> None:
    """Run a command inside the network namespace of a sandbox instance.

    e.g. `vpcwire sandbox exec consumer_client_1 -- curl -s http://<endpoint dns>:8080/`.
    The data plane must be up (`vpcwire up` or `vpcwire probe` build it). Exits with the
    command's own exit code.
    """
    import difflib
    import subprocess

    from vpcwire.errors import UsageError
    from vpcwire.sandbox.background import resolve_state_dir
    from vpcwire.sandbox.dataplane import Registry, require

    require()
    registry = Registry.load(resolve_state_dir())
    if registry is None or not registry.names:
        raise UsageError(
            "no packet data plane is up for this sandbox: `vpcwire up SPEC` or "
            "`vpcwire probe SPEC` builds it"
        )
    namespace = registry.names.get(name)
    if namespace is None:
        close = difflib.get_close_matches(name, list(registry.names), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UsageError(f"no instance {name!r} in the sandbox data plane{hint}")
    if not command:
        raise UsageError("give a command after --, e.g. `-- curl -s http://…:8080/`")
    try:
        code = subprocess.call(["ip", "netns", "exec", namespace, *command])
    except OSError as exc:
        raise UsageError(f"cannot run {command[0]!r}: {exc.strerror}") from None
    raise typer.Exit(code)


def _remove_data_plane() -> int:
    """Remove this sandbox's namespaces, links, rules and processes (0 where none can exist)."""
    from vpcwire.sandbox.background import resolve_state_dir
    from vpcwire.sandbox.dataplane import missing_requirements, teardown

    if missing_requirements():
        return 0
    return teardown(resolve_state_dir())
