"""``python -m paas_stacks.cost``: the breakdown as a table or JSON, and the difference from
another stack priced together with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paas_stacks.components.spec import load_stack
from paas_stacks.cost.cli import main, price_stacks

STACKS = Path(__file__).resolve().parents[3] / "stacks"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--stacks-dir", str(STACKS)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_table_lists_every_line_its_total_and_the_difference(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUPABASE_ACCESS_TOKEN", raising=False)
    code, out, _ = run(capsys, "mais-production", "--against", "mais-staging")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "mais-production: 87.00 USD a month (all prices from the tables (no "
        "SUPABASE_ACCESS_TOKEN: Supabase prices from the table))"
    )
    rows = {line.split("  ")[0]: line for line in lines[2:]}
    assert "pro" in rows["render workspace"]
    assert "no ceiling" in rows["cache"]
    # Priced together, the base (staging, same organization) pays the Pro fee: production's
    # project is its compute only.
    assert "counted on mais-staging.db" in rows["db"]
    assert out.endswith("  total             +48.00\n")
    assert "against mais-staging: 39.00 a month" in out


def test_json_carries_the_lines_the_total_and_the_difference(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "mvp", "--json", "--against", "mvp", "--no-live")
    assert code == 0
    body = json.loads(out)
    assert (body["stack"], body["total_usd"], body["max_total_usd"]) == ("mvp", 6.0, 27.4)
    assert body["prices"] == "all prices from the tables (live prices not asked for)"
    disk = next(line for line in body["lines"] if line["item"] == "stopped disk")
    assert (disk["usd"], disk["source"]) == (0.3, "table")
    assert body["difference_usd"] == 0
    assert set(body["difference"]) == {"api", "db", "cache", "web", "assets"}


def test_an_unknown_stack_is_one_line_naming_what_exists(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "mvpp")
    assert (code, out) == (1, "")
    assert err.startswith("cost: ")
    assert "mvpp" in err
    assert len(err.strip().splitlines()) == 1


def test_without_a_token_live_prices_fall_back_to_the_tables_and_say_why() -> None:
    spec = load_stack("wecelebrate", STACKS, check_secrets=False)
    [report] = price_stacks([spec], live=True, env={})
    assert report.sources() == (
        "all prices from the tables (no SUPABASE_ACCESS_TOKEN: Supabase prices from the table)"
    )
    assert report.total_usd == 130
