"""The link checker of macros/site/linkcheck.py gives the same problems as the reference checker
(tests/lib/linkcheck_reference.py) on the built starter site, seeded with broken links (the generated
and crafted sites are in tests/unit/site/test_linkcheck_fast.py)."""

from __future__ import annotations

import random
import shutil

from lib.linkcheck_reference import SEEDS, check_all_ways, expected_problems, problems_of
from macros.site.linkcheck import check_site


def test_the_same_problems_as_before_on_the_starter_site(starter_site, tmp_path):
    folder = tmp_path / "site"
    shutil.copytree(starter_site, folder)
    assert problems_of(check_site(folder)) == expected_problems(folder) == []
    rng = random.Random(19)
    pages = sorted(folder.rglob("*.html"))
    for path in rng.sample(pages, min(40, len(pages))):
        text = path.read_text(encoding="utf-8")
        seeded = "".join(f'<a href="{rng.choice(SEEDS)}">x</a><img src="{rng.choice(SEEDS)}">' for _ in range(4))
        path.write_text(text.replace("</body>", seeded + "</body>"), encoding="utf-8")
    expected = expected_problems(folder)
    assert len(expected) > 100
    only = [p.relative_to(folder).as_posix() for p in rng.sample(pages, len(pages) // 3)]
    check_all_ways(folder, only)
