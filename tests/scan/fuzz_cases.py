"""Scan fuzzing shared by the test suite (a few dozen cases) and benchmarks/fuzz_scan.py.

Two sources of input, both starting from the scan fixtures (tests/fixtures/scan):

* **HCL**: one fixture file mutated -- an attribute's value replaced by a drawn one (wrong
  types, huge or negative numbers, ``range()`` of millions, references to nothing), a
  ``count``/``for_each`` added to a block, tokens HCL treats specially inserted, the text
  cut short, raw bytes (not UTF-8) inserted;
* **plan JSON**: the fixture's saved plan with a drawn JSON value put in at a drawn place
  (any type, nested deep), or its bytes cut or corrupted.

The property for every case, checked at the command line (``vpcwire scan``): exit 0, 1 or 2;
never an internal error or a traceback; an exit 2 says where (a file and line); within a
generous time bound and bounded memory (``guard.py``).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.scan.guard import bounded
from vpcwire.cli import app

__all__ = ["Case", "Outcome", "hcl_cases", "plan_cases", "run_case"]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scan"
ROOTS = ("peering", "module-count", "multi-account", "privatelink-fixed")
SOURCES = {
    str(p.relative_to(FIXTURES)): p.read_bytes()
    for root in (*ROOTS, "modules/vpc")
    for p in sorted((FIXTURES / root).glob("*.tf"))
}
PLAN = "privatelink-fixed/plan.json"
PLAN_DATA = json.loads((FIXTURES / PLAN).read_text(encoding="utf-8"))
MAX_SECONDS = 30.0  # a hang guard: a case normally takes well under a second
MAX_MEGABYTES = 1500  # more than this over the process's start is a runaway

runner = CliRunner()


@dataclass(frozen=True, slots=True)
class Case:
    root: str  # the fixture directory scanned (or whose plan.json is)
    files: tuple[tuple[str, bytes], ...]  # fixture-relative path -> replacement bytes
    plan: bool = False  # scan ROOT/plan.json instead of the directory

    def describe(self) -> str:
        parts = [f"{path}: {data[:400]!r}" for path, data in self.files]
        return f"{self.root}{'/plan.json' if self.plan else ''} with " + "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Outcome:
    code: int
    key: str  # the first error line, names and numbers blurred (distinct errors)
    seconds: float


def run_case(case: Case) -> Outcome:
    """Scan one case at the command line. Raises AssertionError on a breach (or Hang)."""
    with tempfile.TemporaryDirectory(prefix="vpcwire-fuzz-") as tmp:
        top = Path(tmp) / "scan"
        for root in {*ROOTS, "modules"}:
            shutil.copytree(FIXTURES / root, top / root)
        (top / ".git").mkdir()  # the fixtures' repository: ../modules/vpc stays inside it
        for path, data in case.files:
            (top / path).write_bytes(data)
        target = top / case.root / "plan.json" if case.plan else top / case.root
        start = time.perf_counter()
        with bounded(MAX_SECONDS, MAX_MEGABYTES):
            result = runner.invoke(app, ["scan", str(target)])
        seconds = time.perf_counter() - start
    err, out = result.stderr, result.stdout
    shown = f"exit {result.exit_code}\n{err[-2000:]}\n{case.describe()}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(shown) from result.exception  # VPCWIRE_DEBUG=1 lets it through
    assert result.exit_code in (0, 1, 2), shown
    assert "internal error" not in err and "Traceback" not in err + out, shown
    key = ""
    if result.exit_code == 2 and err.strip():  # refused: every problem is located
        lines = [line.strip() for line in err.splitlines() if line.strip()]
        located = [line for line in lines[1:] if _LOCATED.match(line)]
        assert located or "not the JSON of a saved plan" in err, f"not located: {shown}"
        key = _blur((located or lines)[0])
    elif result.exit_code == 2:  # scanned, with error findings: each at a file and line
        found = [line for line in out.splitlines() if " error VW-" in line]
        assert found and all(_LOCATED.match(line) for line in found), f"not located: {shown}"
    return Outcome(result.exit_code, key, seconds)


_LOCATED = re.compile(r"^\S+\.(tf|json|tfvars)(:\d+)+: ")


def _blur(message: str) -> str:
    message = re.sub(r"^\S+\.(tf|json)(:\d+)*:", "FILE:", message)
    message = re.sub(r"'[^']*'|\"[^\"]*\"|\(got .*\)$", "'…'", message)
    return re.sub(r"\d[\d,]*", "N", message)[:140]


# -- HCL ----------------------------------------------------------------------------------

_NUMBERS = st.sampled_from(
    ["0", "1", "-3", "2.5", "1e20", "1000000000", "100000000", "-0", "007", "3.0", "1e-9"]
)
_VALUES = st.one_of(
    _NUMBERS,
    st.sampled_from(
        [
            "null",
            "true",
            '"abc"',
            '"5"',
            '""',
            "[1]",
            "[]",
            "{}",
            '["a", null]',
            "[1, 2]",
            '{ a = 1, b = "x" }',
            "range(100000000)",
            "range(3)",
            "toset([for i in range(100000000) : tostring(i)])",
            "[for a in range(1000000) : [for b in range(1000000) : b]]",
            'cidrsubnet("10.0.0.0/16", 40, 1)',
            'cidrsubnet("banana", 8, 1)',
            '"abc" + 1',
            "1 / 0",
            "lower(5)",
            "coalesce(null, null)",
            "element([], 0)",
            'jsondecode("{")',
            "var.nope",
            "local.nope",
            "aws_vpc.nope.id",
            "module.nope.out",
            "data.aws_region.nope.name",
            "count.index",
            "each.key",
            "self.id",
            "aws_vpc",
            '"${"${"${1}"}"}"',
            '"%{ if true }x%{ endif }"',
            "<<EOT\nhello\nEOT\n",
            "[" * 300 + "]" * 300,
            "(" * 300 + "1" + ")" * 300,
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=20).map(json.dumps),
)
_TOKENS = st.sampled_from(
    [
        "{", "}", "[", "]", "(", ")", '"', "${", "%{", "<<EOT\n", "=", "==", "...", "?", ":",
        "=>", "for", "in", "count", "for_each", "module", "dynamic", "null", "\\", "#", "/*",
        "\n", "\t", "é", "\u200b", "\x00", "٣", "\ufeff",
    ]
)  # fmt: skip
_BYTES = st.sampled_from([b"\xff", b"\xfe\xff", b"\xc3", b"\xed\xa0\x80", b"\x80abc", b"\x00"])
_ATTRIBUTE = re.compile(rb"^(\s*[a-z_][a-z0-9_]*\s*=\s*)(.+)$", re.MULTILINE)
_BLOCK = re.compile(rb'^(resource|module|data) "[^"]*"( "[^"]*")? \{\n', re.MULTILINE)


@st.composite
def _mutated(draw: st.DrawFn, source: str) -> bytes:
    data = SOURCES[source]
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        # values and meta-arguments twice as often: most token/cut/byte cases stop at parsing
        how = draw(st.sampled_from(["value", "value", "meta", "meta", "token", "cut", "bytes"]))
        if how == "value" and (found := list(_ATTRIBUTE.finditer(data))):
            m = draw(st.sampled_from(found))
            value = draw(_VALUES).encode("utf-8", "surrogatepass")
            data = data[: m.start(2)] + value + data[m.end(2) :]
        elif how == "meta" and (blocks := list(_BLOCK.finditer(data))):
            m = draw(st.sampled_from(blocks))
            meta = draw(st.sampled_from(["count", "for_each"]))
            value = draw(_VALUES).encode("utf-8", "surrogatepass")
            data = (
                data[: m.end()] + b"  " + meta.encode() + b" = " + value + b"\n" + data[m.end() :]
            )
        elif how == "token":
            at = draw(st.integers(min_value=0, max_value=len(data)))
            data = data[:at] + draw(_TOKENS).encode() + data[at:]
        elif how == "cut":
            data = data[: draw(st.integers(min_value=0, max_value=len(data)))]
        else:
            at = draw(st.integers(min_value=0, max_value=len(data)))
            data = data[:at] + draw(_BYTES) + data[at:]
    return data


@st.composite
def hcl_cases(draw: st.DrawFn) -> Case:
    source = draw(st.sampled_from(sorted(SOURCES)))
    root = source.split("/")[0]
    if root == "modules":  # the shared module: scan a root that calls it
        root = draw(st.sampled_from(["module-count", "privatelink-fixed"]))
    return Case(root, ((source, draw(_mutated(source))),))


# -- plan JSON ----------------------------------------------------------------------------

_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
_JSON: st.SearchStrategy[Any] = st.deferred(
    lambda: (
        _LEAVES
        | st.lists(_JSON, max_size=4)
        | st.dictionaries(st.text(max_size=8), _JSON, max_size=4)
    )
)
_DEEP = st.integers(min_value=150, max_value=100_000).map(lambda n: "[" * n + "]" * n)


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value (the plan's places a drawn value may go)."""
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _places(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _places(v, (*path, i))
    return out


PLACES = _places(PLAN_DATA)


def _put(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy: Any = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _put(value[path[0]], path[1:], new)
    return copy


@st.composite
def plan_cases(draw: st.DrawFn) -> Case:
    how = draw(st.sampled_from(["value", "value", "deep", "cut", "bytes"]))
    if how in ("value", "deep"):
        place = draw(st.sampled_from(PLACES[1:]))  # never the whole plan: that is "not a plan"
        if how == "deep":
            text = json.dumps(_put(PLAN_DATA, place, "DEEP")).replace('"DEEP"', draw(_DEEP))
            data = text.encode()
        else:
            data = json.dumps(_put(PLAN_DATA, place, draw(_JSON))).encode()
    else:
        data = json.dumps(PLAN_DATA).encode()
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:at] if how == "cut" else data[:at] + draw(_BYTES) + data[at:]
    return Case("privatelink-fixed", ((PLAN, data),), plan=True)
