"""Fly Volume: a block device in one region, for the machines of one app.

The rule that matters here: a volume only grows. ``size_gb`` is extended in place
(PUT /apps/{app}/volumes/{id}/extend); a smaller ``size_gb`` is an error, never a replacement,
because replacing a volume would silently throw its data away.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, final

import pulumi
from pulumi import dynamic
from pydantic import Field, field_validator, model_validator

from paas_stacks.errors import ResourceError
from paas_stacks.providers._resource import Inputs, Live, VendorResource
from paas_stacks.providers.fly.base import FlyProvider

__all__ = ["Volume", "VolumeInputs", "VolumeProvider"]

_NAME = re.compile(r"^[a-z0-9_]{1,30}$")
_GONE = frozenset({"destroyed", "destroying", "pending_destroy"})


class VolumeInputs(Inputs):
    app: str
    name: str
    region: str = Field(pattern=r"^[a-z]{3}$")
    size_gb: int = Field(default=1, ge=1, le=500)
    encrypted: bool = True
    snapshot_retention: int = Field(default=5, ge=1, le=60)
    auto_backup_enabled: bool = True

    @model_validator(mode="before")
    @classmethod
    def _qualified_adopt_id(cls, data: Any) -> Any:
        # The resource id is ``<app>/<volume id>``; a bare volume id names one of ``app``'s.
        if isinstance(data, dict) and data.get("adopt_id") and "/" not in data["adopt_id"]:
            return {**data, "adopt_id": f"{data.get('app')}/{data['adopt_id']}"}
        return data

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"volume names are 1-30 lowercase letters, digits or '_' ({value!r})")
        return value


@final
class VolumeProvider(FlyProvider[VolumeInputs]):
    kind: ClassVar[str] = "Fly Volume"
    inputs_type: ClassVar[type[Inputs]] = VolumeInputs
    # UpdateVolumeRequest holds only auto_backup_enabled and snapshot_retention, extend only
    # size_gb: name, region and encrypted are fixed at CreateVolumeRequest time.
    replace_on: ClassVar[tuple[str, ...]] = ("app", "name", "region", "encrypted")
    # Volume names are not unique on Fly, so the new one can exist beside the old one.
    delete_first: ClassVar[bool] = False

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.CheckResult:
        result = super().check(olds, news)
        old, new = olds.get("size_gb"), news.get("size_gb")
        same_volume = all(olds.get(k) == news.get(k) for k in self.replace_on)
        if same_volume and isinstance(old, int) and isinstance(new, int) and new < old:
            result.failures.append(dynamic.CheckFailure("size_gb", _shrink_message(old, new)))
        return result

    def find(self, inputs: VolumeInputs) -> Live | None:
        listed = self.client.list_volumes(inputs.app) or []
        same = [
            v
            for v in listed
            if v.get("name") == inputs.name
            and v.get("region") == inputs.region
            # Every replace-forcing field must match, so a replacement never adopts its old self.
            and v.get("encrypted", True) == inputs.encrypted
            and v.get("state") not in _GONE
        ]
        if len(same) > 1:
            ids = ", ".join(str(v["id"]) for v in same)
            raise ResourceError(
                f"Fly Volume '{inputs.name}': {len(same)} volumes of that name in "
                f"{inputs.region} ({ids}); set adopt_id to pick one"
            )
        return {**same[0], "app": inputs.app} if same else None

    def create_new(self, inputs: VolumeInputs) -> Live:
        body = inputs.model_dump(exclude={"app", "adopt_id"})
        return {**self.client.create_volume(inputs.app, body), "app": inputs.app}

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        app, _, volume_id = id_.rpartition("/")
        live = self.client.get_volume(app, volume_id) if app else None
        return None if live is None or live.get("state") in _GONE else {**live, "app": app}

    def identify(self, live: Live) -> str:
        return f"{live['app']}/{live['id']}"

    def change(
        self, id_: str, inputs: VolumeInputs, changed: Sequence[str], previous: Mapping[str, Any]
    ) -> Live:
        volume_id = id_.rpartition("/")[2]
        live = self.client.get_volume(inputs.app, volume_id)
        if live is None:
            raise ResourceError(f"volume {id_} is gone; run `pulumi refresh` to recreate it")
        if inputs.size_gb < int(live["size_gb"]):
            raise ResourceError(_shrink_message(int(live["size_gb"]), inputs.size_gb))
        if inputs.size_gb > int(live["size_gb"]):
            extended = self.client.extend_volume(inputs.app, volume_id, inputs.size_gb)
            live = extended.get("volume") or live
            if extended.get("needs_restart"):
                machine = live.get("attached_machine_id") or "its machine"
                self.progress(f"Fly Volume '{inputs.name}': restart {machine} to use the new size")
        if {"snapshot_retention", "auto_backup_enabled"} & set(changed):
            body = {
                "snapshot_retention": inputs.snapshot_retention,
                "auto_backup_enabled": inputs.auto_backup_enabled,
            }
            live = self.client.update_volume(inputs.app, volume_id, body)
        return {**live, "app": inputs.app}

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        app, _, volume_id = id_.rpartition("/")
        self.client.delete_volume(app, volume_id)  # a 404 (volume or app gone) is done

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "app": live.get("app") or written.get("app"),
            "volume_id": live["id"],
            "name": live["name"],
            "region": live["region"],
            "zone": live.get("zone") or "",
            "size_gb": int(live["size_gb"]),
            "encrypted": bool(live.get("encrypted", True)),
            "snapshot_retention": int(live.get("snapshot_retention") or 5),
            "auto_backup_enabled": bool(live.get("auto_backup_enabled", True)),
        }

    def label(self, inputs: Mapping[str, Any], id_: str | None = None) -> str:
        return f"Fly Volume '{inputs.get('name') or id_ or '?'}'"


def _shrink_message(old: int, new: int) -> str:
    return (
        f"size_gb {new} is smaller than the volume's {old} GB: Fly volumes can only grow "
        "(PUT .../extend); create a new volume (new name) and move the data instead"
    )


@final
class Volume(VendorResource, module="fly", name="Volume"):
    """A Fly volume.

    Replaced when ``app``, ``name``, ``region`` or ``encrypted`` changes (fixed at create: the
    spec's UpdateVolumeRequest only has ``auto_backup_enabled`` and ``snapshot_retention``).
    ``size_gb`` grows in place (PUT .../extend); shrinking is refused with an error.
    """

    app: pulumi.Output[str]
    volume_id: pulumi.Output[str]
    name: pulumi.Output[str]
    region: pulumi.Output[str]
    zone: pulumi.Output[str]
    size_gb: pulumi.Output[int]
    encrypted: pulumi.Output[bool]
    snapshot_retention: pulumi.Output[int]
    auto_backup_enabled: pulumi.Output[bool]

    def __init__(
        self,
        resource_name: str,
        *,
        app: pulumi.Input[str],
        name: pulumi.Input[str],
        region: pulumi.Input[str],
        size_gb: pulumi.Input[int] | None = None,
        encrypted: pulumi.Input[bool] | None = None,
        snapshot_retention: pulumi.Input[int] | None = None,
        auto_backup_enabled: pulumi.Input[bool] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "app": app,
            "name": name,
            "region": region,
            "size_gb": size_gb,
            "encrypted": encrypted,
            "snapshot_retention": snapshot_retention,
            "auto_backup_enabled": auto_backup_enabled,
            "adopt_id": adopt_id,
        }
        outputs = ("volume_id", "zone")
        super().__init__(VolumeProvider(), resource_name, inputs, outputs=outputs, opts=opts)
