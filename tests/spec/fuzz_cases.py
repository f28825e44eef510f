"""Spec fuzzing shared by the test suite (a few hundred cases) and benchmarks/fuzz_spec.py.

Two sources of specs: structured ones (mappings drawn field by field, mostly near-valid so
that they reach the planner, with wrong values mixed in) and mutated YAML text (the
examples and drawn specs, with bytes cut, lines repeated, and tokens YAML treats
specially inserted: anchors, aliases, tags, brackets, tabs, non-ASCII digits).

The property for every case: the loader and planner either produce a plan or raise
SpecError, whose every problem is located (file and line), has a fix, and is short
(values clipped). Anything else is a crash.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from vpcwire.errors import SpecError
from vpcwire.pipeline import plan
from vpcwire.spec.load import parse_spec

__all__ = ["Outcome", "mutated_texts", "planner_specs", "run_case", "structured_texts"]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = tuple(p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.yaml")))
FILE = Path("fuzz.yaml")
MAX_PROBLEM_CHARS = 1200  # a located message with a clipped value and a fix fits well inside


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: str  # "plan" | "error"
    keys: tuple[str, ...]  # each problem's message, names and numbers blurred (distinct count)
    seconds: float


def run_case(text: str, *, downstream: bool = False) -> Outcome:
    """Load and plan one spec text (and with ``downstream``, render its Terraform and price
    it, the commands that consume a plan). Raises AssertionError (or the crash itself) on a
    breach."""
    start = time.perf_counter()
    try:
        planned = plan(parse_spec(text, FILE))
        if downstream:
            from vpcwire.render import render
            from vpcwire.report.cost_mechanisms import estimate
            from vpcwire.report.pricing import load_prices

            render(planned, target="sandbox")
            render(planned, target="aws")
            estimate(planned, load_prices(None), default_gb=100.0)
    except SpecError as exc:
        assert exc.problems, "a SpecError without problems"
        for problem in exc.problems:
            shown = str(problem)
            assert problem.location.file == FILE, f"not located: {shown}"
            assert problem.message, f"no message: {shown}"
            assert problem.hint, f"no fix: {shown}"
            assert len(shown) <= MAX_PROBLEM_CHARS, f"message too long ({len(shown)} chars)"
        keys = tuple(_blur(p.message) for p in exc.problems)
        return Outcome("error", keys, time.perf_counter() - start)
    return Outcome("plan", (), time.perf_counter() - start)


def _blur(message: str) -> str:
    message = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    return re.sub(r"\d+", "N", message)[:120]


# -- structured specs ---------------------------------------------------------------------

_NAMES = ("a", "b", "c", "api", "db")
_REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
_JUNK: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.just("x" * 5000),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(_NAMES), st.integers(), max_size=2),
)


def _rarely(one_in: int) -> st.SearchStrategy[bool]:
    """True about once in ``one_in`` draws. Hypothesis favours the ends of a range and of a
    list when it generates, so the True sits in the middle."""
    flags = [False] * one_in
    flags[one_in // 2] = True
    return st.sampled_from(flags)


@st.composite
def _maybe(draw: st.DrawFn, strategy: st.SearchStrategy[Any], one_in: int = 30) -> Any:
    """Mostly the good strategy, now and then junk (about 1 in ``one_in``)."""
    return draw(_JUNK) if draw(_rarely(one_in)) else draw(strategy)


@st.composite
def _block(draw: st.DrawFn, lo: int = 14, hi: int = 30) -> str:
    """Mostly /16-/24 blocks in a few private ranges (so that some overlap), at times any
    prefix from lo to hi, host bits set, or a public range."""
    first = draw(st.sampled_from((10, 10, 10, 172, 192, 100, 0)))
    second = draw(st.integers(0, 3)) if first != 192 else 168
    if first == 172:
        second = draw(st.integers(16, 31))
    if first == 0 and draw(st.booleans()):
        second = 0
    prefix = (
        draw(st.integers(lo, hi)) if draw(_rarely(8)) else draw(st.sampled_from((16, 20, 24, 16)))
    )
    third = draw(st.sampled_from((0, 0, 0, 1, draw(st.integers(0, 255)))))
    block = f"{first}.{second}.{third}.0/{prefix}"
    if not draw(_rarely(15)) and first != 0:  # usually a proper network address
        from ipaddress import IPv4Network

        block = str(IPv4Network(block, strict=False))
    return block


@st.composite
def _subnet_in(draw: st.DrawFn, vpc_cidr: Any) -> str:
    """A subnet block inside the VPC's block (when that is a block), else any."""
    from ipaddress import IPv4Network

    try:
        vpc = IPv4Network(str(vpc_cidr))
    except ValueError:
        return str(draw(_block(15, 32)))
    prefix = min(32, vpc.prefixlen + draw(st.sampled_from((0, 2, 4, 8, 8, 12))))
    subnets = 2 ** (prefix - vpc.prefixlen)
    index = draw(st.integers(0, min(subnets - 1, 7)))
    return str(IPv4Network((int(vpc.network_address) + index * 2 ** (32 - prefix), prefix)))


def _azs(region: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        (
            f"{region}a",
            f"{region}b",
            f"{region}a",
            f"{region}b",
            f"{region}c",
            f"{region}z",
            "us-west-2a",
        )
    )


@st.composite
def _vpc(draw: st.DrawFn, accounts: list[str]) -> dict[str, Any]:
    region = "us-east-7" if draw(_rarely(40)) else draw(st.sampled_from(_REGIONS[:3]))
    vpc: dict[str, Any] = {"region": region, "cidr": draw(_maybe(_block()))}
    cidr = vpc["cidr"]
    if len(accounts) > 1 or draw(st.booleans()):
        vpc["account"] = draw(_maybe(st.sampled_from(accounts)))
    if draw(st.integers(0, 3)) == 0:
        vpc["secondary_cidrs"] = draw(st.lists(_block(), max_size=2))
    if draw(st.integers(0, 2)):
        vpc["azs"] = draw(_maybe(st.lists(_azs(region), min_size=1, max_size=4)))
    else:
        subnet = st.fixed_dictionaries(
            {
                "cidr": _block(15, 32) if draw(_rarely(6)) else _subnet_in(cidr),
                "az": _azs(region),
            }
        )
        vpc["subnets"] = {"private": draw(st.lists(subnet, min_size=1, max_size=3))}
        if draw(st.booleans()):
            vpc["subnets"]["public"] = draw(st.lists(subnet, max_size=2))
    if draw(st.integers(0, 3)) == 0:
        vpc["nat"] = draw(_maybe(st.booleans()))
    if draw(st.integers(0, 2)) == 0:
        vpc["instances"] = draw(
            _maybe(st.integers(21, 25) if draw(_rarely(10)) else st.integers(0, 3))
        )
    return vpc


@st.composite
def _account(draw: st.DrawFn) -> dict[str, Any]:
    digits = draw(st.sampled_from(("111111111111", "222222222222", "012345678901")))
    account: dict[str, Any] = {
        "id": draw(
            st.sampled_from((int(digits), "١١١١١١١١١١١١", "１１１１１１１１１１１１", "1234"))
            if draw(_rarely(30))
            else st.just(digits)
        )
    }
    if draw(st.integers(0, 3)) == 0:
        owner = draw(st.sampled_from((digits, "999999999999", digits, "٢٢٢٢٢٢٢٢٢٢٢٢", digits)))
        account["role_arn"] = f"arn:aws:iam::{owner}:role/deployer"
    if draw(st.integers(0, 4)) == 0:
        account["az_ids"] = {
            draw(_azs("us-east-1")): draw(st.sampled_from(("use1-az4", "use1-az9", "usw2-az1")))
        }
    return account


@st.composite
def _service(draw: st.DrawFn, vpcs: list[str]) -> dict[str, Any]:
    svc: dict[str, Any] = {"vpc": draw(_maybe(st.sampled_from(vpcs)))}
    if draw(st.booleans()):
        svc["port"] = draw(_maybe(st.integers(1, 65535)))
    else:
        port = st.integers(0, 70000) if draw(_rarely(6)) else st.sampled_from((80, 443, 8080, 53))
        svc["ports"] = draw(st.lists(port, min_size=0 if draw(_rarely(6)) else 1, max_size=4))
    if draw(st.integers(0, 3)) == 0:
        svc["protocol"] = draw(st.sampled_from(("tcp", "udp", "tcp_udp", "icmp")))
    if draw(st.integers(0, 2)) == 0:
        svc["targets"] = draw(
            st.one_of(
                st.fixed_dictionaries({"instances": st.sampled_from((1, 2, 3, 0, 2, 22))}),
                st.fixed_dictionaries(
                    {
                        "ips": st.lists(
                            st.sampled_from(
                                ("10.0.0.50", "10.0.1.20", "10.0.0.1", "192.168.0.9", "x")
                            ),
                            max_size=3,
                        )
                    }
                ),
            )
        )
    if draw(st.integers(0, 4)) == 0:
        svc["idle_timeout"] = draw(st.integers(0, 7000))
    if draw(st.integers(0, 4)) == 0:
        svc["acceptance_required"] = draw(st.booleans())
    if draw(st.integers(0, 5)) == 0:
        svc["allowed_principals"] = draw(
            st.lists(st.sampled_from(("*", "arn:aws:iam::111111111111:root", "me")), max_size=2)
        )
    return svc


_VIA = st.sampled_from(("auto", "auto", "peering", "privatelink", "outpost", "native", "x"))


@st.composite
def _connection(draw: st.DrawFn, vpcs: list[str], services: list[str]) -> dict[str, Any]:
    if draw(st.booleans()) and services:
        conn: dict[str, Any] = {
            "consumer": draw(_maybe(st.sampled_from(vpcs))),
            "service": draw(st.sampled_from(services)),
            "via": draw(_VIA),
        }
        if draw(st.integers(0, 3)) == 0:
            conn["outpost_cidr"] = draw(_block(14, 30))
        if draw(st.integers(0, 4)) == 0:
            conn["private_dns"] = True
    else:
        size = draw(st.sampled_from((2, 2, 1, 2, 3, 2)))
        conn = {"peers": draw(st.lists(st.sampled_from(vpcs), min_size=size, max_size=size))}
        if draw(st.integers(0, 2)) == 0:
            conn["via"] = draw(_VIA)
        if draw(st.integers(0, 4)) == 0:
            conn["allow"] = [
                {
                    "protocol": draw(st.sampled_from(("tcp", "udp", "icmp", "all"))),
                    "ports": draw(st.lists(st.integers(1, 65535), max_size=2)),
                }
            ]
    if draw(st.integers(0, 4)) == 0:
        conn["traffic_gb_month"] = draw(st.floats(-1, 1e6))
    return conn


@st.composite
def structured_specs(draw: st.DrawFn) -> dict[str, Any]:
    account_names = draw(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=2, unique=True))
    spec: dict[str, Any] = {"accounts": {n: draw(_account()) for n in account_names}}
    vpc_names = draw(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=4, unique=True))
    spec["vpcs"] = {n: draw(_vpc(account_names)) for n in vpc_names}
    service_names = draw(st.lists(st.sampled_from(_NAMES), max_size=3, unique=True))
    if service_names:
        spec["services"] = {n: draw(_service(vpc_names)) for n in service_names}
    connections = draw(st.lists(_connection(vpc_names, service_names), max_size=4))
    if connections:
        spec["connections"] = connections
    if draw(st.integers(0, 5)) == 0:
        spec["expect"] = [
            {"from": draw(st.sampled_from(vpc_names)), "to": draw(st.sampled_from(vpc_names))}
        ]
    if draw(st.integers(0, 6)) == 0:
        spec["instance_type"] = draw(st.sampled_from(("t3.micro", "m7i.metal-48xl", "t3;micro")))
    if draw(_rarely(8)):  # one more wrong value anywhere
        _replace_leaf(spec, draw(st.randoms(use_true_random=False)), draw(_JUNK))
    return spec


def _replace_leaf(tree: Any, rng: Any, value: Any) -> None:
    node = tree
    for _ in range(6):
        if isinstance(node, dict) and node:
            key = rng.choice(sorted(node, key=str))
            if not isinstance(node[key], dict | list) or rng.random() < 0.3:
                node[key] = value
                return
            node = node[key]
        elif isinstance(node, list) and node:
            i = rng.randrange(len(node))
            if not isinstance(node[i], dict | list) or rng.random() < 0.3:
                node[i] = value
                return
            node = node[i]
        else:
            return


@st.composite
def planner_specs(draw: st.DrawFn) -> dict[str, Any]:
    """Well-formed specs, meant to reach the planner: several accounts and regions, every
    mechanism, outposts, peerings, existing target addresses; CIDRs drawn from a small pool
    so that some overlap (rules refuse those; they must not crash the planner either)."""
    accounts: dict[str, dict[str, Any]] = {"main": {"id": "111111111111"}}
    if draw(st.booleans()):
        accounts["other"] = {
            "id": "222222222222",
            "role_arn": "arn:aws:iam::222222222222:role/deployer",
        }
        if draw(st.booleans()):
            accounts["other"]["az_ids"] = {"us-east-1a": "use1-az4", "us-west-2a": "usw2-az1"}
    names = draw(st.lists(st.sampled_from(_NAMES), min_size=2, max_size=5, unique=True))
    vpcs: dict[str, Any] = {}
    for name in names:
        region = draw(st.sampled_from(_REGIONS))
        second = draw(st.integers(0, 12))
        prefix = draw(st.sampled_from((16, 20, 24, 16)))
        vpc: dict[str, Any] = {"region": region, "cidr": f"10.{second}.0.0/{prefix}"}
        if len(accounts) > 1:
            vpc["account"] = draw(st.sampled_from(sorted(accounts)))
        if draw(st.integers(0, 4)) == 1:
            vpc["secondary_cidrs"] = [f"10.{second + 100}.0.0/16"]
        vpc["azs"] = draw(
            st.lists(
                st.sampled_from([f"{region}{x}" for x in "abc"]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        if draw(st.integers(0, 3)) == 1:
            vpc["nat"] = True
        if draw(st.integers(0, 2)) == 1:
            vpc["instances"] = draw(st.integers(0, 3))
        vpcs[name] = vpc
    spec: dict[str, Any] = {"accounts": accounts, "vpcs": vpcs}
    services: dict[str, Any] = {}
    for i, host in enumerate(draw(st.lists(st.sampled_from(names), max_size=3))):
        svc: dict[str, Any] = {"vpc": host}
        if draw(st.booleans()):
            svc["port"] = draw(st.sampled_from((80, 443, 8080)))
        else:
            svc["ports"] = draw(
                st.lists(st.sampled_from((53, 80, 443)), min_size=1, max_size=3, unique=True)
            )
        svc["protocol"] = draw(st.sampled_from(("tcp", "tcp", "udp", "tcp_udp")))
        if draw(st.integers(0, 3)) == 1:
            base = vpcs[host]["cidr"].split("/")[0].rsplit(".", 1)[0]
            svc["targets"] = {"ips": [f"{base}.{draw(st.integers(4, 14))}"]}
        elif draw(st.booleans()):
            svc["targets"] = {"instances": draw(st.integers(1, 3))}
        if draw(st.integers(0, 5)) == 1:
            svc["idle_timeout"] = 600
        if draw(st.integers(0, 5)) == 1:
            svc["allowed_principals"] = ["*"]
        services[f"s{i}"] = svc
    if services:
        spec["services"] = services
    connections: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()) and services:
            conn: dict[str, Any] = {
                "consumer": draw(st.sampled_from(names)),
                "service": draw(st.sampled_from(sorted(services))),
                "via": draw(_VIA.filter(lambda v: v != "x")),
            }
            if draw(st.integers(0, 3)) == 1:
                conn["outpost_cidr"] = f"10.{draw(st.integers(200, 202))}.0.0/24"
            if draw(st.integers(0, 4)) == 1:
                conn["private_dns"] = True
        else:
            conn = {
                "peers": draw(st.lists(st.sampled_from(names), min_size=2, max_size=2, unique=True))
            }
            conn["via"] = draw(st.sampled_from(("auto", "peering", "privatelink")))
            if draw(st.integers(0, 3)) == 1:
                conn["allow"] = [{"protocol": "tcp", "ports": [22]}, {"protocol": "icmp"}]
        connections.append(conn)
    if connections:
        spec["connections"] = connections
    if draw(st.integers(0, 4)) == 1:
        spec["expect"] = [{"from": names[0], "to": names[1]}]
    return spec


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def structured_texts() -> st.SearchStrategy[str]:
    """Drawn specs: well-formed ones for the planner, and ones with wrong values mixed in."""
    return st.one_of(planner_specs().map(_dump), structured_specs().map(_dump))


# -- mutated YAML text --------------------------------------------------------------------

_TOKENS = (
    ": ",
    "- ",
    "&a ",
    "*a",
    "&b [*a, *a, *a, *a]",
    "!!binary ",
    "!!binary =%",
    "!foo ",
    "!!python/object:os.system ",
    "!!int x",
    "{",
    "[",
    "]",
    "}",
    "\t",
    "0x" + "f" * 40,
    "١٢٣",
    "/32",
    "/0",
    "<<: *a",
    "~",
    "'",
    '"',
    "\x00",
    "\n  - ",
    "? ",
    "%YAML 1.1\n",
    "---\n",
    "\ufeff",
    "x" * 300,
    "9" * 5000,
    "[" * 200,
)


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    text = draw(st.one_of(st.sampled_from(EXAMPLES), structured_texts()))
    for _ in range(draw(st.integers(1, 3))):
        text = _mutate(text, draw)
    return text


def _mutate(text: str, draw: st.DrawFn) -> str:
    lines = text.split("\n")
    kind = draw(st.integers(0, 5))
    pos = draw(st.integers(0, max(len(text) - 1, 0)))
    if kind == 0:  # insert a token
        return text[:pos] + draw(st.sampled_from(_TOKENS)) + text[pos:]
    if kind == 1:  # cut a slice
        return text[:pos] + text[pos + draw(st.integers(1, 40)) :]
    if kind == 2:  # repeat a line (duplicate keys, extra list items)
        i = draw(st.integers(0, len(lines) - 1))
        return "\n".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
    if kind == 3:  # re-indent a line
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = " " * draw(st.integers(0, 8)) + lines[i].lstrip()
        return "\n".join(lines)
    if kind == 4:  # change a digit
        digits = [m.start() for m in re.finditer(r"\d", text)]
        if not digits:
            return text
        at = draw(st.sampled_from(digits))
        return text[:at] + draw(st.sampled_from("0123456789٣")) + text[at + 1 :]
    # swap two lines
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)
