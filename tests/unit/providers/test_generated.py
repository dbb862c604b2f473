"""GeneratedSecret draws once, keeps its value through refresh, and rotates only by replacement
(any input change, e.g. a bumped ``version``); it pickles as a bare class reference."""

from __future__ import annotations

import base64
import binascii
import pickle
import re

import pytest
from pulumi.runtime import rpc

from paas_stacks.providers.generated import GeneratedSecretProvider, encode


def create(**props: object) -> dict[str, object]:
    result = GeneratedSecretProvider().create(dict(props))
    assert result.id
    assert result.outs is not None
    return dict(result.outs)


def test_hex_draws_two_characters_per_byte_like_openssl_rand_hex() -> None:
    outs = create(length_bytes=32, encoding="hex", version=1)
    value = str(outs["value"])
    assert re.fullmatch(r"[0-9a-f]{64}", value)
    assert len(binascii.unhexlify(value)) == 32


def test_base64_is_padded_and_decodes_to_the_requested_length() -> None:
    value = str(create(length_bytes=16, encoding="base64")["value"])
    assert value.endswith("==")
    assert len(base64.b64decode(value)) == 16


def test_urlsafe_has_no_padding_and_no_url_unsafe_characters() -> None:
    value = str(create(length_bytes=32, encoding="urlsafe")["value"])
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", value)


def test_omitted_inputs_default_to_32_hex_bytes_version_1() -> None:
    outs = create()
    assert (outs["length_bytes"], outs["encoding"], outs["version"]) == (32, "hex", 1)
    assert len(str(outs["value"])) == 64


def test_two_draws_differ_and_the_id_never_contains_the_value() -> None:
    provider = GeneratedSecretProvider()
    first, second = provider.create({}), provider.create({})
    assert first.outs is not None
    assert second.outs is not None
    assert first.outs["value"] != second.outs["value"]
    assert first.outs["value"] not in first.id


def test_unchanged_inputs_are_no_change_even_when_left_to_their_defaults() -> None:
    olds = create(length_bytes=32, encoding="hex", version=1)
    diff = GeneratedSecretProvider().diff("id", olds, {})
    assert diff.changes is False
    assert diff.replaces == []


def test_a_version_bump_replaces_creating_the_new_value_first() -> None:
    olds = create(version=1)
    diff = GeneratedSecretProvider().diff("id", olds, {"version": 2})
    assert diff.changes is True
    assert diff.replaces == ["version"]
    assert diff.delete_before_replace is False


@pytest.mark.parametrize("news", [{"length_bytes": 64}, {"encoding": "base64"}])
def test_any_other_input_change_replaces_too(news: dict[str, object]) -> None:
    olds = create()
    diff = GeneratedSecretProvider().diff("id", olds, news)
    assert diff.replaces == list(news)


def test_an_unknown_input_is_a_replacement() -> None:
    diff = GeneratedSecretProvider().diff("id", create(), {"version": rpc.UNKNOWN})
    assert diff.replaces == ["version"]


def test_read_keeps_the_stored_value() -> None:
    outs = create()
    read = GeneratedSecretProvider().read("generated-1", outs)
    assert read.id == "generated-1"
    assert read.outs == outs


def test_check_refuses_an_unknown_encoding_and_a_zero_length() -> None:
    result = GeneratedSecretProvider().check({}, {"encoding": "base32", "length_bytes": 0})
    assert sorted(failure.property for failure in result.failures) == ["encoding", "length_bytes"]


def test_check_accepts_unknown_inputs_during_preview() -> None:
    assert GeneratedSecretProvider().check({}, {"version": rpc.UNKNOWN}).failures == []


def test_the_provider_pickles_as_a_class_reference_with_no_state() -> None:
    provider = GeneratedSecretProvider()
    assert vars(provider) == {}
    assert type(pickle.loads(pickle.dumps(provider))) is GeneratedSecretProvider  # noqa: S301


def test_encode_matches_the_openssl_forms() -> None:
    raw = bytes(range(4))
    assert encode(raw, "hex") == "00010203"
    assert encode(raw, "base64") == "AAECAw=="
    assert encode(raw, "urlsafe") == "AAECAw"
