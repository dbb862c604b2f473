"""The Fly providers' CRUD methods against httpx.MockTransport: the edge cases a sandbox run
rarely hits (lost answers, 429, 412, 408, release commands that fail)."""

from __future__ import annotations

import json
import pickle
from typing import Any

import httpx
import pytest
from pulumi.runtime import rpc

from paas_stacks.errors import (
    ConflictError,
    CredentialsError,
    InvalidRequestError,
    ResourceError,
)
from paas_stacks.providers._http import Endpoint
from paas_stacks.providers.fly import (
    AppProvider,
    IpAddressProvider,
    MachinesProvider,
    SecretsProvider,
    VolumeProvider,
)
from paas_stacks.providers.fly.client import FlyClient
from paas_stacks.providers.fly.machine_spec import MachinesInputs, build_config
from paas_stacks.providers.fly.machines import MIXED
from paas_stacks.providers.fly.secrets import DRIFTED

TOKEN = "fly-unit-token-never-shown"
Answer = Any


class Api:
    """Routes ``"METHOD /path"`` to answers: ``(status, body)``, an exception, a callable, or a
    list answered in turn (the last one repeats). Unrouted paths are 404, like Fly's."""

    def __init__(self, routes: dict[str, Answer]) -> None:
        self.routes = routes
        self.calls: list[str] = []
        self.bodies: dict[str, list[Any]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = f"{request.method} {request.url.path.removeprefix('/v1')}"
        self.calls.append(key)
        self.bodies.setdefault(key, []).append(json.loads(request.content or b"null"))
        answer = self.routes.get(key, (404, {"error": "not found"}))
        if isinstance(answer, list):
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        if callable(answer):
            answer = answer(request)
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        return httpx.Response(status, json=body, headers={"fly-request-id": "req-1"})

    def count(self, key: str) -> int:
        return self.calls.count(key)


def use(provider: Any, api: Api) -> Any:
    endpoint = Endpoint(
        base_url="https://api.machines.dev/v1",
        headers={"authorization": f"Bearer {TOKEN}"},
        secrets=(TOKEN,),
    )
    provider.use(FlyClient(endpoint, transport=httpx.MockTransport(api), sleep=lambda _s: None))
    provider.progress = lambda _message: None
    return provider


def app_body(name: str = "demo", slug: str = "acme") -> dict[str, Any]:
    return {"id": name, "name": name, "organization": {"slug": slug}, "network": "default"}


def machine(mid: str, version: str = "v1", **inputs: Any) -> dict[str, Any]:
    spec = MachinesInputs(
        **{"app": "demo", "group": "web", "image": "nginx:1", "regions": ["iad"], **inputs}
    )
    return {
        "id": mid,
        "region": spec.regions[0],
        "state": "started",
        "instance_id": version,
        "config": build_config(spec),
        "created_at": "2026-01-01T00:00:00Z",
    }


WEB = {"app": "demo", "group": "web", "image": "nginx:1", "regions": ["iad"]}
STARTED = (200, {"ok": True, "state": "started"})


# -- credentials, check, diff ---------------------------------------------------------------------
def test_missing_credentials_name_the_config_key_and_the_env_var(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FLY_API_TOKEN", raising=False)
    with pytest.raises(CredentialsError, match="fly:apiToken") as raised:
        FlyClient.from_config({})
    assert "FLY_API_TOKEN" in str(raised.value)


def test_the_client_sends_a_bearer_token_to_the_configured_url() -> None:
    client = FlyClient.from_config({"fly:apiToken": TOKEN, "fly:apiUrl": "http://fly.test/v1"})
    assert client.endpoint.base_url == "http://fly.test/v1"
    assert client.endpoint.headers["authorization"] == f"Bearer {TOKEN}"


def test_providers_pickle_with_nothing_but_their_class() -> None:
    for kind in (AppProvider, MachinesProvider, SecretsProvider, VolumeProvider, IpAddressProvider):
        provider = kind()
        assert vars(provider) == {}
        assert type(pickle.loads(pickle.dumps(provider))) is kind  # noqa: S301 - our own bytes


def test_check_reports_invalid_inputs_before_any_request() -> None:
    api = Api({})
    provider = use(MachinesProvider(), api)
    bad = {**WEB, "memory_mb": 300, "regions": ["Virginia"], "autostop": "sometimes"}
    failures = provider.check({}, bad).failures
    assert {f.property for f in failures} == {"memory_mb", "regions", "autostop"}
    assert use(AppProvider(), api).check({}, {"name": "Bad_Name"}).failures
    assert api.calls == []


def test_check_ignores_values_not_known_yet() -> None:
    provider = use(MachinesProvider(), Api({}))
    assert provider.check({}, {**WEB, "app": rpc.UNKNOWN}).failures == []


def test_diff_with_equal_inputs_is_no_change_and_unknown_inputs_are_changes() -> None:
    provider = use(MachinesProvider(), Api({}))
    outs = provider.observe({"app": "demo", "group": "web", "machines": [machine("m1")]}, {})
    assert provider.diff("demo/web", outs, dict(WEB)).changes is False
    assert provider.diff("demo/web", outs, {**WEB, "image": rpc.UNKNOWN}).changes is True
    assert provider.diff("demo/web", outs, {**WEB, "regions": rpc.UNKNOWN}).changes is True
    replaced = provider.diff("demo/web", outs, {**WEB, "group": "worker"})
    assert replaced.replaces == ["group"]


def test_machines_that_disagree_report_a_marker_that_never_matches() -> None:
    provider = use(MachinesProvider(), Api({}))
    live = {
        "app": "demo",
        "group": "web",
        "machines": [machine("m1"), machine("m2", env={"MODE": "hand"})],
    }
    outs = provider.observe(live, {})
    assert outs["env"] == MIXED
    assert outs["placement"] == {"iad": 2}
    assert provider.diff("demo/web", outs, {**WEB, "count": 2}).changes is True


def test_autostop_booleans_in_answers_read_as_the_string_enum() -> None:
    provider = use(MachinesProvider(), Api({}))
    declared = {**WEB, "services": [{"internal_port": 8080}], "autostop": "stop"}
    live = machine("m1", services=[{"internal_port": 8080}])
    live["config"]["services"][0]["autostop"] = True  # Fly answers "stop" as true
    outs = provider.observe({"app": "demo", "group": "web", "machines": [live]}, {})
    assert outs["autostop"] == "stop"
    assert provider.diff("demo/web", outs, declared).changes is False


# -- read, delete, retries, errors ------------------------------------------------------------
def test_read_of_a_missing_object_reports_it_gone() -> None:
    api = Api({})
    assert use(AppProvider(), api).read("demo", {"name": "demo"}).id == ""
    assert use(MachinesProvider(), api).read("demo/web", dict(WEB)).id == ""
    assert use(VolumeProvider(), api).read("demo/vol_1", {"app": "demo"}).id == ""
    assert use(SecretsProvider(), api).read("demo/secrets", {"app": "demo"}).id == ""
    assert use(IpAddressProvider(), api).read("demo/192.0.2.1", {"app": "demo"}).id == ""


def test_delete_of_a_missing_object_is_done() -> None:
    api = Api({})
    use(AppProvider(), api).delete("demo", {"name": "demo"})
    use(VolumeProvider(), api).delete("demo/vol_1", {"app": "demo"})
    use(IpAddressProvider(), api).delete("demo/192.0.2.1", {"app": "demo"})
    use(SecretsProvider(), api).delete("demo/secrets", {"app": "demo", "values": {"A": "1"}})
    use(MachinesProvider(), api).delete("demo/web", dict(WEB))
    # The app's owner check reads its secrets first: a 404 there means it is gone, so done.
    assert api.calls[0] == "GET /apps/demo/secrets"
    assert "DELETE /apps/demo" not in api.calls


def test_a_lost_create_answer_is_found_by_name_and_adopted_not_posted_again() -> None:
    api = Api(
        {
            "GET /apps/demo": [(404, {"error": "app not found"}), (200, app_body())],
            "POST /apps": httpx.ReadError("connection dropped after the write"),
        }
    )
    created = use(AppProvider(), api).create({"name": "demo"})
    assert created.id == "demo"
    assert api.count("POST /apps") == 1
    assert created.outs["hostname"] == "demo.fly.dev"


def test_a_429_is_retried_then_succeeds() -> None:
    api = Api({"GET /apps/demo": [(429, {"error": "rate limited"}), (200, app_body())]})
    read = use(AppProvider(), api).read("demo", {"name": "demo", "org": "acme"})
    assert read.id == "demo"
    assert api.count("GET /apps/demo") == 2


def test_a_vendor_error_is_one_line_naming_resource_call_status_and_message() -> None:
    api = Api(
        {
            "GET /apps/demo/machines": (200, []),
            "POST /apps/demo/machines": (400, {"error": "invalid config: bad image"}),
        }
    )
    with pytest.raises(ResourceError) as raised:
        use(MachinesProvider(), api).create(dict(WEB))
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("Fly Machines 'demo/web'")
    assert "POST /v1/apps/demo/machines -> 400: invalid config: bad image" in message
    assert "req-1" in message
    assert TOKEN not in message


def test_an_app_name_held_by_another_org_is_a_clear_error() -> None:
    taken = (422, {"error": "Name has already been taken", "status": "name_taken"})
    api = Api({"POST /apps": taken})
    with pytest.raises(ResourceError, match="taken by another organization"):
        use(AppProvider(), api).create({"name": "demo"})


def test_fly_classifies_name_taken_as_a_conflict_and_other_422s_as_invalid() -> None:
    api = Api(
        {
            "POST /apps": [
                (422, {"error": "Name has already been taken", "status": "name_taken"}),
                (422, {"error": "org_slug is invalid", "status": "invalid_org"}),
            ]
        }
    )
    client = use(AppProvider(), api).client
    with pytest.raises(ConflictError) as taken:
        client.create_app("demo", "acme")
    assert str(taken.value).startswith("Fly API: POST /v1/apps -> 422: Name has already been")
    with pytest.raises(InvalidRequestError):
        client.create_app("demo", "nowhere")


def test_an_app_refused_for_another_reason_is_not_reported_as_taken() -> None:
    api = Api({"POST /apps": (422, {"error": "org_slug is invalid", "status": "invalid_org"})})
    with pytest.raises(ResourceError) as raised:
        use(AppProvider(), api).create({"name": "demo", "org": "nowhere"})
    assert "taken" not in str(raised.value)
    assert "422: org_slug is invalid (invalid_org)" in str(raised.value)


def test_deleting_secrets_of_a_gone_app_is_done_but_a_refusal_is_an_error() -> None:
    owned = {"app": "demo", "values": {"A": "1"}}
    gone = Api({"POST /apps/demo/secrets": (404, {"error": "app not found"})})
    use(SecretsProvider(), gone).delete("demo/secrets", owned)
    refused = Api({"POST /apps/demo/secrets": (403, {"error": "not allowed"})})
    with pytest.raises(ResourceError, match="403: not allowed"):
        use(SecretsProvider(), refused).delete("demo/secrets", owned)


def test_an_app_found_in_another_org_than_declared_is_not_adopted() -> None:
    api = Api({"GET /apps/demo": (200, app_body(slug="other"))})
    with pytest.raises(ResourceError, match="already exists in org 'other'"):
        use(AppProvider(), api).create({"name": "demo", "org": "acme"})
    assert api.count("POST /apps") == 0


def test_personal_org_stays_personal_in_outputs_after_create_and_read() -> None:
    api = Api(
        {
            "GET /apps/demo": [(404, {"error": "app not found"}), (200, app_body())],
            "POST /apps": (201, app_body()),
        }
    )
    provider = use(AppProvider(), api)
    created = provider.create({"name": "demo"})
    assert (created.outs["org"], created.outs["org_slug"]) == ("personal", "acme")
    read = provider.read("demo", created.outs)
    assert provider.diff("demo", read.outs, {"name": "demo"}).changes is False


# -- rollout: release command, 412, 408 -------------------------------------------------------
def release_routes(exit_code: int | None, final: str = "stopped") -> dict[str, Answer]:
    events: list[dict[str, Any]] = [{"type": "start", "status": "started"}]
    if exit_code is not None:
        exit_event = {
            "type": "exit",
            "status": "stopped",
            "request": {"exit_event": {"exit_code": exit_code}},
        }
        events.insert(0, exit_event)
    return {
        "GET /apps/demo/machines": (200, [machine("m1")]),
        "POST /apps/demo/machines": (200, {"id": "rel1", "instance_id": "r1", "region": "iad"}),
        "GET /apps/demo/machines/rel1/wait": (200, {"ok": True, "state": final}),
        "GET /apps/demo/machines/rel1/events": (200, events),
        "DELETE /apps/demo/machines/rel1": (200, {"ok": True}),
        "POST /apps/demo/machines/m1": (200, machine("m1", "v2", image="nginx:2")),
        "GET /apps/demo/machines/m1/wait": STARTED,
    }


def test_a_failing_release_command_stops_the_update_and_touches_no_machine() -> None:
    api = Api(release_routes(exit_code=3))
    news = {**WEB, "image": "nginx:2", "release_command": "bin/rails db:migrate"}
    old = machine("m1")
    olds = use(MachinesProvider(), api).observe(
        {"app": "demo", "group": "web", "machines": [old]}, {}
    )
    with pytest.raises(ResourceError) as raised:
        use(MachinesProvider(), api).update("demo/web", olds, news)
    message = str(raised.value)
    assert "\n" not in message
    assert "release command 'bin/rails db:migrate' exited with code 3" in message
    assert "machines keep their current image" in message
    assert api.count("POST /apps/demo/machines/m1") == 0
    release = api.bodies["POST /apps/demo/machines"][0]["config"]
    assert release["image"] == "nginx:2"
    assert release["init"]["cmd"] == ["bin/rails", "db:migrate"]
    assert release["restart"] == {"policy": "no"}
    assert release["auto_destroy"] is True
    assert release["metadata"]["fly_process_group"] != "web"
    assert api.count("DELETE /apps/demo/machines/rel1") == 1


def test_a_release_command_exiting_1_the_usual_failure_stops_the_update_too() -> None:
    # Found by ``make mutants``: only exit code 3 was tried, so "1 counts as success" passed.
    api = Api(release_routes(exit_code=1))
    news = {**WEB, "image": "nginx:2", "release_command": "bin/migrate"}
    with pytest.raises(ResourceError, match="release command 'bin/migrate' exited with code 1"):
        use(MachinesProvider(), api).update("demo/web", {}, news)
    assert api.count("POST /apps/demo/machines/m1") == 0


def test_a_release_command_that_exits_zero_is_followed_by_the_rollout() -> None:
    api = Api(release_routes(exit_code=0, final="destroyed"))
    news = {**WEB, "image": "nginx:2", "release_command": "bin/migrate"}
    olds = {"app": "demo", "group": "web", "image": "nginx:1"}
    updated = use(MachinesProvider(), api).update("demo/web", olds, news)
    assert updated.outs["image"] == "nginx:2"
    assert api.calls.index("GET /apps/demo/machines/rel1/events") < api.calls.index(
        "POST /apps/demo/machines/m1"
    )
    assert api.count("DELETE /apps/demo/machines/rel1") == 0  # auto_destroy already did it
    assert api.bodies["POST /apps/demo/machines/m1"][0]["current_version"] == "v1"


def test_a_release_machine_that_failed_without_exit_code_fails_the_update() -> None:
    api = Api(release_routes(exit_code=None, final="failed"))
    news = {**WEB, "image": "nginx:2", "release_command": "bin/migrate"}
    with pytest.raises(ResourceError, match="release command 'bin/migrate' failed"):
        use(MachinesProvider(), api).update("demo/web", {}, news)
    assert api.count("POST /apps/demo/machines/m1") == 0


def test_only_scaling_down_runs_no_release_command() -> None:
    api = Api(
        {
            "GET /apps/demo/machines": (200, [machine("m1"), machine("m2")]),
            "DELETE /apps/demo/machines/m2": (200, {"ok": True}),
        }
    )
    news = {**WEB, "release_command": "bin/migrate"}
    updated = use(MachinesProvider(), api).update("demo/web", {}, news)
    assert updated.outs["machine_ids"] == ["m1"]
    assert api.count("POST /apps/demo/machines") == 0


def test_a_stale_version_412_is_re_read_and_retried_with_the_new_version() -> None:
    api = Api(
        {
            "GET /apps/demo/machines": (200, [machine("m1")]),
            "POST /apps/demo/machines/m1": [
                (412, {"error": "failed_precondition: current_version does not match"}),
                (200, machine("m1", "v3", image="nginx:2")),
            ],
            "GET /apps/demo/machines/m1": (200, machine("m1", "v2")),
            "GET /apps/demo/machines/m1/wait": STARTED,
        }
    )
    use(MachinesProvider(), api).update("demo/web", {}, {**WEB, "image": "nginx:2"})
    versions = [b["current_version"] for b in api.bodies["POST /apps/demo/machines/m1"]]
    assert versions == ["v1", "v2"]


def test_a_wait_that_times_out_408_is_asked_again() -> None:
    api = Api(
        {
            "GET /apps/demo/machines": (200, []),
            "POST /apps/demo/machines": (200, machine("m1")),
            "GET /apps/demo/machines/m1/wait": [(408, {"error": "deadline_exceeded"}), STARTED],
            "GET /apps/demo/machines/m1": (200, {**machine("m1"), "state": "starting"}),
        }
    )
    created = use(MachinesProvider(), api).create(dict(WEB))
    assert created.id == "demo/web"
    assert api.count("GET /apps/demo/machines/m1/wait") == 2


def test_a_machine_that_fails_to_start_fails_the_operation() -> None:
    api = Api(
        {
            "GET /apps/demo/machines": (200, []),
            "POST /apps/demo/machines": (200, machine("m1")),
            "GET /apps/demo/machines/m1/wait": (408, {"error": "deadline_exceeded"}),
            "GET /apps/demo/machines/m1": (200, {**machine("m1"), "state": "failed"}),
        }
    )
    with pytest.raises(ResourceError, match="m1 failed instead of started"):
        use(MachinesProvider(), api).create(dict(WEB))


def test_existing_machines_of_the_group_are_adopted_and_others_ignored() -> None:
    other = machine("x1", group="worker")
    api = Api({"GET /apps/demo/machines": (200, [machine("m1"), other])})
    created = use(MachinesProvider(), api).create(dict(WEB))
    assert created.outs["machine_ids"] == ["m1"]
    assert [c for c in api.calls if not c.startswith("GET")] == []


# -- secrets ----------------------------------------------------------------------------------
def secret_list(**digests: str) -> tuple[int, dict[str, Any]]:
    return 200, {"secrets": [{"name": k, "digest": v} for k, v in digests.items()]}


def test_a_secret_whose_digest_changed_outside_pulumi_is_drift() -> None:
    api = Api({"GET /apps/demo/secrets": secret_list(A="d-hand", B="d-b", MANUAL="d-m")})
    olds = {"app": "demo", "values": {"A": "one", "B": "two"}, "digests": {"A": "d-a", "B": "d-b"}}
    provider = use(SecretsProvider(), api)
    read = provider.read("demo/secrets", olds)
    assert read.outs["values"] == {"A": DRIFTED, "B": "two"}
    assert read.outs["names"] == ["A", "B"]  # MANUAL was set by hand: not ours
    assert provider.diff(
        "demo/secrets", read.outs, {"app": "demo", "values": olds["values"]}
    ).changes


def test_removing_a_name_deletes_only_that_secret_and_changes_only_changed_values() -> None:
    api = Api({"POST /apps/demo/secrets": secret_list(A="d-a2", C="d-c")})
    olds = {"app": "demo", "values": {"A": "one", "B": "two", "C": "three"}}
    news = {"app": "demo", "values": {"A": "uno", "C": "three"}}
    updated = use(SecretsProvider(), api).update("demo/secrets", olds, news)
    assert api.bodies["POST /apps/demo/secrets"] == [{"values": {"A": "uno", "B": None}}]
    assert updated.outs["values"] == {"A": "uno", "C": "three"}
    assert updated.outs["digests"] == {"A": "d-a2", "C": "d-c"}


def test_adopted_secrets_are_written_because_their_values_are_unknown() -> None:
    api = Api(
        {
            "GET /apps/demo/secrets": secret_list(A="d-old"),
            "POST /apps/demo/secrets": secret_list(A="d-new"),
        }
    )
    created = use(SecretsProvider(), api).create({"app": "demo", "values": {"A": "one"}})
    assert api.bodies["POST /apps/demo/secrets"] == [{"values": {"A": "one"}}]
    assert created.outs["digests"] == {"A": "d-new"}


# -- volumes ----------------------------------------------------------------------------------
VOLUME = {
    "id": "vol_1",
    "name": "data",
    "region": "iad",
    "size_gb": 3,
    "encrypted": True,
    "snapshot_retention": 5,
    "auto_backup_enabled": True,
    "state": "created",
}
VOLUME_IN = {"app": "demo", "name": "data", "region": "iad", "size_gb": 3}


def test_a_smaller_volume_is_refused_at_check_and_at_update() -> None:
    api = Api({"GET /apps/demo/volumes/vol_1": (200, VOLUME)})
    provider = use(VolumeProvider(), api)
    failures = provider.check(VOLUME_IN, {**VOLUME_IN, "size_gb": 2}).failures
    assert [f.property for f in failures] == ["size_gb"]
    assert "can only grow" in failures[0].reason
    with pytest.raises(ResourceError, match="can only grow"):
        provider.update("demo/vol_1", {}, {**VOLUME_IN, "size_gb": 2})
    assert [c for c in api.calls if not c.startswith("GET")] == []


def test_a_bigger_volume_is_extended_in_place_and_region_replaces() -> None:
    api = Api(
        {
            "GET /apps/demo/volumes/vol_1": (200, VOLUME),
            "PUT /apps/demo/volumes/vol_1/extend": (
                200,
                {"volume": {**VOLUME, "size_gb": 5}, "needs_restart": True},
            ),
        }
    )
    provider = use(VolumeProvider(), api)
    olds = provider.observe({**VOLUME, "app": "demo"}, {})
    assert provider.diff("demo/vol_1", olds, {**VOLUME_IN, "region": "ord"}).replaces == ["region"]
    updated = provider.update("demo/vol_1", olds, {**VOLUME_IN, "size_gb": 5})
    assert updated.outs["size_gb"] == 5
    assert api.bodies["PUT /apps/demo/volumes/vol_1/extend"] == [{"size_gb": 5}]


def test_a_bare_volume_id_to_adopt_is_read_in_the_declared_app() -> None:
    api = Api({"GET /apps/demo/volumes/vol_1": (200, VOLUME)})
    created = use(VolumeProvider(), api).create({**VOLUME_IN, "adopt_id": "vol_1"})
    assert created.id == "demo/vol_1"
    assert [c for c in api.calls if not c.startswith("GET")] == []


# -- IP addresses -----------------------------------------------------------------------------
def test_a_lost_ip_assignment_is_found_by_comparing_before_and_after() -> None:
    old = {"ip": "2001:db8::1", "region": "global", "shared": False}
    new = {"ip": "203.0.113.7", "region": "global", "shared": False}
    api = Api(
        {
            "GET /apps/demo/ip_assignments": [(200, {"ips": [old]}), (200, {"ips": [old, new]})],
            "POST /apps/demo/ip_assignments": httpx.ReadError("lost"),
        }
    )
    created = use(IpAddressProvider(), api).create({"app": "demo", "type": "v4"})
    assert created.id == "demo/203.0.113.7"
    assert created.outs["type"] == "v4"
    assert api.count("POST /apps/demo/ip_assignments") == 1


def test_an_existing_shared_ipv4_is_adopted() -> None:
    shared = {"ip": "192.0.2.1", "region": "global", "shared": True}
    api = Api({"GET /apps/demo/ip_assignments": (200, {"ips": [shared]})})
    created = use(IpAddressProvider(), api).create({"app": "demo", "type": "shared_v4"})
    assert created.outs == {
        "app": "demo",
        "type": "shared_v4",
        "region": "global",
        "address": "192.0.2.1",
        "shared": True,
        "owner": None,  # driven directly, outside a stack: no owner marker
    }
    assert api.count("POST /apps/demo/ip_assignments") == 0


def test_a_volume_replacement_never_adopts_the_volume_it_replaces() -> None:
    api = Api(
        {
            "GET /apps/demo/volumes": (200, [VOLUME]),
            "POST /apps/demo/volumes": (200, {**VOLUME, "id": "vol_2", "encrypted": False}),
        }
    )
    created = use(VolumeProvider(), api).create({**VOLUME_IN, "encrypted": False})
    assert created.id == "demo/vol_2"
    assert api.bodies["POST /apps/demo/volumes"][0]["encrypted"] is False


def test_a_shared_ipv4_with_a_region_is_refused_at_check() -> None:
    provider = use(IpAddressProvider(), Api({}))
    failures = provider.check({}, {"app": "demo", "type": "shared_v4", "region": "iad"}).failures
    assert failures
    assert "global" in failures[0].reason


def test_a_403_for_the_app_name_means_another_org_holds_it_and_nothing_is_created() -> None:
    # fly-go's AppNameAvailable: 403 = the app exists in an org this token cannot see.
    api = Api({"GET /apps/demo": (403, {"error": "unauthorized"})})
    with pytest.raises(ResourceError, match="taken by another organization"):
        use(AppProvider(), api).create({"name": "demo"})
    assert api.count("POST /apps") == 0
