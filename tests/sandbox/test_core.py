"""The sandbox core: persistence, counters, injected faults and the real databases it hands out."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
import redis

from sandbox import Sandbox, SandboxConfig
from sandbox.core.faults import FaultSettings
from sandbox.core.postgres import SOCKET_PATH_MAX
from tests.sandbox.conftest import NO_DELAYS

FAKE = "tests.sandbox.fake_vendor"


@pytest.fixture
def core(tmp_path: Path) -> Iterator[Sandbox]:
    running = Sandbox(SandboxConfig(state_dir=tmp_path, vendors=(FAKE,), delays=NO_DELAYS))
    running.start()
    yield running
    running.stop()


def _client(sandbox: Sandbox, token: str = "fake-token-a") -> httpx.Client:
    return httpx.Client(
        base_url=sandbox.origin(FAKE), headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def test_objects_survive_a_restart_on_the_same_state_dir(tmp_path: Path) -> None:
    first = Sandbox(SandboxConfig(state_dir=tmp_path, vendors=(FAKE,), delays=NO_DELAYS))
    first.start()
    with _client(first) as client:
        assert client.post("/v9/items/kept").status_code == 201
    first.stop()
    second = Sandbox(SandboxConfig(state_dir=tmp_path, vendors=(FAKE,), delays=NO_DELAYS))
    second.start()
    try:
        with _client(second) as client:
            assert client.get("/v9/items/kept").json() == {"id": "kept"}
    finally:
        second.stop()


def test_a_workspace_never_sees_another_workspaces_objects(core: Sandbox) -> None:
    with _client(core) as mine, _client(core, "fake-token-b") as theirs:
        mine.post("/v9/items/private")
        assert theirs.get("/v9/items/private").status_code == 404


def test_every_request_is_counted_per_method_and_route(core: Sandbox) -> None:
    with _client(core) as client:
        client.post("/v9/items/a")
        client.get("/v9/items/a")
        client.get("/v9/items/a")
    counters = httpx.get(core.origin(FAKE) + "/_sandbox/counters").json()
    assert counters["GET /v9/items/{item_id}"] == 2
    assert counters["POST /v9/items/{item_id}"] == 1
    assert counters["writes"] == 1


def test_a_429_burst_carries_retry_after_then_stops(core: Sandbox) -> None:
    core.set_faults(FaultSettings(burst_429=2, retry_after=7))
    with _client(core) as client:
        statuses = [client.get("/v9/items/x") for _ in range(3)]
    assert [r.status_code for r in statuses] == [429, 429, 404]
    assert statuses[0].headers["retry-after"] == "7"


def test_an_error_rate_of_one_answers_every_request_with_the_configured_5xx(core: Sandbox) -> None:
    core.set_faults(FaultSettings(error_rate=1.0, error_status=502))
    with _client(core) as client:
        assert client.post("/v9/items/never").status_code == 502
    core.set_faults(FaultSettings())
    with _client(core) as client:
        assert client.get("/v9/items/never").status_code == 404


def test_a_lost_response_commits_the_write_but_the_client_gets_no_answer(core: Sandbox) -> None:
    core.set_faults(FaultSettings(lose_next_writes=1))
    with _client(core) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.post("/v9/items/committed")
        assert client.get("/v9/items/committed").status_code == 200


def test_admin_faults_endpoint_configures_the_same_faults(core: Sandbox) -> None:
    httpx.post(core.origin(FAKE) + "/_sandbox/faults", json={"burst_429": 1})
    with _client(core) as client:
        assert client.get("/v9/items/x").status_code == 429


def test_a_handed_out_postgres_database_really_connects_and_is_really_dropped(
    core: Sandbox,
) -> None:
    database = core.postgres.create_database("app_db", "app_user", "s3cret-pw")
    with psycopg.connect(database.url()) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("app_user",)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(database.url().replace("s3cret-pw", "wrong"))
    core.postgres.drop_database("app_db", "app_user")
    assert "app_db" not in core.postgres.database_names()


def test_a_state_dir_too_deep_for_a_unix_socket_still_runs_postgres_and_keeps_its_data(
    tmp_path: Path,
) -> None:
    # A seven-digit pid in the session dir, a long test name: the socket path under the state
    # dir would pass the 107 bytes Linux allows, and PostgreSQL would refuse to start.
    deep = tmp_path / ("d" * 60) / "state"
    assert len(str(deep / "postgres" / "run" / ".s.PGSQL.65535")) > SOCKET_PATH_MAX
    first = Sandbox(SandboxConfig(state_dir=deep, vendors=(FAKE,), delays=NO_DELAYS))
    first.start()
    socket_dir = first.postgres.socket_dir
    assert len(str(socket_dir / ".s.PGSQL.65535")) <= SOCKET_PATH_MAX
    database = first.postgres.create_database("deep_db", "deep_user", "pw-deep")
    with psycopg.connect(database.url(), connect_timeout=10) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    first.stop()
    assert not socket_dir.exists()  # the short dir is the run's own, and goes with it
    again = Sandbox(SandboxConfig(state_dir=deep, vendors=(FAKE,), delays=NO_DELAYS))
    again.start()
    try:
        assert "deep_db" in again.postgres.database_names()
    finally:
        again.stop()


def test_a_handed_out_redis_really_needs_its_password_and_can_be_rekeyed(core: Sandbox) -> None:
    port = core.redis.create("cache-1", "first-pw")
    assert redis.Redis(port=port, password="first-pw").ping()
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(port=port, password="wrong").ping()
    core.redis.set_password("cache-1", "second-pw")
    assert redis.Redis(port=port, password="second-pw").ping()
    core.redis.delete("cache-1")
    with pytest.raises(redis.ConnectionError):
        redis.Redis(port=port, password="second-pw", socket_timeout=2).ping()


def test_a_sql_script_answers_with_the_rows_of_its_last_statement(core: Sandbox) -> None:
    core.postgres.create_database("script_db", "script_user", "pw-1")
    rows = core.postgres.query(
        "script_db", "CREATE TABLE t (n int); INSERT INTO t VALUES (7); SELECT n FROM t"
    )
    assert rows == [{"n": 7}]


def test_the_admin_calls_are_neither_logged_nor_counted(core: Sandbox) -> None:
    with _client(core) as client:
        client.get("/v9/items/a")
    admin = httpx.Client(base_url=core.origin(FAKE))
    for _ in range(3):
        admin.get("/_sandbox/requests")
        admin.get("/_sandbox/counters")
    admin.post("/_sandbox/faults", json={})
    counters = admin.get("/_sandbox/counters").json()
    assert counters["GET"] == 1
    assert counters["writes"] == 0
    assert [entry["path"] for entry in admin.get("/_sandbox/requests").json()] == ["/v9/items/a"]
    assert counters["last_seq"] == 1


def test_a_sandbox_that_cannot_take_its_port_leaves_no_postgres_running(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        config = SandboxConfig(
            state_dir=tmp_path, vendors=(FAKE,), delays=NO_DELAYS, ports={FAKE: port}
        )
        failing = Sandbox(config)
        with pytest.raises(OSError, match="in use"):
            failing.start()
    assert not (tmp_path / "postgres" / "data" / "postmaster.pid").exists()
    # The same state dir starts cleanly afterwards: nothing of the failed start holds it.
    again = Sandbox(SandboxConfig(state_dir=tmp_path, vendors=(FAKE,), delays=NO_DELAYS))
    again.start()
    again.stop()
