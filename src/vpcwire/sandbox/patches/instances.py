"""Patches for EC2 instances: their groups, addresses and user data."""

from __future__ import annotations

import copy
from typing import Any

from vpcwire.sandbox.patches._helpers import (
    _extra,
    _replace,
)


def instance_security_groups() -> None:
    """An instance's security groups are its primary ENI's groups.

    AWS:   DescribeInstances reports the groups of the instance's primary network interface,
           however the instance was launched.
    moto:  keeps a separate list on the instance, filled only from SecurityGroupIds; launched
           through NetworkInterfaces[].Groups (what the Terraform provider does for
           `aws_instance` with `private_ip`) the instance reports no groups, so every plan
           shows drift on `vpc_security_group_ids`.
    patch: `Instance.security_groups` becomes a view of the primary ENI's groups; assigning it
           (ModifyInstanceAttribute groupSet) sets the ENI's groups.
    """
    from moto.ec2.models.instances import Instance

    def get_groups(self: Any) -> list[Any]:
        nics = vars(self).get("nics") or {}
        if 0 in nics:
            return list(nics[0]._group_set)
        return list(_extra(self).get("groups", []))

    def set_groups(self: Any, groups: list[Any]) -> None:
        _extra(self)["groups"] = list(groups)
        nics = vars(self).get("nics") or {}
        if 0 in nics and groups:
            nics[0]._group_set = list(groups)

    Instance.security_groups = property(get_groups, set_groups)  # type: ignore[assignment]


def instance_addresses_released_on_termination() -> None:
    """Terminating an instance deletes the ENIs it launched with and frees their addresses.

    AWS:   a network interface created by RunInstances has DeleteOnTermination = true unless
           asked otherwise; terminating the instance deletes it and its private address can
           be used again at once.
    moto:  creates it with DeleteOnTermination = false and keeps the address reserved, so
           replacing an instance that has a fixed `private_ip` (e.g. after a `user_data`
           change) fails with HTTP 500 "IP already in use".
    patch: launch-created ENIs default to DeleteOnTermination = true; termination deletes them
           and releases every address the instance held.
    """
    from moto.ec2.models.instances import Instance

    original_prep = Instance.prep_nics
    original_terminate = Instance.terminate

    def prep_nics(self: Any, nic_spec: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        original_prep(self, nic_spec, *args, **kwargs)
        explicit = {
            int(spec.get("DeviceIndex", 0))
            for spec in nic_spec
            if "DeleteOnTermination" in spec or spec.get("NetworkInterfaceId")
        }
        for index, nic in self.nics.items():
            if index not in explicit:
                nic.delete_on_termination = True

    def terminate(self: Any) -> Any:
        if self._state.name == "terminated":  # AWS: a no-op; moto would delete ENIs twice
            return copy.copy(self._state)
        subnets = {nic.subnet.id: nic.subnet for nic in self.nics.values()}
        previous = original_terminate(self)  # deletes the ENIs marked DeleteOnTermination
        for subnet in subnets.values():
            for address in self._private_ips:
                subnet.del_subnet_ip(address)
        self._private_ips.clear()
        return previous

    _replace(Instance, "prep_nics", prep_nics)
    _replace(Instance, "terminate", terminate)


def instance_user_data_update() -> None:
    """ModifyInstanceAttribute accepts new user data as AWS does.

    AWS:   ModifyInstanceAttribute's UserData.Value is a blob: the SDK base64-encodes the
           raw script on the wire, and DescribeInstanceAttribute then returns the script
           base64-encoded once, as for RunInstances.
    moto:  decodes the blob to the raw script, then insists that script be base64 text:
           every real update fails with InvalidUserData.Malformed (Terraform changes
           `user_data` in place this way, unless `user_data_replace_on_change` is set).
    patch: in moto's instance responses, bytes (a decoded blob) are the raw script and are
           base64-encoded; text keeps moto's handling (RunInstances sends base64 text).
    """
    import base64

    from moto.core.types import Base64EncodedString
    from moto.ec2.responses import instances as responses
    from moto.ec2.utils import parse_user_data as original  # what `responses` imported

    def parse_user_data(value: Any) -> Base64EncodedString | None:
        if isinstance(value, bytes):
            return Base64EncodedString(base64.b64encode(value).decode("ascii"))
        return original(value)

    _replace(responses, "parse_user_data", parse_user_data)
