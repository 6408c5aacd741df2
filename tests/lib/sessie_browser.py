"""What the browser tests of the session page (issue 28) share: a Chromium context that lets no
request leave 127.0.0.1 (and says which it stopped), the measurement of a presenter slide, and
the card text a test may put in a piece on its way from the server.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

# Does the slide fit its box at 1280x720? No element of the presenter scrolls, every line of text
# lies inside the slide's box (nothing clipped), and the sizes of the text boxes.
MEASURE = """() => {
  const dialog = document.querySelector('[data-presentatie]');
  const slot = dialog.querySelector('[data-dia]');
  const slide = slot.firstElementChild;
  const box = slot.getBoundingClientRect();
  const problems = [];
  for (const el of [document.documentElement, dialog, ...dialog.querySelectorAll('*')]) {
    const style = getComputedStyle(el);
    const scrolls = v => v === 'auto' || v === 'scroll';
    if (scrolls(style.overflowY) && el.scrollHeight > el.clientHeight + 1) problems.push('schuifbalk: ' + el.className);
    if (scrolls(style.overflowX) && el.scrollWidth > el.clientWidth + 1) problems.push('schuifbalk: ' + el.className);
  }
  if (dialog.scrollHeight > dialog.clientHeight + 1) problems.push('de presentatie is hoger dan het scherm');
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  const text = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    text.push(node.textContent.trim());
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (rect.bottom > box.bottom + 1 || rect.right > box.right + 1 || rect.top < box.top - 1 || rect.left < box.left - 1)
        problems.push('afgesneden: ' + node.textContent.trim().slice(0, 40));
    }
  }
  const size = selector => Array.from(slide.querySelectorAll(selector), e => parseFloat(getComputedStyle(e).fontSize));
  return {problems, text, kolommen: slide.dataset.kolommen, grootte: slide.dataset.grootte,
          situatie: size('.kompas-dia__situatie'), extra: size('.kompas-dia__extra:not([hidden])'),
          positie: dialog.querySelector('[data-positie]').textContent, width: innerWidth, height: innerHeight};
}"""


def local_context(browser, **options):
    """A new context whose requests may only go to 127.0.0.1 (or stay in a file, data: or blob:
    URL); every other request is aborted and listed in the returned ``blocked``."""
    context = browser.new_context(**options)
    blocked: list[str] = []

    def guard(route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or (parts.scheme == "http" and parts.hostname == "127.0.0.1"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", guard)
    return context, blocked


def watch(page) -> list[str]:
    """The page errors (uncaught exceptions) of ``page``, collected as they happen."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def open_session(context, base: str, query: str = ""):
    page = context.new_page()
    errors = watch(page)
    page.goto(base + "sessie/" + query)
    page.wait_for_selector('[data-kompas-sessie][data-klaar="lijst"]')
    return page, errors


def present(page):
    page.click("[data-presenteren]")
    page.locator("[data-presentatie]").wait_for(state="visible")


def rewrite_piece(route, change) -> None:
    """Serve a card piece (sessie/kaarten/<id>.json) with its HTML changed by ``change``."""
    piece = route.fetch().json()
    route.fulfill(
        status=200, content_type="application/json", body=json.dumps({"id": piece["id"], "html": change(piece["html"])})
    )


def longer(html: str, context_times: int, questions_times: int) -> str:
    """A card piece whose situation and help questions are repeated: longer than the card was."""
    html = re.sub(
        r'(<p class="kompas-dia__context">)(.*?)(</p>)',
        lambda m: m.group(1) + " ".join([m.group(2)] * context_times) + m.group(3),
        html,
        count=1,
        flags=re.S,
    )
    return re.sub(
        r'(<section class="kompas-dia__extra kompas-dia__hulpvragen".*?<ol>)(.*?)(</ol>)',
        lambda m: m.group(1) + m.group(2) * questions_times + m.group(3),
        html,
        count=1,
        flags=re.S,
    )
