"""One error model: every refusal or failure a person sees from Kompas.

Every public exception of Kompas is a :class:`KompasError`: a stable code (:data:`ERROR_CODES`), a
Dutch message that says what is wrong, and a hint that says what to do. Its class says the exit code
(:class:`ExitCode`): the same kind of problem gives the same code in every command. The command line
(macros/cli/) prints it in one format and exits with its code; the table of exit codes per command is
in macros/cli/exits.py and docs/errors.md. Private control-flow exceptions of a module (a signal from
one function to another) are not part of this model and never reach a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import ClassVar


class ExitCode(IntEnum):
    """The exit codes of every `kompas` command (and of `make` targets that run one)."""

    OK = 0  # it worked (warnings may have been shown)
    CONTENT = 1  # content problems found: the content, or what the build makes of it, has errors
    USAGE = 2  # wrong use of a command (an option, a value, a path that does not exist) or a path refused
    FAILED = 3  # an operation that could not run or complete: a busy lock, a full disk, a failed tool
    INTERRUPTED = 130  # interrupted (Ctrl+C)


@dataclass(frozen=True)
class ErrorCode:
    """One code of the catalogue: what it means and what to do about it."""

    code: str
    exit_code: ExitCode
    title: str  # what went wrong, in Dutch
    hint: str  # what to do, in Dutch (an error may give a more precise one)


_CATALOGUE = [
    ErrorCode(
        "INHOUD-FOUTEN",
        ExitCode.CONTENT,
        "De inhoud heeft fouten.",
        "Los de meldingen hierboven op (bestand:regel:kolom, code en hint) en probeer het opnieuw.",
    ),
    ErrorCode(
        "BOUW-GEWEIGERD",
        ExitCode.CONTENT,
        "De bouw weigert wat hij van de inhoud maakt, en de validatie zag het niet (een link of anker in "
        "wat de bouw zelf maakt, een waarschuwing van de site-engine in strikte modus).",
        "Lees de melding; de vorige site staat er nog. Wat een redacteur schreef, hoort 'kompas valideer' "
        "eerst te weigeren: zie docs/weigeringen.md.",
    ),
    ErrorCode(
        "KAART",
        ExitCode.CONTENT,
        "Een dilemmakaart kan niet gemaakt worden.",
        "Kort de situatie of de hulpvragen van het genoemde dilemma in.",
    ),
    ErrorCode(
        "DRUK",
        ExitCode.CONTENT,
        "Een draaiboek of handout kan niet gemaakt worden.",
        "Kort de tekst van het genoemde themablad of de genoemde module in.",
    ),
    ErrorCode(
        "SPELLING",
        ExitCode.CONTENT,
        "Er zijn spelfouten (met --streng).",
        "Verbeter de woorden, of zet een goed woord op een eigen regel in content/woordenlijst.txt.",
    ),
    ErrorCode(
        "DOCUMENTATIE",
        ExitCode.CONTENT,
        "Een gegenereerde lijst in de documentatie is niet actueel.",
        "Voer 'kompas documenteer' uit en commit het resultaat.",
    ),
    ErrorCode(
        "GEBRUIK",
        ExitCode.USAGE,
        "De opdracht is verkeerd gebruikt (een optie, een waarde of een pad dat niet bestaat).",
        "Zie 'kompas <opdracht> --help'. Er is niets veranderd.",
    ),
    ErrorCode(
        "PAD-GEWEIGERD",
        ExitCode.USAGE,
        "Een pad breekt een regel: Kompas schrijft nooit in de projectmap zelf, een bronmap of een map "
        "die het niet maakte, en een naam volgt het patroon uit de schema's.",
        "Kies een ander pad. Er is niets geschreven of verwijderd.",
    ),
    ErrorCode(
        "SELECTIE",
        ExitCode.USAGE,
        "De selectie van kaarten noemt iets dat niet bestaat, of vindt niets.",
        "Gebruik bestaande id's en waarden (de melding noemt ze), of maak de selectie ruimer.",
    ),
    ErrorCode(
        "NIEUW",
        ExitCode.USAGE,
        "Het nieuwe bestand kan zo niet gemaakt worden.",
        "Lees de melding; er is niets geschreven.",
    ),
    ErrorCode(
        "BEZIG",
        ExitCode.FAILED,
        "Er draait al een bouw of publicatie in deze projectmap.",
        "Wacht tot die klaar is en probeer het dan opnieuw; er is niets veranderd.",
    ),
    ErrorCode(
        "SCHRIJVEN",
        ExitCode.FAILED,
        "Schrijven lukte niet: de schijf is vol of er is geen toestemming.",
        "Maak ruimte vrij of herstel de rechten, en probeer het opnieuw. Wat er stond, staat er nog.",
    ),
    ErrorCode(
        "HULPMIDDEL",
        ExitCode.FAILED,
        "Een programma waar Kompas op steunt ontbreekt of faalde (hunspell, mike, git, Pagefind).",
        "Installeer wat de melding noemt (make install, make system) of lees de uitvoer van het programma.",
    ),
    ErrorCode(
        "MISLUKT",
        ExitCode.FAILED,
        "De opdracht kon niet afgemaakt worden.",
        "Lees de melding; wat er stond, staat er nog.",
    ),
    ErrorCode(
        "ONDERBROKEN",
        ExitCode.INTERRUPTED,
        "De opdracht is onderbroken (Ctrl+C).",
        "Start haar opnieuw; een afgebroken bouw of publicatie laat de vorige site staan.",
    ),
]

ERROR_CODES: dict[str, ErrorCode] = {entry.code: entry for entry in _CATALOGUE}


class KompasError(Exception):
    """A refusal or failure shown to a person: a stable code (from :data:`ERROR_CODES`), a Dutch
    message and a hint. The class gives the default code and with it the exit code; a raise may name
    another code of the same exit code."""

    code: ClassVar[str] = "MISLUKT"

    def __init__(self, message: str, *, hint: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            if code not in ERROR_CODES:
                raise ValueError(f"unknown error code {code!r}")
            self.code = code  # type: ignore[misc]
        self._hint = hint

    @property
    def hint(self) -> str:
        return self._hint if self._hint is not None else ERROR_CODES[self.code].hint

    @property
    def exit_code(self) -> ExitCode:
        return ERROR_CODES[self.code].exit_code

    def __str__(self) -> str:
        return self.message


class ContentError(KompasError):
    """The content, or what the build makes of it, has problems (exit code 1)."""

    code = "INHOUD-FOUTEN"


class UsageError(KompasError):
    """A command used the wrong way: an option, a value, a path that does not exist (exit code 2)."""

    code = "GEBRUIK"


class PathRefused(UsageError):
    """A path breaks a rule; the message says which, in Dutch, and what to do instead (exit code 2)."""

    code = "PAD-GEWEIGERD"


class OperationFailed(KompasError):
    """An operation could not run or complete (exit code 3)."""

    code = "MISLUKT"


class Busy(OperationFailed):
    """Another build or release holds the lock of this project (exit code 3)."""

    code = "BEZIG"

    def __init__(self, holder: str = "") -> None:
        self.holder = holder  # the pid of the holder, as its lock file says
        shown = f" (proces {holder})" if holder.isdigit() else ""
        super().__init__(f"er draait al een bouw of publicatie in deze projectmap{shown}.")


def write_failed(error: OSError, what: str) -> OperationFailed:
    """A failed write as a :class:`OperationFailed` with code SCHRIJVEN and a Dutch reason."""
    return OperationFailed(f"{what}: {os_reason(error)}", code="SCHRIJVEN")


# The errno class of a path a person named (--uit, --map, KOMPAS_CACHE_DIR, a content folder): the
# path itself cannot be used as given. Such a problem is a path refused (exit code 2), in Dutch; a full
# disk or missing permission is an operation that could not complete (exit code 3, SCHRIJVEN).
# docs/errors.md lists them; tests/faults/test_safety.py tries each.
PATH_ERRNOS: dict[str, str] = {
    "ENAMETOOLONG": "de naam is te lang (een deel van het pad heeft meer dan 255 bytes, of het hele pad meer dan 4096)",
    "ENOTDIR": "een deel van het pad is een bestand, geen map",
    "EISDIR": "het is een map, geen bestand",
    "ELOOP": "het pad loopt in een kring van snelkoppelingen (of heeft er te veel achter elkaar)",
    "ENOENT": "een map in het pad bestaat niet",
    "EEXIST": "er staat al iets met die naam",
    "EXDEV": "het pad ligt op een ander bestandssysteem dan de map ernaast",
    "EINVAL": "de naam is op dit bestandssysteem niet toegestaan",
    "ENOTEMPTY": "de map is niet leeg",
    "EBUSY": "de map is in gebruik (bijvoorbeeld een koppelpunt)",
    "ETXTBSY": "het bestand is in gebruik",
    "EMLINK": "de map heeft te veel onderdelen",
}
# Could not complete (exit code 3): the disk, the permissions, the device.
WRITE_ERRNOS: dict[str, str] = {
    "ENOSPC": "de schijf is vol of een bestand werd groter dan toegestaan",
    "EDQUOT": "de schijf is vol of een bestand werd groter dan toegestaan",
    "EFBIG": "de schijf is vol of een bestand werd groter dan toegestaan",
    "EACCES": "geen toestemming",
    "EPERM": "geen toestemming",
    "EROFS": "het bestandssysteem is alleen-lezen",
    "EIO": "de schijf gaf een leesfout of schrijffout",
    "EPIPE": "de uitvoer werd niet meer gelezen (het programma erna stopte)",
    "EMFILE": "er zijn te veel bestanden tegelijk open",
    "ENFILE": "er zijn te veel bestanden tegelijk open",
}


def _errno_name(error: OSError) -> str:
    import errno

    return errno.errorcode.get(error.errno or 0, "")


def is_path_problem(error: OSError) -> bool:
    """Whether ``error`` says the path itself cannot be used (:data:`PATH_ERRNOS`)."""
    return _errno_name(error) in PATH_ERRNOS


def path_refused(error: OSError, shown: str) -> "PathRefused":
    """A path a person named that the operating system refuses, as a Dutch refusal (exit code 2)."""
    from .text import shortened

    name = _errno_name(error)
    reason = PATH_ERRNOS.get(name) or WRITE_ERRNOS.get(name) or f"het besturingssysteem weigert dit pad (fout {name})"
    return PathRefused(
        f"'{shortened(shown)}' is als pad niet te gebruiken: {reason}.",
        hint="Kies een korter of ander pad. Er is niets geschreven of verwijderd.",
    )


def os_problem(error: OSError, shown: str, what: str) -> KompasError:
    """Any OSError of a path a person named: a path refused (exit code 2) or a write that could not
    complete (exit code 3), with a Dutch reason and never the operating system's English text."""
    if is_path_problem(error):
        return path_refused(error, shown)
    return write_failed(error, what)


def os_reason(error: OSError) -> str:
    """A Dutch sentence for a failed write: what went wrong (a full disk above all), not what to do."""
    from .text import shortened

    name = _errno_name(error)
    where = f" ({shortened(error.filename)})" if getattr(error, "filename", None) else ""
    if name in ("ENOSPC", "EDQUOT", "EFBIG"):
        # (no file name: a failed copy names its source, which would only confuse)
        return "de schijf is vol of een bestand werd groter dan toegestaan."
    if name in ("EACCES", "EPERM", "EROFS"):
        return f"geen toestemming om te schrijven{where}."
    reason = WRITE_ERRNOS.get(name) or PATH_ERRNOS.get(name)
    if reason is None:
        reason = f"het besturingssysteem meldt fout {name or error.errno}"
    return f"{reason}{where}."
