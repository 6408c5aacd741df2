"""Helpers shared by the test tiers (tests/unit, tests/site, tests/browser, tests/print, tests/faults)."""
