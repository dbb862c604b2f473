"""The shared HTTP layer: what is retried, how long it waits, and what an error says."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from paas_stacks.errors import (
    ConfigurationError,
    ConflictError,
    CredentialsError,
    InvalidRequestError,
    NotFoundError,
    PaasStacksError,
    RateLimitedError,
    UnauthorizedError,
    VendorConnectionError,
    VendorError,
    VendorServerError,
    VendorStatusError,
)
from paas_stacks.providers._http import Endpoint, HttpClient, RetryPolicy, setting

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
    with pytest.raises(UnauthorizedError) as raised:
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
    with pytest.raises(VendorError, match="not valid JSON") as raised:
        client.json("GET", "/things")
    assert "gateway" not in str(raised.value)  # described, never quoted


def test_404_means_none_on_get_and_done_on_delete() -> None:
    client, _ = make(answers(httpx.Response(404), httpx.Response(404)))
    assert client.get_or_none("/things/1") is None
    client.delete("/things/1")


def test_a_delete_answered_500_is_an_error_not_done() -> None:
    # Counted as done, the engine would drop the resource from the state while it lives on.
    client, waits = make(answers(httpx.Response(500, json={"message": "database busy"})))
    with pytest.raises(VendorServerError, match=r"DELETE /v1/things/1.*500.*database busy"):
        client.delete("/things/1")
    assert waits == []  # a 500 is not one of the statuses worth repeating


def test_settings_come_from_stack_config_before_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACME_KEY", "from-env")
    assert setting({"acme:key": "from-config"}, "acme:key", "ACME_KEY") == "from-config"
    assert setting({}, "acme:key", "ACME_KEY") == "from-env"
    assert setting(None, "acme:url", "ACME_URL", "https://default") == "https://default"


def test_a_credentials_error_is_a_configuration_error_not_a_vendor_error() -> None:
    assert issubclass(CredentialsError, ConfigurationError)
    assert not issubclass(CredentialsError, VendorError)


# -- the status picks the class ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, InvalidRequestError),
        (422, InvalidRequestError),
        (401, UnauthorizedError),
        (403, UnauthorizedError),
        (404, NotFoundError),
        (409, ConflictError),
        (412, ConflictError),
        (429, RateLimitedError),
        (500, VendorServerError),
        (502, VendorServerError),
        (503, VendorServerError),
        (504, VendorServerError),
    ],
)
def test_each_error_status_raises_its_own_class(status: int, kind: type[VendorError]) -> None:
    client, _ = make(answers(httpx.Response(status, json={"message": "no"})), attempts=1)
    with pytest.raises(kind) as raised:
        client.request("GET", "/things/1")
    error = raised.value
    assert type(error) is kind
    assert isinstance(error, VendorStatusError)
    assert isinstance(error, PaasStacksError)
    assert error.status == status
    assert str(error) == f"Acme API: GET /v1/things/1 -> {status}: no"


def test_a_status_with_no_class_of_its_own_is_a_plain_status_error() -> None:
    client, _ = make(answers(httpx.Response(418, json={"message": "teapot"})))
    with pytest.raises(VendorStatusError) as raised:
        client.request("GET", "/things/1")
    assert type(raised.value) is VendorStatusError


def test_no_answer_at_all_is_a_connection_error() -> None:
    client, _ = make(answers(*[httpx.ConnectError("refused")] * 2), attempts=2)
    with pytest.raises(VendorConnectionError) as raised:
        client.request("GET", "/things")
    assert raised.value.status is None
    assert not isinstance(raised.value, VendorStatusError)
    assert "-> no response: ConnectError: refused" in str(raised.value)


def test_a_success_answer_that_is_not_json_is_a_vendor_error_without_a_status_class() -> None:
    client, _ = make(answers(httpx.Response(200, text=f"<html>{TOKEN}</html>")))
    with pytest.raises(VendorError) as raised:
        client.json("GET", "/things")
    assert type(raised.value) is VendorError
    assert TOKEN not in str(raised.value)


def test_a_multi_line_error_body_becomes_one_redacted_line() -> None:
    body = f"upstream failed\nwhile using {TOKEN}\r\nretry later"
    client, _ = make(answers(httpx.Response(400, text=body)))
    with pytest.raises(InvalidRequestError) as raised:
        client.request("POST", "/things", json={})
    text = str(raised.value)
    assert text == (
        "Acme API: POST /v1/things -> 400: upstream failed while using [redacted] retry later"
    )


def test_a_vendor_client_refines_the_class_from_its_error_body() -> None:
    class Picky(Client):
        def error_class(self, response: httpx.Response) -> type[VendorStatusError]:
            if response.json().get("code") == "exists":
                return ConflictError
            return super().error_class(response)

    client = Picky(
        Endpoint("https://api.acme.test/v1", {}),
        transport=httpx.MockTransport(
            answers(
                httpx.Response(400, json={"message": "dup", "code": "exists"}),
                httpx.Response(400, json={"message": "bad", "code": "shape"}),
            )
        ),
    )
    with pytest.raises(ConflictError):
        client.request("POST", "/things", json={})
    with pytest.raises(InvalidRequestError):
        client.request("POST", "/things", json={})
