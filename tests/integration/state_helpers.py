"""Drive `vpcwire` as a user's shell does, for the interrupted/killed/damaged-run tests.

vpcwire runs as a real process in its own process group (as a shell job is), so a SIGINT
to that group is exactly a Ctrl-C at the terminal. Timing is made deterministic by
VPCWIRE_TEST_HOOK: vpcwire appends a line to that file when terraform starts a resource
(``start create aws_instance.a_client_1``), and the test signals only once the line is
there — instance creation then has ≥10 s of provider sleep left, so the signal always lands
while the resource is in flight.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from vpcwire.deploy.inventory import Tagged, read_tagged
from vpcwire.deploy.places import places_for
from vpcwire.deploy.state_file import state_ids
from vpcwire.pipeline import plan as make_plan
from vpcwire.spec.load import load_spec

VPCWIRE = [sys.executable, "-m", "vpcwire"]
TIMEOUT_S = 300.0

# Two peered VPCs with one instance each: the instances take ≥10 s to create and to
# destroy (a fixed provider sleep), the window the signals aim at. No NLB: its 60 s of
# provider sleeps would make every scenario slow.
SPEC = """
name: {name}
accounts:
  main: {{id: "111111111111"}}
vpcs:
  a:
    region: us-east-1
    cidr: 10.0.0.0/16
    azs: [us-east-1a]
  b:
    region: us-east-1
    cidr: 10.1.0.0/16
    azs: [us-east-1a]
connections:
  - peers: [a, b]
    allow: [{{protocol: tcp, ports: [22]}}]
    dns_resolution: false
"""


@dataclass
class Run:
    code: int
    output: str  # stdout and stderr, interleaved as a terminal shows them


class Stack:
    """One spec in a temporary directory, and the vpcwire commands a user types on it."""

    def __init__(self, directory: Path, name: str, home: Path) -> None:
        self.dir = directory
        self.name = name
        self.home = home
        self.spec = directory / "spec.yaml"
        self.spec.write_text(SPEC.format(name=name).lstrip())
        self.workdir = directory / ".vpcwire" / name / "sandbox"
        self.hook = directory / "hook.log"

    def env(self, home: Path | None = None) -> dict[str, str]:
        env = dict(os.environ)
        env["VPCWIRE_HOME"] = str(home or self.home)
        env["VPCWIRE_TEST_HOOK"] = str(self.hook)
        return env

    def start(
        self, *args: str, home: Path | None = None, spec: bool = True
    ) -> subprocess.Popen[str]:
        self.hook.write_text("")
        return subprocess.Popen(
            [*VPCWIRE, *args, *([str(self.spec)] if spec else [])],
            cwd=self.dir,
            env=self.env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, like a shell job
        )

    def run(self, *args: str, home: Path | None = None, spec: bool = True) -> Run:
        proc = self.start(*args, home=home, spec=spec)
        output, _ = proc.communicate(timeout=TIMEOUT_S)
        return Run(proc.returncode, output)

    def run_json(self, *args: str) -> tuple[int, dict[str, object], str]:
        """A command with --json: its exit code, the JSON document on stdout, and stderr."""
        proc = subprocess.run(
            [*VPCWIRE, *args, "--json", str(self.spec)],
            cwd=self.dir,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
        return proc.returncode, json.loads(proc.stdout), proc.stderr

    def wait_hook(self, needle: str) -> None:
        deadline = time.monotonic() + TIMEOUT_S
        while needle not in self.hook.read_text():
            if time.monotonic() > deadline:
                raise AssertionError(f"vpcwire never reached {needle!r}: {self.hook.read_text()}")
            time.sleep(0.05)

    def terraform_pid(self) -> int:
        return int((self.workdir / ".vpcwire-terraform.pid").read_text())

    def finish(self, proc: subprocess.Popen[str]) -> Run:
        output, _ = proc.communicate(timeout=TIMEOUT_S)
        return Run(proc.returncode, output)

    def interrupt(self, proc: subprocess.Popen[str], times: int = 1) -> None:
        """Ctrl-C at the terminal: SIGINT to the whole process group of the job."""
        for _ in range(times):
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.2)

    def restore_if_told(self, run: Run) -> bool:
        """A kill -9 that lands while terraform rewrites its state leaves it truncated (the
        local backend writes in place): vpcwire then refuses and says which copy to restore
        with `cp`. Do what it says, as a user would; True if it said so."""
        told = re.search(r"fix: restore one with `cp (\S+) (\S+)`", run.output)
        if told is None:
            return False
        shutil.copyfile(self.dir / told[1], self.dir / told[2])
        return True

    def tagged(self, endpoint_url: str) -> list[Tagged]:
        """What exists of the stack in the sandbox, read by its tag (the test's own read)."""
        plan = make_plan(load_spec(self.spec))
        return read_tagged(places_for(plan, target="sandbox", endpoint_url=endpoint_url), self.name)

    def wait_exists(self, endpoint_url: str, kind: str, name: str) -> None:
        """Until the sandbox holds it: the provider's create call has then been answered
        (moto answers in milliseconds), so what follows is the provider's fixed wait."""
        deadline = time.monotonic() + TIMEOUT_S
        while not any(t.kind == kind and t.name == name for t in self.tagged(endpoint_url)):
            if time.monotonic() > deadline:
                raise AssertionError(f"{kind} {name} never appeared")
            time.sleep(0.1)
        time.sleep(1.0)

    def orphans(self, endpoint_url: str) -> list[Tagged]:
        known = state_ids(self.workdir)
        return [t for t in self.tagged(endpoint_url) if t.id not in known]


def wait_gone(pid: int, timeout: float = TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists() and stat.read_text().rsplit(")", 1)[-1].split()[0] == "Z":
            return
        time.sleep(0.1)
    raise AssertionError(f"process {pid} still runs after {timeout}s")
