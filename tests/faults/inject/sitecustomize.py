"""Fault injection for tests/faults/test_faults.py (loaded only when this folder is on PYTHONPATH).

``KOMPAS_FOUTPUNT=<point>:<n>`` makes the process (or a card worker) stop itself with
SIGSTOP at the n-th time it reaches ``point``; the test sees the stopped process in the
build's process group and kills the whole group with SIGKILL at exactly that moment.
``KOMPAS_GEEN_EXCHANGE=1`` makes the site swap take its fallback path (two renames).
Nothing of this lives in the product code: the points are real functions, wrapped here.
"""

from __future__ import annotations

import os
import signal

_SPEC = os.environ.get("KOMPAS_FOUTPUNT", "")


def _install() -> None:
    point, _, count = _SPEC.partition(":")
    wanted = int(count or 1)
    calls = {"n": 0}

    def hit() -> None:
        calls["n"] += 1
        if calls["n"] == wanted:
            os.kill(os.getpid(), signal.SIGSTOP)

    def wrap(owner, name, *, before=True, when=None):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            if before and (when is None or when(*args, **kwargs)):
                hit()
            result = original(*args, **kwargs)
            if not before and (when is None or when(*args, **kwargs)):
                hit()
            return result

        # pickled by name into the card workers: it must look like the function it wraps
        wrapper.__name__, wrapper.__qualname__ = original.__name__, getattr(original, "__qualname__", name)
        wrapper.__module__ = getattr(original, "__module__", None)
        setattr(owner, name, wrapper)

    if point in ("validatie", "schema"):
        from macros.content import schema, validate

        if point == "validatie":
            wrap(validate, "validate_corpus")
        else:
            wrap(validate, "validate_document") if hasattr(validate, "validate_document") else wrap(
                schema, "validate_document"
            )
    elif point == "pagina":
        from mkdocs.commands import build

        wrap(build, "_build_page")
    elif point == "zoekindex":
        from macros.site import search

        wrap(search.Indexing, "__init__", before=False)  # Pagefind is running
    elif point == "zoekindex-klaar":
        from macros.site import search

        wrap(search.Indexing, "finish")
    elif point == "kaart":
        from macros.printing import cards

        wrap(cards, "_render_parts")  # (in a worker process when there are many)
    elif point == "kaart-cache":
        from macros.store import entries

        # a rendered deck, before it is linked into the card cache (the first PDF kept in a build)
        wrap(entries, "keep_linked", when=lambda source, entry: os.fspath(entry).endswith(".pdf"))
    elif point == "kaart-kopie":
        from macros.store import entries

        wrap(entries, "link_checked", when=lambda entry, sha, target: os.fspath(target).endswith(".pdf"))
    elif point == "linkcontrole":
        from macros.site import adapter as site

        wrap(site, "check_site")
    elif point == "voor-wissel":
        from macros.store import swap

        wrap(swap, "swap_in")
    elif point == "na-wissel":
        from macros.store import swap

        wrap(swap, "sync_folder")  # right after the exchange, before the old site is removed
    elif point == "tussen-hernoemen":
        from macros.store import swap

        wrap(swap.os, "rename", when=lambda src, dst, *a, **k: "kompas-bouw-" in os.fspath(src))
    elif point == "opruimen":
        from macros.store import swap

        # the previous site itself, after the swap (not a folder inside the new site, such as its search
        # index, nor the search index's working folders)
        wrap(
            swap.shutil,
            "rmtree",
            when=lambda path, *a, **k: any(
                infix in os.path.basename(os.fspath(path)) for infix in (swap.TEMP_INFIX, swap.OLD_INFIX)
            ),
        )
    elif point == "nieuw-koppelen":
        from macros.store import atomic

        # kompas nieuw: the new file is written beside its name, not yet linked into place
        wrap(atomic.os, "link", when=lambda source, target, *a, **k: os.fspath(target).endswith(".yaml"))
    if os.environ.get("KOMPAS_GEEN_EXCHANGE"):
        from macros.store import swap

        swap.exchange = lambda a, b: False


if _SPEC:
    _install()
elif os.environ.get("KOMPAS_GEEN_EXCHANGE"):
    from macros.store import swap

    swap.exchange = lambda a, b: False
