"""The sandbox's public API: the in-process server, clients per account, the background daemon."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from vpcwire.errors import SandboxError
from vpcwire.sandbox.background import (
    SandboxInfo,
    answers,
    find_running,
    resolve_state_dir,
    start_background,
    stop_background,
    write_state,
)
from vpcwire.sandbox.clients import (
    DEFAULT_ACCOUNT_ID,
    SANDBOX_ACCESS_KEY_ID,
    SandboxSession,
    boto3_session,
    sandbox_env,
)
from vpcwire.sandbox.server import Sandbox

Clients = Callable[..., SandboxSession]
ACCOUNT_B = "222222222222"
needs_proc = pytest.mark.skipif(
    not Path("/proc/net/tcp").exists(), reason="reads /proc/net/tcp (Linux)"
)


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a TCP socket listening on `port` (from /proc/net/tcp{,6})."""
    found = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address_hex, port_hex = fields[1].split(":")
            if fields[3] != "0A" or int(port_hex, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address_hex)
            # the kernel prints each 32-bit word in host (little-endian) order
            words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(socket.inet_ntop(family, words))
    return found


def busy_port() -> tuple[socket.socket, int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    return listener, listener.getsockname()[1]


# --------------------------------------------------------------------------- in-process


@needs_proc
def test_sandbox_listens_on_loopback_only(sandbox: Sandbox) -> None:
    assert listening_addresses(sandbox.port) == {"127.0.0.1"}
    assert sandbox.endpoint_url == f"http://127.0.0.1:{sandbox.port}"


def test_sandbox_starts_and_stops() -> None:
    with Sandbox() as running:
        url = running.endpoint_url
        assert running.port > 0 and answers(url)
    assert not running.running
    assert not answers(url, timeout=0.5)
    with pytest.raises(SandboxError):
        _ = running.endpoint_url


def test_a_busy_port_is_a_sandbox_error() -> None:
    listener, port = busy_port()
    with listener, pytest.raises(SandboxError) as raised:
        Sandbox(port).start()
    assert f"127.0.0.1:{port}" in str(raised.value)


def test_plain_moto_is_refused_once_patched(sandbox: Sandbox) -> None:
    with pytest.raises(SandboxError, match="already patched"):
        Sandbox(patched=False).start()


def test_a_forced_moto_account_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111111111111")
    with pytest.raises(SandboxError, match="MOTO_ACCOUNT_ID"):
        Sandbox().start()


# --------------------------------------------------------------------------- clients


def test_sandbox_env_replaces_every_aws_setting() -> None:
    developer = {
        "PATH": "/usr/bin",
        "HOME": "/home/dev",
        "AWS_PROFILE": "prod",
        "AWS_ACCESS_KEY_ID": "AKIAREALREALREALREAL",
        "AWS_SECRET_ACCESS_KEY": "real-secret",
        "AWS_SESSION_TOKEN": "real-token",
        "AWS_ROLE_ARN": "arn:aws:iam::999999999999:role/admin",
        "AWS_ENDPOINT_URL_S3": "https://s3.example.com",
    }
    env = sandbox_env("http://127.0.0.1:4566", region="eu-west-1", base=developer)
    assert {key: value for key, value in env.items() if key.startswith("AWS_")} == {
        "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
        "AWS_ACCESS_KEY_ID": SANDBOX_ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": "vpcwire-sandbox-not-a-secret",
        "AWS_REGION": "eu-west-1",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    assert env["PATH"] == "/usr/bin" and env["HOME"] == "/home/dev"
    assert developer["AWS_PROFILE"] == "prod"  # the caller's mapping is untouched


def test_sessions_act_as_their_account(aws: Clients) -> None:
    mine, theirs = aws(), aws(ACCOUNT_B)
    assert mine.client("sts").get_caller_identity()["Account"] == DEFAULT_ACCOUNT_ID
    assert theirs.client("sts").get_caller_identity()["Account"] == ACCOUNT_B
    vpc_id = mine.client("ec2").create_vpc(CidrBlock="10.200.0.0/16")["Vpc"]["VpcId"]
    assert vpc_id not in [v["VpcId"] for v in theirs.client("ec2").describe_vpcs()["Vpcs"]]
    assert vpc_id in [v["VpcId"] for v in aws().client("ec2").describe_vpcs()["Vpcs"]]


def test_sessions_ignore_the_developers_aws_configuration(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\nregion = ap-south-1\ncredential_process = /bin/false\n")
    monkeypatch.setenv("AWS_PROFILE", "does-not-exist")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALREALREALREAL")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    session = boto3_session(sandbox.endpoint_url)
    assert session.session.get_credentials().access_key == SANDBOX_ACCESS_KEY_ID
    assert session.client("ec2").meta.region_name == "us-east-1"
    assert session.client("sts").get_caller_identity()["Account"] == DEFAULT_ACCOUNT_ID


# --------------------------------------------------------------------------- background


@pytest.fixture
def state_dir(tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "state"
    yield directory
    stop_background(directory)  # never leave a daemon behind, even when a test fails


def test_state_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VPCWIRE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert resolve_state_dir(tmp_path / "given") == tmp_path / "given"
    assert resolve_state_dir() == tmp_path / "home"
    monkeypatch.delenv("VPCWIRE_HOME")
    assert resolve_state_dir() == tmp_path / "xdg" / "vpcwire"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert resolve_state_dir() == tmp_path / "user" / ".local" / "state" / "vpcwire"


def test_background_sandbox_lifecycle(state_dir: Path) -> None:
    info = start_background(state_dir)
    assert info.endpoint_url == f"http://127.0.0.1:{info.port}"
    assert info.moto_version == "5.2.1" and info.pid != os.getpid()
    assert datetime.fromisoformat(info.started_at).tzinfo is not None
    recorded = json.loads((state_dir / "sandbox.json").read_text())
    assert recorded == {
        "pid": info.pid,
        "port": info.port,
        "endpoint_url": info.endpoint_url,
        "started_at": info.started_at,
        "moto_version": info.moto_version,
        "access_key_id": info.access_key_id,
        "secret_access_key": info.secret_access_key,
    }
    # the file holds the sandbox's key: its owner's only
    assert stat.S_IMODE((state_dir / "sandbox.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700
    assert info.access_key_id not in repr(info)
    # only the sandbox's own key gets in: the well-known placeholder keys do not
    stranger = boto3.client(
        "ec2",
        region_name="us-east-1",
        endpoint_url=info.endpoint_url,
        aws_access_key_id="vpcwire-sandbox",
        aws_secret_access_key="vpcwire-sandbox-not-a-secret",
    )
    with pytest.raises(ClientError) as refused:
        stranger.describe_vpcs()
    assert refused.value.response["Error"]["Code"] == "InvalidClientTokenId"
    if Path("/proc/net/tcp").exists():
        assert listening_addresses(info.port) == {"127.0.0.1"}

    # Later commands find the same sandbox, and the same state.
    vpc_id = (
        boto3_session(info.endpoint_url)
        .client("ec2")
        .create_vpc(CidrBlock="10.201.0.0/16")["Vpc"]["VpcId"]
    )
    assert start_background(state_dir) == info
    assert find_running(state_dir) == info
    vpcs = boto3_session(info.endpoint_url).client("ec2").describe_vpcs()["Vpcs"]
    assert vpc_id in [v["VpcId"] for v in vpcs]
    assert "sandbox pid" in (state_dir / "sandbox.log").read_text()

    assert stop_background(state_dir) is True
    assert not answers(info.endpoint_url, timeout=0.5)
    assert find_running(state_dir) is None
    assert not (state_dir / "sandbox.json").exists()
    assert stop_background(state_dir) is False


def test_a_daemon_that_stops_answering_is_reported_not_forgotten(state_dir: Path) -> None:
    info = start_background(state_dir)
    os.kill(info.pid, signal.SIGSTOP)  # alive, ours, silent: as if overloaded
    try:
        with pytest.raises(SandboxError, match="does not answer"):
            find_running(state_dir, timeout=0.5)
        assert (state_dir / "sandbox.json").exists()  # still stoppable
    finally:
        os.kill(info.pid, signal.SIGCONT)
    assert find_running(state_dir) == info
    assert stop_background(state_dir) is True


def test_find_running_reads_vpcwire_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VPCWIRE_HOME", str(tmp_path / "home"))
    assert find_running() is None
    write_state(tmp_path / "home", SandboxInfo.for_this_process(1, "key", "secret"))
    assert find_running() is None  # this test process is no sandbox daemon
    assert not (tmp_path / "home" / "sandbox.json").exists()


def stale_info(pid: int, port: int) -> SandboxInfo:
    return SandboxInfo(pid, port, f"http://127.0.0.1:{port}", "2026-01-01T00:00:00+00:00", "5.2.1")


def test_state_of_a_dead_process_is_removed(state_dir: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    write_state(state_dir, stale_info(dead.pid, 9))
    assert find_running(state_dir) is None
    assert not (state_dir / "sandbox.json").exists()


def test_state_naming_a_foreign_process_is_removed_and_the_process_spared(state_dir: Path) -> None:
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        write_state(state_dir, stale_info(bystander.pid, 9))
        assert stop_background(state_dir) is False
        assert bystander.poll() is None  # not signalled
        assert not (state_dir / "sandbox.json").exists()
    finally:
        bystander.kill()
        bystander.wait()


def test_an_unreadable_state_file_is_removed(state_dir: Path) -> None:
    state_dir.mkdir()
    (state_dir / "sandbox.json").write_text('{"pid": 1')
    assert find_running(state_dir) is None
    assert not (state_dir / "sandbox.json").exists()


def test_a_daemon_that_cannot_start_says_why(state_dir: Path) -> None:
    listener, port = busy_port()
    with listener, pytest.raises(SandboxError) as raised:
        start_background(state_dir, port=port)
    assert "failed to start" in str(raised.value)
    assert f"127.0.0.1:{port}" in raised.value.detail  # the log's tail names the cause
    assert not (state_dir / "sandbox.json").exists()


def test_requests_enter_moto_one_at_a_time() -> None:
    """moto's backends are not thread-safe: the server lets one request in at a time."""
    import threading
    import time

    from vpcwire.sandbox.server import OneAtATime

    inside, most = [0], [0]
    guard = threading.Lock()

    def app(environ: dict[str, object], start_response: object) -> list[bytes]:
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.02)
        with guard:
            inside[0] -= 1
        return [b"ok"]

    wrapped = OneAtATime(app)
    threads = [threading.Thread(target=wrapped, args=({}, None)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1
    assert wrapped({}, None) == [b"ok"]
