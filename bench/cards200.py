"""Time a PDF deck of N dilemma cards (issue 9); run as a child process by ``bench/run.py``.

Validates the project (the deck is only made from a valid corpus), takes the first N
dilemmas and renders one A4 deck with :func:`macros.printing.cards.render_deck`. Prints JSON with
the render time (excluding validation): wall clock and CPU (this process and any child
process), the number of cards and pages and the PDF size.

    python bench/cards200.py PROJECT OUT.pdf N
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main() -> None:
    project, out, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    from macros.content.validate import validate_corpus
    from macros.printing.cards import render_deck

    result = validate_corpus(project)
    if not result.ok:
        raise SystemExit("Het corpus voor de kaarten is niet geldig.")
    dilemmas = list(result.corpus.dilemmas)[:count]
    if len(dilemmas) < count:
        raise SystemExit(f"Het corpus heeft maar {len(dilemmas)} dilemma's.")
    start = time.perf_counter()
    cpu_start = _cpu()
    deck = render_deck(result.corpus, dilemmas, out, "a4", f"Benchmark: {count} kaarten")
    print(
        json.dumps(
            {
                "render_s": time.perf_counter() - start,
                "render_cpu_s": _cpu() - cpu_start,
                "cards": deck.aantal,
                "pages": deck.paginas,
                "pdf_bytes": out.stat().st_size,
            }
        )
    )


def _cpu() -> float:
    """CPU seconds of this process and of its finished child processes (should rendering ever use any)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
