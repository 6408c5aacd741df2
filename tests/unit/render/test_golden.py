"""Golden tests: every fragment and item page rendered from the fixture corpus, compared
with the reviewed output in tests/golden/. After an intended change, regenerate with
KOMPAS_GOLDEN=bijwerken and review the diff like any other change (refused under CI=true)."""

from __future__ import annotations

import os
from datetime import date

import pytest

from lib.golden import update_requested
from lib.project import FIXTURES, GOLDEN
from macros.content.validate import validate_corpus
from macros.printing.cards import site_deck_plan
from macros.render.render import Renderer
from macros.site.adapter import FRAGMENTS
from macros.site.history import fragment_context

GOLDEN = GOLDEN
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    corpus = validate_corpus(FIXTURES / "corpus", today=TODAY).corpus
    return Renderer(corpus, today=TODAY, decks={job.key: job for job in site_deck_plan(corpus)})


def _outputs(renderer: Renderer) -> dict[str, str]:
    corpus = renderer.corpus
    outputs = {
        f"fragment-{name}.md": renderer.fragment(name, "overzicht/", **fragment_context(name, renderer))
        for name in sorted(set(FRAGMENTS.values()))
    }
    outputs["themablad-vrije-tijd.md"] = renderer.themablad(corpus.themablad["vrije-tijd"])
    outputs["dilemma-stil-houden.md"] = renderer.dilemma(corpus.dilemma["stil-houden"])
    outputs["uitspraak-ECLI-NL-CRVB-2014-3729.md"] = renderer.uitspraak(corpus.uitspraak["ECLI:NL:CRVB:2014:3729"])
    for module_id in ("beraad", "masterclass", "leerlijn", "gesprek"):
        outputs[f"module-{module_id}.md"] = renderer.module(corpus.module[module_id])
    outputs["onderwerp-voor-iedereen.md"] = renderer.onderwerp(corpus.onderwerp["voor-iedereen"])
    outputs["dilemma-grap-in-de-app.md"] = renderer.dilemma(corpus.dilemma["grap-in-de-app"])
    outputs["kernwaarde-moedig.md"] = renderer.dilemmas_per_kernwaarde("moedig")
    outputs["herkomst-voorbeeld-van-de-redactie.md"] = renderer.dilemmas_per_herkomst("voorbeeld-van-de-redactie")
    return outputs


def test_golden_outputs(renderer):
    outputs = _outputs(renderer)
    if update_requested():  # refused under CI=true (tests/lib/golden.py)
        GOLDEN.mkdir(exist_ok=True)
        for stale in GOLDEN.glob("*.md"):
            stale.unlink()
        for name, text in outputs.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = sorted(p.name for p in GOLDEN.glob("*.md"))
    assert expected == sorted(outputs), "regenerate with KOMPAS_GOLDEN=bijwerken"
    for name, text in outputs.items():
        assert text == (GOLDEN / name).read_text(encoding="utf-8"), f"{name} differs from tests/golden/{name}"


def test_golden_update_is_refused_in_ci(tmp_path):
    """KOMPAS_GOLDEN=bijwerken with CI=true: the real pytest run fails with the message and
    no golden file changes."""
    import subprocess
    import sys

    from lib.safety import tree_hash

    before = tree_hash(GOLDEN)
    env = {**os.environ, "CI": "true", "KOMPAS_GOLDEN": "bijwerken"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{__file__}::test_golden_outputs"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "wordt geweigerd onder CI=true" in run.stdout
    assert tree_hash(GOLDEN) == before
