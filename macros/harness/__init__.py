"""Wat tests en metingen delen: Chromium via Playwright en een lokale webserver (niet in het product)."""
