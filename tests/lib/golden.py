"""Updating golden files (KOMPAS_GOLDEN=bijwerken), and the rule that CI never does it.

In CI a test that rewrites its own expected output would always pass: the update is
refused there (CI=true) and the test fails with a message instead."""

from __future__ import annotations

import os

import pytest

REFUSED = (
    "KOMPAS_GOLDEN=bijwerken wordt geweigerd onder CI=true: in CI worden goldenbestanden nooit "
    "bijgewerkt, alleen vergeleken. Werk ze lokaal bij en commit de wijziging."
)


def update_requested(environ=None) -> bool:
    """True when the golden files should be rewritten; fails the test under CI=true."""
    environ = os.environ if environ is None else environ
    if environ.get("KOMPAS_GOLDEN") != "bijwerken":
        return False
    if environ.get("CI", "").lower() == "true":
        pytest.fail(REFUSED, pytrace=False)
    return True
