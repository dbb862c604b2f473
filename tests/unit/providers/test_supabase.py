"""Supabase providers on ``httpx.MockTransport``: the edge cases a live sandbox rarely shows."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi.runtime import rpc

from paas_stacks.errors import CredentialsError, ResourceError
from paas_stacks.providers._http import Endpoint, RetryPolicy
from paas_stacks.providers.supabase import (
    FunctionSecretsProvider,
    MigrationsProvider,
    ProjectProvider,
    SupabaseClient,
)
from paas_stacks.vendors.supabase import DEFAULT_REGION

TOKEN = "sbp_unit_secret_token"
REF = "abcdefghijklmnopqrst"
ORG = "acme"
Handler = Callable[[httpx.Request], httpx.Response]


class Fake:
    """Answers from a ``{"METHOD /path": response or callable}`` table; records every request."""

    def __init__(self, routes: dict[str, Any]) -> None:
        self.routes = routes
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        answer = self.routes.get(f"{request.method} {request.url.path}")
        if answer is None:
            return httpx.Response(404, json={"message": "Cannot find route"})
        if callable(answer):
            return answer(request)  # type: ignore[no-any-return]
        if isinstance(answer, list) and answer and isinstance(answer[0], httpx.Response):
            return answer.pop(0) if len(answer) > 1 else answer[0]
        return httpx.Response(200, json=answer)

    def calls(self, key: str) -> list[httpx.Request]:
        return [r for r in self.seen if f"{r.method} {r.url.path}" == key]


def client(fake: Fake) -> SupabaseClient:
    endpoint = Endpoint(
        base_url="https://api.supabase.test",
        headers={"authorization": f"Bearer {TOKEN}"},
        secrets=(TOKEN,),
    )
    policy = RetryPolicy(attempts=3, base_delay=0, max_delay=0, total=5)
    return SupabaseClient(
        endpoint, policy=policy, transport=httpx.MockTransport(fake), sleep=lambda _s: None
    )


def provider_for(kind: type[Any], fake: Fake) -> Any:
    provider = kind()
    provider.use(client(fake))
    return provider


def project(status: str = "ACTIVE_HEALTHY", name: str = "app") -> dict[str, Any]:
    return {
        "id": REF,
        "ref": REF,
        "organization_id": ORG,
        "organization_slug": ORG,
        "name": name,
        "region": "us-east-1",
        "created_at": "2026-01-01T00:00:00Z",
        "status": status,
        "database": {
            "host": f"db.{REF}.supabase.co",
            "version": "15",
            "postgres_engine": "15",
            "release_channel": "ga",
        },
    }


POOLER = [
    {
        "database_type": "PRIMARY",
        "db_user": f"postgres.{REF}",
        "db_port": 6543,
        "db_host": "aws-0-us-east-1.pooler.supabase.com",
        "db_name": "postgres",
        "connection_string": f"postgresql://postgres.{REF}:[YOUR-PASSWORD]@"
        "aws-0-us-east-1.pooler.supabase.com:6543/postgres",
        "pool_mode": "transaction",
        "default_pool_size": 15,
    }
]
KEYS = [
    {"name": "anon", "type": "legacy", "api_key": "a.b.c"},
    {"name": "service_role", "type": "legacy", "api_key": "s.r.k"},
]


def addons(variant: str | None = None) -> dict[str, Any]:
    """ListProjectAddonsResponse with ``variant`` (``ci_<size>``) as the compute add-on."""
    price = {"description": "", "type": "usage", "interval": "hourly", "amount": 0.01}
    chosen = (
        []
        if variant is None
        else [
            {
                "type": "compute_instance",
                "variant": {"id": variant, "name": variant, "price": price},
            }
        ]
    )
    return {"selected_addons": chosen, "available_addons": []}


def project_routes(**extra: Any) -> dict[str, Any]:
    return {
        f"GET /v1/projects/{REF}": project(),
        f"GET /v1/projects/{REF}/api-keys": KEYS,
        f"GET /v1/projects/{REF}/config/database/pooler": POOLER,
        f"GET /v1/projects/{REF}/billing/addons": addons(),
        f"GET /v1/projects/{REF}/secrets": [],
        **extra,
    }


# -- read and delete ---------------------------------------------------------------------------
def test_a_project_that_is_404_on_read_is_reported_gone() -> None:
    provider = provider_for(ProjectProvider, Fake({}))
    assert provider.read(REF, {"name": "app"}).id == ""


def test_a_project_whose_status_is_removed_is_reported_gone_on_read() -> None:
    # Supabase keeps answering GET /v1/projects/{ref} for a deleted project, with REMOVED.
    removed = provider_for(
        ProjectProvider,
        Fake(
            project_routes(
                **{
                    f"GET /v1/projects/{REF}": project(status="REMOVED"),
                }
            )
        ),
    )
    assert removed.read(REF, {"name": "app"}).id == ""
    alive = provider_for(ProjectProvider, Fake(project_routes()))
    assert alive.read(REF, {"name": "app"}).id == REF


def test_a_setting_of_a_gone_project_is_gone_but_a_refused_read_is_an_error() -> None:
    gone = provider_for(FunctionSecretsProvider, Fake({}))
    assert gone.read(f"{REF}/secrets", {"project_ref": REF}).id == ""
    refused = Fake(
        {f"GET /v1/projects/{REF}/secrets": [httpx.Response(401, json={"message": "bad token"})]}
    )
    with pytest.raises(ResourceError, match="401: bad token"):
        provider_for(FunctionSecretsProvider, refused).read(f"{REF}/secrets", {"project_ref": REF})


def test_deleting_a_project_that_is_already_gone_succeeds() -> None:
    fake = Fake({f"DELETE /v1/projects/{REF}": [httpx.Response(404, json={"message": "gone"})]})
    provider_for(ProjectProvider, fake).delete(REF, {"name": "app"})
    # The owner check found it gone (its secrets answer 404): nothing left to delete.
    assert len(fake.calls(f"GET /v1/projects/{REF}/secrets")) == 1
    assert fake.calls(f"DELETE /v1/projects/{REF}") == []
    marked = Fake(
        {
            f"GET /v1/projects/{REF}/secrets": [],
            f"DELETE /v1/projects/{REF}": [httpx.Response(404, json={"message": "gone"})],
        }
    )
    provider_for(ProjectProvider, marked).delete(REF, {"name": "app"})
    assert len(marked.calls(f"DELETE /v1/projects/{REF}")) == 1  # and a 404 there is done too


def test_outputs_build_urls_from_the_api_and_fill_the_pooler_placeholder() -> None:
    outs = (
        provider_for(ProjectProvider, Fake(project_routes()))
        .read(REF, {"name": "app", "database_password": "p@ss/w"})
        .outs
    )
    assert outs["api_url"] == f"https://{REF}.supabase.co"
    assert outs["anon_key"] == "a.b.c"
    assert (
        outs["database_url"]
        == f"postgresql://postgres:p%40ss%2Fw@db.{REF}.supabase.co:5432/postgres"
    )
    assert outs["pooler_url"] == (
        f"postgresql://postgres.{REF}:p%40ss%2Fw@aws-0-us-east-1.pooler.supabase.com:6543/postgres"
    )


# -- create -----------------------------------------------------------------------------------
def test_a_lost_create_is_found_by_name_and_adopted_with_the_same_password() -> None:
    def lost(_request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("answer lost")

    listings = [[], [project()]]
    fake = Fake(
        project_routes(
            **{
                "POST /v1/projects": lost,
                "GET /v1/projects": lambda _r: httpx.Response(200, json=listings.pop(0)),
                f"PATCH /v1/projects/{REF}/database/password": {"message": "ok"},
            }
        )
    )
    declared = {"organization_id": ORG, "name": "app", "region": "us-east-1"}
    made = provider_for(ProjectProvider, fake).create(declared)
    assert made.id == REF
    assert len(fake.calls("POST /v1/projects")) == 1
    sent = json.loads(fake.calls("POST /v1/projects")[0].content)["db_pass"]
    patched = json.loads(fake.calls(f"PATCH /v1/projects/{REF}/database/password")[0].content)
    assert patched["password"] == sent == made.outs["database_password"]


@pytest.mark.parametrize("status", ["INIT_FAILED", "REMOVED"])
def test_a_same_named_project_that_failed_or_was_removed_is_not_adopted(status: str) -> None:
    # Found by ``make mutants``: adoption skipped failed projects, but no test tried one.
    dead = {**project(status), "ref": "deaddeaddeaddeaddead", "id": "deaddeaddeaddeaddead"}
    fake = Fake(
        project_routes(**{"GET /v1/projects": [dead], "POST /v1/projects": project("COMING_UP")})
    )
    declared = {"organization_id": ORG, "name": "app", "region": "us-east-1"}
    made = provider_for(ProjectProvider, fake).create(declared)
    assert made.id == REF
    assert len(fake.calls("POST /v1/projects")) == 1
    assert fake.calls("PATCH /v1/projects/deaddeaddeaddeaddead/database/password") == []


def test_an_undeclared_region_creates_in_the_default_region() -> None:
    created = {**project(), "region": DEFAULT_REGION}
    fake = Fake(
        project_routes(
            **{
                "GET /v1/projects": [],
                "POST /v1/projects": created,
                f"GET /v1/projects/{REF}": created,
            }
        )
    )
    made = provider_for(ProjectProvider, fake).create({"organization_id": ORG, "name": "app"})
    sent = json.loads(fake.calls("POST /v1/projects")[0].content)
    assert sent["region_selection"] == {"type": "specific", "code": DEFAULT_REGION}
    assert made.outs["region"] == DEFAULT_REGION


def test_an_undeclared_region_never_moves_a_project_made_with_an_older_default() -> None:
    # OLDS is in us-east-1, the default before the vendor vocabulary: no diff, no replacement.
    assert OLDS["region"] != DEFAULT_REGION
    diff = ProjectProvider().diff(REF, OLDS, {"organization_id": ORG, "name": "app"})
    assert diff.changes is False
    assert not diff.replaces


def test_a_rate_limited_read_is_retried() -> None:
    fake = Fake(
        project_routes(
            **{
                f"GET /v1/projects/{REF}": [
                    httpx.Response(
                        429,
                        json={"message": "Too many requests"},
                        headers={"x-ratelimit-reset": "0"},
                    ),
                    httpx.Response(200, json=project()),
                ]
            }
        )
    )
    assert provider_for(ProjectProvider, fake).read(REF, {"name": "app"}).id == REF
    assert len(fake.calls(f"GET /v1/projects/{REF}")) == 2


def test_a_refused_request_is_one_line_naming_the_resource_and_never_the_token() -> None:
    fake = Fake(
        {
            "GET /v1/projects": [],
            "POST /v1/projects": [
                httpx.Response(
                    400,
                    json={"message": f"db_pass too weak for {TOKEN}"},
                    headers={"x-request-id": "r-9"},
                )
            ],
        }
    )
    with pytest.raises(ResourceError) as error:
        provider_for(ProjectProvider, fake).create({"organization_id": ORG, "name": "app"})
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("Supabase project 'app': Supabase API: POST /v1/projects -> 400")
    assert "db_pass too weak" in message
    assert "r-9" in message
    assert TOKEN not in message


def test_waiting_fails_fast_on_a_terminal_status(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ProjectProvider, "sleep", staticmethod(lambda _s: None))
    fake = Fake(
        project_routes(
            **{
                "GET /v1/projects": [],
                "POST /v1/projects": project("COMING_UP"),
                f"GET /v1/projects/{REF}": project("INIT_FAILED"),
            }
        )
    )
    with pytest.raises(ResourceError, match="INIT_FAILED while waiting for ACTIVE_HEALTHY"):
        provider_for(ProjectProvider, fake).create({"organization_id": ORG, "name": "app"})


def test_waiting_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr(ProjectProvider, "sleep", staticmethod(slept.append))
    monkeypatch.setattr(ProjectProvider, "wait_seconds", 0.5)
    fake = Fake(
        project_routes(
            **{
                "GET /v1/projects": [],
                "POST /v1/projects": project("COMING_UP"),
                f"GET /v1/projects/{REF}": project("COMING_UP"),
            }
        )
    )
    with pytest.raises(ResourceError, match="still COMING_UP"):
        provider_for(ProjectProvider, fake).create({"organization_id": ORG, "name": "app"})
    assert slept == []  # the first 1 s backoff would already pass the 0.5 s bound


def test_progress_lines_name_the_project_and_status(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(ProjectProvider, "sleep", staticmethod(lambda _s: None))
    states = [project("COMING_UP"), project("COMING_UP"), project()]
    fake = Fake(
        project_routes(
            **{
                "GET /v1/projects": [],
                "POST /v1/projects": project("COMING_UP"),
                f"GET /v1/projects/{REF}": lambda _r: httpx.Response(
                    200, json=states.pop(0) if len(states) > 1 else states[0]
                ),
            }
        )
    )
    provider_for(ProjectProvider, fake).create({"organization_id": ORG, "name": "app"})
    assert "Supabase project 'app': COMING_UP, waiting (0s)" in capsys.readouterr().err


class Compute:
    """The billing add-on routes over one mutable compute size, as the platform keeps it."""

    def __init__(self, size: str) -> None:
        self.size = size

    def routes(self) -> dict[str, Any]:
        path = f"/v1/projects/{REF}/billing/addons"
        return {
            f"GET {path}": lambda _r: httpx.Response(200, json=self.listing()),
            f"PATCH {path}": self.apply,
            f"DELETE {path}/ci_{self.size}": self.remove,
        }

    def listing(self) -> dict[str, Any]:
        return addons(None if self.size == "nano" else f"ci_{self.size}")

    def apply(self, request: httpx.Request) -> httpx.Response:
        self.size = json.loads(request.content)["addon_variant"].removeprefix("ci_")
        return httpx.Response(200)

    def remove(self, _request: httpx.Request) -> httpx.Response:
        self.size = "nano"
        return httpx.Response(200)


def test_an_instance_resize_goes_through_the_billing_addons_endpoint() -> None:
    compute = Compute("micro")
    fake = Fake(project_routes(**compute.routes()))
    provider = provider_for(ProjectProvider, fake)
    olds = provider.read(REF, {"name": "app", "database_password": "pw-12345"}).outs
    assert olds["instance_size"] == "micro"
    news = {
        "organization_id": ORG,
        "name": "app",
        "region": "us-east-1",
        "instance_size": "small",
        "database_password": "pw-12345",
    }
    assert provider.diff(REF, olds, news).replaces == []
    outs = provider.update(REF, olds, news).outs
    body = json.loads(fake.calls(f"PATCH /v1/projects/{REF}/billing/addons")[0].content)
    assert body == {"addon_type": "compute_instance", "addon_variant": "ci_small"}
    assert outs["instance_size"] == "small"
    # nano has no ci_ variant: the compute add-on the project has now is removed.
    fake.routes.update(compute.routes())  # the DELETE route names the current size
    outs = provider.update(REF, outs, {**news, "instance_size": "nano"}).outs
    assert len(fake.calls(f"DELETE /v1/projects/{REF}/billing/addons/ci_small")) == 1
    assert outs["instance_size"] == "nano"


def test_a_resize_in_the_dashboard_is_read_back_and_undeclared_sizes_stand() -> None:
    compute = Compute("medium")
    provider = provider_for(ProjectProvider, Fake(project_routes(**compute.routes())))
    outs = provider.read(REF, {"name": "app", "database_password": "pw-12345"}).outs
    assert outs["instance_size"] == "medium"
    declared = {
        "organization_id": ORG,
        "name": "app",
        "instance_size": "small",
        "database_password": "pw-12345",
    }
    diff = provider.diff(REF, outs, declared)
    assert diff.changes is True
    assert diff.replaces == []
    undeclared = {key: value for key, value in declared.items() if key != "instance_size"}
    assert provider.diff(REF, outs, undeclared).changes is False


def test_resizing_to_the_size_it_has_writes_nothing() -> None:
    compute = Compute("small")
    fake = Fake(project_routes(**compute.routes()))
    provider = provider_for(ProjectProvider, fake)
    # State without a size (e.g. an adopted project): the live size is read before writing.
    olds = {
        "organization_id": ORG,
        "name": "app",
        "region": "us-east-1",
        "instance_size": None,
        "database_password": "pw-12345",
    }
    provider.update(REF, olds, {**olds, "instance_size": "small"})
    assert [r.method for r in fake.seen if r.method != "GET"] == []


# -- diff and check ---------------------------------------------------------------------------
OLDS = {
    "organization_id": ORG,
    "name": "app",
    "region": "us-east-1",
    "instance_size": None,
    "database_password": "generated-pw",
}


def test_diff_with_equal_inputs_and_a_generated_password_has_no_change() -> None:
    provider = ProjectProvider()
    assert provider.diff(REF, OLDS, {"organization_id": ORG, "name": "app"}).changes is False


def test_diff_with_an_unknown_input_is_a_change() -> None:
    news = {"organization_id": ORG, "name": rpc.UNKNOWN}
    assert ProjectProvider().diff(REF, OLDS, news).changes is True
    secrets = FunctionSecretsProvider().diff(
        f"{REF}/secrets",
        {"project_ref": REF, "digests": {}},
        {"project_ref": REF, "values": rpc.UNKNOWN},
    )
    assert secrets.changes is True


def test_region_and_organization_changes_replace_and_a_given_password_updates() -> None:
    provider = ProjectProvider()
    moved = provider.diff(
        REF, OLDS, {"organization_id": "other", "name": "app", "region": "eu-west-1"}
    )
    assert sorted(moved.replaces or []) == ["organization_id", "region"]
    rotated = provider.diff(REF, OLDS, {**OLDS, "database_password": "new-pw-1"})
    assert rotated.changes is True
    assert rotated.replaces == []


def test_an_in_place_update_keeps_the_generated_password_in_the_outputs() -> None:
    fake = Fake(project_routes(**{f"PATCH /v1/projects/{REF}": {"id": 1, "ref": REF}}))
    news = {"organization_id": ORG, "name": "renamed"}  # no declared password
    outs = provider_for(ProjectProvider, fake).update(REF, OLDS, news).outs
    assert outs["database_password"] == "generated-pw"
    assert "generated-pw" in outs["pooler_url"]
    assert fake.calls(f"PATCH /v1/projects/{REF}/database/password") == []


def test_check_reports_invalid_inputs_before_any_request() -> None:
    fake = Fake({})
    provider = provider_for(ProjectProvider, fake)
    result = provider.check({}, {"organization_id": "bad slug!", "name": "", "region": "mars"})
    assert sorted(f.property for f in result.failures) == ["name", "organization_id", "region"]
    assert fake.seen == []


def test_missing_credentials_name_the_config_key_and_env_var(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SUPABASE_ACCESS_TOKEN", raising=False)
    with pytest.raises(CredentialsError) as error:
        SupabaseClient.from_config(None)
    assert "supabase:accessToken" in str(error.value)
    assert "SUPABASE_ACCESS_TOKEN" in str(error.value)


# -- migrations -------------------------------------------------------------------------------
def test_a_migration_answer_lost_is_resent_with_the_same_idempotency_key(tmp_path: Path) -> None:
    (tmp_path / "001_a.sql").write_text("create table a (id int);")
    answers: list[Any] = [httpx.ReadTimeout("lost"), httpx.Response(200)]

    def post(_request: httpx.Request) -> httpx.Response:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[no-any-return]

    fake = Fake(
        {
            f"GET /v1/projects/{REF}/database/migrations": [],
            f"POST /v1/projects/{REF}/database/migrations": post,
        }
    )
    provider = provider_for(MigrationsProvider, fake)
    props = provider.check({}, {"project_ref": REF, "folder": str(tmp_path)}).inputs
    provider.create(props)
    sent = fake.calls(f"POST /v1/projects/{REF}/database/migrations")
    keys = {request.headers["idempotency-key"] for request in sent}
    assert len(sent) == 2
    assert len(keys) == 1
    assert "authorization" in sent[1].headers  # the shared headers survive the per-call one


def test_an_edited_applied_migration_is_an_error_naming_file_and_digests(tmp_path: Path) -> None:
    (tmp_path / "001_a.sql").write_text("create table a (id bigint);")
    provider = MigrationsProvider()
    news = provider.check({}, {"project_ref": REF, "folder": str(tmp_path)}).inputs
    olds = {"project_ref": REF, "files": {"001_a.sql": "0" * 64}, "applied": ["001_a.sql"]}
    with pytest.raises(ResourceError) as error:
        provider.diff(f"{REF}/migrations", olds, news)
    assert "001_a.sql was applied with sha256 " + "0" * 64 in str(error.value)
    assert news["files"]["001_a.sql"] in str(error.value)


def test_a_removed_migration_file_is_no_change(tmp_path: Path) -> None:
    provider = MigrationsProvider()
    news = provider.check({}, {"project_ref": REF, "folder": str(tmp_path)}).inputs
    olds = {"project_ref": REF, "files": {"001_a.sql": "0" * 64}, "applied": ["001_a.sql"]}
    assert provider.diff(f"{REF}/migrations", olds, news).changes is False


def test_a_project_that_became_healthy_is_noticed_within_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slept: list[float] = []
    monkeypatch.setattr(ProjectProvider, "sleep", staticmethod(slept.append))
    answers = [httpx.Response(200, json=project("COMING_UP"))] * 6 + [
        httpx.Response(200, json=project("ACTIVE_HEALTHY"))
    ]
    fake = Fake(
        project_routes(
            **{
                "GET /v1/projects": [],
                "POST /v1/projects": project("COMING_UP"),
                f"GET /v1/projects/{REF}": answers,
            }
        )
    )
    provider_for(ProjectProvider, fake).create({"organization_id": ORG, "name": "app"})
    # Not 1, 2, 4, 8, 15...: a ready project waits at most 1 s to be seen.
    assert slept == [1.0] * 6


def test_migrations_made_before_owner_markers_diff_cleanly_while_the_owner_is_unknown(
    tmp_path: Path,
) -> None:
    """The first preview after the upgrade adds the StackOwner: its marker is still unknown."""
    (tmp_path / "001_a.sql").write_text("create table a (id bigint);")
    provider = MigrationsProvider()
    news = provider.check({}, {"project_ref": REF, "folder": str(tmp_path)}).inputs
    olds = {"project_ref": REF, "files": dict(news["files"]), "applied": ["001_a.sql"]}
    assert provider.diff(f"{REF}/migrations", olds, {**news, "owner": rpc.UNKNOWN}).changes is False
