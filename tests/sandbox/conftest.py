"""The sandbox fixtures live in ``tests/conftest.py``; these names stay importable from here."""

from tests.conftest import NO_DELAYS, ManualClock, SandboxFactory

__all__ = ["NO_DELAYS", "ManualClock", "SandboxFactory"]
