"""The Supabase branch provider on ``httpx.MockTransport``: a small in-memory Branching API."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from paas_stacks.errors import OwnershipError, ResourceError
from paas_stacks.providers.supabase import BranchProvider
from tests.unit.providers.test_supabase import KEYS, REF, TOKEN, Fake, client

BRANCH_REF = "brbrbrbrbrbrbrbrbrbr"
OWNER = "acme/app/pr-1#0123456789ab"
OTHER = "acme/app/pr-9#ba9876543210"
PASSWORD = "branch-pass/word"


class Branching:
    """The branch endpoints of one parent project, answering as the Management API does."""

    def __init__(self, *, polls_until_healthy: int = 1) -> None:
        self.branches: dict[str, dict[str, Any]] = {}
        self.secrets: dict[str, set[str]] = {}
        self.polls = polls_until_healthy
        self.fake = Fake({})
        self.fake.routes.update(self.routes())

    def add(self, name: str, **fields: Any) -> dict[str, Any]:
        number = len(self.branches)
        others = sum(1 for branch in self.branches.values() if not branch["is_default"])
        ref = BRANCH_REF if others == 0 else "abcdefghijklmnopqrs"[:19] + "xyz"[others % 3]
        branch = {
            "id": f"00000000-0000-0000-0000-00000000000{number}",
            "name": name,
            "project_ref": REF if fields.get("is_default") else ref,
            "parent_project_ref": REF,
            "is_default": False,
            "persistent": False,
            "with_data": False,
            "git_branch": None,
            "status": "CREATING_PROJECT",
            "created_at": "2026-12-01T00:00:00Z",
            "updated_at": "2026-12-01T00:00:00Z",
            **fields,
        }
        self.branches[branch["id"]] = branch
        self.fake.routes.update(self._per_branch(branch))
        return branch

    def routes(self) -> dict[str, Any]:
        return {
            f"GET /v1/projects/{REF}/branches": lambda _r: httpx.Response(
                200, json=list(self.branches.values())
            ),
            f"POST /v1/projects/{REF}/branches": self._create,
        }

    def _create(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        kept = ("persistent", "with_data", "git_branch", "is_default")
        extra = {key: body[key] for key in kept if key in body}
        branch = self.add(body["branch_name"], **extra)
        return httpx.Response(201, json=branch)

    def _per_branch(self, branch: dict[str, Any]) -> dict[str, Any]:
        bid, ref = branch["id"], branch["project_ref"]
        self.secrets.setdefault(ref, set())
        routes: dict[str, Any] = {}
        for key in (bid, ref):  # /v1/branches/{...} takes the ref, or the deprecated id
            routes[f"GET /v1/branches/{key}"] = lambda _r: self._detail(bid)
            routes[f"PATCH /v1/branches/{key}"] = lambda r: self._patch(bid, r)
            routes[f"DELETE /v1/branches/{key}"] = lambda _r: self._delete(bid)
        return routes | {
            f"GET /v1/projects/{ref}/api-keys": KEYS,
            f"GET /v1/projects/{ref}/secrets": lambda _r: httpx.Response(
                200, json=[{"name": n, "value": "digest"} for n in sorted(self.secrets[ref])]
            ),
            f"POST /v1/projects/{ref}/secrets": lambda r: self._put_secrets(ref, r),
        }

    def _detail(self, bid: str) -> httpx.Response:
        branch = self.branches.get(bid)
        if branch is None:
            return httpx.Response(404, json={"message": "Branch not found"})
        self.polls -= 1
        return httpx.Response(
            200,
            json={
                "ref": branch["project_ref"],
                "status": "ACTIVE_HEALTHY" if self.polls <= 0 else "COMING_UP",
                "db_host": f"db.{branch['project_ref']}.supabase.co",
                "db_port": 5432,
                "db_user": "postgres",
                "db_pass": PASSWORD,
                "jwt_secret": "jwt-secret-value",
                "postgres_version": "17",
                "postgres_engine": "17",
                "release_channel": "ga",
            },
        )

    def _patch(self, bid: str, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if "branch_name" in body:
            body["name"] = body.pop("branch_name")
        self.branches[bid].update(body)
        return httpx.Response(200, json=self.branches[bid])

    def _delete(self, bid: str) -> httpx.Response:
        branch = self.branches.get(bid)
        if branch is None:
            return httpx.Response(404, json={"message": "Branch not found"})
        if branch["persistent"]:
            return httpx.Response(422, json={"message": "Cannot delete a persistent branch"})
        del self.branches[bid]
        return httpx.Response(200, json={"message": "ok"})

    def _put_secrets(self, ref: str, request: httpx.Request) -> httpx.Response:
        self.secrets[ref] |= {entry["name"] for entry in json.loads(request.content)}
        return httpx.Response(201, json=None)


def provider(world: Branching) -> BranchProvider:
    made = BranchProvider()
    made.use(client(world.fake))
    made.sleep = staticmethod(lambda _s: None)
    return made


def outs(result: Any) -> dict[str, Any]:
    assert result.outs is not None
    return dict(result.outs)


DECLARED = {"parent_ref": REF, "name": "pr-1", "git_branch": "feature/x", "owner": OWNER}


def test_a_branch_is_made_on_a_project_with_branching_enabled_first_and_marked_before_named() -> (
    None
):
    world = Branching(polls_until_healthy=3)
    made = provider(world).create(dict(DECLARED))
    posts = [json.loads(r.content) for r in world.fake.calls(f"POST /v1/projects/{REF}/branches")]
    # No branch yet: the default one first, as Supabase's Terraform provider enables branching.
    assert posts[0] == {"branch_name": "main", "is_default": True}
    assert posts[1]["branch_name"] == "pr-1-ps-0123456789ab"
    assert posts[1]["git_branch"] == "feature/x"
    assert posts[1]["with_data"] is False
    assert world.secrets[BRANCH_REF] == {"PAAS_STACKS_OWNER_0123456789AB"}
    branch = next(b for b in world.branches.values() if not b.get("is_default"))
    assert branch["name"] == "pr-1"
    assert made.id == f"{REF}/{branch['project_ref']}"
    given = outs(made)
    assert given["ref"] == BRANCH_REF
    assert given["name"] == "pr-1"
    assert given["database_url"] == (
        f"postgresql://postgres:branch-pass%2Fword@db.{BRANCH_REF}.supabase.co:5432/postgres"
    )
    assert given["api_url"] == f"https://{BRANCH_REF}.supabase.co"
    assert given["anon_key"] == "a.b.c"
    assert given["service_role_key"] == "s.r.k"
    assert given["jwt_secret"] == "jwt-secret-value"


def test_a_same_named_branch_another_stack_marked_is_refused_before_any_write() -> None:
    world = Branching()
    world.add("main", is_default=True)
    theirs = world.add("pr-1")
    world.secrets[theirs["project_ref"]] = {"PAAS_STACKS_OWNER_BA9876543210"}
    with pytest.raises(OwnershipError, match="another stack"):
        provider(world).create(dict(DECLARED))
    assert world.fake.calls(f"POST /v1/projects/{REF}/branches") == []
    assert [r for r in world.fake.seen if r.method == "PATCH"] == []


def test_a_branch_left_tagged_by_a_killed_run_is_taken_back_by_the_same_stack() -> None:
    world = Branching()
    world.add("main", is_default=True)
    left = world.add("pr-1-ps-0123456789ab")
    made = provider(world).create(dict(DECLARED))
    assert world.fake.calls(f"POST /v1/projects/{REF}/branches") == []
    assert made.id == f"{REF}/{left['project_ref']}"
    assert world.branches[left["id"]]["name"] == "pr-1"
    assert "PAAS_STACKS_OWNER_0123456789AB" in world.secrets[left["project_ref"]]


def test_deleting_a_persistent_branch_makes_it_non_persistent_first() -> None:
    world = Branching()
    made = provider(world).create({**DECLARED, "persistent": True})
    ref = made.id.split("/")[1]
    bid = next(b["id"] for b in world.branches.values() if b["project_ref"] == ref)
    assert world.branches[bid]["persistent"] is True
    provider(world).delete(made.id, outs(made))
    assert bid not in world.branches
    patches = [json.loads(r.content) for r in world.fake.calls(f"PATCH /v1/branches/{ref}")]
    assert patches[-1] == {"persistent": False}
    assert len(world.fake.calls(f"DELETE /v1/branches/{ref}")) == 2  # 422, then done


def test_a_branch_deleted_elsewhere_reads_as_gone_and_deleting_it_again_is_done() -> None:
    world = Branching()
    made = provider(world).create(dict(DECLARED))
    ref = made.id.split("/")[1]
    bid = next(b["id"] for b in world.branches.values() if b["project_ref"] == ref)
    del world.branches[bid]
    assert provider(world).read(made.id, outs(made)).id == ""
    provider(world).delete(made.id, outs(made))


def test_persistence_and_git_branch_change_in_place_and_a_new_parent_replaces() -> None:
    world = Branching()
    made = provider(world).create(dict(DECLARED))
    same = provider(world).diff(made.id, outs(made), dict(DECLARED))
    assert not same.changes
    kept = provider(world).diff(made.id, outs(made), {**DECLARED, "persistent": True})
    assert kept.changes
    assert not kept.replaces
    moved = provider(world).diff(made.id, outs(made), {**DECLARED, "parent_ref": "z" * 20})
    assert moved.replaces == ["parent_ref"]
    updated = provider(world).update(made.id, outs(made), {**DECLARED, "persistent": True})
    assert outs(updated)["persistent"] is True


def test_a_failed_branch_is_an_error_naming_it_and_never_the_password_or_token() -> None:
    world = Branching()
    real = world._detail

    def failing(bid: str) -> httpx.Response:
        answer = real(bid)
        return httpx.Response(200, json={**json.loads(answer.content), "status": "INIT_FAILED"})

    world._detail = failing  # type: ignore[method-assign]
    with pytest.raises(ResourceError) as caught:
        provider(world).create(dict(DECLARED))
    text = str(caught.value)
    assert "Supabase branch 'pr-1'" in text
    assert "INIT_FAILED" in text
    assert TOKEN not in text
    assert PASSWORD not in text
