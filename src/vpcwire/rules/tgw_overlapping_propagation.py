from __future__ import annotations

from collections.abc import Iterator

from vpcwire.rules.base import Finding, NetworkView, Rule


class TgwOverlappingPropagation(Rule):
    id = "VW-E804"
    title = "Overlapping VPC CIDRs propagated into one Transit Gateway route table"
    description = (
        "A TGW route table holds one route per prefix. When two attached VPCs with the same CIDR "
        "propagate into one table, AWS does not propagate the second: traffic for it goes to "
        "the first, and one of the two is unreachable through that table. When one CIDR holds "
        "the other, the longer prefix wins, and the larger VPC's subnets inside the smaller "
        "one's block are unreachable."
    )
    url = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html"
    fix = (
        "propagate only one of the overlapping VPCs into this table (segments of their own), or "
        "re-address one of them"
    )
    stage = "network"
    judges_networks = True
    depends = frozenset({"propagations"})

    def judge(self, view: NetworkView) -> Iterator[Finding]:
        net = view.network
        for table in net.tgw_route_tables.values():
            routes = [r for r in net.tgw_routes(table) if r.kind == "propagated"]
            for i, r in enumerate(routes):
                for s in routes[i + 1 :]:
                    if r.attachment == s.attachment or r.destination is None:
                        continue
                    if s.destination is None or not r.destination.overlaps(s.destination):
                        continue
                    a = net.tgw_attachments.get(str(r.attachment))
                    b = net.tgw_attachments.get(str(s.attachment))
                    if a is None or b is None:
                        continue
                    if a.vpc == b.vpc:
                        continue
                    if r.destination != s.destination:
                        big, small = (
                            (r, s) if r.destination.prefixlen < s.destination.prefixlen else (s, r)
                        )
                        big_att = net.tgw_attachments[str(big.attachment)]
                        assert small.destination is not None
                        shadowed = [
                            sn
                            for sn in net.subnets.values()
                            if sn.vpc == big_att.vpc and sn.cidr.overlaps(small.destination)
                        ]
                        if not shadowed:
                            continue  # no subnet of the larger VPC lies in the overlap
                        what = (
                            f"{small.destination} takes {view.name(shadowed[0])} of the VPC of "
                            f"{view.name(big_att)} away from it"
                        )
                    else:
                        what = (
                            f"AWS propagates only the first of the two: the other VPC is "
                            f"unreachable for {r.destination}"
                        )
                    yield self.finding_on(
                        view,
                        table,
                        f"{view.name(a)} ({r.destination}) and {view.name(b)} "
                        f"({s.destination}) both propagate into TGW route table "
                        f"{view.name(table)}: {what}",
                        rests_on=[a.id, b.id],
                    )
