"""Which card decks the site prebuilds (issue 19): every card is in some prebuilt deck, and no
deck holds the whole corpus when that is large (it would be drawn again after every change)."""

from __future__ import annotations

import sys

from lib.project import ROOT  # noqa: E402
from macros.content.validate import validate_corpus
from macros.printing.cards import WHOLE_DECK_MAX, site_deck_plan

sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402


def _covered(corpus) -> set[str]:
    return {item.id for job in site_deck_plan(corpus) for item in job.items}


def test_the_starter_corpus_keeps_the_deck_of_all_cards(root):
    corpus = validate_corpus(root).corpus
    assert len(corpus.dilemmas) <= WHOLE_DECK_MAX
    jobs = site_deck_plan(corpus)
    assert jobs[0].key == "alles" and len(jobs[0].items) == len(corpus.dilemmas)
    assert _covered(corpus) == {d.id for d in corpus.dilemmas}


def test_a_large_corpus_has_every_card_in_a_deck_but_no_deck_of_all_cards(tmp_path):
    project = generate.generate(10, tmp_path)["project"]
    result = validate_corpus(project)
    assert result.ok
    corpus = result.corpus
    assert len(corpus.dilemmas) == 1000 > WHOLE_DECK_MAX
    jobs = site_deck_plan(corpus)
    assert all(job.soort != "alles" for job in jobs)
    assert max(len(job.items) for job in jobs) < len(corpus.dilemmas) // 10
    assert _covered(corpus) == {d.id for d in corpus.dilemmas}
