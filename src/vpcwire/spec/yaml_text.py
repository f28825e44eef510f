"""YAML scalars and comments written as text, safely.

`vpcwire init` writes a starter spec whose facts (CIDR blocks, subnets, instances) are
YAML *comments*: the user reads them while adding connections, and the spec loader never
sees them. PyYAML, the project's YAML library, drops comments when it dumps, and no
comment-keeping library (ruamel.yaml) is a dependency; the document is small and fixed in
shape, so it is written as text and these two functions make the variable parts safe: a
value from the estate (a Name tag is any text) must never end a comment early, start a new
line, or turn into a bool or null (YAML 1.1 reads a bare ``no`` as false).
"""

from __future__ import annotations

import re

__all__ = ["comment", "scalar"]

# Plain (unquoted) only for what can mean nothing but a string: lower-case words like
# us-east-1, main, vpc-0abc123 — and never a YAML 1.1 bool or null word.
_PLAIN = re.compile(r"[a-z][a-z0-9_-]*", re.ASCII)
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
# Printable characters that YAML still reads as line breaks or a byte-order mark.
_BREAKS = frozenset("\x85\u2028\u2029\ufeff")


def _escaped(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _keep(ch: str) -> bool:
    return ch.isprintable() and ch not in _BREAKS


def scalar(text: str) -> str:
    """``text`` as a YAML scalar that loads back as exactly this string."""
    if _PLAIN.fullmatch(text) and text not in _RESERVED:
        return text
    body = "".join(
        "\\\\" if ch == "\\" else '\\"' if ch == '"' else ch if _keep(ch) else _escaped(ch)
        for ch in text
    )
    return f'"{body}"'


def comment(text: str) -> str:
    """``text`` fit for one comment line: anything that would break the line is escaped."""
    return "".join(ch if _keep(ch) else _escaped(ch) for ch in text)
