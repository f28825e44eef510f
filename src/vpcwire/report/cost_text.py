"""`vpcwire cost` output: per connection, every option's total and working, the crossovers,
and which prices (with their sources and date) the figures rest on."""

from __future__ import annotations

from typing import Any

from vpcwire.report.cost import ConnectionCost, CostReport, Estimate, LineItem

__all__ = ["cost_json", "cost_text"]


def _money(x: float) -> str:
    return f"${x:,.2f}"


def _qty(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) or x >= 100 else f"{x:,.2f}"


def _rate(x: float) -> str:
    return f"${x:.4f}".rstrip("0").rstrip(".") if x else "$0"


def cost_text(report: CostReport) -> str:
    p = report.prices
    lines = [
        f"stack {report.stack}: monthly estimates at AWS list prices ({p.currency}, "
        f"{p.hours_per_month:g} h/month)",
    ]
    for conn in report.connections:
        lines += ["", *_connection(conn)]
    if report.shared:
        lines += ["", "design-wide (not part of any connection):"]
        lines += [f"  {_line(i)}" for i in report.shared]
        lines.append(f"  total {_money(sum(i.monthly for i in report.shared))}/month")
    lines += ["", *_prices(report)]
    return "\n".join(lines)


def _connection(conn: ConnectionCost) -> list[str]:
    volume = (
        f"{conn.gb:,.0f} GB/month"
        if conn.gb_given
        else f"{conn.gb:,.0f} GB/month (no traffic_gb_month in the spec; --gb-month sets it)"
    )
    lines = [f"connections[{conn.index}] {conn.label}: {conn.chosen}, {volume}"]
    cheapest = conn.cheapest
    viable = sorted((e for e in conn.estimates if e.viable), key=lambda e: e.total)
    for e in viable:
        tags = [
            t
            for t, on in (
                ("chosen", e.mechanism == conn.chosen),
                ("cheapest", cheapest is not None and e is cheapest),
            )
            if on
        ]
        suffix = f"  <- {', '.join(tags)}" if tags else ""
        lines.append(f"  {e.mechanism:<16} {_money(e.total):>12}/month{suffix}")
        lines += [f"      {_line(i)}" for i in e.items]
    for e in conn.estimates:
        if not e.viable:
            lines.append(f"  {e.mechanism:<16} not viable: {e.why_not}")
    lines.append("  " + _crossover_text(conn))
    lines += [f"    {line}" for line in _against_chosen(conn)]
    return lines


def _against_chosen(conn: ConnectionCost) -> list[str]:
    """For each alternative: cheaper or dearer than the chosen mechanism, and from where."""
    totals = {e.mechanism: e.total for e in conn.estimates if e.viable}
    out = []
    for mechanism, points in conn.against_chosen:
        if points:
            swaps = ", ".join(f"{x.above} is cheaper above {x.gb:,.1f} GB/month" for x in points)
            out.append(f"vs {mechanism}: {swaps}")
        else:
            word = "cheaper" if totals[mechanism] < totals[conn.chosen] else "dearer"
            out.append(f"vs {mechanism}: {mechanism} is {word} than {conn.chosen} throughout")
    return out


def _line(item: LineItem) -> str:
    text = (
        f"{item.name}: {_qty(item.quantity)} {item.unit} x {_rate(item.unit_price)} = "
        f"{_money(item.monthly)} [{item.payer}, {item.region}]"
    )
    return text + (f" ({item.note})" if item.note else "")


def _crossover_text(conn: ConnectionCost) -> str:
    upto = f"{conn.search_up_to:,.0f}"
    if not conn.crossovers:
        cheapest = conn.cheapest
        name = cheapest.mechanism if cheapest is not None else "nothing"
        return f"crossover: none in 0-{upto} GB/month ({name} is cheapest throughout)"
    parts = [
        f"at {c.gb:,.1f} GB/month {c.above} becomes cheaper than {c.below}" for c in conn.crossovers
    ]
    return "crossover: " + "; ".join(parts) + f" (searched 0-{upto} GB/month)"


def _prices(report: CostReport) -> list[str]:
    p = report.prices
    lines = [
        f"prices used ({p.origin}, {p.default_region} list prices taken {p.taken}; "
        "per-region overrides marked *):"
    ]
    for key, region in sorted(report.used):
        entry = p.entries[key]
        star = "*" if p.is_override(key, region) else ""
        value: Any = p.tiers(key, region) if key.endswith("_tiers") else p.rate(key, region)
        shown = (
            ", ".join(f"{_rate(r)}" + (f" to {w:,.0f} GB" if w else " beyond") for w, r in value)
            if isinstance(value, list)
            else _rate(value)
        )
        lines.append(
            f"  {key}{star} [{region}] {shown} {entry.unit} <{entry.source}>"
            + (f" NOTE: {entry.note}" if entry.note else "")
        )
    return lines


def _estimate_json(e: Estimate) -> dict[str, Any]:
    return {
        "mechanism": e.mechanism,
        "viable": e.viable,
        "why_not": e.why_not,
        "monthly": round(e.total, 4) if e.viable else None,
        "items": [i.to_dict() for i in e.items],
    }


def cost_json(report: CostReport) -> dict[str, Any]:
    p = report.prices
    return {
        "stack": report.stack,
        "currency": p.currency,
        "hours_per_month": p.hours_per_month,
        "connections": [
            {
                "connection": c.index,
                "label": c.label,
                "chosen": c.chosen,
                "gb_month": c.gb,
                "gb_month_given": c.gb_given,
                "cheapest": c.cheapest.mechanism if c.cheapest else None,
                "options": [_estimate_json(e) for e in c.estimates],
                "crossovers": [
                    {"gb_month": round(x.gb, 3), "below": x.below, "above": x.above}
                    for x in c.crossovers
                ],
                "crossover_search_up_to_gb": c.search_up_to,
                "against_chosen": {
                    m: [
                        {"gb_month": round(x.gb, 3), "below": x.below, "above": x.above}
                        for x in points
                    ]
                    for m, points in c.against_chosen
                },
            }
            for c in report.connections
        ],
        "shared": [i.to_dict() for i in report.shared],
        "prices": {
            "origin": p.origin,
            "taken": p.taken,
            "default_region": p.default_region,
            "used": [
                {
                    "key": key,
                    "region": region,
                    "unit": p.entries[key].unit,
                    "value": p.tiers(key, region)
                    if key.endswith("_tiers")
                    else p.rate(key, region),
                    "override": p.is_override(key, region),
                    "source": p.entries[key].source,
                    "note": p.entries[key].note,
                }
                for key, region in sorted(report.used)
            ],
        },
    }
