"""``make mutants``' list is well-formed (each edit applies to exactly one place, its tests
exist) and holds every breakage issue 18 found uncaught. The mutants themselves run in
``make mutants``, not here."""

from __future__ import annotations

from bench.mutant_list import ITEMS, MUTANTS, Mutant
from bench.mutants import problems, verdict


def test_every_mutant_applies_to_exactly_one_place_and_names_tests_that_exist() -> None:
    assert problems(MUTANTS) == []


def test_every_uncaught_item_of_issue_18_is_a_mutant() -> None:
    assert {mutant.item for mutant in ITEMS} == set(range(1, 11))
    assert all(mutant.item is None for mutant in MUTANTS if mutant not in ITEMS)


def test_a_mutant_whose_text_is_gone_is_reported_not_skipped() -> None:
    stale = Mutant("gone", "providers/_http.py", "no such text", "x", ("tests/unit",))
    assert problems((stale,)) == ["'gone': its text occurs 0 times in providers/_http.py"]


def test_only_failing_or_broken_tests_count_as_a_kill() -> None:
    assert [verdict(code) for code in (0, 1, 2, None, 4, 5)] == [
        "survived",
        "killed",
        "killed",
        "timeout",
        "error",
        "error",
    ]
