"""The orphan search against fake vendor APIs at the httpx level: what each lister reads as an
object's owner, what is deleted (this stack's marker, not in its state) and what never is
(another stack's, no marker, in the state), and how a stack's owner is read from its state."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from paas_stacks.errors import PreviewError
from paas_stacks.preview.orphans import (
    OWNER_TAG,
    OWNER_TYPE,
    Vendors,
    read_state,
    state_of,
    unclaimed,
)
from paas_stacks.providers._http import Endpoint
from paas_stacks.providers._ownership import Marker
from paas_stacks.providers.fly.client import FlyClient
from paas_stacks.providers.render.client import RenderClient
from paas_stacks.providers.upstash.client import UpstashClient

OURS = Marker("0123456789ab", "organization/paas-stacks/pr-7")
THEIRS = Marker("ba9876543210", "organization/paas-stacks/pr-8")
TOKEN = "tok-unit-orphans-secret"


class Api:
    """One vendor's objects in memory; every request recorded as ``METHOD path``."""

    def __init__(self, routes: dict[str, Any]) -> None:
        self.routes = routes
        self.calls: list[str] = []
        self.fail_deletes = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = f"{request.method} {request.url.path}"
        self.calls.append(key)
        if request.method == "DELETE" and self.fail_deletes:
            return httpx.Response(500, json={"message": "boom"})
        if request.method == "DELETE":
            self.routes = {k: v for k, v in self.routes.items() if not k.endswith(request.url.path)}
            self.routes = {
                k: [e for e in v if request.url.path.rsplit("/", 1)[-1] not in json.dumps(e)]
                if isinstance(v, list)
                else v
                for k, v in self.routes.items()
            }
            return httpx.Response(204)
        if key not in self.routes:
            return httpx.Response(404, json={"message": "not found"})
        if isinstance(self.routes[key], int):
            return httpx.Response(self.routes[key], json={"message": "boom"})
        return httpx.Response(200, json=self.routes[key])

    def deleted(self) -> list[str]:
        return [call.split(" ", 1)[1] for call in self.calls if call.startswith("DELETE")]


def endpoint(base: str) -> Endpoint:
    return Endpoint(base, headers={"authorization": f"Bearer {TOKEN}"}, secrets=(TOKEN,))


def render_api() -> Api:
    def service(id_: str) -> dict[str, Any]:
        return {"service": {"id": id_, "name": f"name-{id_}"}, "cursor": id_}

    def env(marker: Marker | None) -> list[dict[str, Any]]:
        values = [{"envVar": {"key": "JWT_SECRET", "value": "s3cr3t-value"}, "cursor": "a"}]
        if marker is not None:
            values.append({"envVar": {"key": "PAAS_STACKS_OWNER", "value": str(marker)}})
        return values

    group = {"id": "evg-orphan", "name": "pr-7-shared", "ownerId": "tea-1"}
    return Api(
        {
            "GET /v1/services": [service(i) for i in ("srv-kept", "srv-orphan", "srv-b", "srv-x")],
            "GET /v1/services/srv-kept/env-vars": env(OURS),
            "GET /v1/services/srv-orphan/env-vars": env(OURS),
            "GET /v1/services/srv-b/env-vars": env(THEIRS),
            "GET /v1/services/srv-x/env-vars": env(None),
            "GET /v1/env-groups": [group],
            "GET /v1/env-groups/evg-orphan": {
                **group,
                "envVars": [{"key": "PAAS_STACKS_OWNER_GROUP", "value": str(OURS)}],
                "secretFiles": [],
            },
        }
    )


def upstash_api() -> Api:
    def database(id_: str, name: str) -> dict[str, Any]:
        return {"database_id": id_, "database_name": name, "password": "redis-pass-value"}

    listed = [
        database("db-orphan", OURS.suffixed("pr-7-cache")),
        database("db-b", THEIRS.suffixed("pr-8-cache")),
        database("db-x", "hand-made-cache"),
    ]
    routes: dict[str, Any] = {"GET /v2/redis/databases": listed}
    routes.update({f"GET /v2/redis/database/{d['database_id']}": d for d in listed})
    return Api(routes)


def fly_api() -> Api:
    apps = {"apps": [{"name": "pr-7-api"}, {"name": "pr-8-api"}, {"name": "hand-made"}]}
    return Api(
        {
            "GET /v1/apps": apps,
            "GET /v1/apps/pr-7-api/secrets": {"secrets": [{"name": OURS.secret_name}]},
            "GET /v1/apps/pr-8-api/secrets": {"secrets": [{"name": THEIRS.secret_name}]},
            "GET /v1/apps/hand-made/secrets": {"secrets": [{"name": "DATABASE_URL"}]},
            "GET /v1/apps/pr-7-api": {"name": "pr-7-api"},
        }
    )


def vendors(render: Api, upstash: Api, fly: Api) -> Vendors:
    def client(cls: Any, base: str, api: Api) -> Any:
        return cls(endpoint(base), transport=httpx.MockTransport(api), sleep=lambda _s: None)

    clients: dict[str, Any] = {
        "Render": client(RenderClient, "https://api.render.com/v1", render),
        "Upstash": client(UpstashClient, "https://api.upstash.com/v2", upstash),
        "Fly": client(FlyClient, "https://api.machines.dev/v1", fly),
    }
    clients["Render"].configured_owner = "tea-1"
    made = Vendors(clients=clients)
    made.sources = tuple(source for source in made.sources if source.vendor in clients)
    return made


def test_only_this_stacks_marked_objects_missing_from_its_state_are_deleted() -> None:
    render, upstash, fly = render_api(), upstash_api(), fly_api()
    view = read_state("pr-7", state(resources=[owner_resource(), {"id": "srv-kept"}]))
    lines = view.clean(vendors(render, upstash, fly), delete=True)
    assert render.deleted() == ["/v1/services/srv-orphan", "/v1/env-groups/evg-orphan"]
    assert upstash.deleted() == ["/v2/redis/database/db-orphan"]
    assert fly.deleted() == ["/v1/apps/pr-7-api"]
    assert lines == [
        "orphan deleted: Render service srv-orphan 'name-srv-orphan'",
        "orphan deleted: Render env group evg-orphan 'pr-7-shared'",
        f"orphan deleted: Upstash Redis database db-orphan '{OURS.suffixed('pr-7-cache')}'",
        "orphan deleted: Fly app pr-7-api 'pr-7-api'",
    ]
    text = "\n".join(lines)
    for secret in ("s3cr3t-value", "redis-pass-value", TOKEN):
        assert secret not in text


def test_without_delete_the_orphans_are_listed_and_nothing_is_written() -> None:
    render, upstash, fly = render_api(), upstash_api(), fly_api()
    view = read_state("pr-7", state(resources=[owner_resource()]))
    lines = view.clean(vendors(render, upstash, fly), delete=False)
    assert [line.split(":")[0] for line in lines] == ["orphan found"] * 5  # srv-kept too
    assert not render.deleted() + upstash.deleted() + fly.deleted()


def test_a_delete_that_fails_is_one_line_and_the_other_orphans_still_go() -> None:
    render, upstash, fly = render_api(), upstash_api(), fly_api()
    # The Upstash database is re-read before its delete: another stack marked it meanwhile.
    upstash.routes["GET /v2/redis/database/db-orphan"] = {
        "database_id": "db-orphan",
        "database_name": THEIRS.suffixed("pr-7-cache"),
    }
    view = read_state("pr-7", state(resources=[owner_resource()]))
    lines = view.clean(vendors(render, upstash, fly), delete=True)
    refused = [line for line in lines if "db-orphan" in line]
    assert len(refused) == 1
    assert refused[0].startswith("orphan NOT deleted: Upstash Redis database db-orphan ")
    assert "refusing to delete it" in refused[0]
    assert upstash.deleted() == []
    assert fly.deleted() == ["/v1/apps/pr-7-api"]


def test_a_vendor_that_fails_marks_the_search_failed_and_says_what_was_not_done() -> None:
    render, upstash, fly = render_api(), upstash_api(), fly_api()
    upstash.routes["GET /v2/redis/databases"] = 500
    fly.fail_deletes = True
    made = vendors(render, upstash, fly)
    lines = read_state("pr-7", state([owner_resource()])).clean(made, delete=True)
    assert made.failed
    assert [line for line in lines if "NOT" in line] == [
        lines[0],
        next(line for line in lines if "pr-7-api" in line),
    ]
    assert lines[0].startswith("Upstash Redis databases: NOT searched (")
    assert "orphan NOT deleted: Fly app pr-7-api 'pr-7-api': Fly App 'pr-7-api': Fly API: " in (
        "\n".join(lines)
    )
    assert "orphan deleted: Render service srv-kept 'name-srv-kept'" in lines


def test_an_object_whose_marker_cannot_be_read_is_said_and_the_search_goes_on() -> None:
    render, upstash, fly = render_api(), upstash_api(), fly_api()
    render.routes["GET /v1/services/srv-x/env-vars"] = 400
    made = vendors(render, upstash, fly)
    lines = read_state("pr-7", state([owner_resource()])).clean(made, delete=True)
    assert not made.failed
    assert lines[0].startswith(
        "owner marker unreadable, skipped: Render service srv-x 'name-srv-x': Render API: GET"
    )
    assert "orphan deleted: Render service srv-orphan 'name-srv-orphan'" in lines
    assert "/v1/services/srv-x" not in render.deleted()


def test_a_vendor_without_credentials_is_skipped_with_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("RENDER_API_KEY", "FLY_API_TOKEN", "SUPABASE_ACCESS_TOKEN", "UPSTASH_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    made = Vendors()
    assert made.scan() == []
    assert made.notes == [
        "Render services: no credentials, not searched",
        "Render env groups: no credentials, not searched",
        "Supabase projects: no credentials, not searched",
        "Upstash Redis databases: no credentials, not searched",
        "Fly apps: no credentials, not searched",
    ]


def owner_resource(marker: Marker = OURS) -> dict[str, Any]:
    salt = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
    return {"type": OWNER_TYPE, "id": "owner-1", "outputs": {"marker": str(marker), "salt": salt}}


def state(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"version": 3, "deployment": {"resources": resources}}


def test_the_owner_is_read_from_the_stack_owner_or_else_from_any_resources_owner_input() -> None:
    view = read_state("pr-7", state([owner_resource(), {"id": "srv-1"}]))
    assert view.marker == OURS
    assert view.ids == {"owner-1", "srv-1"}
    half_destroyed = [{"id": "srv-1", "inputs": {"owner": str(OURS)}}]
    assert read_state("pr-7", state(half_destroyed)).marker == OURS
    fly = {"type": "pulumi-python:dynamic/fly:App", "id": "a", "inputs": {"org": "acme"}}
    assert read_state("pr-7", state([fly])).fly_orgs == {"personal", "acme"}
    assert read_state("pr-7", {}).marker is None


class Backend:
    """The CLI calls ``state_of`` makes: stacks, their states and their tags."""

    def __init__(self, stacks: dict[str, dict[str, Any]]) -> None:
        self.stacks = stacks
        self.stack_tags: dict[str, dict[str, str]] = {name: {} for name in stacks}

    def exists(self, stack: str) -> bool:
        return stack in self.stacks

    def export(self, stack: str) -> dict[str, Any]:
        return self.stacks[stack]

    def tags(self, stack: str) -> dict[str, str]:
        return dict(self.stack_tags[stack])

    def set_tag(self, stack: str, name: str, value: str) -> None:
        self.stack_tags[stack][name] = value


def test_a_destroy_remembers_the_owner_tag_so_an_emptied_state_still_knows_it() -> None:
    backend = Backend({"pr-7": state([owner_resource(), {"id": "srv-1"}])})
    assert state_of(backend, "pr-7").marker == OURS  # type: ignore[arg-type]
    assert backend.stack_tags["pr-7"] == {}  # only a destroy writes it
    state_of(backend, "pr-7", remember=True)  # type: ignore[arg-type]
    assert backend.stack_tags["pr-7"] == {OWNER_TAG: OURS.tag}
    backend.stacks["pr-7"] = state([])  # destroyed; its orphans could not all be deleted
    assert state_of(backend, "pr-7").marker == Marker(OURS.tag)  # type: ignore[arg-type]


def test_an_owner_tag_is_needed_without_a_state_and_refused_when_it_contradicts_it() -> None:
    gone = state_of(Backend({}), "pr-7")  # type: ignore[arg-type]
    assert gone.marker is None
    (line,) = gone.clean(Vendors(sources=()), delete=True)
    assert "cannot be found without --owner-tag" in line
    given = state_of(Backend({}), "pr-7", OURS.tag)  # type: ignore[arg-type]
    assert given.marker == Marker(OURS.tag)
    assert given.ids == frozenset()
    alive = Backend({"pr-7": state([owner_resource()])})
    assert state_of(alive, "pr-7", OURS.tag).marker == OURS  # type: ignore[arg-type]
    with pytest.raises(PreviewError, match=f"its state records owner tag {OURS.tag}"):
        state_of(alive, "pr-7", THEIRS.tag)  # type: ignore[arg-type]
    with pytest.raises(PreviewError, match="12 lowercase hex digits; got 'nope'"):
        state_of(alive, "pr-7", "nope")  # type: ignore[arg-type]
    copied = Backend({"pr-9": state([owner_resource()])})  # pr-7's state under pr-9
    with pytest.raises(PreviewError, match="owner marker of stack organization/paas-stacks/pr-7"):
        state_of(copied, "pr-9")  # type: ignore[arg-type]


def test_the_sweep_report_names_removed_previews_and_their_tag_but_deletes_nothing() -> None:
    render, upstash, fly = render_api(), upstash_api(), fly_api()
    lines = unclaimed(vendors(render, upstash, fly), "paas-stacks", ["pr-8", "staging"])
    said = f"orphan of removed stack organization/paas-stacks/pr-7 (owner tag {OURS.tag})"
    assert lines[:3] == [
        f"{said}: Render service srv-kept 'name-srv-kept'",
        f"{said}: Render service srv-orphan 'name-srv-orphan'",
        f"{said}: Render env group evg-orphan 'pr-7-shared'",
    ]
    # The tag recovered from the whole markers finds the kinds that keep only the tag.
    assert "Upstash Redis database db-orphan" in lines[3]
    assert "Fly app pr-7-api" in lines[4]
    assert lines[5].endswith(f"orphans --pr 7 --owner-tag {OURS.tag} --delete`")
    assert len(lines) == 6  # pr-8 is alive; the unmarked objects are nobody's
    assert not render.deleted() + upstash.deleted() + fly.deleted()
