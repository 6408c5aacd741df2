"""Does a change request touch only content? The pipelines ask this to choose between `make inhoud`
(minutes: validation, the starter-content tests, the build without card decks) and `make test`.

Content is what an editor changes, in the browser editor (redactie/) or by hand: every file the
validator reads (themabladen/, modules/, content/dilemmas/, content/uitspraken/,
content/onderwerpen/ and the four registers in content/, as macros/content/layout.py lists them),
the word list content/woordenlijst.txt, and the fidelity record docs/brontrouw.md (a new item needs
a row there; tests/unit/content/test_brontrouw.py checks it). Not content: the hand-written pages
in content/pages/ (they call macros and shape the site's structure, which the full suite checks),
schemas/, mkdocs.yml, the code, the tests, the rest of docs/. A change request that deletes or
renames a file is judged by both names. No changed file at all: not content only (the full check).

    python scripts/alleen_inhoud.py BASIS     compare the commit BASIS with HEAD (git diff BASIS HEAD)

Exit code 0: only content (run make inhoud); 1: something else changed (run make test); 2: the
comparison could not be made (BASIS is not in the clone): the pipeline then runs make test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.content.layout import Layout  # noqa: E402

EXTRA_CONTENT = ("content/woordenlijst.txt", "docs/brontrouw.md")


def content_paths(root: Path = ROOT) -> tuple[set[str], set[str]]:
    """(folders, files): what counts as content, relative to the project, with forward slashes."""
    layout = Layout(root)
    folders = {folder.relative_to(root).as_posix() for _, folder in layout.folders()}
    files = {path.relative_to(root).as_posix() for _, path in layout.registers()} | set(EXTRA_CONTENT)
    return folders, files


def is_content(path: str, root: Path = ROOT) -> bool:
    folders, files = content_paths(root)
    name = PurePosixPath(path)
    return path in files or any(folder in (str(parent) for parent in name.parents) for folder in folders)


def first_not_content(paths: list[str], root: Path = ROOT) -> str | None:
    """The first changed path that is not content (None: all of them are)."""
    return next((path for path in paths if not is_content(path, root)), None)


def changed_paths(base: str, root: Path = ROOT) -> list[str]:
    """The paths that differ between ``base`` and HEAD; a rename gives both names."""
    done = subprocess.run(
        ["git", "-C", str(root), "diff", "--name-only", "--no-renames", "-z", base, "HEAD", "--"],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise LookupError(done.stderr.strip() or f"git diff {base} HEAD faalde")
    return [path for path in done.stdout.split("\0") if path]


def decide(base: str, root: Path = ROOT) -> tuple[int, str]:
    """(exit code, the sentence for the pipeline's log) for the change from ``base`` to HEAD."""
    try:
        paths = changed_paths(base, root)
    except (LookupError, OSError) as error:
        return 2, f"Niet te vergelijken met {base} ({error}): de volledige controle (make test)."
    if not paths:
        return 1, "Geen gewijzigde bestanden: de volledige controle (make test)."
    other = first_not_content(paths, root)
    if other is not None:
        return 1, f"Ook andere bestanden dan inhoud gewijzigd (zoals {other}): de volledige controle (make test)."
    return 0, (
        f"Alleen inhoud gewijzigd ({len(paths)} {'bestand' if len(paths) == 1 else 'bestanden'}): "
        "de inhoudscontrole (make inhoud)."
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0]:
        print("gebruik: python scripts/alleen_inhoud.py BASIS (de commit waarmee vergeleken wordt)", file=sys.stderr)
        return 2
    code, sentence = decide(argv[0])
    print(sentence)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
