"""Issue 27: the browser editor's configuration, generated from schemas/ (fast: no site build, no
browser). What the editor saves is tested in Chromium (tests/browser/test_redactie_formaat.py)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from macros.site import csp as site_csp
from macros.site import redactie

ROOT = Path(__file__).resolve().parents[3]
SCHEMAS = ROOT / "schemas"
GITLAB = {
    "gitlab": "https://gitlab.intranet.example",
    "app_id": "0a1b2c3d4e",
    "project": "integriteit/kompas",
    "branch": "main",
}


@pytest.fixture(scope="module")
def settings():
    return redactie.instellingen({"redactie": dict(GITLAB)}, lokaal=False)


@pytest.fixture(scope="module")
def config(settings):
    return redactie.editor_config(settings)


def collection(config, name):
    return next(c for c in config["cms"]["collections"] if c["name"] == name)


def field(fields, name):
    return next(f for f in fields if f["name"] == name)


def test_one_collection_per_kind_in_the_base_files_order_and_one_for_the_registers(config):
    names = [c["name"] for c in config["cms"]["collections"]]
    assert names == ["themabladen", "dilemmas", "uitspraken", "modules", "onderwerpen", "registers"]
    folders = {c["name"]: c.get("folder") for c in config["cms"]["collections"]}
    assert folders["dilemmas"] == "content/dilemmas" and folders["themabladen"] == "themabladen"
    assert folders["uitspraken"] == "content/uitspraken" and folders["onderwerpen"] == "content/onderwerpen"
    files = {f["name"]: f["file"] for f in collection(config, "registers")["files"]}
    assert files == {
        "bronnen": "content/bronnen.yaml",
        "meldroutes": "content/meldroutes.yaml",
        "wetgeving": "content/wetgeving.yaml",
        "reeks": "content/reeks.yaml",
    }
    for c in config["cms"]["collections"]:
        assert c["format"].startswith("kompas-") and c["extension"] == "yaml", c["name"]
    assert collection(config, "uitspraken")["slug"] == "{{fields.ecli}}"
    assert config["kompas"]["ecli_mappen"] == ["content/uitspraken"]
    assert collection(config, "dilemmas")["slug"] == "{{fields.id}}"


def test_every_schema_property_is_a_field_in_the_schemas_order_with_its_dutch_title_and_description(config):
    for c in config["cms"]["collections"]:
        forms = c.get("files") or [c]
        for form in forms:
            kind = config["kompas"]["soorten"][form["name"]]
            schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
            assert [f["name"] for f in form["fields"]] == list(schema["properties"]), kind
            for f in form["fields"]:
                own = schema["properties"][f["name"]]
                assert f["label"] == own["title"], (kind, f["name"])
                assert f["hint"].startswith(own["description"]), (kind, f["name"])
                assert f["required"] == (f["name"] in schema.get("required", [])), (kind, f["name"])


def test_widgets_follow_the_schema(config):
    dilemma = collection(config, "dilemmas")["fields"]
    assert field(dilemma, "titel")["widget"] == "string"
    assert field(dilemma, "situatie")["widget"] == "text"  # maxLength 1500
    kern = field(dilemma, "kernwaarden")
    assert (
        kern["widget"] == "select"
        and kern["multiple"]
        and kern["options"] == ["integer", "betrouwbaar", "moedig", "verbindend"]
    )
    assert kern["min"] == 1
    vragen = field(dilemma, "hulpvragen")
    assert vragen["widget"] == "list" and "field" in vragen and vragen["max"] == 8  # one text per item, no commas
    assert vragen["field"]["pattern"][0] == r"\?\s*$"
    assert field(dilemma, "gewijzigd")["widget"] == "datetime" and field(dilemma, "gewijzigd")["format"] == "YYYY-MM-DD"
    assert field(dilemma, "id")["pattern"][0] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    bronnen = field(dilemma, "bronnen")
    assert bronnen["widget"] == "list" and [f["name"] for f in bronnen["fields"]] == ["bron", "deel", "toelichting"]
    assert [f["required"] for f in bronnen["fields"]] == [True, False, False]
    module = collection(config, "modules")["fields"]
    assert field(module, "soort")["widget"] == "select" and "gespreksvorm" in field(module, "soort")["options"]
    doel = field(module, "doel")
    assert doel["widget"] == "markdown" and doel["editor_components"] == []  # no image upload buttons
    assert field(module, "duur")["widget"] == "number" and field(module, "duur")["value_type"] == "int"
    deelnemers = field(module, "deelnemers")
    assert deelnemers["widget"] == "object" and [f["name"] for f in deelnemers["fields"]] == ["min", "max"]
    routes = field(collection(config, "registers")["files"][1]["fields"], "routes")
    link = field(routes["fields"], "link")
    assert field(link["fields"], "placeholder")["widget"] == "boolean"


def test_references_are_relation_fields_over_the_ids_that_exist(config):
    dilemma = collection(config, "dilemmas")["fields"]
    expected = {
        "themabladen": ("themabladen", "id", None),
        "onderwerpen": ("onderwerpen", "id", None),
        "uitspraken": ("uitspraken", "ecli", None),
        "routes": ("registers", "routes.*.id", "meldroutes"),
    }
    for name, (target, value, file) in expected.items():
        f = field(dilemma, name)
        assert (f["widget"], f["collection"], f["value_field"], f.get("file"), f["multiple"]) == (
            "relation",
            target,
            value,
            file,
            True,
        ), name
    bron = field(field(dilemma, "bronnen")["fields"], "bron")
    assert (bron["collection"], bron["file"], bron["value_field"], bron["multiple"]) == (
        "registers",
        "bronnen",
        "bronnen.*.id",
        False,
    )
    themablad = collection(config, "themabladen")["fields"]
    assert field(themablad, "casuistiek")["value_field"] == "ecli"
    assert field(themablad, "gerelateerd")["collection"] == "themabladen"
    wet = field(field(themablad, "wetgeving")["fields"], "wet")
    assert (wet["collection"], wet["file"], wet["value_field"]) == ("registers", "wetgeving", "wetten.*.id")
    module = collection(config, "modules")["fields"]
    assert field(module, "dilemmas")["collection"] == "dilemmas"
    stap = field(module, "stappen")["fields"]
    assert field(stap, "dilemmas")["collection"] == "dilemmas"
    citaat = field(field(collection(config, "onderwerpen")["fields"], "citaten")["fields"], "bron")
    assert citaat["file"] == "bronnen"


def test_what_the_schemas_cannot_say_comes_from_the_base_file(config):
    module = collection(config, "modules")["fields"]
    assert field(module, "onderdelen")["required"] is False
    assert "masterclass of sessieplan" in field(module, "onderdelen")["hint"]
    spec = config["kompas"]["formaten"]["mappen"]
    assert spec["dilemmas"]["kopregel"] == "# yaml-language-server: $schema=../../schemas/dilemma.schema.json"
    assert spec["themabladen"]["kopregel"] == "# yaml-language-server: $schema=../schemas/themablad.schema.json"
    assert [v["naam"] for v in spec["dilemmas"]["velden"]][:3] == ["id", "titel", "situatie"]
    assert next(v for v in spec["dilemmas"]["velden"] if v["naam"] == "kernwaarden")["stijl"] == "flow"
    assert next(v for v in spec["modules"]["velden"] if v["naam"] == "doel")["stijl"] == "letterlijk"
    assert set(config["kompas"]["formaten"]["registers"]) == {"bronnen", "meldroutes", "wetgeving", "reeks"}


def test_the_gitlab_backend_signs_in_with_pkce_and_opens_merge_requests(config, settings):
    cms = config["cms"]
    assert cms["backend"] == {
        "name": "gitlab",
        "repo": "integriteit/kompas",
        "branch": "main",
        "auth_type": "pkce",
        "app_id": "0a1b2c3d4e",
        "base_url": "https://gitlab.intranet.example",
        "api_root": "https://gitlab.intranet.example/api/v4",
        "auth_endpoint": "oauth/authorize",
    }
    assert cms["publish_mode"] == "editorial_workflow"
    assert cms["locale"] == "nl" and cms["load_config_file"] is False
    assert "local_backend" not in cms  # only `make redactie` adds it, when it serves config.json
    text = json.dumps(config).lower()
    assert "secret" not in text and "token" not in text


def test_an_api_root_of_its_own_and_another_branch():
    own = redactie.instellingen(
        {"redactie": {**GITLAB, "branch": "redactie", "api": "https://api.example/v4/"}}, lokaal=False
    )
    backend = redactie.editor_config(own)["cms"]["backend"]
    assert backend["branch"] == "redactie" and backend["api_root"] == "https://api.example/v4"
    assert "connect-src 'self' https://gitlab.intranet.example https://api.example;" in redactie.csp(own)


@pytest.mark.parametrize(
    "raw, words",
    [
        ({"gitlab": "https://g.example", "project": "a/b"}, "mist 'app_id'"),
        ({**GITLAB, "client_secret": "x"}, "kent het veld 'client_secret' niet"),
        ({**GITLAB, "gitlab": "gitlab.intranet"}, "is geen webadres"),
        ("ja", "moet een blok met velden zijn"),
    ],
)
def test_a_wrong_setting_stops_with_a_dutch_message(raw, words):
    with pytest.raises(redactie.RedactieFout, match=re.escape(words)):
        redactie.instellingen({"redactie": raw}, lokaal=False)


def test_without_the_setting_there_is_no_editor_except_for_make_redactie(monkeypatch):
    assert redactie.instellingen({}, lokaal=False) is None
    assert redactie.instellingen({"geschiedenis": ""}, lokaal=False) is None
    monkeypatch.setenv(redactie.LOKAAL, "1")
    local = redactie.instellingen({})
    assert local is not None and local.lokaal and local.origins == []


def test_the_starter_mkdocs_yml_leaves_the_editor_off_and_shows_how_to_switch_it_on():
    import yaml

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(text, Loader=yaml.BaseLoader)  # !ENV tags as plain text
    assert "redactie" not in config["extra"]["kompas"]
    assert "# redactie:" in text and "docs/redactie.md" in text


def test_a_schema_change_changes_the_form_with_no_edit_to_the_editors_configuration(tmp_path, settings):
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, schemas)
    path = schemas / "dilemma.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["situatie"]["title"] = "Wat er gebeurt"
    schema["properties"]["leerdoel"] = {
        "title": "Leerdoel",
        "description": "Wat een deelnemer ervan leert.",
        "$ref": "gemeenschappelijk.schema.json#/$defs/markdown",
    }
    schema["properties"]["niveau"] = {
        "title": "Niveau",
        "description": "Hoe moeilijk.",
        "enum": ["basis", "verdieping"],
    }
    schema["required"].append("niveau")
    del schema["properties"]["uitspraken"]
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    base_before = redactie.BASE_FILE.read_bytes()

    before = redactie.editor_config(settings)
    after = redactie.editor_config(settings, schemas)
    assert redactie.BASE_FILE.read_bytes() == base_before
    old, new = collection(before, "dilemmas")["fields"], collection(after, "dilemmas")["fields"]
    assert field(old, "situatie")["label"] == "Situatie" and field(new, "situatie")["label"] == "Wat er gebeurt"
    leerdoel = field(new, "leerdoel")
    assert (leerdoel["label"], leerdoel["hint"], leerdoel["widget"], leerdoel["required"]) == (
        "Leerdoel",
        "Wat een deelnemer ervan leert.",
        "markdown",
        False,
    )
    niveau = field(new, "niveau")
    assert niveau["widget"] == "select" and niveau["options"] == ["basis", "verdieping"] and niveau["required"]
    assert "uitspraken" not in [f["name"] for f in new] and "uitspraken" in [f["name"] for f in old]
    spec = [v["naam"] for v in after["kompas"]["formaten"]["mappen"]["dilemmas"]["velden"]]
    assert spec[-2:] == ["leerdoel", "niveau"]  # a new key is written where the schema's order puts it
    assert collection(after, "themabladen") == collection(before, "themabladen")


def test_the_editors_own_policy_allows_what_decap_needs_and_only_its_gitlab(settings):
    policy = dict(item.split(" ", 1) for item in redactie.csp(settings).split("; "))
    assert policy["connect-src"] == "'self' https://gitlab.intranet.example"
    assert policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert re.findall(r"https?://[^\s;]+", redactie.csp(settings)) == ["https://gitlab.intranet.example"] * 2
    assert "frame-ancestors" not in redactie.csp(settings, meta=True)
    # the site's own policy stays as strict as it was
    assert "'unsafe-eval'" not in site_csp.POLICY and "'unsafe-inline'" not in site_csp.POLICY
    assert "gitlab" not in site_csp.POLICY


def test_the_editor_page_has_no_inline_script_and_carries_its_policy(tmp_path, settings):
    html = redactie.index_html(settings)
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert [attrs.strip() for attrs, body in scripts] == ['src="kompas-redactie.js"', 'src="decap-cms.js"']
    assert all(not body.strip() for _, body in scripts)
    assert f'content="{redactie.csp(settings, meta=True)}"' in html.replace("&#39;", "'")
    assert '<html lang="nl">' in html


# Every address in the committed bundle, and why none is loaded: the backends and media libraries
# we do not configure, documentation links, XML namespaces. A Decap upgrade that adds an address
# fails here until someone has looked at it (docs/redactie.md, "Niets van buiten").
KNOWN_HOSTS = {
    "www.w3.org",
    "react-dnd.github.io",
    "react.dev",
    "reactjs.org",
    "redux.js.org",
    "fb.me",
    "bit.ly",
    "git.io",
    "goo.gl",
    "github.com",
    "gitlab.com",
    "api.github.com",
    "api.bitbucket.org",
    "bitbucket.org",
    "try.gitea.io",
    "json-schema.org",
    "raw.githubusercontent.com",
    "npms.io",
    "example.com",
    "www.opengis.net",
    "localhost",
    "uploadcare.com",
    "ucarecdn.com",
    "ucarecd.net",
    "upload.uploadcare.com",
    "social.uploadcare.com",
    "s3.amazonaws.com",
    "www.openstreetmap.org",
    "www.netlifystatus.com",
    "www.githubstatus.com",
    "www.decapcms.org",
    "openlayers.org",
    "mozilla.github.io",
    "media-library.cloudinary.com",
    "material-theme.site",
    "login.microsoftonline.com",
    "html.spec.whatwg.org",
    "dev.azure.com",
    "d3dy5gmtp8yhk7.cloudfront.net",
    "bitbucket.status.atlassian.com",
    "app.vssps.visualstudio.com",
    "api.netlify.com",
    "docs.netlify.com",
    "www.ibm.com",
    "js.pusher.com",
    "dev.apollodata.com",
    "git-lfs.github.com",
}


def test_the_committed_bundle_names_no_unknown_outside_address():
    hosts = set()
    for path in redactie.STATIC.glob("*.js"):
        text = path.read_text(encoding="utf-8", errors="replace")
        hosts |= set(re.findall(r"https?://([a-zA-Z0-9.-]+[a-zA-Z0-9])", text))
    unknown = sorted(hosts - KNOWN_HOSTS)
    assert not unknown, f"nieuwe adressen in de bundel: {unknown}"
    for path in redactie.STATIC.glob("*.js"):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "fonts.googleapis" not in text and "googletagmanager" not in text and "google-analytics" not in text


def test_the_bundle_is_pinned_by_the_lockfile():
    package = json.loads((ROOT / "redactie" / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "redactie" / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in {**package["dependencies"], **package["devDependencies"]}.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} {version}: pin an exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    versions = (redactie.STATIC / "VERSIES.txt").read_text(encoding="utf-8")
    assert f"decap-cms {package['devDependencies']['decap-cms']} (MIT)" in versions
    assert f"yaml {package['devDependencies']['yaml']} (ISC)" in versions
    assert (redactie.STATIC / "decap-cms.js").stat().st_size > 1_000_000
    assert (redactie.STATIC / "decap-cms.js.LICENSE.txt").is_file()
