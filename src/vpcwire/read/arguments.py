"""Where to read, as the user typed it: regions, an endpoint URL, role ARNs.

Checked before any client is made, so a typo is a located usage error (exit 2) that names
the option, the value and the fix, never a botocore exception deep inside a read (an
endpoint URL botocore cannot parse, a region name that becomes part of a host name: `../x`
or `US-EAST-1` must not reach a URL).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from urllib.parse import urlparse

from vpcwire.errors import UsageError

__all__ = [
    "known_regions",
    "parse_endpoint_url",
    "parse_profiles",
    "parse_regions",
    "parse_role_arns",
]

_REGION_SHAPE = re.compile(r"[a-z]{2,}(-[a-z]+)+-\d{1,2}")
# arn:PARTITION:iam::ACCOUNT:role/PATH/NAME (IAM's own character set for role names and paths)
_ROLE_ARN = re.compile(r"arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}")
# what the AWS CLI accepts in a profile name without quoting: no spaces, brackets or commas
_PROFILE = re.compile(r"[A-Za-z0-9_.@+/-]{1,128}")
_MAX_SHOWN = 100  # long values are cut in messages


def _shown(value: str) -> str:
    return repr(value if len(value) <= _MAX_SHOWN else value[:_MAX_SHOWN] + "…")


@lru_cache(maxsize=1)
def known_regions() -> frozenset[str]:
    """Every EC2 region of every partition botocore knows (its bundled data; no API call)."""
    import botocore.session

    session = botocore.session.get_session()
    regions: set[str] = set()
    for partition in session.get_available_partitions():
        regions.update(session.get_available_regions("ec2", partition_name=partition))
    return frozenset(regions)


def _entries(text: str, option: str, example: str) -> list[str]:
    """Comma-separated entries → a list without duplicates. An empty entry (``a,,b``, a
    trailing comma) is refused, not dropped: it is usually a name lost to a shell variable
    that was not set, and reading less than the user asked for would answer silently."""
    parts = [part.strip() for part in text.split(",")]
    if not any(parts):
        return []
    if not all(parts):
        where = ", ".join(str(n) for n, part in enumerate(parts, 1) if not part)
        raise UsageError(
            f"{option} {_shown(text)}: entry {where} of {len(parts)} is empty\n"
            f"  fix: separate names with single commas and no comma at either end, e.g. {example}"
        )
    return list(dict.fromkeys(parts))


def parse_regions(text: str, option: str = "--regions") -> list[str]:
    """Comma-separated region names → a list without duplicates; UsageError if one is not
    an AWS region (with the closest names) or an entry is empty."""
    regions = _entries(text, option, "us-east-1,eu-west-1")
    if not regions:
        raise UsageError(f"{option} {_shown(text)}: name at least one region, e.g. us-east-1")
    known = known_regions()
    for region in regions:
        if region in known:
            continue
        close = difflib.get_close_matches(region.lower(), sorted(known), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        why = "is not an AWS region" if _REGION_SHAPE.fullmatch(region) else "is not a region name"
        raise UsageError(
            f"{option}: {_shown(region)} {why}{hint}\n"
            "  fix: give region names as AWS spells them (lower case, e.g. us-east-1,eu-west-1)"
        )
    return regions


def parse_endpoint_url(text: str | None, option: str = "--endpoint-url") -> str | None:
    """An http(s) URL with a host and nothing but an optional port and path; else UsageError."""
    if text is None:
        return None
    fix = "  fix: give a URL such as http://127.0.0.1:4566 or https://ec2.us-east-1.amazonaws.com"
    try:
        parsed = urlparse(text)
        port = parsed.port  # raises ValueError on a bad port
    except ValueError as error:
        raise UsageError(f"{option}: {_shown(text)} is not a valid URL ({error})\n{fix}") from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise UsageError(f"{option}: {_shown(text)} is not an http(s) URL with a host\n{fix}")
    if parsed.query or parsed.fragment or parsed.username or parsed.password:
        raise UsageError(
            f"{option}: {_shown(text)} must not carry a query, fragment or credentials\n{fix}"
        )
    if port == 0 or any(ch.isspace() for ch in text):
        raise UsageError(f"{option}: {_shown(text)} is not a valid URL\n{fix}")
    return text.rstrip("/")


def parse_role_arns(text: str | None, option: str = "--assume-role") -> list[str]:
    """Comma-separated IAM role ARNs; UsageError for anything else (an empty entry too)."""
    if text is not None and not text.strip():
        raise UsageError(
            f"{option} {_shown(text)}: name at least one role\n"
            "  fix: give arn:aws:iam::<12-digit account>:role/<name>, or leave out the option"
        )
    example = "arn:aws:iam::111111111111:role/reader,arn:aws:iam::222222222222:role/reader"
    roles = _entries(text or "", option, example)
    for role in roles:
        if not _ROLE_ARN.fullmatch(role):
            raise UsageError(
                f"{option}: {_shown(role)} is not an IAM role ARN\n"
                "  fix: give arn:aws:iam::<12-digit account>:role/<name>, several separated by commas"
            )
    return roles


def parse_profiles(text: str, option: str = "--profile") -> list[str]:
    """Comma-separated AWS profile names → a list without duplicates; UsageError for an empty
    list or a name the AWS config could not hold (whether it exists is the reader's to say)."""
    names = _entries(text, option, "prod-admin,staging-admin")
    if not names:
        raise UsageError(f"{option} {_shown(text)}: name at least one profile, e.g. prod-admin")
    for name in names:
        if not _PROFILE.fullmatch(name):
            raise UsageError(
                f"{option}: {_shown(name)} is not a profile name\n"
                "  fix: give the names `aws configure list-profiles` prints, comma-separated"
            )
    return names
