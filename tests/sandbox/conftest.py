"""The sandbox fixtures live in ``tests/conftest.py``; these names stay importable from here."""

from tests.conftest import NO_DELAYS, SandboxFactory

__all__ = ["NO_DELAYS", "SandboxFactory"]
