"""The browser editor at redactie/ (issue 27): its configuration, generated from schemas/.

Decap CMS (the editor, pinned in redactie/package-lock.json and built into
``redactie-app/static/``) gets one collection per kind of item and one file collection for
the registers. Every form is made here from the JSON Schemas at build time: Dutch labels and
hints from each property's ``title`` and ``description``, required fields required, enums as
choice lists, references to other items as relation fields over the ids that exist, lists of
objects as lists with fields, Markdown as Markdown. What no schema says (which collections, in
which order, where their files are, how a new file begins, which ids refer to what, fields that
are required only for one kind of module) is in ``redactie-app/basis.yaml``, the one hand-written
part. So a schema change changes the form without an edit here (tests/unit/editor/).

The editor is only built when ``extra.kompas.redactie`` in mkdocs.yml is set (GitLab's address,
the OAuth application's id, the project and the branch; no secret: sign-in is OAuth with PKCE),
or for ``make redactie`` (:data:`LOKAAL`), which serves it against the working copy.
redactie/ gets its own Content-Security-Policy (:func:`csp`); the site's own (csp.py) is not
touched. This module knows nothing about MkDocs. docs/redactie.md explains it for people.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..content.vocabulary import SCHEMA_DIR
from ..store.errors import OperationFailed

APP = Path(__file__).resolve().parent / "redactie-app"
STATIC = APP / "static"
BASE_FILE = APP / "basis.yaml"
FOLDER = "redactie"  # the editor's folder in the built site
# `make redactie` sets this for its build: the editor is built even without extra.kompas.redactie
LOKAAL = "KOMPAS_REDACTIE_LOKAAL"
COMMON = "gemeenschappelijk.schema.json"


class RedactieFout(OperationFailed):
    """extra.kompas.redactie in mkdocs.yml is not usable; the message says why, in Dutch. Like a
    mkdocs.yml the build cannot read, it stops the build with code MISLUKT (exit code 3)."""

    code = "MISLUKT"

    def __init__(self, message: str) -> None:
        super().__init__(
            message,
            hint="Verbeter het blok extra.kompas.redactie in mkdocs.yml (docs/redactie.md), "
            "of zet er een # voor: dan staat de editor uit.",
        )


@dataclass(frozen=True)
class Instellingen:
    """``extra.kompas.redactie``: where the editor signs in and which project and branch it edits."""

    gitlab: str  # the GitLab's base URL, e.g. https://gitlab.intranet.example
    app_id: str  # the OAuth application's id (public; PKCE needs no secret)
    project: str  # group/project
    branch: str = "main"
    api: str = ""  # the API root; default <gitlab>/api/v4
    lokaal: bool = False  # make redactie: no GitLab is configured, the local backend does everything

    @property
    def api_root(self) -> str:
        return self.api or self.gitlab.rstrip("/") + "/api/v4"

    @property
    def origins(self) -> list[str]:
        """The origins the editor talks to besides its own (for the Content-Security-Policy)."""
        found = []
        for url in (self.gitlab, self.api_root):
            parts = urlsplit(url)
            if parts.scheme and parts.netloc:
                origin = f"{parts.scheme}://{parts.netloc}"
                if origin not in found:
                    found.append(origin)
        return found


def instellingen(kompas: dict | None, *, lokaal: bool | None = None) -> Instellingen | None:
    """The editor's settings from ``extra.kompas`` of mkdocs.yml: None when the editor is not built.
    Raises :class:`RedactieFout` when ``redactie`` is there but incomplete or malformed."""
    if lokaal is None:
        lokaal = os.environ.get(LOKAAL) == "1"
    raw = (kompas or {}).get("redactie")
    if not raw:
        return Instellingen(gitlab="", app_id="", project="lokaal/kompas", lokaal=True) if lokaal else None
    if not isinstance(raw, dict):
        raise RedactieFout(
            "extra.kompas.redactie in mkdocs.yml moet een blok met velden zijn "
            "(gitlab, app_id, project, branch); zie docs/redactie.md."
        )
    unknown = sorted(set(raw) - {"gitlab", "app_id", "project", "branch", "api"})
    if unknown:
        raise RedactieFout(
            f"extra.kompas.redactie kent het veld '{unknown[0]}' niet. Bekend zijn: gitlab, app_id, "
            "project, branch en api."
        )
    missing = [name for name in ("gitlab", "app_id", "project") if not str(raw.get(name) or "").strip()]
    if missing:
        raise RedactieFout(
            f"extra.kompas.redactie mist '{missing[0]}'. Vul gitlab (het adres van GitLab), app_id "
            "(het id van de OAuth-applicatie) en project (groep/project) in; zie docs/redactie.md."
        )
    for name in ("gitlab", "api"):
        value = str(raw.get(name) or "")
        if value and (urlsplit(value).scheme not in ("https", "http") or not urlsplit(value).netloc):
            raise RedactieFout(
                f"extra.kompas.redactie.{name} '{value}' is geen webadres; "
                "schrijf het volledig, bijvoorbeeld https://gitlab.intranet.example."
            )
    if "secret" in " ".join(str(k).lower() for k in raw):
        raise RedactieFout("extra.kompas.redactie bevat geen geheim: de editor meldt zich aan met PKCE.")
    return Instellingen(
        gitlab=str(raw["gitlab"]).rstrip("/"),
        app_id=str(raw["app_id"]),
        project=str(raw["project"]),
        branch=str(raw.get("branch") or "main"),
        api=str(raw.get("api") or "").rstrip("/"),
        lokaal=lokaal,
    )


# -- the Content-Security-Policy of redactie/ -------------------------------------------------


def csp_directives(settings: Instellingen) -> tuple[tuple[str, str], ...]:
    """The policy of redactie/ (only there; the site keeps csp.POLICY). What Decap CMS needs beyond
    the site's policy, each measured in Chromium (tests/browser/test_redactie.py fails on any
    violation; without either of the first two the editor does not start or has no styles):
    'unsafe-eval' (Decap compiles code at run time: ajv validates its configuration with
    new Function), 'unsafe-inline' styles (its interface is styled at run time, emotion), and
    connect-src and img-src to GitLab (the API and the avatars). No other origin."""
    gitlab = " ".join(settings.origins)
    extra = f" {gitlab}" if gitlab else ""
    return (
        ("default-src", "'none'"),
        ("script-src", "'self' 'unsafe-eval' 'wasm-unsafe-eval'"),
        ("style-src", "'self' 'unsafe-inline'"),
        ("img-src", f"'self' data:{extra}"),
        ("font-src", "'self' data:"),
        ("connect-src", f"'self'{extra}"),
        ("worker-src", "'self'"),
        ("frame-src", "'self'"),
        ("manifest-src", "'self'"),
        ("base-uri", "'self'"),
        ("form-action", "'self'"),
        ("frame-ancestors", "'none'"),
        ("object-src", "'none'"),
    )


def csp(settings: Instellingen, *, meta: bool = False) -> str:
    """The policy as a header value (``meta``: without frame-ancestors, which a <meta> cannot set)."""
    return "; ".join(
        f"{name} {value}" for name, value in csp_directives(settings) if not (meta and name == "frame-ancestors")
    )


# -- schemas -> forms ------------------------------------------------------------------------------


def base(path: Path = BASE_FILE) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _load_schemas(schema_dir: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(schema_dir).glob("*.schema.json"))}


class _Schemas:
    def __init__(self, schema_dir: Path) -> None:
        self.files = _load_schemas(schema_dir)
        self.defs = self.files.get(COMMON, {}).get("$defs", {})

    def kind(self, soort: str) -> dict:
        return self.files[f"{soort}.schema.json"]

    def resolve(self, prop: dict) -> tuple[dict, list[str]]:
        """The property with its $ref chain merged in (the property's own keywords win), and the
        names of the definitions on the way (outermost first)."""
        names: list[str] = []
        merged: dict = {}
        current = prop
        layers = []
        while isinstance(current, dict) and "$ref" in current:
            layers.append({k: v for k, v in current.items() if k != "$ref"})
            name = current["$ref"].rsplit("/", 1)[-1]
            names.append(name)
            current = self.defs.get(name, {})
        layers.append(current if isinstance(current, dict) else {})
        for layer in reversed(layers):
            merged.update(layer)
        return merged, names


_MARKDOWN_DEFS = {"markdown"}
_FLOW_ITEM_DEFS = {"id", "kernwaarde", "doelgroep", "fase", "ecli"}


def _number_widget(schema: dict, types: list[str]) -> dict:
    out = {"widget": "number", "value_type": "int" if "integer" in types else "float"}
    for key, option in (("minimum", "min"), ("maximum", "max")):
        if key in schema:
            out[option] = schema[key]
    return out


def _text_widget(schema: dict, types: list[str], refs: list[str], veld: dict) -> dict:
    """Markdown (a literal block), a long text (folded) or a one-line string (with its pattern)."""
    if any(ref in _MARKDOWN_DEFS for ref in refs):
        veld["stijl"] = "letterlijk"
        return {
            "widget": "markdown",
            "modes": ["raw", "rich_text"],
            "editor_components": [],
            "buttons": ["bold", "italic", "link", "bulleted-list", "numbered-list"],
            "sanitize_preview": True,
        }
    long_text = (schema.get("maxLength") or 0) > 200
    out: dict = {"widget": "text" if long_text else "string"}
    if long_text:
        veld["stijl"] = "gevouwen"
    if schema.get("pattern") and "string" in types and types == ["string"]:
        out["pattern"] = [schema["pattern"], schema.get("description") or "Deze waarde past niet."]
    return out


class _Generator:
    def __init__(self, schemas: _Schemas, basis: dict) -> None:
        self.schemas = schemas
        self.basis = basis
        self.references = basis.get("verwijzingen") or {}
        self.field_references = basis.get("veldverwijzingen") or {}
        self.conditions = basis.get("voorwaarden") or {}

    def relation(self, target: dict, *, multiple: bool) -> dict:
        field = {
            "widget": "relation",
            "collection": target["collectie"],
            "value_field": target["waarde"],
            "search_fields": [target["tonen"]] + ([target["waarde"]] if target["waarde"] != target["tonen"] else []),
            "display_fields": [target["tonen"]],
            "multiple": multiple,
            "options_length": 1000,
        }
        if target.get("bestand"):
            field["file"] = target["bestand"]
        return field

    def fields(self, schema: dict, path: str) -> tuple[list[dict], list[dict]]:
        """Decap fields and the format's field specs of an object schema, in the schema's order."""
        required = set(schema.get("required") or [])
        decap, spec = [], []
        for name, prop in (schema.get("properties") or {}).items():
            field, veld = self.field(name, prop, f"{path}.{name}", name in required)
            decap.append(field)
            spec.append(veld)
        return decap, spec

    def field(self, name: str, prop: dict, path: str, required: bool) -> tuple[dict, dict]:
        resolved, refs = self.schemas.resolve(prop)
        label = resolved.get("title") or name
        hint = resolved.get("description") or ""
        if path in self.conditions:
            hint = f"{hint} {self.conditions[path]}".strip()
        field: dict = {"name": name, "label": label, "required": bool(required)}
        if hint:
            field["hint"] = hint
        veld: dict = {"naam": name}
        field.update(self.widget(resolved, refs, path, veld))
        return field, veld

    def widget(self, schema: dict, refs: list[str], path: str, veld: dict) -> dict:
        declared = schema.get("type")
        types: list[str] = [declared] if isinstance(declared, str) else list(declared or [])
        relation = self.relation_widget(schema, refs, path, veld)
        if relation is not None:
            return relation
        if "enum" in schema:
            return {"widget": "select", "options": list(schema["enum"])}
        if "array" in types:
            return self.list_widget(schema, path, veld)
        if "object" in types:
            decap, spec = self.fields(schema, path)
            veld["velden"] = spec
            return {"widget": "object", "collapsed": False, "fields": decap}
        if "boolean" in types:
            return {"widget": "boolean"}  # no default: an absent key stays absent
        if types == ["integer"] or types == ["number"]:
            return _number_widget(schema, types)
        if "integer" in types:
            veld["getal"] = True  # "2022" is written as 2022, as a person would
        if schema.get("format") == "date":
            veld["datum"] = True
            return {
                "widget": "datetime",
                "format": "YYYY-MM-DD",
                "date_format": "YYYY-MM-DD",
                "time_format": False,
                "picker_utc": True,
            }
        return _text_widget(schema, types, refs, veld)

    def relation_widget(self, schema: dict, refs: list[str], path: str, veld: dict) -> dict | None:
        """A relation field when the field (by its path) or one of its definitions refers to other items."""
        if path in self.field_references:
            return self.relation(self.field_references[path], multiple=False)
        for ref in refs:
            if ref in self.references:
                multiple = schema.get("type") == "array"
                if multiple:
                    veld["stijl"] = "flow"
                return self.relation(self.references[ref], multiple=multiple)
        return None

    def list_widget(self, schema: dict, path: str, veld: dict) -> dict:
        items, item_refs = self.schemas.resolve(schema.get("items") or {})
        out: dict = {"widget": "list"}
        if "minItems" in schema:
            out["min"] = schema["minItems"]
        if "maxItems" in schema:
            out["max"] = schema["maxItems"]
        if "enum" in items:
            veld["stijl"] = "flow"
            return {
                "widget": "select",
                "multiple": True,
                "options": list(items["enum"]),
                **({"min": schema["minItems"]} if "minItems" in schema else {}),
                **({"max": schema["maxItems"]} if "maxItems" in schema else {}),
            }
        for ref in item_refs:
            if ref in self.references:
                veld["stijl"] = "flow"
                return self.relation(self.references[ref], multiple=True)
        item_types = items.get("type")
        if item_types == "object" or "properties" in items:
            decap, spec = self.fields(items, path)
            veld["velden"] = spec
            out["fields"] = decap
            out["collapsed"] = True
            summary = next((f["name"] for f in decap if f.get("widget") in ("string", "relation", "select")), None)
            if summary:
                out["summary"] = "{{fields.%s}}" % summary
            out["label_singular"] = items.get("title") or (items.get("description") or "item").split(":")[0].rstrip(".")
            return out
        # a list of single values: one field per item (a comma-separated line would split sentences)
        label = items.get("title") or (items.get("description") or "Waarde").rstrip(".")
        item_field = {"name": "waarde", "label": label, "widget": "string"}
        if items.get("description"):
            item_field["hint"] = items["description"]
        if item_refs and item_refs[-1] in _FLOW_ITEM_DEFS:
            veld["stijl"] = "flow"
        if items.get("pattern"):
            item_field["pattern"] = [items["pattern"], items.get("description") or "Deze waarde past niet."]
        if (items.get("maxLength") or 0) > 200:
            item_field["widget"] = "text"
        out["field"] = item_field
        return out


def editor_config(
    settings: Instellingen,
    schema_dir: Path = SCHEMA_DIR,
    *,
    basis: dict | None = None,
    styles: list[str] | None = None,
    default_version: str = "latest",
) -> dict:
    """What redactie/config.json holds: ``cms`` (Decap's configuration, given to CMS.init) and
    ``kompas`` (what our extension needs: the formats' field order and styles, the previews)."""
    basis = base() if basis is None else basis
    gen = _Generator(_Schemas(Path(schema_dir)), basis)
    cms = dict(basis.get("cms") or {})
    backend = {
        "name": "gitlab",
        "repo": settings.project,
        "branch": settings.branch,
        "auth_type": "pkce",
        "app_id": settings.app_id,
        "base_url": settings.gitlab,
        "api_root": settings.api_root,
        "auth_endpoint": "oauth/authorize",
    }
    if settings.lokaal and not settings.gitlab:
        backend = {"name": "gitlab", "repo": settings.project, "branch": settings.branch}
    cms["backend"] = backend
    collections, mappen, soorten, ecli_folders = [], {}, {}, []
    for entry in basis.get("collecties") or []:
        schema = gen.schemas.kind(entry["soort"])
        fields, spec = gen.fields(schema, entry["soort"])
        collections.append(
            {
                "name": entry["naam"],
                "label": entry["label"],
                "label_singular": entry["enkelvoud"],
                "description": schema.get("description", ""),
                "folder": entry["map"],
                "extension": "yaml",
                "format": f"kompas-{entry['naam']}",
                "create": True,
                "delete": False,
                "slug": "{{fields.%s}}" % entry["naam_uit"],
                "identifier_field": entry["titel_uit"],
                "summary": "{{fields.%s}}" % entry["titel_uit"],
                "fields": fields,
            }
        )
        mappen[entry["naam"]] = {
            "kopregel": entry["kopregel"],
            "velden": spec,
            "naam_uit": entry["naam_uit"],
            "map": entry["map"],
        }
        soorten[entry["naam"]] = entry["soort"]
        if entry.get("bestandsnaam") == "ecli":
            ecli_folders.append(entry["map"])
    registers = basis.get("registers")
    register_specs = {}
    if registers:
        files = []
        for entry in registers["bestanden"]:
            schema = gen.schemas.kind(entry["soort"])
            fields, spec = gen.fields(schema, entry["soort"])
            files.append(
                {
                    "name": entry["naam"],
                    "label": entry["label"],
                    "file": entry["pad"],
                    "description": schema.get("description", ""),
                    "fields": fields,
                }
            )
            register_specs[entry["soort"]] = {"velden": spec}
            soorten[entry["naam"]] = entry["soort"]
        collections.append(
            {
                "name": registers["naam"],
                "label": registers["label"],
                "format": "kompas-registers",
                "extension": "yaml",
                "delete": False,
                "files": files,
            }
        )
    cms["collections"] = collections
    cms["load_config_file"] = False
    return {
        "cms": cms,
        "kompas": {
            "standaardversie": default_version,
            "voorbeeldstijlen": list(styles or []),
            "soorten": soorten,
            "ecli_mappen": ecli_folders,
            "formaten": {"mappen": mappen, "registers": register_specs},
        },
    }


# -- the files of redactie/ in the built site ------------------------------------------------


def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(APP)), autoescape=select_autoescape(["html", "j2"]), keep_trailing_newline=True
    )


def index_html(settings: Instellingen, site_name: str = "Kompas") -> str:
    return _templates().get_template("index.html.j2").render(policy=csp(settings, meta=True), site_name=site_name)


def site_styles(site_dir: Path) -> list[str]:
    """The site's own stylesheets as seen from redactie/ (for the preview pane)."""
    found = sorted(p.relative_to(site_dir).as_posix() for p in (site_dir / "assets" / "stylesheets").glob("*.css"))
    found += [p for p in ("assets/kompas.css",) if (site_dir / p).is_file()]
    return ["../" + p for p in found]


def write_site(
    site_dir: Path,
    settings: Instellingen,
    *,
    schema_dir: Path = SCHEMA_DIR,
    site_name: str = "Kompas",
    default_version: str = "latest",
) -> Path:
    """redactie/ in the built site: index.html, config.json and the static files of the editor."""
    target = Path(site_dir) / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(STATIC.iterdir()):
        if source.is_file():
            destination = target / source.name
            try:
                if (
                    destination.exists()
                    and destination.stat().st_size == source.stat().st_size
                    and destination.stat().st_mtime >= source.stat().st_mtime
                ):
                    continue
            except OSError:
                pass
            shutil.copy2(source, destination)
    config = editor_config(settings, schema_dir, styles=site_styles(Path(site_dir)), default_version=default_version)
    (target / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (target / "index.html").write_text(index_html(settings, site_name), encoding="utf-8")
    return target
