"""Fault injection for tests and benchmarks: 5xx answers, 429 bursts, latency, lost responses,
malformed JSON answers.

Faults apply to vendor paths only (never the ``/_sandbox`` admin paths). A lost response is the
nasty one: the operation commits, then the connection drops before the client reads the answer.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class FaultSettings:
    """What to inject; all off by default."""

    #: Share of requests (0..1) answered with a 5xx before they reach the vendor logic.
    error_rate: float = 0.0
    #: Status used for injected errors.
    error_status: int = 503
    #: The next N requests are answered 429 with ``Retry-After: retry_after``.
    burst_429: int = 0
    retry_after: int = 1
    #: Seconds added before every request.
    latency: float = 0.0
    #: Share of write requests (0..1) whose response is dropped after the write committed.
    lost_response_rate: float = 0.0
    #: Only requests of these methods get the injected errors, e.g. ``("DELETE",)`` (empty: any).
    error_methods: tuple[str, ...] = ()
    #: The next N write requests lose their response after committing.
    lose_next_writes: int = 0
    #: Share of requests (0..1) whose answer body is cut in half (no longer JSON) after the vendor
    #: logic ran: status and headers stay, so a write has committed.
    malformed_json_rate: float = 0.0
    #: The next N requests get such a malformed answer.
    malformed_next: int = 0
    #: Only answers to these methods are malformed, e.g. ``("POST",)`` (empty: any method).
    malformed_methods: tuple[str, ...] = ()
    #: Only requests whose path contains this substring are affected (empty: all).
    path_contains: str = ""
    #: Seed for the random choices, so a run can be repeated.
    seed: int | None = None


@dataclass
class FaultState:
    """The live settings plus the counters a burst consumes."""

    settings: FaultSettings = field(default_factory=FaultSettings)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _random: random.Random = field(default_factory=random.Random)

    def configure(self, settings: FaultSettings) -> None:
        with self._lock:
            self.settings = settings
            self._random = random.Random(settings.seed)

    def applies_to(self, path: str) -> bool:
        return not path.startswith("/_sandbox") and self.settings.path_contains in path

    def take_429(self) -> int | None:
        """Retry-After seconds if this request is part of a 429 burst."""
        with self._lock:
            if self.settings.burst_429 <= 0:
                return None
            self.settings = replace(self.settings, burst_429=self.settings.burst_429 - 1)
            return self.settings.retry_after

    def take_error(self, method: str) -> int | None:
        with self._lock:
            methods = self.settings.error_methods
            if methods and method not in methods:
                return None
            if self.settings.error_rate and self._random.random() < self.settings.error_rate:
                return self.settings.error_status
        return None

    def take_lost_response(self) -> bool:
        with self._lock:
            if self.settings.lose_next_writes > 0:
                self.settings = replace(
                    self.settings, lose_next_writes=self.settings.lose_next_writes - 1
                )
                return True
            rate = self.settings.lost_response_rate
            return bool(rate) and self._random.random() < rate

    def take_malformed(self, method: str) -> bool:
        with self._lock:
            methods = self.settings.malformed_methods
            if methods and method not in methods:
                return False
            if self.settings.malformed_next > 0:
                self.settings = replace(
                    self.settings, malformed_next=self.settings.malformed_next - 1
                )
                return True
            rate = self.settings.malformed_json_rate
            return bool(rate) and self._random.random() < rate
