"""The one bounded polling loop: its cadence, its bound, and what it says while it waits."""

from __future__ import annotations

import pytest

from paas_stacks.providers._wait import Backoff, poll_until


class Clock:
    """A clock that only moves when told, so the bound is exercised without real time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def give_up(answer: str, waited: float) -> str:
    raise TimeoutError(f"still {answer} after {waited:.0f}s")


def test_it_returns_the_first_answer_that_is_done_and_sleeps_doubling_delays() -> None:
    answers = iter(["pending"] * 6 + ["live"])
    slept: list[float] = []
    said: list[tuple[str, float, float]] = []
    result = poll_until(
        lambda: next(answers),
        lambda answer: answer == "live",
        limit=600,
        sleep=slept.append,
        say=lambda answer, waited, delay: said.append((answer, waited, delay)),
        timeout=give_up,
        clock=Clock(),
    )
    assert result == "live"
    assert slept == [1, 2, 4, 8, 15, 15]
    assert [waited for _, waited, _ in said] == [0, 1, 3, 7, 15, 30]


def test_a_sleep_that_does_not_sleep_still_ends_the_wait_at_the_limit() -> None:
    slept: list[float] = []
    with pytest.raises(TimeoutError, match="still pending after 30s"):
        poll_until(
            lambda: "pending",
            lambda _answer: False,
            limit=40,
            sleep=slept.append,
            say=lambda *_: None,
            timeout=give_up,
            clock=Clock(),
        )
    # 1+2+4+8+15 = 30; one more 15 s sleep would pass 40 s, so the wait stops first.
    assert sum(slept) == 30


def test_time_spent_in_the_checks_counts_too() -> None:
    clock = Clock()

    def slow_check() -> str:
        clock.now += 25  # each check takes 25 s of real time
        return "pending"

    slept: list[float] = []
    with pytest.raises(TimeoutError, match="after 75s"):
        poll_until(
            slow_check,
            lambda _answer: False,
            limit=60,
            sleep=slept.append,
            say=lambda *_: None,
            timeout=give_up,
            clock=clock,
        )
    # Checks end at 25, 50 and 75 s: the slept 1 + 2 s alone would allow many more.
    assert slept == [1, 2]


def test_a_timeout_may_settle_for_the_last_answer_and_the_backoff_is_per_wait() -> None:
    slept: list[float] = []
    result = poll_until(
        lambda: "stored",
        lambda _answer: False,
        limit=0.9,
        sleep=slept.append,
        say=lambda *_: None,
        timeout=lambda answer, _waited: f"{answer} (settled)",
        backoff=Backoff(first=0.2, cap=0.4),
        clock=Clock(),
    )
    assert result == "stored (settled)"
    assert slept == [0.2, 0.4]
