"""Dutch spelling check of published text: `kompas spelling`.

Uses the hunspell program with Debian's Dutch dictionary (packages ``hunspell`` and
``hunspell-nl``, installed by ``scripts/ensure-system.sh``). All words of all
files go to ONE hunspell process, so the check stays a few seconds even for a
large corpus. It is deliberately not part of ``validate_corpus``: validation runs
on every save and in the site build and must stay fast; spelling runs in
pre-commit and CI and reports warnings (code SPELLING) in the same format.

What is checked: every prose string in the YAML content (not ids, ECLIs, urls,
dates, references: the same field list the privacy checks use) and the
hand-written Markdown pages in ``content/pages/``. Words with digits, words in
capitals (abbreviations such as VIK or PO21) and the words in the project word
list ``content/woordenlijst.txt`` are accepted.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..content.checks import NON_PROSE_FIELDS, _field_name, _strings
from ..content.diagnostics import Diagnostic, sort_diagnostics
from ..content.layout import Layout, discover
from ..content.load import load_file, read_file
from ..store.errors import OperationFailed

WORD_LIST = Path("content") / "woordenlijst.txt"
DICTIONARY = "nl"  # /usr/share/hunspell/nl.dic from Debian's hunspell-nl
SKIP_FIELDS = NON_PROSE_FIELDS | {"afkorting", "placeholder"}

_LETTERS = "A-Za-zÀ-ÖØ-öø-ÿĀ-ſ"
WORD = re.compile(rf"[{_LETTERS}]+(?:['’][{_LETTERS}]+)*(?:-[{_LETTERS}]+(?:['’][{_LETTERS}]+)*)*")
# Things in a text that are not words to check: link targets, urls, inline code,
# ECLIs, e-mail-like strings, Jinja in pages and HTML tags.
_NOT_PROSE = re.compile(
    r"\]\([^)]*\)"  # Markdown link target: [tekst](doel)
    r"|https?://\S+"  # bare address
    r"|`[^`]*`"  # inline code
    r"|ECLI:[A-Z0-9:]+"  # ECLI
    r"|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}"  # Jinja in pages
    r"|<[^>]+>"  # HTML tag
    r"|\S+@\S+"  # e-mail-like
    r"|\b[a-z][\w-]*(?:\.[a-z][\w-]*)*\.(?:nl|com|org|net|eu|invalid)\b"  # domain name
)


class SpellingUnavailable(OperationFailed):
    """hunspell or the Dutch dictionary is missing; the message says how to install it (code HULPMIDDEL)."""

    code = "HULPMIDDEL"


@dataclass(frozen=True)
class Text:
    file: str  # relative path
    path: Path  # absolute path
    line: int  # 1-based line where the text starts in the file
    text: str


@dataclass(frozen=True)
class SpellingResult:
    diagnostics: tuple[Diagnostic, ...]
    documents: tuple[str, ...] = field(default=())  # the files that were checked

    def for_files(self, files: set[str]) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.file in files)


# -- word list ------------------------------------------------------------------


def read_word_list(path: Path) -> set[str]:
    """Words from the project word list: one per line; '#' starts a comment."""
    if not path.is_file():
        return set()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return words


def accepted_by_list(word: str, words: set[str]) -> bool:
    """A listed word matches itself, and a lowercase entry also its capitalised form."""
    if word in words:
        return True
    if word[:1].isupper() and word[:1].lower() + word[1:] in words:
        return True
    return False


# -- collecting text ------------------------------------------------------------------


def _yaml_texts(layout: Layout, path: Path) -> list[Text]:
    relative = layout.relative(path)
    loaded = load_file(path, relative, root=layout.root)
    texts = []
    for data_path, text in _strings(loaded.data):
        if _field_name(data_path) in SKIP_FIELDS or "TODO" in text:
            continue  # TODO text is reported as TODO-OPEN and will be rewritten
        texts.append(Text(relative, path, loaded.pos(data_path).line, text))
    return texts


def _markdown_texts(layout: Layout, path: Path) -> list[Text]:
    relative = layout.relative(path)
    texts = []
    in_code = False
    in_front = False
    for number, line in enumerate(_read_text(layout, path).splitlines(), 1):
        stripped = line.strip()
        if number == 1 and stripped == "---":
            in_front = True
            continue
        if in_front:
            in_front = stripped != "---"
            continue
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code or line.startswith("    "):
            continue
        texts.append(Text(relative, path, number, line))
    return texts


def _read_text(layout: Layout, path: Path) -> str:
    """A file's text, read as the validator reads: only a regular file inside the project (a FIFO or a
    link out of the project gives no text, nothing waits and nothing outside is read)."""
    raw = read_file(path, layout.relative(path), root=layout.root)
    return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else ""


def collect(root: Path, paths: list[Path] | None = None) -> list[Text]:
    """The published texts of the whole project, or of the given files/folders."""
    layout = Layout(Path(root))
    files, _ = discover(layout)
    yaml_files = [p for _, p in files]
    pages = sorted(layout.pages.rglob("*.md")) if layout.pages.is_dir() else []
    candidates = yaml_files + pages
    if paths:
        wanted: set[Path] = set()
        for raw in paths:
            raw = Path(raw).resolve()
            if raw.is_dir():
                wanted.update(p.resolve() for p in candidates if raw in p.resolve().parents)
            else:
                wanted.add(raw)
        candidates = [p for p in candidates if p.resolve() in wanted]
    texts: list[Text] = []
    for path in candidates:
        if path.suffix == ".md":
            texts.extend(_markdown_texts(layout, path))
        else:
            texts.extend(_yaml_texts(layout, path))
    return texts


def words_of(text: str) -> list[tuple[str, int]]:
    """The words of a text with their offsets, skipping links, code, ECLIs and markup."""
    cleaned = _NOT_PROSE.sub(lambda m: " " * len(m.group(0)), text)
    return [(m.group(0), m.start()) for m in WORD.finditer(cleaned)]


def needs_check(word: str, words: set[str]) -> bool:
    if len(word) < 2 or any(ch.isdigit() for ch in word):
        return False
    if word.isupper():  # abbreviations: VIK, OE, PO, ECLI, TODO
        return False
    return not accepted_by_list(word, words)


# -- hunspell --------------------------------------------------------------------------

MAX_SUGGESTIONS = 20  # suggestions cost hunspell up to ~0.5 s per word: only for the first words


def hunspell_command(mode: str) -> list[str]:
    program = shutil.which("hunspell")
    if program is None:
        raise SpellingUnavailable(
            "hunspell is niet geïnstalleerd. Installeer het met ./scripts/ensure-system.sh "
            "(of: apt-get install hunspell hunspell-nl)."
        )
    return [program, "-d", DICTIONARY, mode, "-i", "utf-8"]


def _run(mode: str, words: list[str]) -> str:
    # One word per input line; '^' makes hunspell treat the line as text, never as a command.
    stdin = "".join(f"^{w}\n" for w in words)
    run = subprocess.run(
        hunspell_command(mode), input=stdin, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if run.returncode != 0 or run.stderr.strip():
        raise SpellingUnavailable(
            f"hunspell met het Nederlandse woordenboek werkt niet ({run.stderr.strip() or run.returncode}). "
            "Installeer het met ./scripts/ensure-system.sh (of: apt-get install hunspell hunspell-nl)."
        )
    return run.stdout


def unknown_words(words: list[str]) -> list[str]:
    """The words hunspell does not know, in input order (fast: no suggestions)."""
    if not words:
        return []
    # -L prints the input lines that hold a misspelling; each line is one word.
    wrong_lines = {line[1:] if line.startswith("^") else line for line in _run("-L", words).splitlines()}
    return [w for w in words if w in wrong_lines]


def check_words(words: list[str]) -> dict[str, list[str]]:
    """The misspelled words among ``words``, each with hunspell's suggestions (if any)."""
    wrong = unknown_words(words)
    result: dict[str, list[str]] = {w: [] for w in wrong}
    # Pass 2 (-a, pipe mode): suggestions for the first misspelled words; one block per input line.
    asked = wrong[:MAX_SUGGESTIONS]
    if asked:
        output = _run("-a", asked)
        blocks = output.split("\n", 1)[1].split("\n\n") if "\n" in output else []
        for word, block in zip(asked, blocks):
            for line in block.splitlines():
                if line.startswith("&"):
                    result[word] = [s.strip() for s in line.split(":", 1)[1].split(",")][:3]
                    break
    return result


def misspelled(tokens: set[str]) -> dict[str, list[str]]:
    """Hyphenated compounds count as right when hunspell accepts every part."""

    def parts_of(token: str) -> list[str]:  # BWB-nummer: the abbreviation part is not checked
        return [p for p in token.split("-") if p and not p.isupper()]

    parts = {p for t in tokens if "-" in t for p in parts_of(t)}
    result = check_words(sorted(tokens | parts))
    wrong = {}
    for token in tokens:
        if token not in result:
            continue
        if "-" in token and all(p not in result for p in parts_of(token)):
            continue
        wrong[token] = result[token]
    return wrong


# -- locating and reporting -------------------------------------------------------------


def _locate(lines: list[str], start: int, word: str, occurrence: int) -> tuple[int, int]:
    """Line and column of the n-th occurrence of ``word`` at or after line ``start``."""
    pattern = re.compile(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])")
    seen = 0
    for index in range(max(start - 1, 0), len(lines)):
        for match in pattern.finditer(lines[index]):
            if seen == occurrence:
                return index + 1, match.start() + 1
            seen += 1
    return start, 1


def check(root: Path, paths: list[Path] | None = None) -> SpellingResult:
    """Spelling warnings for the whole project, or for the given files/folders."""
    root = Path(root)
    words = read_word_list(root / WORD_LIST)
    texts = collect(root, paths)
    found: list[tuple[Text, list[tuple[str, int]]]] = []
    tokens: set[str] = set()
    for text in texts:
        to_check = [(w, o) for w, o in words_of(text.text) if needs_check(w, words)]
        if to_check:
            found.append((text, to_check))
            tokens.update(w for w, _ in to_check)
    wrong = misspelled(tokens)
    file_lines: dict[Path, list[str]] = {}
    diagnostics = []
    for text, to_check in found:
        counts: dict[str, int] = {}
        for word, _offset in to_check:
            occurrence = counts.get(word, 0)
            counts[word] = occurrence + 1
            if word not in wrong:
                continue
            lines = file_lines.setdefault(text.path, _read_text(Layout(Path(root)), text.path).splitlines())
            line, column = _locate(lines, text.line, word, occurrence)
            suggestions = wrong[word]
            hint = (
                f"Bedoel je: {', '.join(suggestions)}? " if suggestions else ""
            ) + f"Is '{word}' goed gespeld, zet het dan in {WORD_LIST.as_posix()}."
            diagnostics.append(
                Diagnostic(
                    text.file, line, column, "SPELLING", f"'{word}' staat niet in het Nederlandse woordenboek.", hint
                )
            )
    checked = tuple(sorted({t.file for t in texts}))
    return SpellingResult(tuple(sort_diagnostics(diagnostics)), checked)
