"""State files, target records, stack-scoped names and interrupt handling, without terraform."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from vpcwire.deploy.state_file import (
    StateUnreadable,
    archive_state,
    keep_copy,
    read_state,
    state_ids,
    state_resources,
)
from vpcwire.deploy.target_record import (
    TargetRecord,
    WrongTarget,
    compare,
    read_record,
    write_record,
)
from vpcwire.deploy.terraform import INTERRUPT_MESSAGE, Event, _Interrupts, _Tracker
from vpcwire.plan.naming import stack_scoped_name

GOOD = {
    "version": 4,
    "resources": [
        {
            "mode": "managed",
            "type": "aws_vpc",
            "name": "a",
            "instances": [{"attributes": {"id": "vpc-1", "arn": "arn:aws:ec2:vpc/vpc-1"}}],
        },
        {"mode": "data", "type": "aws_region", "name": "here", "instances": [{}]},
    ],
}


def _workdir(tmp_path: Path, content: bytes | None) -> Path:
    if content is not None:
        (tmp_path / "terraform.tfstate").write_bytes(content)
    return tmp_path


def test_a_good_state_is_read_and_its_ids_are_known(tmp_path: Path) -> None:
    workdir = _workdir(tmp_path, json.dumps(GOOD).encode())
    assert state_resources(workdir) == ["aws_vpc.a"]
    assert state_ids(workdir) == {"vpc-1": "aws_vpc.a", "arn:aws:ec2:vpc/vpc-1": "aws_vpc.a"}


def test_routes_are_known_by_table_and_destination(tmp_path: Path) -> None:
    state = {
        "version": 4,
        "resources": [
            {
                "mode": "managed",
                "type": "aws_route",
                "name": "a_to_b",
                "instances": [
                    {
                        "attributes": {
                            "id": "r-rtb-11080289494",
                            "route_table_id": "rtb-1",
                            "destination_cidr_block": "10.1.0.0/16",
                        }
                    }
                ],
            },
            {
                "mode": "managed",
                "type": "aws_route_table",
                "name": "b",
                "instances": [
                    {"attributes": {"id": "rtb-2", "route": [{"cidr_block": "10.0.0.0/16"}]}}
                ],
            },
        ],
    }
    workdir = _workdir(tmp_path, json.dumps(state).encode())
    known = state_ids(workdir)
    assert known["rtb-1_10.1.0.0/16"] == "aws_route.a_to_b"
    assert known["rtb-2_10.0.0.0/16"] == "aws_route_table.b"


def test_no_state_file_is_an_empty_state(tmp_path: Path) -> None:
    assert read_state(tmp_path) == {} and state_resources(tmp_path) == []


@pytest.mark.parametrize(
    ("content", "why"),
    [
        pytest.param(
            json.dumps(GOOD).encode()[:40], "is not complete JSON (line 1", id="truncated"
        ),
        pytest.param(b"", "is empty", id="empty"),
        pytest.param(b"  \n", "is empty", id="blank"),
        pytest.param(b"null", "holds null, not a state", id="null"),
        pytest.param(b"[1, 2]", "holds list, not a state", id="list"),
        pytest.param(b"\xff\xfe\x00", "is not UTF-8 text (byte 0 is 0xff)", id="binary"),
        pytest.param(b'{"a": 1}', "lacks the fields of a Terraform state", id="other-json"),
    ],
)
def test_a_damaged_state_is_refused_naming_the_file_and_the_backup(
    tmp_path: Path, content: bytes, why: str
) -> None:
    workdir = _workdir(tmp_path, content)
    with pytest.raises(StateUnreadable) as caught:
        state_resources(workdir)
    message = str(caught.value)
    assert f"{workdir / 'terraform.tfstate'}: the Terraform state {why}" in message
    assert f"{workdir / 'terraform.tfstate.backup'} does not exist" in message
    assert "fix: move" in message and "vpcwire up --adopt" in message
    assert caught.value.exit_code == 3


def test_the_restore_advice_names_the_newest_readable_copy(tmp_path: Path) -> None:
    workdir = _workdir(tmp_path, json.dumps(GOOD).encode())
    (workdir / "terraform.tfstate.backup").write_text(json.dumps({"version": 4, "resources": []}))
    os.utime(workdir / "terraform.tfstate.backup", (1, 1))  # older than the copy below
    copy = keep_copy(workdir, "up")
    assert copy is not None and copy.read_bytes() == (workdir / "terraform.tfstate").read_bytes()
    (workdir / "terraform.tfstate").write_bytes(b"null")
    with pytest.raises(StateUnreadable) as caught:
        read_state(workdir)
    message = str(caught.value)
    assert f"fix: restore one with `cp {copy} {workdir / 'terraform.tfstate'}`" in message
    assert f"{workdir / 'terraform.tfstate.backup'} (0 resources" in message
    assert f"{copy} (1 resources" in message


def test_archive_keeps_a_copy_and_never_just_deletes(tmp_path: Path) -> None:
    workdir = _workdir(tmp_path, json.dumps(GOOD).encode())
    copy = archive_state(workdir, "sandbox-restarted")
    assert copy is not None and json.loads(copy.read_text()) == GOOD
    assert not (workdir / "terraform.tfstate").exists()
    assert copy.name.endswith(".sandbox-restarted")


def _sandbox(home: str, pid: int, started: str) -> TargetRecord:
    info = SimpleNamespace(pid=pid, started_at=started, endpoint_url="http://127.0.0.1:1")
    return TargetRecord.for_sandbox("s", Path(home), info)


def test_target_record_round_trips_and_compares(tmp_path: Path) -> None:
    first = _sandbox("/h", 1, "2026-01-01T00:00:00+00:00")
    write_record(tmp_path, first)
    assert read_record(tmp_path) == first
    assert compare(tmp_path, None, first) == "new"
    assert compare(tmp_path, first, first) == "same"
    assert compare(tmp_path, first, _sandbox("/h", 2, "2026-01-02T00:00:00+00:00")) == "restarted"


def test_another_sandbox_home_is_refused_with_both_named(tmp_path: Path) -> None:
    first = _sandbox("/h", 1, "2026-01-01T00:00:00+00:00")
    other = _sandbox("/elsewhere", 1, "2026-01-01T00:00:00+00:00")
    with pytest.raises(WrongTarget) as caught:
        compare(tmp_path, first, other)
    message = str(caught.value)
    assert "VPCWIRE_HOME=/h " in message and "VPCWIRE_HOME=/elsewhere " in message
    assert "fix: set VPCWIRE_HOME=/h" in message
    assert caught.value.exit_code == 2


def test_other_aws_accounts_are_refused(tmp_path: Path) -> None:
    recorded = TargetRecord("aws", "s", accounts=("111111111111",), regions=("us-east-1",))
    moved = TargetRecord("aws", "s", accounts=("222222222222",), regions=("us-east-1",))
    assert compare(tmp_path, recorded, recorded) == "same"
    with pytest.raises(WrongTarget, match=r"111111111111.*222222222222"):
        compare(tmp_path, recorded, moved)


def test_an_unreadable_record_means_nothing_is_known(tmp_path: Path) -> None:
    (tmp_path / "vpcwire-target.json").write_bytes(b"\xff{")
    assert read_record(tmp_path) is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("inter-region-privatelink", "inter-region-privatelink-2"),  # long shared prefix
        ("prod_a", "prod-a"),  # differ only in characters AWS does not allow
        ("x" * 60, "x" * 59 + "y"),
    ],
)
def test_stack_scoped_names_differ_between_stacks_and_fit_aws(first: str, second: str) -> None:
    long = "api_service_in_us_west_2_for_the_consumers"
    for name in ("api", long):
        a, b = stack_scoped_name(first, name), stack_scoped_name(second, name)
        assert a != b
        for value in (a, b):
            assert len(value) <= 32
            assert all(c.isascii() and (c.isalnum() or c == "-") for c in value)
            assert not value.startswith("internal-") and not value.endswith("-")
    assert stack_scoped_name(first, "api") == stack_scoped_name(first, "api")  # stable


def test_terraform_progress_ticks_and_the_final_summary_are_events() -> None:
    events: list[Event] = []
    tracker = _Tracker(events.append, None)
    hook = {"resource": {"addr": "aws_instance.a"}, "action": "create"}
    tracker.feed(json.dumps({"type": "apply_start", "hook": hook}))
    tracker.feed(json.dumps({"type": "apply_progress", "hook": {**hook, "elapsed_seconds": 10}}))
    assert tracker.in_flight() == "aws_instance.a"
    tracker.feed(
        json.dumps(
            {
                "type": "change_summary",
                "changes": {"add": 0, "change": 0, "remove": 0, "operation": "apply"},
            }
        )
    )
    assert [(e.kind, e.address, e.seconds) for e in events[1:]] == [
        ("progress", "aws_instance.a", 10.0)
    ]
    assert tracker.summary == {"add": 0, "change": 0, "remove": 0, "import": 0}
    tracker.feed("\ufffd not json \ufffd")  # undecodable bytes arrive replaced, never crash
    assert tracker.plain[-1].startswith("\ufffd")


def test_each_ctrl_c_is_passed_on_once_and_vpcwire_never_adds_one() -> None:
    """A child that counts the SIGINTs it gets: one Ctrl-C -> exactly one, with the message;
    a second Ctrl-C (the user's) -> a second; a third is not passed on."""
    counter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, sys, time\n"
            "n = 0\n"
            "def h(*a):\n"
            "    global n; n += 1; print(n, flush=True)\n"
            "signal.signal(signal.SIGINT, h)\n"
            "print('ready', flush=True)\n"
            "time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert counter.stdout is not None and counter.stdout.readline().strip() == "ready"
    notices: list[Event] = []
    interrupts = _Interrupts(counter.pid, notices.append)
    # whatever SIGINT did before (default_int_handler; SIG_IGN when the run was started in
    # the background by a shell without job control, which Python then keeps) comes back
    before = signal.getsignal(signal.SIGINT)
    try:
        with interrupts.installed():
            os.kill(os.getpid(), signal.SIGINT)
            assert counter.stdout.readline().strip() == "1"
            assert [e.text for e in notices] == [INTERRUPT_MESSAGE]
            os.kill(os.getpid(), signal.SIGINT)
            assert counter.stdout.readline().strip() == "2"
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.3)
        assert interrupts.count == 3
        assert signal.getsignal(signal.SIGINT) is before
        counter.kill()
        assert counter.stdout.read().strip() == ""  # the third was not passed on
    finally:
        counter.kill()
        counter.wait()
        counter.stdout.close()


@pytest.mark.parametrize("first", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_stop_terraform_gracefully_once(first: signal.Signals) -> None:
    """SIGTERM (timeout, systemd, docker stop) and SIGHUP are a first Ctrl-C: one interrupt
    to terraform, the same message; repeating them never adds one (a supervisor's repeat
    must not abandon); only the user's Ctrl-C after that abandons."""
    counter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, sys, time\n"
            "n = 0\n"
            "def h(*a):\n"
            "    global n; n += 1; print(n, flush=True)\n"
            "signal.signal(signal.SIGINT, h)\n"
            "print('ready', flush=True)\n"
            "time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert counter.stdout is not None and counter.stdout.readline().strip() == "ready"
    notices: list[Event] = []
    interrupts = _Interrupts(counter.pid, notices.append)
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        with interrupts.installed():
            os.kill(os.getpid(), first)
            assert counter.stdout.readline().strip() == "1"
            assert [e.text for e in notices] == [f"{first.name} received: {INTERRUPT_MESSAGE}"]
            os.kill(os.getpid(), signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGHUP)
            time.sleep(0.3)
            assert interrupts.count == 1 and len(notices) == 1
            os.kill(os.getpid(), signal.SIGINT)  # the user's own second press abandons
            assert counter.stdout.readline().strip() == "2"
        assert interrupts.received == [first.name, "SIGTERM", "SIGHUP", "SIGINT"]
        assert {s: signal.getsignal(s) for s in before} == before
    finally:
        counter.kill()
        counter.wait()
        counter.stdout.close()


def test_plan_warns_when_another_stack_applied_here_uses_the_same_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, examples: Path
) -> None:
    from typer.testing import CliRunner

    from vpcwire.cli import app
    from vpcwire.deploy.collisions import aws_names
    from vpcwire.pipeline import plan
    from vpcwire.spec.load import load_spec

    spec = examples / "privatelink.yaml"
    names = aws_names(plan(load_spec(spec)))
    assert names  # an NLB and a target group
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    quiet = runner.invoke(app, ["plan", str(spec)])
    assert quiet.exit_code == 0 and "also used by stack" not in quiet.stderr

    other = TargetRecord(
        "aws", "other", accounts=("1",), regions=("us-east-1",), aws_names=names[:1]
    )
    write_record(tmp_path / ".vpcwire" / "other" / "aws", other)
    warned = runner.invoke(app, ["plan", str(spec)])
    assert warned.exit_code == 0
    assert f"warning: name {names[0]}" in warned.stderr
    assert "also used by stack other" in warned.stderr and "fix: rename" in warned.stderr


def test_a_terraform_left_running_by_a_killed_vpcwire_is_waited_for(tmp_path: Path) -> None:
    from vpcwire.deploy.terraform import PID_NAME, wait_for_earlier_run

    orphan = subprocess.Popen(["bash", "-c", "exec -a terraform sleep 1.5"])
    cmdline = Path(f"/proc/{orphan.pid}/cmdline")
    while not cmdline.read_bytes().startswith(b"terraform"):  # until bash has exec'd
        time.sleep(0.01)
    (tmp_path / PID_NAME).write_text(f"{orphan.pid}\n")
    notices: list[Event] = []
    started = time.monotonic()
    try:
        wait_for_earlier_run(tmp_path, notices.append)
    finally:
        orphan.wait()
    assert time.monotonic() - started >= 1.0
    assert f"terraform (pid {orphan.pid}) from an earlier vpcwire run" in notices[0].text
    assert not (tmp_path / PID_NAME).exists()

    (tmp_path / PID_NAME).write_text(f"{os.getpid()}\n")  # a pid that is not terraform
    wait_for_earlier_run(tmp_path, notices.append)
    assert len(notices) == 1 and not (tmp_path / PID_NAME).exists()
