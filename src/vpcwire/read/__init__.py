"""The live reader: boto3 → the observed Network, the same model the planner produces.

    read_network(regions, ...) -> ReadResult(network, warnings, seconds, calls)

Reads every account (the caller's, and one per assumed role) in every region concurrently,
with paginated list calls, and maps the answers with the planner's conventions (AWS ids,
Name-tag names, one security-group rule per peer, ...), so that the verifier gives a
planned and an observed network the same verdicts. Works the same against AWS and the
embedded sandbox (``endpoint_url``).

Module map: ``session`` (credentials, roles, clients, error sorting), ``tasks`` (the
concurrent call graph, pagination), ``snapshot`` (raw answers per account and region),
``vpcs``/``peerings``/``security``/``interfaces``/``elbv2``/``endpoints`` (fetch and map one
family of resources each), ``reader`` (orchestration).
"""

from vpcwire.read.reader import ReadResult, read_network

__all__ = ["ReadResult", "read_network"]
