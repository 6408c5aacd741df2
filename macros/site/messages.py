"""The site engine's own messages, in Dutch: what `kompas bouw` shows of a build that stopped.

MkDocs and mkdocs-macros log their problems in English ("Doc file 'x.md' contains a link ...",
"Aborted with a BuildError!"). A build's refusal is shown to an editor as one Dutch message
(docs/weigeringen.md): each problem once, in Dutch, with the file; the engine's own lines only with
``kompas bouw --uitgebreid``. :func:`dutch` translates the messages MkDocs 1.6 and mkdocs-macros 1.5
give for what content can cause (the same refusals validation reports first, macros/verdict/pages.py);
any other engine message becomes one Dutch line that says where to read it. Kompas's own messages
are Dutch already and pass unchanged (:func:`dutch` is told which ones they are).
"""

from __future__ import annotations

import re

# lines that say nothing of their own: the engine's summary, and its preamble to the message that follows
_DROP = re.compile(
    r"Aborted with (a BuildError!|\d+ warnings? in strict mode!)$|Error reading page '[^']+':", re.DOTALL
)
_SUGGESTION = r"(?: Did you mean '(?P<suggestion>[^']*)'\?)?"
_PATTERNS = [
    (
        re.compile(
            r"Doc file '(?P<page>[^']+)' contains a link '(?P<target>[^']+)', but the target(?: '[^']+')? is "
            r"not found among documentation files\." + _SUGGESTION
        ),
        "{page}: de link '{target}' verwijst naar een pagina of bestand dat niet bestaat.",
    ),
    (
        re.compile(
            r"Doc file '(?P<page>[^']+)' contains a link to '(?P<target>[^']+)' which is excluded from the "
            r"built site\."
        ),
        "{page}: de link naar '{target}' verwijst naar een pagina die niet in de site komt.",
    ),
    (
        re.compile(
            r"Doc file '(?P<page>[^']+)' contains a link '(?P<target>[^']+)', but the doc '(?P<doc>[^']+)' "
            r"does not contain an anchor '#(?P<anchor>[^']*)'\."
        ),
        "{page}: de link '{target}' wijst naar het anker '#{anchor}', dat {doc} niet heeft.",
    ),
    (
        re.compile(
            r"Doc file '(?P<page>[^']+)' contains a link '(?P<target>[^']+)', but there is no such anchor on "
            r"this page\..*"
        ),
        "{page}: de link '{target}' wijst naar een anker dat deze pagina niet heeft.",
    ),
    (
        re.compile(
            r"Doc file '(?P<page>[^']+)' contains an unrecognized relative link '(?P<target>[^']+)', it was left "
            r"as is\." + _SUGGESTION
        ),
        "{page}: de link '{target}' wijst naar een map of adres, niet naar het .md-bestand van een pagina.",
    ),
    (
        re.compile(
            r"Doc file '(?P<page>[^']+)' contains an absolute link '(?P<target>[^']+)', it was left as is\."
            + _SUGGESTION
        ),
        "{page}: de link '{target}' is een absoluut pad; dat werkt niet als de site in een submap staat.",
    ),
    (
        re.compile(
            r"A reference to '(?P<target>[^']+)' is included in the 'nav' configuration, which is not found in "
            r"the documentation files\."
        ),
        "mkdocs.yml: het menu (nav) noemt '{target}', maar die pagina bestaat niet.",
    ),
    (
        re.compile(r"An absolute path to '(?P<target>[^']+)' is included in the 'nav' configuration, .*"),
        "mkdocs.yml: het menu (nav) noemt het absolute pad '{target}'.",
    ),
    (re.compile(r"Encoding error reading file: (?P<page>.+)"), "{page}: deze pagina is niet in UTF-8 opgeslagen."),
    (
        re.compile(r"Excluding '(?P<page>[^']+)' from the site because it conflicts with '(?P<other>[^']+)'\."),
        "{page}: deze pagina en {other} hebben hetzelfde adres; de site-engine laat {page} weg.",
    ),
]
# mkdocs-macros: "[macros] - ERROR - Macro Rendering Error ... _File_: `x.md` ... _UndefinedError_: 'y' is undefined"
_MACRO_FILE = re.compile(r"_File_: `(?P<page>[^`]+)`")
_MACRO_UNDEFINED = re.compile(r"'(?P<name>[^']+)' is undefined")


def dutch(message: str, *, docs: str = "content/pages", ours: bool = False) -> str | None:
    """``message`` (one logged line of the engine) as a Dutch line for an editor; None for a line that
    says nothing of its own (the engine's "Aborted with ..."). ``ours``: a message of Kompas itself
    (Dutch already). ``docs``: the folder of the hand-written pages, relative to the project."""
    text = message.strip()
    if ours:
        return text
    if _DROP.match(text):
        return None
    for pattern, template in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            values = {key: value for key, value in match.groupdict().items() if value is not None}
            for key in ("page", "other", "doc"):
                if key in values:
                    values[key] = f"{docs}/{values[key]}"
            return template.format(**values)
    if "Macro Rendering Error" in text or text.startswith("[macros]"):
        page = _MACRO_FILE.search(text)
        where = f"{docs}/{page.group('page')}: " if page else ""
        undefined = _MACRO_UNDEFINED.search(text)
        if undefined:
            return f"{where}de macro of naam '{undefined.group('name')}' bestaat niet."
        return f"{where}een macro in deze pagina gaf een fout."
    return "De site-engine gaf een melding die Kompas niet kent (in het Engels; `kompas bouw --uitgebreid` toont haar)."
