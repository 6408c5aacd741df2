"""The floor of the build (issue 9): pure Python-Markdown conversion of the equivalent pages.

Run as a child process by ``bench/run.py``: reads every ``.md`` file under DOCS,
converts it with the same Markdown extensions as the site (one converter, reset per
page, in a loop) and writes the HTML fragment next to it under OUT. Prints JSON with
the wall and CPU time spent converting (excluding interpreter start-up and imports).

    python bench/floor.py DOCS OUT
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import markdown


def main() -> None:
    docs, out = Path(sys.argv[1]), Path(sys.argv[2])
    start = time.perf_counter()
    cpu_start = time.process_time()
    converter = markdown.Markdown(
        extensions=["attr_list", "toc", "tables", "admonition"],
        extension_configs={"toc": {"permalink": True}},
        output_format="html",
    )
    pages = 0
    size = 0
    for source in sorted(docs.rglob("*.md")):
        converter.reset()
        html = converter.convert(source.read_text(encoding="utf-8"))
        target = out / source.relative_to(docs).with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        pages += 1
        size += len(html.encode("utf-8"))
    print(
        json.dumps(
            {
                "convert_s": time.perf_counter() - start,
                "convert_cpu_s": time.process_time() - cpu_start,
                "pages": pages,
                "html_bytes": size,
            }
        )
    )


if __name__ == "__main__":
    main()
