"""The Network model: the one picture of an AWS network that every stage shares."""

from vpcwire.network.model import *  # noqa: F403
from vpcwire.network.model import __all__ as _model_all
from vpcwire.network.network import KINDS, Network, NetworkBuilder, kind_of

__all__ = [*_model_all, "KINDS", "Network", "NetworkBuilder", "kind_of"]
