"""PrivateService and CronJob on each platform, and the properties a link can name: a service's
private address and own URL, a database's and a cache's connection parts (secret where they
should be), another service's env var."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.runtime import rpc

from paas_stacks.components.cron_job import CronJob, CronJobArgs
from paas_stacks.components.linking import Link
from paas_stacks.components.platforms import Fly, Render
from paas_stacks.components.postgres import Postgres, PostgresArgs, RenderPostgres
from paas_stacks.components.private_service import PrivateService, PrivateServiceArgs
from paas_stacks.components.redis import Redis, RedisArgs, Upstash
from paas_stacks.components.web_service import WebService, WebServiceArgs
from paas_stacks.errors import ArgsError
from tests.mocks import build

RENDER = Render(
    plan="starter",
    runtime="node",
    repo="https://github.com/a/b",
    build_command="npm ci",
    start_command="npm start",
)
FLY = Fly(image="registry.fly.io/search:1")


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig


def plain(value: Any) -> Any:
    return value["value"] if is_secret(value) else value


def test_a_render_private_service_is_a_pserv_linked_by_its_slug_and_port() -> None:
    def program() -> Any:
        search = PrivateService(
            "search", PrivateServiceArgs(name="shop-search", platform=RENDER, port=7700)
        )
        web = WebService(
            "web",
            WebServiceArgs(
                name="shop-web",
                platform=RENDER,
                links=[search, Link(search, properties={"SEARCH_HOST": "host"})],
            ),
        )
        return {"hostport": search.hostport, "url": web.url}

    built = build(program)
    services = {r.name: r.inputs for r in built.mocks.of_type("render:Service")}
    assert services["search-service"]["type"] == "pserv"
    assert plain(services["search-service"]["env_vars"]) == {"PORT": "7700"}
    assert built.value["hostport"] == "shop-search:7700"
    env = plain(services["web-service"]["env_vars"])
    assert env == {"HOSTPORT": "shop-search:7700", "SEARCH_HOST": "shop-search"}


def test_a_fly_private_service_has_no_public_address_and_answers_on_internal() -> None:
    def program() -> Any:
        search = PrivateService("search", PrivateServiceArgs(name="shop-search", platform=FLY))
        return {"hostport": search.hostport, "host": search.host}

    built = build(program)
    assert built.mocks.of_type("fly:IpAddress") == []
    assert built.value == {"hostport": "shop-search.internal:8080", "host": "shop-search.internal"}


def test_a_service_reads_its_own_url_on_either_platform_without_a_cycle() -> None:
    def program() -> Any:
        own = {"PUBLIC_URL": "url", "ADDR": "hostport"}
        WebService("r", WebServiceArgs(name="shop-r", platform=RENDER, self_properties=own))
        WebService("f", WebServiceArgs(name="shop-f", platform=FLY, self_properties=own))

    built = build(program)
    render = built.mocks.one("render:Service").inputs
    # Render knows its URL only once the service exists: the provider fills the templates in.
    assert render["self_env"] == {"PUBLIC_URL": "{url}", "ADDR": "{host}:10000"}
    machines = built.mocks.one("fly:Machines").inputs
    assert plain(machines["env"])["PUBLIC_URL"] == "https://shop-f.fly.dev"
    assert plain(machines["env"])["ADDR"] == "shop-f.internal:8080"


def test_a_worker_has_no_address_to_read() -> None:
    with pytest.raises(ArgsError, match=r"self_properties\.ME: 'url' is not a property"):
        CronJob(
            "nightly",
            CronJobArgs(
                name="x", platform=RENDER, schedule="0 3 * * *", self_properties={"ME": "url"}
            ),
        )


def test_a_cron_job_on_render_and_its_refusal_on_fly() -> None:
    built = build(
        lambda: CronJob("nightly", CronJobArgs(name="x", platform=RENDER, schedule="*/5 * * * *"))
    )
    service = built.mocks.one("render:Service").inputs
    assert (service["type"], service["schedule"]) == ("cron", "*/5 * * * *")
    assert "num_instances" not in service or service["num_instances"] is None
    with pytest.raises(ArgsError, match="never a cron expression; set platform: render"):
        CronJob("nightly", CronJobArgs(name="x", platform=FLY, schedule="0 3 * * *"))


def test_connection_parts_are_parsed_from_the_vendors_string_and_the_secrets_stay_secret() -> None:
    def program() -> Any:
        db = Postgres(
            "db", PostgresArgs(name="shop-db", provider=RenderPostgres(plan="basic_256mb"))
        )
        cache = Redis("cache", RedisArgs(name="shop-cache", provider=Upstash(plan="free")))
        names = {
            "DB_HOST": "host",
            "DB_PORT": "port",
            "DB_USER": "user",
            "DB_PASSWORD": "password",
            "DB_NAME": "database",
            "DB_ADDR": "hostport",
        }
        cache_names = {"CACHE_ADDR": "hostport", "CACHE_PASSWORD": "password"}
        WebService(
            "web",
            WebServiceArgs(
                name="shop-web",
                platform=FLY,
                links=[Link(db, properties=names), Link(cache, properties=cache_names), db],
            ),
        )

    built = build(program)
    secrets = built.mocks.one("fly:Secrets").inputs["values"]
    values = plain(secrets)
    # The mocks' internal string: postgresql://u:pw-db-db@dpg-db-db-a/db (no port: Postgres's 5432).
    assert {k: values[k] for k in ("DB_HOST", "DB_PORT", "DB_USER", "DB_NAME", "DB_ADDR")} == {
        "DB_HOST": "dpg-db-db-a",
        "DB_PORT": "5432",
        "DB_USER": "u",
        "DB_NAME": "db",
        "DB_ADDR": "dpg-db-db-a:5432",
    }
    assert values["DB_PASSWORD"] == "pw-db-db"
    assert values["CACHE_ADDR"] == "cache-db.upstash.io:6379"
    assert values["CACHE_PASSWORD"] == "pw-cache-db"
    # A plain link to a Render Postgres gives libpq's variables beside DATABASE_URL.
    assert {"DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"} <= set(values)
    assert is_secret(secrets)


def test_a_property_the_target_lacks_is_named_with_the_ones_it_has() -> None:
    def program() -> None:
        db = Postgres(
            "db", PostgresArgs(name="shop-db", provider=RenderPostgres(plan="basic_256mb"))
        )
        WebService(
            "web",
            WebServiceArgs(name="w", platform=FLY, links=[Link(db, properties={"H": "hostname"})]),
        )

    with pytest.raises(ArgsError, match=r"'hostname' is not a property of 'db'; allowed: "):
        build(program)
