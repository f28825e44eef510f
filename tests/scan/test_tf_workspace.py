"""The private copy terraform evaluates: what is copied, and each change made to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpcwire.scan import tf_workspace
from vpcwire.scan.tf_workspace import (
    UNKNOWN_RESOURCE,
    Workspace,
    WorkspaceError,
    block_end,
    copy_configuration,
    defer_data_source,
    provider_aliases,
    relax_pins,
    write_overrides,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "scan"


def test_block_end_ignores_braces_in_strings_and_comments() -> None:
    text = 'data "x" "y" {\n  a = "}{"  # }\n  b = { c = "${d}" } // }\n  /* } */\n}\nafter'
    assert text[block_end(text, text.index("{")) :] == "}\nafter"


def test_copy_keeps_layout_and_leaves_state_lock_and_dot_terraform_out(tmp_path: Path) -> None:
    src = tmp_path / "repo"
    (src / "envs" / "prod").mkdir(parents=True)
    (src / "modules" / "net" / "templates").mkdir(parents=True)
    (src / "envs" / "prod" / "main.tf").write_text(
        'module "net" {\n  source = "../../modules/net"\n}\nresource "aws_vpc" "a" {}\n'
    )
    (src / "envs" / "prod" / "terraform.tfstate").write_text("{}")
    (src / "envs" / "prod" / ".terraform.lock.hcl").write_text("")
    (src / "envs" / "prod" / ".terraform" / "modules" / "remote").mkdir(parents=True)
    (src / "envs" / "prod" / ".terraform" / "modules" / "remote" / "main.tf").write_text("")
    (src / "envs" / "prod" / ".terraform" / "terraform.tfstate").write_text("{}")  # backend
    (src / "modules" / "net" / "main.tf").write_text('data "aws_region" "r" {}\n')
    (src / "modules" / "net" / "templates" / "x.tpl").write_text("t")

    ws = copy_configuration(src / "envs" / "prod", tmp_path / "copy")

    assert ws.root == tmp_path / "copy" / "envs" / "prod"
    assert (tmp_path / "copy" / "modules" / "net" / "templates" / "x.tpl").read_text() == "t"
    assert not (ws.root / "terraform.tfstate").exists()
    assert not (ws.root / ".terraform.lock.hcl").exists()
    assert not (ws.root / ".terraform" / "terraform.tfstate").exists()
    assert (ws.root / ".terraform" / "modules" / "remote" / "main.tf").exists()
    assert ws.blocks == 3  # module, resource, data
    assert ws.dirs[0] == ws.root and ws.root / ".terraform" / "modules" / "remote" in ws.dirs


def test_overrides_keep_aliases_and_drop_what_ties_to_the_users_account(tmp_path: Path) -> None:
    ws = copy_configuration(FIXTURES / "multi-account", tmp_path)
    assert provider_aliases(ws.root) == ["shared", "app"]
    write_overrides(ws, "us-east-1")
    text = (ws.root / "vpcwire_provider_override.tf").read_text()
    assert text.count('provider "aws"') == 2
    assert 'alias = "shared"' in text and 'alias = "app"' in text
    assert "profile = null" in text and "allowed_account_ids = null" in text
    assert "max_retries = 2" in text
    assert "region" not in text and "assume_role" not in text  # the user's, kept as written
    assert 'backend "local"' in (ws.root / "vpcwire_backend_override.tf").read_text()


def test_no_provider_block_gets_a_default_one_with_the_retry_limit(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.tf").write_text('resource "aws_vpc" "a" {\n}\n')
    ws = copy_configuration(tmp_path / "src", tmp_path / "copy")
    write_overrides(ws, "eu-west-1")
    assert not (ws.root / "vpcwire_provider_override.tf").exists()
    text = (ws.root / "vpcwire_provider.tf").read_text()
    assert 'region      = "eu-west-1"' in text and "max_retries = 2" in text


def test_relax_pins_names_each_pin_and_overrides_it(tmp_path: Path) -> None:
    ws = copy_configuration(FIXTURES / "tf-eval" / "real-world", tmp_path)
    notes = relax_pins(ws, "5.100.0", core=False)
    assert notes == [
        "main.tf: the aws provider pin '~> 6.0' relaxed to 5.100.0, the version this "
        "machine's provider mirror holds"
    ]
    text = (ws.root / "vpcwire_relax_override.tf").read_text()
    assert 'version = "5.100.0"' in text and "required_version" not in text


def _one_file(tmp_path: Path, text: str) -> tuple[Workspace, Path]:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.tf").write_text(text)
    ws = copy_configuration(tmp_path / "src", tmp_path / "copy")
    return ws, ws.root / "main.tf"


def test_defer_data_source_adds_a_dependency_on_a_planned_resource(tmp_path: Path) -> None:
    ws, tf = _one_file(tmp_path, 'data "aws_vpc" "shared" {\n  tags = { Name = "s" }\n}\n')
    byte = tf.read_bytes().index(b"{")
    assert defer_data_source(ws, "main.tf", byte)
    text = tf.read_text()
    assert f"depends_on = [{UNKNOWN_RESOURCE}]" in text
    assert 'tags = { Name = "s" }' in text
    assert (
        'resource "terraform_data" "vpcwire_unknown"'
        in (ws.root / "vpcwire_unknown.tf").read_text()
    )
    assert not defer_data_source(ws, "main.tf", byte)  # already deferred: no second edit


def test_defer_data_source_extends_an_existing_depends_on(tmp_path: Path) -> None:
    ws, tf = _one_file(
        tmp_path,
        'resource "aws_vpc" "a" {}\ndata "aws_vpc" "b" {\n  depends_on = [aws_vpc.a]\n}\n',
    )
    byte = tf.read_bytes().index(b'data "aws_vpc"')
    assert defer_data_source(ws, "main.tf", byte)
    assert f"depends_on = [{UNKNOWN_RESOURCE}, aws_vpc.a]" in tf.read_text()
    assert tf.read_text().count("depends_on") == 1


def test_a_source_climbing_to_a_large_tree_is_not_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tf_workspace, "MAX_FILES", 50)
    big = tmp_path / "big"
    (big / "root").mkdir(parents=True)
    (big / "root" / "main.tf").write_text('module "up" {\n  source = "../"\n}\n')
    (big / "up.tf").write_text("")
    for i in range(60):
        (big / f"f{i}").write_text("")
    with pytest.raises(WorkspaceError, match="over 50 files"):
        copy_configuration(big / "root", tmp_path / "copy")
    assert not (tmp_path / "copy").exists()


def test_a_directory_without_tf_files_is_not_a_module_to_copy(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "main.tf").write_text('module "x" {\n  source = "../../../../etc"\n}\n')
    ws = copy_configuration(tmp_path / "root", tmp_path / "copy")
    assert ws.dirs == (ws.root,)


def test_provider_blocks_of_a_child_module_are_overridden_too(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    (tmp_path / "child").mkdir()
    (tmp_path / "root" / "main.tf").write_text('module "c" {\n  source = "../child"\n}\n')
    (tmp_path / "child" / "main.tf").write_text('provider "aws" {\n  profile = "prod"\n}\n')
    ws = copy_configuration(tmp_path / "root", tmp_path / "copy")
    write_overrides(ws, "us-east-1")
    child = tmp_path / "copy" / "child" / "vpcwire_provider_override.tf"
    assert "profile = null" in child.read_text()
    assert (ws.root / "vpcwire_provider.tf").exists()  # the root has none of its own
