"""No secret in any error or progress line: every error path of the providers, provoked with real
secret values, must say what went wrong without them.

Each case hands a provider a secret the way the engine does (a generated ``JWT_SECRET`` in a Render
env var, a linked ``DATABASE_URL``, a Supabase database password, Fly app secrets, a password a
vendor answered earlier), makes the vendor answer badly (a 4xx that quotes the request body, in
the forms a vendor echoes it; a truncated or half-written connection-info answer; a 5xx quoting
old outputs) and asserts no form of the secret reaches the message.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from paas_stacks.errors import ResourceError
from paas_stacks.providers._http import REDACTED
from paas_stacks.providers.fly import SecretsProvider
from paas_stacks.providers.render.postgres import PostgresProvider
from paas_stacks.providers.render.service import ServiceProvider
from paas_stacks.providers.supabase import ProjectProvider
from tests.unit.providers import test_fly, test_render, test_supabase, test_upstash

JWT_SECRET = "jwt-Zq8r!w/3+kP0s$ecret&value"
DB_PASSWORD = "pg$Pa55:w@rd/with+url&chars"
DATABASE_URL = f"postgresql://app:{quote(DB_PASSWORD, safe='')}@db.internal:5432/app"
RENDER_PASSWORD = "rndrGeneratedPassw0rdXyZ"
UPSTASH_PASSWORD = "AYk1upstashPasswordQ29"


def every_form(secret: str) -> list[str]:
    """The forms in which a vendor may echo ``secret``: as sent, JSON-escaped, URL-encoded."""
    return [secret, json.dumps(secret)[1:-1], quote(secret, safe="")]


def assert_clean(message: str, *secrets: str) -> None:
    assert message.strip(), "the error says nothing"
    assert "\n" not in message
    for secret in secrets:
        for form in every_form(secret):
            assert form not in message, (form, message)


def echo_body(status: int) -> Any:
    """A vendor that refuses a request by quoting all of it back (a validation error)."""

    def answer(request: httpx.Request) -> httpx.Response:
        body = request.content.decode()
        sent = json.loads(body)
        return httpx.Response(
            status,
            json={
                "message": f"invalid request {body}; "
                f"encoded {quote(body, safe='')}; as text {sent!s}",
            },
        )

    return answer


# -- Render ------------------------------------------------------------------------------------
def test_a_render_4xx_quoting_the_body_hides_generated_and_linked_secrets() -> None:
    api = test_render.Api({"GET /services": [[]], "POST /services": echo_body(400)})
    provider = ServiceProvider()
    provider.use(api.client())
    web = {**test_render.WEB, "env_vars": {"JWT_SECRET": JWT_SECRET, "DATABASE_URL": DATABASE_URL}}
    with pytest.raises(ResourceError) as raised:
        provider.create(web)
    message = str(raised.value)
    assert "POST /v1/services -> 400" in message
    assert REDACTED in message
    # The URL, the password inside it (decoded, as a vendor may show it) and the token.
    assert_clean(message, JWT_SECRET, DATABASE_URL, DB_PASSWORD, test_render.TOKEN)


def test_a_render_env_var_update_refused_with_the_values_hides_them() -> None:
    listed = [{"envVar": {"key": "JWT_SECRET", "value": "old-jwt-value-123"}, "cursor": "J"}]
    api = test_render.Api(
        {
            "GET /services/srv-1": test_render.service(),
            "GET /services/srv-1/env-vars": [listed],
            "PUT /services/srv-1/env-vars": echo_body(422),
            "PATCH /services/srv-1": test_render.service(),
            "POST /services/srv-1/scale": {},
        }
    )
    provider = ServiceProvider()
    provider.use(api.client())
    olds = {**test_render.WEB, "env_vars": {"JWT_SECRET": "old-jwt-value-123"}}
    news = {**test_render.WEB, "env_vars": {"JWT_SECRET": JWT_SECRET}}
    with pytest.raises(ResourceError) as raised:
        provider.update("srv-1", olds, news)
    message = str(raised.value)
    assert "PUT /v1/services/srv-1/env-vars -> 422: invalid request" in message
    assert_clean(message, JWT_SECRET, "old-jwt-value-123")


def pg_api(info: httpx.Response) -> test_render.Api:
    pg = {
        "id": "dpg-1",
        "name": "db",
        "plan": "basic_256mb",
        "region": "oregon",
        "version": "16",
        "databaseName": "db",
        "databaseUser": "u",
        "diskSizeGB": 15,
        "status": "available",
    }
    return test_render.Api(
        {
            "GET /postgres": [[]],
            "POST /postgres": httpx.Response(201, json=pg),
            "GET /postgres/dpg-1": pg,
            "GET /postgres/dpg-1/connection-info": info,
        }
    )


CONNECTION = {
    "password": RENDER_PASSWORD,
    "internalConnectionString": f"postgresql://u:{RENDER_PASSWORD}@dpg-1/db",
    "externalConnectionString": f"postgresql://u:{RENDER_PASSWORD}@dpg-1.oregon/db",
    "psqlCommand": f"PGPASSWORD={RENDER_PASSWORD} psql -h dpg-1.oregon -U u db",
}


@pytest.mark.parametrize("cut", [20, 60, 150])
def test_a_truncated_render_connection_info_answer_never_shows_the_password(cut: int) -> None:
    whole = json.dumps(CONNECTION)
    api = pg_api(httpx.Response(200, content=whole[:cut].encode()))
    provider = PostgresProvider()
    provider.use(api.client())
    with pytest.raises(ResourceError) as raised:
        provider.create({"name": "db"})
    message = str(raised.value)
    assert "connection-info -> 200: the answer is not valid JSON" in message
    assert f"of {cut}" in message  # where it broke off, by position
    assert_clean(message, RENDER_PASSWORD, whole[:cut][-12:])


def test_a_half_written_render_connection_info_answer_says_what_is_missing() -> None:
    half = {"password": RENDER_PASSWORD, "psqlCommand": CONNECTION["psqlCommand"]}
    api = pg_api(httpx.Response(200, json=half))
    provider = PostgresProvider()
    provider.use(api.client())
    with pytest.raises(ResourceError) as raised:
        provider.create({"name": "db"})
    message = str(raised.value)
    assert "the vendor's answer has no 'internalConnectionString'" in message
    assert_clean(message, RENDER_PASSWORD)


def test_a_render_5xx_quoting_a_password_it_answered_earlier_hides_it_on_refresh() -> None:
    quoting = httpx.Response(400, json={"message": f"cannot read {RENDER_PASSWORD}"})
    api = test_render.Api({"GET /postgres/dpg-1": quoting})
    provider = PostgresProvider()
    provider.use(api.client())
    olds = {"name": "db", "password": RENDER_PASSWORD, "internal_connection_string": DATABASE_URL}
    with pytest.raises(ResourceError) as raised:
        provider.read("dpg-1", olds)
    assert "GET /v1/postgres/dpg-1 -> 400: cannot read [redacted]" in str(raised.value)
    assert_clean(str(raised.value), RENDER_PASSWORD, DATABASE_URL, DB_PASSWORD)


def test_a_progress_line_never_shows_a_secret(capsys: pytest.CaptureFixture[str]) -> None:
    provider = ServiceProvider()
    provider.use(test_render.Api({}).client())
    provider.hide({"env_vars": {"JWT_SECRET": JWT_SECRET}})
    provider.progress(f"waiting for deploy; env JWT_SECRET={JWT_SECRET}")
    err = capsys.readouterr().err
    assert "waiting for deploy" in err
    assert_clean(err.strip(), JWT_SECRET)


# -- Supabase ----------------------------------------------------------------------------------
def test_a_supabase_4xx_quoting_the_body_hides_the_database_password() -> None:
    fake = test_supabase.Fake({"GET /v1/projects": [], "POST /v1/projects": echo_body(400)})
    provider = test_supabase.provider_for(ProjectProvider, fake)
    with pytest.raises(ResourceError) as raised:
        provider.create(
            {"organization_id": test_supabase.ORG, "name": "app", "database_password": DB_PASSWORD}
        )
    message = str(raised.value)
    assert "POST /v1/projects -> 400" in message
    assert_clean(message, DB_PASSWORD, test_supabase.TOKEN)


# -- Fly ---------------------------------------------------------------------------------------
def test_a_fly_secrets_refusal_quoting_the_values_hides_them() -> None:
    def echo(request: httpx.Request) -> tuple[int, Any]:
        return 422, {"error": f"bad secrets {request.content.decode()}"}

    api = test_fly.Api(
        {"GET /apps/demo/secrets": test_fly.secret_list(), "POST /apps/demo/secrets": echo}
    )
    provider = test_fly.use(SecretsProvider(), api)
    values = {"JWT_SECRET": JWT_SECRET, "DATABASE_URL": DATABASE_URL}
    with pytest.raises(ResourceError) as raised:
        provider.create({"app": "demo", "values": values})
    assert "POST /v1/apps/demo/secrets -> 422: bad secrets" in str(raised.value)
    assert_clean(str(raised.value), JWT_SECRET, DATABASE_URL, DB_PASSWORD, test_fly.TOKEN)


# -- Upstash -----------------------------------------------------------------------------------
def test_an_upstash_error_quoting_the_password_it_answered_earlier_hides_it() -> None:
    quoting = httpx.Response(400, json={"error": f"database password {UPSTASH_PASSWORD} rotated"})
    provider = test_upstash.provider(lambda _request: quoting)
    url = f"rediss://default:{UPSTASH_PASSWORD}@h:6379"
    olds = {"name": "cache", "password": UPSTASH_PASSWORD, "redis_url": url}
    with pytest.raises(ResourceError) as raised:
        provider.read("db-1", olds)
    assert "-> 400: database password [redacted] rotated" in str(raised.value)
    assert_clean(str(raised.value), UPSTASH_PASSWORD)


def test_a_half_written_upstash_create_answer_says_what_is_missing_not_the_bare_key() -> None:
    """Once the bare error ``'endpoint'``; the half-written object holds the password."""
    half = {k: v for k, v in test_upstash.DB.items() if k != "endpoint"}
    half["password"] = UPSTASH_PASSWORD
    script = test_upstash.Script(
        {
            "GET /v2/redis/databases": [httpx.Response(200, json=[])],
            "POST /v2/redis/database": [httpx.Response(200, json=half)],
        }
    )
    with pytest.raises(ResourceError) as raised:
        test_upstash.provider(script).create(test_upstash.INPUTS)
    message = str(raised.value)
    assert message.startswith(
        "Upstash RedisDatabase 'cache': the vendor's answer has no 'endpoint'"
    )
    assert "run the command again" in message
    assert_clean(message, UPSTASH_PASSWORD)
    assert script.seen.count("POST /v2/redis/database") == 1
