"""Hostile payloads for content fields: markup, scripts and template code (tests/site/test_hostile.py)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

MARK = "kompasxss"


SALVOS = {
    "html": [
        f"<script>alert('{MARK}')</script>",
        f"<SCRIPT SRC=//evil.example/{MARK}.js></SCRIPT>",
        f"<img src=x onerror=alert('{MARK}')>",
        f"<svg onload=alert('{MARK}')><circle r=1></circle></svg>",
        f"<iframe src=\"javascript:alert('{MARK}')\"></iframe>",
        f"<iframe srcdoc=\"<script>alert('{MARK}')</script>\"></iframe>",
        f"<a href=\"jav&#x09;ascript:alert('{MARK}')\">klik</a>",
        f"<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">{MARK}</a>",
        f"<div style=\"background:url(javascript:alert('{MARK}'))\" onmouseover=\"alert('{MARK}')\">x</div>",
        f"<object data=\"data:text/html,{MARK}\"></object><embed src=\"{MARK}.swf\">",
        f"<math><mtext><table><mglyph><style><img src=x onerror=alert('{MARK}')>",
        f"\"><img src=x onerror=alert('{MARK}')>",
        f"<base href=\"https://evil.example/{MARK}/\"><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
        f"&lt;script&gt;alert('{MARK}')&lt;/script&gt; &#60;script&#62;alert('{MARK}')&#60;/script&#62;",
    ],
    "markdown": [
        f"[klik](javascript:alert('{MARK}'))",
        f"[klik](JaVaScRiPt:alert('{MARK}'))",
        f"[klik](jav&#x09;ascript:alert('{MARK}'))",
        f"[klik](&#106;avascript:alert('{MARK}'))",
        f"[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg== \"{MARK}\")",
        f"![plaatje](javascript:alert('{MARK}'))",
        f"![plaatje](data:image/svg+xml,%3Csvg%20onload%3Dalert('{MARK}')%3E)",
        f"<javascript:alert('{MARK}')>",
        f"<data:text/html,{MARK}>",
        f"[klik][ref{MARK}] [ref{MARK}]: javascript:alert('{MARK}')",
        f"\" autofocus onfocus=\"alert('{MARK}') x=\"",
        f"' onmouseover='alert(`{MARK}`)",
    ],
}


# Template code: the validator refuses it in every field (TEKST-SJABLOON), see below.
TEMPLATE_PAYLOAD = f"{{{{ 7*191 }}}} {{% include 'mkdocs.yml' %}} {MARK}"


def inject(text: str, payload: str) -> str:
    """The payload after the first word, so first words and last characters stay."""
    first, _, rest = text.partition(" ")
    return f"{first} {payload} {rest}".rstrip()


URL_ATTRIBUTES = ("href", "src", "srcdoc", "action", "formaction", "data", "poster", "xlink:href", "background")
FORBIDDEN_ELEMENTS = ("iframe", "object", "embed", "frame", "frameset", "base", "applet", "math")
_WS = re.compile(r"[\x00-\x20]+")


def live_problems(html: str, page: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for element in soup.find_all(True):
        name = element.name.lower()
        if name in FORBIDDEN_ELEMENTS:
            problems.append(f"<{name}> element")
        if name in ("script", "style", "svg") and MARK in str(element):
            problems.append(f"<{name}> from content")
        if name == "meta" and element.get("http-equiv", "").lower() == "refresh":
            problems.append("meta refresh")
        for attribute, value in element.attrs.items():
            attribute = attribute.lower()
            value = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.startswith("on"):
                problems.append(f"<{name} {attribute}=...>")
            if attribute in ("style",) and MARK in value:
                problems.append(f"<{name} style> from content")
            if attribute in URL_ATTRIBUTES:
                url = _WS.sub("", value).lower()
                if url.startswith(("javascript:", "data:", "vbscript:")):
                    if (name, attribute, value) == ("form", "action", "javascript:void(0)"):
                        continue  # the theme's search form (never submitted); not content
                    problems.append(f"<{name} {attribute}=\"{value[:60]}\">")
                if MARK in value and not url.startswith(("http://", "https://")) and attribute == "src":
                    problems.append(f"<{name} src> from content")
    return [f"{page}: {p}" for p in problems]
