"""The equivalence classes diff traces: they live in :mod:`vpcwire.verify.classes`, shared
with the exhaustive proof (``verify --exhaustive``, ``audit``); kept here under the old name."""

from vpcwire.verify.classes import HostClass, host_classes, host_port_cuts, port_classes

__all__ = ["HostClass", "host_classes", "host_port_cuts", "port_classes"]
