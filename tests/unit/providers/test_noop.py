"""The do-nothing provider diffs only what the user set, so a no-op update stays a no-op."""

from __future__ import annotations

from paas_stacks.providers.noop import RecordProvider


def test_an_absent_data_input_matches_the_empty_data_output() -> None:
    provider = RecordProvider()
    outs = provider.create({"value": "x"}).outs or {}
    assert provider.diff("id", outs, {"value": "x"}).changes is False


def test_a_changed_value_is_an_update_and_bumps_the_revision() -> None:
    provider = RecordProvider()
    outs = provider.create({"value": "x"}).outs or {}
    assert provider.diff("id", outs, {"value": "y"}).changes is True
    assert provider.update("id", outs, {"value": "y"}).outs == {
        "value": "y",
        "data": {},
        "revision": 2,
    }
