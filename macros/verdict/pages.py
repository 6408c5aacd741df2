"""The rules of the site for the hand-written pages and the menu, checked before a build.

The build refuses a hand-written page in ``content/pages/`` (the ``docs_dir`` of mkdocs.yml) that:

* takes the name or the address of a page the build generates (an item page, a core value, target
  group or origin page, the session pages) -> ``PAGINA-NAAM``; also ``README.md`` beside ``index.md``
  (both would be the folder's page);
* calls a macro that does not exist, calls one with arguments, pulls in a template, uses a filter
  that does not exist, or has Jinja syntax that does not parse -> ``PAGINA-MACRO`` (mkdocs-macros
  stops the build; strict: an unknown name is an error);
* links to a page, file or anchor that does not exist, with an absolute path, to a folder instead
  of a ``.md`` file, or with a scheme other than http(s), mailto and tel -> ``PAGINA-LINK`` (strict
  mode turns MkDocs' warnings into a refusal; Kompas's own link check refuses the rest);

and the menu (``nav`` in mkdocs.yml) that names a page that does not exist -> ``PAGINA-MENU``; and a
site without a hand-written page that the pages Kompas generates link to (such as ``kaarten.md``,
``melden-en-hulp.md`` or the overview of a tab) -> ``PAGINA-ONTBREEKT``: the link check of the built
site would find those links broken. Which pages those are follows from the templates the build will
render (their literal ``link('...')`` targets, and the page of the reporting routes).

Each check works on the page's source and on what the build knows before it starts: the pages it
will generate (:func:`macros.render.render.page_plan`, the list the build uses), the macros it
registers (:data:`macros.render.render.MACROS`), and for an anchor the ids of the target page as
Python-Markdown makes them with the extensions of mkdocs.yml (a generated page or a page's macros are
rendered for that, as the build renders them). What is not checked here is listed in
docs/weigeringen.md. The result is kept in the cache ``paginaregels`` by a digest of the pages,
mkdocs.yml, the ids of the corpus and the code, so a warm run reads one entry.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..content.diagnostics import Diagnostic
from ..content.validate import Result
from ..store import keys
from ..store.cache import Cache
from .context import Context

FOLDER = "paginaregels"
FORMAT = "1"
_PACKAGE = Path(__file__).resolve().parent.parent  # macros/
_LIBRARIES = {
    "jinja2": "Jinja2",
    "markdown": "Markdown",
    "mkdocs": "mkdocs",
    "mkdocs_macros": "mkdocs-macros-plugin",
    "pymdownx": "pymdown-extensions",
}

# What mkdocs-macros itself offers a page (mkdocs_macros/plugin.py and context.py), besides the
# variables of ``extra`` in mkdocs.yml and the page's own front matter.
ENGINE_NAMES = frozenset(
    {
        "context",
        "macros_info",
        "now",
        "fix_url",
        "environment",
        "plugin",
        "git",
        "config",
        "extra",
        "macros",
        "filters",
        "filters_builtin",
        "navigation",
        "files",
        "page",
    }
)
ENGINE_FILTERS = frozenset({"pretty", "relative_url"})
# MkDocs' front matter (mkdocs/utils/meta.py)
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
PLAIN_CALL = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\(\s*\)\s*\}\}")
_ID = re.compile(r"""\bid\s*=\s*["']([^"']*)["']""")
_KIND = {
    "themablad": "het themablad",
    "dilemma": "het dilemma",
    "uitspraak": "de uitspraak",
    "module": "de module",
    "onderwerp": "het onderwerp",
}


def check_pages(result: Result, context: Context) -> list[Diagnostic]:
    root = context.root
    config = keys.project_config(root)
    if not config:
        return []  # no mkdocs.yml: no site to build
    docs_dir = config.get("docs_dir")
    docs = root / (docs_dir if isinstance(docs_dir, str) else "docs")
    if not docs.is_dir():
        return []  # MkDocs refuses the configuration itself (no docs_dir): not a matter of the content
    files = _docs_files(docs)
    corpus = result.corpus
    cache = Cache(keys.project_cache_dir(root, FOLDER, base=context.cache_root)) if context.cache_root else Cache(None)
    key = None
    if cache:
        try:
            mkdocs_yml = (root / "mkdocs.yml").read_bytes()
            contents = [part for rel, path in sorted(files.items()) for part in (rel, path.read_bytes())]
        except OSError:
            contents = None
        if contents is not None:
            ids = [
                "\n".join(item.id for item in items)
                for items in (
                    corpus.themabladen,
                    corpus.dilemmas,
                    corpus.uitspraken,
                    corpus.modules,
                    corpus.onderwerpen,
                )
            ]
            key = keys.digest(
                FORMAT,
                _code_digest(),
                mkdocs_yml,
                str(docs.relative_to(root) if docs.is_relative_to(root) else docs),
                *ids,
                *contents,
            )
            stored = cache.read(f"{key}.json")
            if stored is not None:
                try:
                    return [_stored_diagnostic(fields) for fields in json.loads(stored)]
                except (ValueError, TypeError):
                    pass
    found = _Pages(root, docs, files, config, corpus).check()
    if key is not None:
        data = [[d.file, d.line, d.column, d.code, d.message, d.hint, list(d.related)] for d in found]
        if cache.write(f"{key}.json", json.dumps(data, ensure_ascii=False).encode("utf-8"), sync=False):
            cache.keep_only({key})
    return found


_CODE_DIGEST: list[str] = []


def _code_digest() -> str:
    if not _CODE_DIGEST:
        _CODE_DIGEST.append(
            keys.digest(keys.folder_digest([_PACKAGE / "render", Path(__file__)]), keys.installed_versions(_LIBRARIES))
        )
    return _CODE_DIGEST[0]


def _docs_files(docs: Path) -> dict[str, Path]:
    """Every file MkDocs would take from ``docs`` (its default exclusions: names starting with a
    dot, and the folder ``templates/``), by its path relative to ``docs``."""
    found: dict[str, Path] = {}
    if not docs.is_dir():
        return found
    for folder, subfolders, names in os.walk(docs, followlinks=True):
        relative = Path(folder).relative_to(docs).as_posix()
        subfolders[:] = sorted(
            s for s in subfolders if not s.startswith(".") and not (relative == "." and s == "templates")
        )
        for name in sorted(names):
            if not name.startswith("."):
                rel = name if relative == "." else f"{relative}/{name}"
                found[rel] = Path(folder) / name
    return found


def _stored_diagnostic(fields: list) -> Diagnostic:
    file, line, column, code, message, hint, related = fields
    return Diagnostic(file, line, column, code, message, hint, related=tuple(related))


def _only_plain_calls(body: str, delimiters: dict, macros) -> bool:
    """Whether ``body`` holds nothing for Jinja but ``{{ name() }}`` calls of Kompas's macros."""
    if delimiters != _DEFAULT_DELIMITERS or "{%" in body or "{#" in body:
        return False
    calls = PLAIN_CALL.findall(body)
    return (
        len(calls) == body.count("{{")
        and all(name in macros for name in calls)
        and "}}" not in PLAIN_CALL.sub("", body)
    )


class _Pages:
    def __init__(self, root: Path, docs: Path, files: dict[str, Path], config: dict, corpus) -> None:
        from ..render.render import page_plan

        self.root, self.docs, self.files, self.config, self.corpus = root, docs, files, config, corpus
        self.directory_urls = config.get("use_directory_urls", True) is not False
        self.pages = {rel: path for rel, path in files.items() if rel.endswith(".md")}
        self.plan: dict[str, tuple[str, Any]] = {src: (kind, item) for src, kind, item in page_plan(corpus)}
        self.found: list[Diagnostic] = []
        self.sources: dict[str, tuple[str, int, dict]] = {}  # page -> (body, offset, front matter)
        self._ids: dict[str, set[str] | None] = {}
        self._renderer = None

    # -- helpers -----------------------------------------------------------------------------------------
    def shown(self, rel: str) -> str:
        """A page's path as the report shows it (relative to the project)."""
        path = self.docs / rel
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def url(self, src: str) -> str:
        stem, name = src[: -len(".md")], posixpath.basename(src)[: -len(".md")]
        folder = posixpath.dirname(src)
        if name in ("index", "README"):
            return f"{folder}/" if folder else ""
        if not self.directory_urls:
            return f"{stem}.html"
        return f"{stem}/"

    def add(self, rel: str, line: int, column: int, code: str, message: str, hint: str, related=()) -> None:
        self.found.append(Diagnostic(self.shown(rel), line, column, code, message, hint, related=tuple(related)))

    def source(self, rel: str) -> tuple[str, int, dict]:
        """A page's text without its front matter, the number of lines before it, and the front matter."""
        if rel not in self.sources:
            import yaml

            try:
                text = self.pages[rel].read_text(encoding="utf-8-sig")  # as MkDocs reads a page
            except UnicodeDecodeError:  # MkDocs logs an error: a refusal in strict mode
                text = ""
                self.add(
                    rel,
                    1,
                    1,
                    "BESTAND-CODERING",
                    "De pagina is niet in UTF-8 opgeslagen.",
                    "Sla het bestand op als UTF-8 (in VS Code: rechtsonder de codering kiezen, 'Save with "
                    "Encoding', UTF-8).",
                )
            except OSError:
                text = ""
            body, offset, meta = text.replace("\r\n", "\n"), 0, {}
            match = FRONT_MATTER.match(body)
            if match:
                try:
                    data = yaml.safe_load(match.group(1))
                except yaml.YAMLError:
                    data = None
                if isinstance(data, dict):
                    rest = body[match.end() :]
                    stripped = rest.lstrip("\n")
                    offset = body[: match.end()].count("\n") + len(rest) - len(stripped)
                    body, meta = stripped, data
            self.sources[rel] = (body, offset, meta)
        return self.sources[rel]

    def renderer(self):
        if self._renderer is None:
            from ..render.render import Renderer

            settings = (
                self.config.get("extra", {}).get("kompas", {}) if isinstance(self.config.get("extra"), dict) else {}
            )
            self._renderer = Renderer(self.corpus, history_url=(settings or {}).get("geschiedenis") or None)
        return self._renderer

    def describe(self, src: str) -> tuple[str, tuple[str, ...]]:
        kind, item = self.plan[src]
        if kind in _KIND:
            return f"de pagina van {_KIND[kind]} '{item.id}' ({item.pad})", (item.pad,)
        if kind in ("kernwaarde", "doelgroep", "herkomst"):
            return f"de pagina met de dilemma's per {kind} '{item}'", ()
        return ("de sessiepagina" if kind == "sessie" else "het draaiboek van de sessiepagina"), ()

    # -- the checks -------------------------------------------------------------------------------------
    def check(self) -> list[Diagnostic]:
        self.check_names()
        for rel in self.pages:
            self.source(rel)
            self.check_macros(rel)
            self.check_links(rel)
        self.check_menu()
        self.check_required()
        return self.found

    def check_names(self) -> None:
        generated_urls = {self.url(src): src for src in self.plan}
        by_url: dict[str, list[str]] = {}
        for rel in self.pages:
            by_url.setdefault(self.url(rel), []).append(rel)
            src = rel if rel in self.plan else generated_urls.get(self.url(rel))
            if src is None:
                continue
            what, related = self.describe(src)
            same = "dezelfde naam" if src == rel else f"hetzelfde adres ({self.url(rel) or '/'})"
            self.add(
                rel,
                1,
                1,
                "PAGINA-NAAM",
                f"Deze pagina heeft {same} als {what}, die Kompas zelf maakt.",
                "Geef de pagina in content/pages/ een andere naam; of geef het item een ander id (en bestandsnaam).",
                related,
            )
        for url, rels in by_url.items():
            if len(rels) > 1:
                keep = next((r for r in rels if posixpath.basename(r) == "index.md"), sorted(rels)[0])
                for rel in rels:
                    if rel != keep:
                        self.add(
                            rel,
                            1,
                            1,
                            "PAGINA-NAAM",
                            f"Deze pagina en {self.shown(keep)} hebben hetzelfde adres ({url or '/'}); "
                            "de site-engine laat deze weg.",
                            "Houd één van beide over, of geef er een een andere naam.",
                        )

    def check_macros(self, rel: str) -> None:
        body, offset, meta = self.source(rel)
        if meta.get("render_macros") is False:
            return
        delimiters = self.delimiters()
        if not any(
            start in body
            for start in (
                delimiters["variable_start_string"],
                delimiters["block_start_string"],
                delimiters["comment_start_string"],
            )
        ):
            return
        from ..render.render import MACROS

        if _only_plain_calls(body, delimiters, MACROS):
            return  # only {{ macro() }} of Kompas's macros: the fast path
        import jinja2

        environment = jinja2.Environment(**delimiters)
        hint = (
            f"Een pagina roept alleen macro's van Kompas aan, zonder argumenten: {{{{ naam() }}}}. Ze heten: "
            f"{', '.join(sorted(MACROS))}. Tekst met {delimiters['variable_start_string']} zet je tussen "
            f"{delimiters['block_start_string']} raw {delimiters['block_end_string']} en "
            f"{delimiters['block_start_string']} endraw {delimiters['block_end_string']}."
        )
        try:
            tree = environment.parse(body)
        except jinja2.TemplateSyntaxError as error:
            self.add(
                rel,
                offset + (error.lineno or 1),
                1,
                "PAGINA-MACRO",
                "Op deze regel staat een macro-aanroep of accolade die niet te lezen is.",
                hint,
            )
            return
        self._check_tree(rel, offset, meta, environment, tree, hint)

    def _check_tree(self, rel: str, offset: int, meta: dict, environment, tree, hint: str) -> None:
        """PAGINA-MACRO for each unknown filter or name, a macro given arguments, and an include."""
        import jinja2
        from jinja2 import meta as jinja_meta
        from jinja2 import nodes

        from ..render.render import MACROS

        extra = self.config.get("extra")
        extra = extra if isinstance(extra, dict) else {}
        known = set(MACROS) | ENGINE_NAMES | set(extra) | set(meta) | set(jinja2.defaults.DEFAULT_NAMESPACE)
        for node in tree.find_all(nodes.Filter):
            if node.name not in environment.filters and node.name not in ENGINE_FILTERS:
                self.add(rel, offset + node.lineno, 1, "PAGINA-MACRO", f"Het filter '{node.name}' bestaat niet.", hint)
            environment.filters.setdefault(node.name, lambda value, *args, **kwargs: value)  # (to compile it)
        for node in tree.find_all(nodes.Test):
            environment.tests.setdefault(node.name, lambda value, *args, **kwargs: True)
        try:
            unknown = jinja_meta.find_undeclared_variables(tree) - known
        except jinja2.TemplateError:
            unknown = set()
        for node in tree.find_all(nodes.Name):
            if node.name in unknown and node.ctx == "load":
                what = "De macro" if self._called(tree, node) else "De naam"
                self.add(rel, offset + node.lineno, 1, "PAGINA-MACRO", f"{what} '{node.name}' bestaat niet.", hint)
                unknown.discard(node.name)  # once per name
        for node in tree.find_all(nodes.Call):
            if (
                isinstance(node.node, nodes.Name)
                and node.node.name in MACROS
                and (node.args or node.kwargs or node.dyn_args or node.dyn_kwargs)
            ):
                self.add(
                    rel,
                    offset + node.lineno,
                    1,
                    "PAGINA-MACRO",
                    f"De macro '{node.node.name}' krijgt geen argumenten.",
                    hint,
                )
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            self.add(
                rel,
                offset + node.lineno,
                1,
                "PAGINA-MACRO",
                "Een pagina haalt geen sjablonen binnen (include, import, extends).",
                hint,
            )

    @staticmethod
    def _called(tree, name) -> bool:
        from jinja2 import nodes

        return any(call.node is name for call in tree.find_all(nodes.Call))

    def delimiters(self) -> dict:
        settings = {}
        for plugin in self.config.get("plugins") or ():
            if isinstance(plugin, dict) and isinstance(plugin.get("macros"), dict):
                settings = plugin["macros"]
        found = dict(_DEFAULT_DELIMITERS)
        for name in found:
            value = settings.get(f"j2_{name}")
            if isinstance(value, str) and value:
                found[name] = value
        return found

    # -- links --------------------------------------------------------------------------------------------
    def markdown(self):
        """Python-Markdown with the extensions of mkdocs.yml (the toc makes the heading ids the build makes)."""
        import markdown

        names, configs = [], {}
        for entry in self.config.get("markdown_extensions") or ():
            if isinstance(entry, str):
                names.append(entry)
            elif isinstance(entry, dict):
                for name, options in entry.items():
                    names.append(name)
                    if isinstance(options, dict):
                        configs[name] = options
        for name in ("toc",):
            if name not in names:
                names.append(name)
        try:
            return markdown.Markdown(extensions=names, extension_configs=configs)
        except Exception:  # noqa: BLE001 - an extension that does not load here: the build's own list still checks
            return markdown.Markdown(extensions=["toc", "attr_list", "tables"])

    def html_of(self, markdown_text: str) -> str:
        converter = self.markdown()
        return converter.convert(markdown_text)

    def expanded(self, rel: str) -> str | None:
        """The page's Markdown with each macro replaced by what it renders (None: a macro that needs the
        build's own context, such as the list of changes)."""
        from ..render.render import MACROS

        body, _, meta = self.source(rel)
        if meta.get("render_macros") is False:
            return body
        out = []
        for piece in re.split(r"(\{\{\s*[A-Za-z_][A-Za-z0-9_]*\(\s*\)\s*\}\})", body):
            match = PLAIN_CALL.fullmatch(piece)
            if match and match.group(1) in MACROS:
                fragment = MACROS[match.group(1)]
                if fragment in ("wijzigingen", "te_herzien"):
                    return None
                try:
                    out.append(self.renderer().fragment(fragment, self.url(rel)))
                except Exception:  # noqa: BLE001 - what the build would do with it is checked by the build
                    return None
            else:
                out.append(piece)
        return "".join(out)

    def ids(self, src: str) -> set[str] | None:
        """The ids of the page ``src`` (hand-written or generated) as the build makes them; None: unknown."""
        if src not in self._ids:
            if src in self.pages:
                text = self.expanded(src)
            else:
                kind, item = self.plan[src]
                try:
                    text = self.renderer().page(kind, item)
                except Exception:  # noqa: BLE001
                    text = None
            self._ids[src] = None if text is None else set(_ID.findall(self.html_of(text)))
        return self._ids[src]

    def check_links(self, rel: str) -> None:
        body, offset, meta = self.source(rel)
        text = body
        if meta.get("render_macros") is not False:  # the macros' own output is the build's, not the editor's
            text = re.sub(
                r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", lambda m: re.sub(r"[^\n]", " ", m.group(0)), body, flags=re.DOTALL
            )
        if "](" not in text and "]:" not in text and "<" not in text:
            return
        links = _links(self.html_of(text))
        cursor = 0
        for tag, target in links:
            at = body.find(target, cursor) if target else -1
            if at >= 0:
                cursor = at + len(target)
            line = offset + (body.count("\n", 0, at) + 1 if at >= 0 else 1)
            column = at - body.rfind("\n", 0, at) if at >= 0 else 1
            problem = self.judge(rel, tag, target)
            if problem:
                self.add(
                    rel,
                    line,
                    column,
                    "PAGINA-LINK",
                    f"De link '{target}' {problem}.",
                    "Link naar het .md-bestand van een pagina, relatief aan deze pagina (zoals "
                    "dilemmas/index.md of ../kernwaarden.md#integer), of naar een volledig webadres.",
                )

    def judge(self, rel: str, tag: str, raw: str) -> str | None:
        """What is wrong with the link ``raw`` of a ``tag`` element on page ``rel`` (None: nothing)."""
        url = raw.strip()
        if not url:
            return None
        split = urlsplit(url)
        if split.scheme or url.startswith("//"):
            return self._judge_outside(tag, split.scheme)
        if url.startswith("/"):
            return "is een absoluut pad: dat werkt niet als de site in een submap staat"
        path, anchor = unquote(split.path), unquote(split.fragment)
        if not path:
            ids = self.ids(rel)
            return (
                f"wijst naar het anker '#{anchor}', dat deze pagina niet heeft"
                if (anchor and ids is not None and anchor not in ids)
                else None
            )
        return self._judge_inside(rel, path, anchor)

    @staticmethod
    def _judge_outside(tag: str, scheme: str) -> str | None:
        if tag == "a" and scheme in ("http", "https", "mailto", "tel"):
            return None
        if tag != "a":
            return "laadt een bron van buiten de site"
        return f"heeft het schema '{scheme}:', dat de site niet toestaat"

    def _judge_inside(self, rel: str, path: str, anchor: str) -> str | None:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
        if target.startswith("../") or target == "..":
            return "verwijst buiten de site"
        if target.endswith(".md"):
            if target not in self.pages and target not in self.plan:
                return "verwijst naar een pagina die niet bestaat"
            ids = self.ids(target) if anchor else None
            if anchor and ids is not None and anchor not in ids:
                return f"wijst naar het anker '#{anchor}', dat {target} niet heeft"
            return None
        if target in self.files:
            return None
        if path.endswith("/") or not posixpath.splitext(target)[1]:
            return "wijst naar een map of adres, niet naar het .md-bestand van een pagina"
        return "verwijst naar een bestand dat niet bestaat"

    # -- the pages the generated pages link to --------------------------------------------------------------
    def check_required(self) -> None:
        from ..render.render import MACROS

        kinds = {kind for kind, _ in self.plan.values()}
        names = [_TEMPLATES[kind] for kind in sorted(kinds) if kind in _TEMPLATES]
        for rel in self.pages:
            body, _, meta = self.source(rel)
            if meta.get("render_macros") is not False:
                names += [f"fragmenten/{MACROS[name]}.md.j2" for name in PLAIN_CALL.findall(body) if name in MACROS]
        targets: dict[str, str] = {}  # required page URL -> a template that links to it
        for name, text in _templates(names):
            for target in _LITERAL_LINK.findall(text):
                targets.setdefault(target, name)
            if "link(MELDROUTES_PAGE" in text:
                from ..render.base import MELDROUTES_PAGE

                targets.setdefault(MELDROUTES_PAGE, name)
        present = {self.url(rel) for rel in self.pages} | {self.url(src) for src in self.plan}
        for target, template in sorted(targets.items()):
            url = target.split("#", 1)[0]
            url = "" if url in ("./", ".") else url
            if not (url == "" or url.endswith("/")) or url in present:
                continue  # a file of the theme or of the build (a stylesheet, a PDF), or a page that is there
            expected = f"{url}index.md" if url == "" or url in _FOLDER_PAGES else f"{url.rstrip('/')}.md"
            self.found.append(
                Diagnostic(
                    self.shown(expected),
                    0,
                    0,
                    "PAGINA-ONTBREEKT",
                    f"De pagina {self.shown(expected)} ontbreekt, maar de pagina's die Kompas maakt "
                    f"linken ernaar (adres {url or '/'}; sjabloon {template}).",
                    "Zet de pagina terug onder deze naam (git bewaart de oude versie), of een pagina "
                    "met hetzelfde adres.",
                )
            )

    # -- the menu -------------------------------------------------------------------------------------------
    def check_menu(self) -> None:
        import yaml

        try:
            root_node = _compose(self.root / "mkdocs.yml")
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return
        if not isinstance(root_node, yaml.MappingNode):
            return
        nav = next((value for key, value in root_node.value if getattr(key, "value", None) == "nav"), None)
        for node in _scalars(nav):
            value = str(node.value).strip()
            if not value or urlsplit(value).scheme or value.startswith("//"):
                continue
            line = node.start_mark.line + 1
            if value.startswith("/"):
                problem = "is een absoluut pad"
            elif posixpath.normpath(value) in self.pages or posixpath.normpath(value) in self.plan:
                continue
            else:
                problem = "is geen pagina in content/pages/ en geen pagina die Kompas maakt"
            self.found.append(
                Diagnostic(
                    "mkdocs.yml",
                    line,
                    node.start_mark.column + 1,
                    "PAGINA-MENU",
                    f"Het menu noemt '{value}': dat {problem}.",
                    "Herstel de naam in nav in mkdocs.yml (het pad vanaf content/pages/), of zet de pagina terug.",
                )
            )


# The template of each kind of generated page (macros/render/render.py: Renderer.page).
_TEMPLATES = {
    "themablad": "themablad.md.j2",
    "dilemma": "dilemma.md.j2",
    "uitspraak": "uitspraak.md.j2",
    "module": "module.md.j2",
    "onderwerp": "onderwerp.md.j2",
    "kernwaarde": "dilemma_groep.md.j2",
    "doelgroep": "dilemma_groep.md.j2",
    "herkomst": "dilemma_groep.md.j2",
    "sessie": "sessie.md.j2",
    "sessie-draaiboek": "sessie_draaiboek.md.j2",
}
_LITERAL_LINK = re.compile(r"""\blink\(\s*["']([^"']*)["']\s*\)""")
_USES = re.compile(r"""\{%-?\s*(?:import|include|from|extends)\s+["']([^"']+)["']""")
# addresses of folders whose page is an index.md (a tab), as the site has them; any other page URL x/ is x.md
_FOLDER_PAGES = frozenset({"themabladen/", "dilemmas/", "modules/", "onderwerpen/"})


def _templates(names) -> list[tuple[str, str]]:
    """(name, source) of the templates ``names`` and of every template they import or include."""
    folder = _PACKAGE / "render" / "templates"
    seen: dict[str, str] = {}
    todo = list(dict.fromkeys(names))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        try:
            seen[name] = (folder / name).read_text(encoding="utf-8")
        except OSError:
            seen[name] = ""
        todo.extend(_USES.findall(seen[name]))
    return list(seen.items())


_DEFAULT_DELIMITERS = {
    "variable_start_string": "{{",
    "variable_end_string": "}}",
    "block_start_string": "{%",
    "block_end_string": "%}",
    "comment_start_string": "{#",
    "comment_end_string": "#}",
}


def _links(html: str) -> list[tuple[str, str]]:
    """(tag, target) of every ``<a href>`` and ``<img src>`` in ``html``, in order."""
    from html.parser import HTMLParser

    found: list[tuple[str, str]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if tag == "a" and attributes.get("href") is not None:
                found.append(("a", attributes["href"]))
            elif tag == "img" and attributes.get("src") is not None:
                found.append(("img", attributes["src"]))

    Parser(convert_charrefs=True).feed(html)
    return found


def _compose(path: Path):
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    return yaml.compose(path.read_text(encoding="utf-8"), Loader=Loader)


def _scalars(node):
    """The page paths of a nav: every scalar that is an entry or the value of a titled entry."""
    import yaml

    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            yield from _scalars(value)
    elif isinstance(node, yaml.ScalarNode):
        yield node
