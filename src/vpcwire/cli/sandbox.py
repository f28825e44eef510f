"""`vpcwire sandbox start|stop|status`: the embedded AWS sandbox in the background."""

from __future__ import annotations

import typer

from vpcwire.cli._app import handled, out, sandbox_app


@sandbox_app.command("start")
@handled
def sandbox_start() -> None:
    """Start the sandbox in the background (it keeps its state until stopped)."""
    from vpcwire.deploy.sandbox_background import find_running, start_background

    running = find_running()
    info = running or start_background()
    state = "already running" if running else "started"
    out.print(f"sandbox {state} at {info.endpoint_url} (pid {info.pid})")


@sandbox_app.command("stop")
@handled
def sandbox_stop() -> None:
    """Stop the background sandbox; everything deployed to it is gone."""
    from vpcwire.deploy.sandbox_background import stop_background

    out.print("sandbox stopped" if stop_background() else "no sandbox was running")


@sandbox_app.command("status")
@handled
def sandbox_status() -> None:
    """Say whether a background sandbox is running, and where. Exit 1 if none is."""
    from vpcwire.deploy.sandbox_background import find_running

    info = find_running()
    if info is None:
        out.print("no sandbox running")
        raise typer.Exit(1)
    from vpcwire.deploy.sandbox_background import STATE_FILE, resolve_state_dir

    out.print(f"sandbox running at {info.endpoint_url} (pid {info.pid})")
    # it admits only its own keys (and those its STS hands out): say where they are
    out.print(f"its access keys: {resolve_state_dir() / STATE_FILE} (readable by you only)")
