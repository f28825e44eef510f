"""sandbox_override.tf: the only file that differs between a sandbox and a real-AWS apply.

Terraform merges ``*_override.tf`` files into the configuration, so the provider blocks of
providers.tf stay exactly what a real apply uses. Against the sandbox each provider:

* retries at most twice (``max_retries``): otherwise one HTTP 500 from an action the
  sandbox lacks makes the provider retry for 15 minutes;
* drops any named profile (the sandbox ignores credentials; the developer's real profile
  must not even be read);
* assumes a role in its account when the spec gives none: the embedded sandbox picks the
  account from the credentials, and an assumed role of account X yields credentials of X.

The endpoint URL and fake keys come from the terraform process's environment
(sandbox/clients.py), never from a file.
"""

from __future__ import annotations

from vpcwire.plan.plan import Plan
from vpcwire.render.hcl import Attr, Block, Comment, dumps

__all__ = ["SANDBOX_FILE", "sandbox_override"]

SANDBOX_FILE = "sandbox_override.tf"


def sandbox_override(plan: Plan, aliases: dict[str, tuple[str, str]]) -> str:
    blocks: list[Block | Comment] = [
        Comment(
            "Sandbox-only settings, merged over providers.tf by Terraform. vpcwire writes this file\n"
            "only for `--target sandbox` and deletes it for `--target aws`."
        )
    ]
    for alias, (account_name, _region) in sorted(aliases.items()):
        account = plan.spec.accounts[account_name]
        role = account.role_arn or f"arn:aws:iam::{account.id}:role/vpcwire-sandbox"
        blocks.append(
            Block(
                "provider",
                ("aws",),
                [
                    Attr("alias", alias),
                    Attr("profile", None),
                    Attr("max_retries", 2),
                    Block("assume_role", (), [Attr("role_arn", role)]),
                ],
            )
        )
    return dumps(blocks)
