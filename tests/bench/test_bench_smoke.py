"""The benchmark scripts on a tiny size: they run end to end and hold the rules they report (no
write on a no-op ``up``, one create per resource, the floor makes no call). Times are never
asserted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench import imports, scaling, stacks
from bench.__main__ import write
from bench.harness import METHODS

pytestmark = pytest.mark.engine


def test_the_benchmarks_run_on_one_demo_and_one_database_and_write_their_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "CASES", {"interpreter only": "pass"})
    results: dict[str, Any] = {
        "machine": "test",
        "load_before": "0",
        "load_after": "0",
        "stacks": stacks.run(("demo",), 1),
        "scaling": scaling.run((1,), 1),
        "imports": imports.run(1),
    }

    write(results, tmp_path)

    demo = results["stacks"]["demo"]
    assert set(demo["methods"]) == set(METHODS)
    assert demo["methods"]["noop_up"]["writes"] == 0
    assert demo["methods"]["up"]["writes"] > 0
    assert all(demo["methods"][m]["floor_calls"] == 0 for m in METHODS)
    assert demo["up_creates"]["one_create_per_resource"] is True
    one = results["scaling"]["sizes"]["1"]
    assert one["up"]["calls"] > 0
    assert one["noop_up"]["writes"] == 0
    assert results["imports"]["importtime_seconds"]["total"] > 0
    for name in ("stacks.json", "scaling.json", "imports.json", "results.md", "chart.png"):
        assert (tmp_path / name).stat().st_size > 0
    assert "| demo | noop_up |" in (tmp_path / "results.md").read_text()
