"""The shared HTTP layer: what is retried, how long it waits, and what an error says."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from paas_stacks.providers._http import (
    ConfigError,
    Endpoint,
    HttpClient,
    RetryPolicy,
    VendorError,
    setting,
)

TOKEN = "tok-very-secret-123"


class Client(HttpClient):
    vendor = "Acme"
    reset_headers = ("ratelimit-reset",)


def make(
    handler: Callable[[httpx.Request], httpx.Response], **policy: float
) -> tuple[Client, list[float]]:
    waits: list[float] = []
    client = Client(
        Endpoint("https://api.acme.test/v1", {"authorization": f"Bearer {TOKEN}"}, (TOKEN,)),
        policy=RetryPolicy(**policy),  # type: ignore[arg-type]
        transport=httpx.MockTransport(handler),
        sleep=waits.append,
    )
    return client, waits


def answers(*responses: httpx.Response | Exception) -> Callable[[httpx.Request], httpx.Response]:
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    return handler


def test_a_get_is_retried_on_503_and_on_a_dropped_connection() -> None:
    client, waits = make(
        answers(
            httpx.Response(503),
            httpx.RemoteProtocolError("peer closed"),
            httpx.Response(200, json={"ok": True}),
        )
    )
    assert client.json("GET", "/things") == {"ok": True}
    assert len(waits) == 2


def test_a_429_waits_for_retry_after_even_on_a_post() -> None:
    client, waits = make(
        answers(httpx.Response(429, headers={"retry-after": "3"}), httpx.Response(201, json={}))
    )
    client.request("POST", "/things", json={})
    assert 3.0 <= waits[0] <= 3.1


def test_a_rate_limit_reset_header_is_used_when_there_is_no_retry_after() -> None:
    client, waits = make(
        answers(httpx.Response(429, headers={"ratelimit-reset": "7"}), httpx.Response(200))
    )
    client.request("GET", "/things")
    assert 7.0 <= waits[0] <= 7.1


def test_hinted_waits_are_capped() -> None:
    client, waits = make(
        answers(httpx.Response(429, headers={"retry-after": "3600"}), httpx.Response(200)),
        max_delay=5.0,
    )
    client.request("GET", "/things")
    assert waits[0] <= 5.1


def test_a_post_answered_503_is_not_repeated_and_says_it_may_have_applied() -> None:
    client, waits = make(answers(httpx.Response(503, json={"message": "busy"})))
    with pytest.raises(VendorError) as raised:
        client.request("POST", "/things", json={})
    assert raised.value.maybe_applied
    assert waits == []


def test_a_post_whose_answer_was_lost_is_not_repeated() -> None:
    client, _ = make(answers(httpx.RemoteProtocolError("incomplete body")))
    with pytest.raises(VendorError) as raised:
        client.request("POST", "/things", json={})
    assert raised.value.maybe_applied
    assert raised.value.status is None


def test_a_post_that_never_connected_is_retried() -> None:
    client, waits = make(answers(httpx.ConnectError("refused"), httpx.Response(201, json={})))
    client.request("POST", "/things", json={})
    assert len(waits) == 1


def test_retries_stop_at_the_attempt_bound() -> None:
    client, waits = make(answers(*[httpx.Response(502)] * 3), attempts=3)
    with pytest.raises(VendorError) as raised:
        client.request("GET", "/things")
    assert raised.value.status == 502
    assert len(waits) == 2


def test_retries_stop_when_the_time_budget_would_be_exceeded() -> None:
    client, waits = make(
        answers(httpx.Response(429, headers={"retry-after": "8"}), httpx.Response(200)),
        total=5.0,
    )
    with pytest.raises(VendorError):
        client.request("GET", "/things")
    assert waits == []


def test_an_error_is_one_line_with_method_path_status_message_and_request_id() -> None:
    body = {"message": f"key {TOKEN} is not allowed here"}
    client, _ = make(answers(httpx.Response(403, json=body, headers={"x-request-id": "req-42"})))
    with pytest.raises(VendorError) as raised:
        client.request("DELETE", "/things/7")
    text = str(raised.value)
    assert text == (
        "Acme API: DELETE /v1/things/7 -> 403: key [redacted] is not allowed here "
        "(request id req-42)"
    )
    assert "\n" not in text


def test_a_bare_string_error_body_is_the_message() -> None:
    client, _ = make(answers(httpx.Response(400, json="database with name x already exists")))
    with pytest.raises(VendorError, match="400: database with name x already exists"):
        client.request("POST", "/redis/database", json={})


def test_an_answer_that_is_not_json_is_a_clear_error() -> None:
    client, _ = make(answers(httpx.Response(200, text="<html>gateway</html>")))
    with pytest.raises(VendorError, match="not JSON"):
        client.json("GET", "/things")


def test_404_means_none_on_get_and_done_on_delete() -> None:
    client, _ = make(answers(httpx.Response(404), httpx.Response(404)))
    assert client.get_or_none("/things/1") is None
    client.delete("/things/1")


def test_settings_come_from_stack_config_before_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACME_KEY", "from-env")
    assert setting({"acme:key": "from-config"}, "acme:key", "ACME_KEY") == "from-config"
    assert setting({}, "acme:key", "ACME_KEY") == "from-env"
    assert setting(None, "acme:url", "ACME_URL", "https://default") == "https://default"


def test_config_error_is_an_exception_type_of_its_own() -> None:
    assert not issubclass(ConfigError, VendorError)
