"""Finished HTML goes into the page verbatim, without a second parse by Python-Markdown.

The templates wrap every HTML block of a page in two marker comments (the ``html``
macro in ``templates/_macros.j2``). Python-Markdown would otherwise run each block
through its HTML parser only to find where the block ends and then keep it unchanged;
on item pages that parse was the largest single cost of the build. This preprocessor
runs before Python-Markdown's own HTML-block step and stores each marked block in the
HTML stash, exactly as that step would have done, so the output is the same.

Content cannot forge a marker: text from content is escaped (``<`` becomes ``&lt;``)
and Markdown fields are sanitised with nh3, which drops comments.
"""

from __future__ import annotations

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

START = "<!-- kompas:html -->"
END = "<!-- /kompas:html -->"


class _StashMarked(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        block: list[str] | None = None
        for line in lines:
            if block is None:
                if line == START:
                    block = []
                else:
                    out.append(line)
            elif line == END:
                html = "\n".join(block).strip("\n")
                if html:
                    out.extend(("", self.md.htmlStash.store(html), ""))
                block = None
            else:
                block.append(line)
        if block is not None:  # no end marker: leave the text to Python-Markdown as it was
            out.append(START)
            out.extend(block)
        return out


class RawHtmlExtension(Extension):
    """Register with ``markdown.Markdown(extensions=[RawHtmlExtension()])``."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        # html_block has priority 20 and normalize_whitespace 30: run in between.
        md.preprocessors.register(_StashMarked(md), "kompas_html", 25)
