"""Which AWS account a provider block stands for, as far as the configuration says.

Terraform learns the account only from the credentials at run time; a configuration says
it in three ways, and scan uses each: ``assume_role { role_arn }`` (the account in the
role's ARN), ``allowed_account_ids`` with exactly one entry, and ``profile`` (the profile's
``role_arn`` or ``sso_account_id`` in the AWS config file, as the AWS provider itself reads
it). Anything else is unknown: a stand-in symbol naming the provider (or the profile, since
providers sharing a profile share an account), never a made-up account id, so that no rule
compares a real account with a placeholder (see :mod:`vpcwire.network.unknown`).
"""

from __future__ import annotations

import configparser
import os
import re
from pathlib import Path
from typing import Any

from vpcwire.network.unknown import unknown_account

__all__ = ["provider_account"]

_ARN_ACCOUNT = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):")
_ACCOUNT = re.compile(r"^\d{12}$")


def provider_account(role_arn: str | None, allowed: Any, profile: Any, label: str) -> str:
    """The account id, or the provider's stand-in when the configuration does not say it."""
    if role_arn and (m := _ARN_ACCOUNT.match(role_arn)):
        return m.group(1)
    if isinstance(allowed, list) and len(allowed) == 1 and _ACCOUNT.match(str(allowed[0])):
        return str(allowed[0])
    if isinstance(profile, str) and profile:
        return profile_account(profile) or unknown_account(f"profile {profile}")
    return unknown_account(label)


def profile_account(profile: str) -> str | None:
    """The account a named profile of the AWS config file resolves to, when it says one."""
    path = Path(os.environ.get("AWS_CONFIG_FILE") or Path.home() / ".aws" / "config")
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, configparser.Error, UnicodeDecodeError):
        return None
    section = "default" if profile == "default" else f"profile {profile}"
    if not parser.has_section(section):
        return None
    values = parser[section]
    account = values.get("sso_account_id", "").strip()
    if _ACCOUNT.match(account):
        return account
    m = _ARN_ACCOUNT.match(values.get("role_arn", "").strip())
    return m.group(1) if m else None
