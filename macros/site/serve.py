"""The serve part of the site: `make serve` rebuilds only what a change touches.

It shares the build's state with the hooks (macros/site/state.py); the adapter does not import
it (MkDocs calls :func:`hook_serve` through the hooks shim). A full `kompas bouw` never runs this code.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.diagnostics import format_report
from ..content.vocabulary import SCHEMA_DIR
from ..printing.cards import SITE_FOLDER, KaartFout
from ..printing.druk import SITE_FOLDER as DRUK_FOLDER
from ..printing.druk import DrukFout
from ..render import session
from ..render.render import DOELGROEP_LABELS, KERNWAARDE_LABELS, page_path
from ..store.keys import cache_root
from ..verdict import validate_project
from . import engine
from .engine import Abort
from .history import FEED_PATH, atom_feed, fragment_context
from .linkcheck import cache_dir as links_cache_dir
from .linkcheck import check_site
from .pages import generated_page, generated_pages, make_renderer, print_documents
from .state import STATE, log

if TYPE_CHECKING:
    import subprocess

    from .search import Indexing

# -- make serve: rebuild only what a change touches ------------------------------------------
# `mkdocs serve` rebuilds the whole site on every save (85-92 s per edit at 10x the starter
# corpus); MkDocs' --dirty does not help, because generated files always count as modified.
# The adapter takes over the rebuild step of the dev server (``LiveReloadServer.builder``,
# which MkDocs calls from its build loop while page requests wait for the new site):
#
# 1. validate the whole corpus (per-file cache: only the saved files are parsed again) with the
#    same report as a full build; an error stops here, the terminal shows file:line and the
#    server keeps holding page requests until the content is fixed (MkDocs' own behaviour);
# 2. compare the new corpus with the one of the last build; when only dilemmas changed, build
#    the page of each changed dilemma now, with the engine's own page steps (through the seam,
#    macros/site/engine.py) and the config, files, navigation and theme environment of the last full
#    build, strictly (a warning fails the rebuild, like `mkdocs build --strict`), and check its
#    links; then the server shows it. Any other change renders every generated page and rebuilds
#    the ones that changed, and the hand-written pages whose macros give another output, now;
# 3. in the background, right after: the other pages that show the changed dilemmas (sheets,
#    modules, rulings, core value and target group pages, overviews with macros), the feed, the
#    search index (built beside the old one and swapped in), the link check of the whole site,
#    a check that every generated page equals a fresh rendering (a page missed by step 2 is
#    reported and the next change runs the full build), and the card decks in a process of
#    their own (unchanged decks come from the cache). A new save stops this work; pages it did
#    not reach are rebuilt in the next round. Every HTML file is written beside the old one and
#    renamed over it, so a request never reads half a page.
#
# Anything else (a file added or removed, a hand-written page, mkdocs.yml, a schema) runs the
# normal full build. tests/site/test_serve.py checks the result against a full build and fails
# loudly when the engine internals used here change (tests/site/test_engine.py).


def pages_showing_dilemmas(old, new, ids) -> set[str]:
    """The generated pages that show something of the dilemmas ``ids``, before or after a change."""
    pages: set[str] = set()
    ruling_page = {u.ecli: page_path("uitspraak", u.id) for u in (*old.uitspraken, *new.uitspraken)}
    for corpus in (old, new):
        per_module = corpus.modules_per_dilemma
        for item_id in ids:
            item = corpus.dilemma.get(item_id)
            if item is None:
                continue
            pages.add(page_path("dilemma", item.id))
            pages.update(page_path("themablad", sheet) for sheet in item.themabladen)
            pages.update(page_path("onderwerp", topic) for topic in item.onderwerpen)
            pages.update(page_path("module", module.id) for module in per_module.get(item.id, ()))
            pages.update(ruling_page[ecli] for ecli in item.uitspraken if ecli in ruling_page)
            pages.update(page_path("kernwaarde", value) for value in item.kernwaarden)
            pages.update(page_path("doelgroep", group) for group in item.doelgroep)
            pages.add(page_path("herkomst", corpus.herkomst(item)))
    if ids:
        pages.add(session.PAGE)  # the session page lists every dilemma
    return pages


class _FullBuild(Exception):
    """The change needs the normal full build."""


class _Strict(logging.Handler):
    """Collects warnings and errors of MkDocs while pages are rebuilt (strict mode)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _inputs(config) -> dict[str, tuple[int, int]]:
    """Size and modification time of the inputs a rebuild of pages does not cover."""
    found = {}
    paths = [Path(config.config_file_path), *(p for p in Path(config.docs_dir).rglob("*") if p.is_file())]
    paths += [p for p in Path(SCHEMA_DIR).glob("*.json")]
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        found[str(path)] = (info.st_size, info.st_mtime_ns)
    return found


class ServeRebuild:
    """The rebuild step of `mkdocs serve` (see the comment above)."""

    def __init__(self, full_build, config) -> None:
        self.full_build = full_build
        self.inputs = _inputs(config)
        self.background: threading.Thread | None = None
        self.stop = threading.Event()
        self.pagefind: Indexing | None = None
        self.pending: set[str] = set()  # generated pages the stopped background work did not rebuild
        self.decks: subprocess.Popen[str] | None = None  # the process that renders the card decks (see _decks)

    def __call__(self) -> None:
        self._stop_background()
        config = STATE.build[0] if STATE.build else None
        try:
            if config is None or STATE.build[3] is None or _inputs(config) != self.inputs:
                raise _FullBuild
            self.rebuild(config)
        except _FullBuild:
            log.info("Kompas: alles opnieuw bouwen.")
            self.full_build()
            self.inputs = _inputs(STATE.build[0])

    # -- what the served page needs, before it is served ---------------------------------------
    def rebuild(self, config) -> None:
        root = STATE.project()
        old = STATE.verdict().corpus
        result = validate_project(root, cache_root=cache_root(root))
        report = format_report(result.diagnostics, f"{len(result.documents)} bestanden")
        if not result.ok:
            log.error("De inhoud bevat fouten; de site wordt niet bijgewerkt.\n" + report)
            raise Abort("De inhoud bevat fouten.")
        for line in report.splitlines():
            log.info(line)
        new = result.corpus
        changed = self._changed_kinds(old, new)
        renderer = make_renderer(new, config.extra.get("kompas", {}) if config.extra else {})
        if changed == {"dilemmas"}:
            ids = {d.id for d in new.dilemmas if old.dilemma[d.id] != d}
            now = {page_path("dilemma", item_id) for item_id in ids}  # the pages an editor is looking at
            later = (pages_showing_dilemmas(old, new, ids) | self.pending) - now
            markdown: Mapping[str, str | None] = {src: generated_page(renderer, src) for src in now}
        elif changed:
            markdown, later = generated_pages(renderer), set()
        else:
            markdown = {src: generated_page(renderer, src) for src in self.pending}
            later = set()
        todo = {src: text for src, text in markdown.items() if text != STATE.generated.get(src)}
        previous = (STATE.result, STATE.renderer)
        STATE.result, STATE.renderer = result, renderer  # the macros render from the new corpus
        try:
            macro_pages = self._macro_pages(renderer) if not later else set()
            rebuilt = self._build_pages(config, todo, macro_pages)
            problems = check_site(Path(config.site_dir), only=rebuilt, cache_dir=links_cache_dir(root))
            if problems:
                shown = "\n".join(f"  {p}" for p in problems[:50])
                log.error(f"{len(problems)} kapotte link(s) of anker(s):\n{shown}")
                raise Abort("Kapotte links; de site wordt niet bijgewerkt.")
        except BaseException:
            STATE.result, STATE.renderer = previous
            raise
        STATE.generated.update(todo)
        self.pending -= set(markdown)
        log.info(f"Kompas: {len(rebuilt)} pagina('s) bijgewerkt; de rest volgt op de achtergrond.")
        self._start_background(config, renderer, later)

    def _macro_pages(self, renderer) -> set[str]:
        """Hand-written pages whose macros now give another output (the new outputs are kept for the build)."""
        pages = set()
        STATE.fresh_macros = {}
        for key, output in list(STATE.macro_calls.items()):
            src, url, fragment = key
            fresh = renderer.fragment(fragment, url, **fragment_context(fragment, renderer))
            if fresh != output:
                pages.add(src)
                STATE.fresh_macros[key] = fresh
        return pages

    def _build_pages(self, config, markdown: Mapping[str, str | None], others=(), stop=None) -> list[str]:
        """Run MkDocs' page steps for these pages (generated ones get their new Markdown), strictly;
        every HTML file is written beside the old one and then renamed over it, so a request never
        reads half a page. Returns the site-relative paths of the pages written."""
        _, files, nav, env = STATE.build
        pages = []
        for src in [*markdown, *sorted(set(others) - set(markdown))]:
            file = files.get_file_from_path(src)
            if file is None or file.page is None:
                raise _FullBuild
            pages.append(file.page)
        strict = _Strict()
        loggers = [logging.getLogger(name) for name in engine.LOGGERS]
        for logger in loggers:
            logger.addHandler(strict)
        written = []
        doc_files = files.documentation_pages()
        try:
            for page in pages:  # one page at a time (the others keep their content of the last build)
                if stop is not None and stop.is_set():
                    break
                if page.file.src_uri in markdown:
                    page.file.content_string = markdown[page.file.src_uri]
                engine.populate_page(page, config, files)
                final = page.file.abs_dest_path
                page.file.abs_dest_path = final + ".kompas-nieuw"
                try:
                    engine.build_page(page, config, doc_files, nav, env)
                    os.replace(page.file.abs_dest_path, final)
                finally:
                    page.file.abs_dest_path = final
                written.append(page.file.dest_uri)
        finally:
            for logger in loggers:
                logger.removeHandler(strict)
        if strict.messages:
            raise Abort(f"{len(strict.messages)} waarschuwing(en) in strikte modus; de site wordt niet bijgewerkt.")
        return written

    @staticmethod
    def _changed_kinds(old, new) -> set[str]:
        changed = set()
        for kind, key in (
            ("themabladen", "id"),
            ("dilemmas", "id"),
            ("uitspraken", "ecli"),
            ("modules", "id"),
            ("onderwerpen", "id"),
            ("wetten", "id"),
        ):
            before, after = getattr(old, kind), getattr(new, kind)
            if {getattr(x, key) for x in before} != {getattr(x, key) for x in after}:
                raise _FullBuild  # a file added or removed: the navigation and the file list change
            if kind == "dilemmas":
                index = old.dilemma
                if any(index[x.id] != x for x in after):
                    changed.add(kind)
            elif before != after:
                changed.add(kind)
        for kind in ("reeks", "bronnen", "meldroutes"):  # registers every page may show: re-render them all
            if getattr(old, kind) != getattr(new, kind):
                changed.add(kind)
        return changed

    # -- what the served page does not need: right after it is served ----------------------------
    def _start_background(self, config, renderer, later: set[str]) -> None:
        self.stop.clear()
        self.background = threading.Thread(
            target=self._background, args=(config, renderer, later), daemon=True, name="kompas-serve-achtergrond"
        )
        self.background.start()

    def _stop_background(self) -> None:
        """Stop the background work of the previous change: the pages it rebuilds are finished first
        (a second or so), the search index, decks and link check are dropped and redone."""
        if self.background is None:
            return
        self.stop.set()
        indexing = self.pagefind
        if indexing is not None:
            indexing.cancel()  # the running Pagefind and its thread
        self.background.join()
        self.background = None

    def _decks(self, site_dir: Path, site_url: str | None) -> None:
        """The card decks, in a process of their own that a new change does not stop (a stopped
        render would leave half a PDF in the deck cache); a new change waits for it here, in the
        background, never before its page is served."""
        import subprocess
        import sys

        while self.decks is not None and self.decks.poll() is None:
            if self.stop.wait(0.1):
                return
        if self.decks is not None and self.decks.returncode != 0 and self.decks.stderr is not None:
            log.error("De dilemmakaarten zijn niet bijgewerkt:\n" + self.decks.stderr.read()[-2000:])
        # -P: not the project folder on sys.path (its macros/ holds only the hooks shim)
        self.decks = subprocess.Popen(
            [
                sys.executable,
                "-P",
                "-c",
                "import sys; from macros.site.serve import serve_decks; "
                "serve_decks(sys.argv[1], sys.argv[2], sys.argv[3])",
                str(STATE.project()),
                str(site_dir),
                site_url or "",
            ],
            cwd=site_dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def _background(self, config, renderer, later: set[str]) -> None:
        """What the served page does not need, right after it is served (see the comment above); a
        background failure is reported, never raised into the server."""
        site_dir = Path(config.site_dir)
        try:
            if later and not self._other_pages(config, renderer, later, site_dir):
                return
            self._data_files(config, renderer)
            self._search_checks_and_decks(config, renderer, site_dir)
        except Exception as error:  # noqa: BLE001 - a background failure is reported, never raised into the server
            log.error(f"Kompas: bijwerken op de achtergrond mislukt: {type(error).__name__}: {error}")

    def _other_pages(self, config, renderer, later: set[str], site_dir: Path) -> bool:
        """1. The other pages that show the changed items (sheets, modules, overviews); False when that
        failed (the next change then runs the full build)."""
        markdown = {src: generated_page(renderer, src) for src in later}
        todo = {src: text for src, text in markdown.items() if text != STATE.generated.get(src)}
        self.pending |= set(todo)
        try:
            rebuilt = self._build_pages(config, todo, self._macro_pages(renderer), stop=self.stop)
            done = {src for src in todo if STATE.build[1].get_file_from_path(src).dest_uri in rebuilt}
            todo = {src: text for src, text in todo.items() if src in done}
            self.pending -= done
            problems = check_site(site_dir, only=rebuilt, cache_dir=links_cache_dir(STATE.project()))
        except (Abort, _FullBuild) as error:
            log.error(f"Kompas: pagina's bijwerken mislukt ({error}); de volgende wijziging bouwt alles.")
            STATE.build = (*STATE.build[:3], None)
            return False
        STATE.generated.update(todo)
        for problem in problems[:50]:
            log.error(f"Kapotte link: {problem}")
        log.info(f"Kompas: nog {len(rebuilt)} pagina('s) bijgewerkt.")
        return True

    @staticmethod
    def _data_files(config, renderer) -> None:
        """The feed and the session page's data (its index and card pieces), each written beside the
        served file and renamed over it."""
        data = {
            FEED_PATH: atom_feed(renderer, config.site_url, config.site_name),
            **session.site_files(renderer.corpus, KERNWAARDE_LABELS, DOELGROEP_LABELS),
        }
        for path, text in data.items():
            file = STATE.build[1].get_file_from_path(path)
            if file is not None and file.content_string != text:
                file.content_string = text
                target = Path(file.abs_dest_path)
                target.with_name(target.name + ".nieuw").write_text(text, encoding="utf-8")
                os.replace(target.with_name(target.name + ".nieuw"), target)

    def _search_checks_and_decks(self, config, renderer, site_dir: Path) -> None:
        """2. The search index (beside the old one, then swapped), the check that every generated page
        is current, the decks and the link check of the whole site."""
        import shutil

        from .search import Indexing, cache_dir

        fresh = site_dir / ".pagefind-nieuw"
        shutil.rmtree(fresh, ignore_errors=True)
        # only the shards whose pages changed are indexed again (macros/site/search.py)
        self.pagefind = Indexing(site_dir, cache_dir=cache_dir(STATE.project()), output=fresh)
        self._check_generated(renderer)
        if renderer.decks and not self.stop.is_set():
            self._decks(site_dir, config.site_url)
        self._check_links(site_dir, fresh)
        if self._swap_in_index(site_dir, fresh):
            log.info("Kompas: zoekindex, kaarten en linkcontrole bijgewerkt.")

    def _check_generated(self, renderer) -> None:
        """A page missed by the rebuild is reported, and the next change runs the full build."""
        missed = []
        for src in list(STATE.generated):  # one page at a time: a new change stops this at once
            if self.stop.is_set():
                break
            if generated_page(renderer, src) != STATE.generated[src]:
                missed.append(src)
        if missed and not self.stop.is_set():
            log.warning(
                f"Kompas: {len(missed)} pagina('s) waren niet bijgewerkt: {', '.join(missed[:5])}; "
                "de volgende wijziging bouwt alles opnieuw."
            )
            STATE.build = (*STATE.build[:3], None)  # the next change runs the full build

    def _check_links(self, site_dir: Path, fresh: Path) -> None:
        html = sorted(
            p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html") if not p.is_relative_to(fresh)
        )
        for start in range(0, len(html), 250):  # in parts, so that a new change stops it at once
            if self.stop.is_set():
                break
            for problem in check_site(
                site_dir, only=html[start : start + 250], cache_dir=links_cache_dir(STATE.project())
            )[:50]:
                log.error(f"Kapotte link: {problem}")

    def _swap_in_index(self, site_dir: Path, fresh: Path) -> bool:
        """The new search index in place of the served one, when it was finished and not stopped."""
        import shutil

        from .search import OUTPUT_SUBDIR, SearchIndexFailed

        if self.pagefind is None:
            return False
        try:
            self.pagefind.finish()
        except SearchIndexFailed as error:
            if not self.stop.is_set():
                log.error(f"De zoekindex is niet bijgewerkt: {str(error)[-500:]}")
            shutil.rmtree(fresh, ignore_errors=True)
            return False
        if self.stop.is_set():
            shutil.rmtree(fresh, ignore_errors=True)
            return False
        current, old = site_dir / OUTPUT_SUBDIR, site_dir / ".pagefind-oud"
        shutil.rmtree(old, ignore_errors=True)
        if current.exists():
            current.rename(old)
        fresh.rename(current)
        shutil.rmtree(old, ignore_errors=True)
        return True


def serve_decks(root, site_dir, site_url: str | None = None) -> None:
    """Render the card decks, draaiboeken and handouts of the project at ``root`` into the served
    site (run by `make serve` in a process of its own), as a full build does (macros/site/adapter.py:
    print_documents). Unchanged documents come from the caches; every PDF is written beside the
    served one and renamed over it."""
    import shutil

    root, site_dir = Path(root), Path(site_dir)
    result = validate_project(root, cache_root=cache_root(root))
    if not result.ok:
        return  # the server reports the errors
    fresh = site_dir / ".drukwerk-nieuw"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        print_documents(result, root, fresh, site_url or None, workers=1)
    except (KaartFout, DrukFout) as error:
        raise SystemExit(str(error)) from None
    for folder in (SITE_FOLDER, DRUK_FOLDER):
        target = site_dir / folder
        target.mkdir(parents=True, exist_ok=True)
        for pdf in sorted((fresh / folder).iterdir()) if (fresh / folder).is_dir() else ():
            os.replace(pdf, target / pdf.name)
    shutil.rmtree(fresh, ignore_errors=True)


def hook_serve(server, config, builder):
    """`mkdocs serve`: the rebuild after a change touches only what the change touches, and a
    change is noticed at once (inotify instead of MkDocs' file polling every half second)."""
    return engine.take_over_serve(server, ServeRebuild(builder, config), change_observer())


def change_observer():
    """A watchdog observer on inotify that reports only changes: reading a file (validation reads
    every content file) opens and closes it, and those events must not start another rebuild."""
    from watchdog.events import FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent
    from watchdog.observers import Observer

    changes = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent]

    class ChangeObserver(Observer):
        def schedule(self, event_handler, path, *, recursive=False, **kwargs):
            kwargs["event_filter"] = changes
            return super().schedule(event_handler, path, recursive=recursive, **kwargs)

    return ChangeObserver()
