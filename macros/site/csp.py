"""The Content-Security-Policy the intranet web server sends with every page of the site.

The site loads everything from its own origin and runs no inline script: Material's
small inline page scripts are external files in the theme override
(overrides/assets/javascripts/kompas-pagina.js), so the policy needs neither
'unsafe-inline' nor hashes, and stays the same when pages or the theme change.
'wasm-unsafe-eval' is for the search (Pagefind runs as WebAssembly); it allows compiling
WebAssembly, not JavaScript eval. img-src allows data: for the theme's icons in CSS.

docs/server.md shows this policy in an nginx snippet; tests/browser/test_csp.py proves
it in Chromium and checks that docs/server.md shows exactly this text.
"""

from __future__ import annotations

import re
from pathlib import Path

DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'none'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("base-uri", "'none'"),
    ("form-action", "'none'"),
    ("frame-ancestors", "'none'"),
    ("object-src", "'none'"),
)
POLICY = "; ".join(f"{name} {value}" for name, value in DIRECTIVES)

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_DATA_TYPES = {"application/json", "application/ld+json"}  # data blocks: never executed


def inline_scripts(site_dir: Path) -> list[tuple[str, str]]:
    """(page, first 80 characters) of every inline script that a browser would execute."""
    found = []
    for page in sorted(Path(site_dir).rglob("*.html")):
        for match in _SCRIPT.finditer(page.read_text(encoding="utf-8", errors="replace")):
            attributes, body = match.group(1), match.group(2)
            type_ = _TYPE.search(attributes)
            if re.search(r"\bsrc\s*=", attributes, re.IGNORECASE) or not body.strip():
                continue
            if type_ and type_.group(1).lower() in _DATA_TYPES:
                continue
            found.append((page.relative_to(site_dir).as_posix(), body.strip()[:80]))
    return found
