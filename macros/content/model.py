"""The typed, frozen content model and the corpus with its derived relations.

Each relation is written once in the YAML, on the side where an editor naturally
writes it (a dilemma names its sheets; a sheet names its rulings and related sheets; a
module names its dilemmas and sheets). The reverse direction is derived here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Any, Protocol, TypeVar

from .vocabulary import BRON_SOORTEN, DOELGROEPEN, KERNWAARDEN, MODULE_SOORTEN

T = TypeVar("T")

__all__ = [
    "BRON_SOORTEN",
    "DOELGROEPEN",
    "KERNWAARDEN",
    "MODULE_SOORTEN",
]  # re-exported: the lists come from the schemas
REVIEW_WINDOW_DAYS = 60  # an item is due for review when its date has passed or is this close
FASEN = tuple(f"Q{i}" for i in range(1, 9))
SOORT_LABELS = {
    "leerlijn": "Leerlijn",
    "masterclass": "Masterclass",
    "moreel-beraad": "Moreel beraad",
    "sessieplan": "Sessieplan",
    "handreiking": "Handreiking",
    "gespreksvorm": "Gespreksvorm",
}
BRON_SOORT_LABELS = {
    "themablad": "Themablad",
    "handreiking": "Handreiking",
    "beleidsstuk": "Beleidsstuk",
    "plan-van-aanpak": "Plan van aanpak",
    "rapport": "Rapport",
    "jaarbeeld": "Jaarbeeld",
    "overzicht": "Overzicht",
    "lesmateriaal": "Lesmateriaal",
    "redactie": "Eigen tekst van de redactie",
}
# How a source of the kind `redactie` is shown, whatever its title in the register: the line
# never presents the editors' words as an official text.
REDACTIE_LABEL = "Eigen tekst van de redactie"
# The two groups the dilemma overview filters on: from the sources, or the editors' own
# example (every source the dilemma names is of the kind `redactie`).
HERKOMSTEN = {"uit-de-bronnen": "Uit de bronnen", "voorbeeld-van-de-redactie": "Voorbeeld van de redactie"}
RECHTSPRAAK_URL = "https://uitspraken.rechtspraak.nl/details?id={ecli}"
WETTEN_URL = "https://wetten.overheid.nl/{bwb}"
WETTEN_ARTIKEL_URL = "https://wetten.overheid.nl/jci1.3:c:{bwb}&artikel={artikel}"


def _tuple(value: Iterable[T] | None) -> tuple[T, ...]:
    return tuple(value or ())


def _text(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Beheer:
    eigenaar: str
    versie: str
    gewijzigd: date
    herzien_voor: date

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Beheer":
        return cls(
            eigenaar=data["eigenaar"],
            versie=str(data["versie"]),
            gewijzigd=date.fromisoformat(data["gewijzigd"]),
            herzien_voor=date.fromisoformat(data["herzien_voor"]),
        )


@dataclass(frozen=True)
class Bron:
    """One document of the source register (content/bronnen.yaml), as the document names itself."""

    id: str
    titel: str
    soort: str  # a key of BRON_SOORT_LABELS; "redactie" is the editors' own text
    datum: str | None = None  # as the document gives it ("juni 2023", "2022")
    uitgever: str | None = None
    omschrijving: str | None = None

    @property
    def is_redactie(self) -> bool:
        return self.soort == "redactie"

    @property
    def naam(self) -> str:
        """The title as a page shows it: the editors' own text is always called so."""
        return REDACTIE_LABEL if self.is_redactie else self.titel

    @property
    def soort_label(self) -> str:
        return BRON_SOORT_LABELS.get(self.soort, self.soort)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Bron":
        return cls(
            id=data["id"],
            titel=data["titel"],
            soort=data["soort"],
            datum=_text(data.get("datum")),
            uitgever=data.get("uitgever"),
            omschrijving=data.get("omschrijving"),
        )


@dataclass(frozen=True)
class Bronverwijzing:
    """An item's reference to a source of the register: which document, which part, what comes from it."""

    bron: str  # the id of a Bron
    deel: str | None = None
    toelichting: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Bronverwijzing":
        return cls(bron=data["bron"], deel=data.get("deel"), toelichting=data.get("toelichting"))


def _bronnen(data: dict[str, Any]) -> tuple[Bronverwijzing, ...]:
    return tuple(Bronverwijzing.from_data(ref) for ref in data.get("bronnen") or ())


@dataclass(frozen=True)
class Meldroute:
    """Where an employee can go (content/meldroutes.yaml)."""

    id: str
    naam: str
    voor_wie: str
    waarvoor: str
    bereikbaar: str
    url: str
    placeholder: bool
    bronnen: tuple[Bronverwijzing, ...]
    daarna: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Meldroute":
        return cls(
            id=data["id"],
            naam=data["naam"],
            voor_wie=data["voor_wie"],
            waarvoor=data["waarvoor"],
            bereikbaar=data["bereikbaar"],
            url=data["link"]["url"],
            placeholder=bool(data["link"].get("placeholder")),
            bronnen=_bronnen(data),
            daarna=data.get("daarna"),
        )


@dataclass(frozen=True)
class Meldroutes:
    """The route register: an introduction, the routes in order, and what happens after a report."""

    routes: tuple[Meldroute, ...]
    na_een_melding: str
    na_een_melding_bronnen: tuple[Bronverwijzing, ...]
    inleiding: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Meldroutes":
        after = data["na_een_melding"]
        return cls(
            routes=tuple(Meldroute.from_data(r) for r in data["routes"]),
            na_een_melding=after["tekst"],
            na_een_melding_bronnen=_bronnen(after),
            inleiding=data.get("inleiding"),
        )


@dataclass(frozen=True)
class Richtlijn:
    titel: str
    url: str
    placeholder: bool = False


@dataclass(frozen=True)
class Wet:
    id: str
    titel: str
    afkorting: str
    bwb: str | None = None
    omschrijving: str | None = None

    @property
    def url(self) -> str | None:
        return WETTEN_URL.format(bwb=self.bwb) if self.bwb else None


@dataclass(frozen=True)
class WetVerwijzing:
    wet: str
    artikel: str | None = None  # None: a reference to the regulation as a whole
    lid: str | None = None
    sub: str | None = None
    toelichting: str | None = None
    bron: str | None = None  # the id of the source that gives this reference

    def label(self, wet: Wet) -> str:
        if not self.artikel:
            return wet.afkorting
        text = f"Art. {self.artikel}"
        if self.lid:
            text += f" lid {self.lid}"
        if self.sub:
            text += f" sub {self.sub}"
        return f"{text} {wet.afkorting}"

    def url(self, wet: Wet) -> str | None:
        if not wet.bwb:
            return None
        if not self.artikel:
            return wet.url
        return WETTEN_ARTIKEL_URL.format(bwb=wet.bwb, artikel=self.artikel)


@dataclass(frozen=True)
class Themablad:
    id: str
    titel: str
    inleiding: str
    kader: tuple[str, ...]
    kernwaarden: tuple[str, ...]
    beheer: Beheer
    pad: str  # the content file, relative to the project root
    bronnen: tuple[Bronverwijzing, ...]
    nummer: int | None = None
    samenvatting: str | None = None
    hulpvragen: tuple[str, ...] = ()
    casuistiek: tuple[str, ...] = ()
    richtlijnen: tuple[Richtlijn, ...] = ()
    wetgeving: tuple[WetVerwijzing, ...] = ()
    gerelateerd: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    van_de_redactie: bool = False  # every source is the editors' own text (set by the corpus)

    @property
    def volledige_titel(self) -> str:
        if self.van_de_redactie:  # never presented as a sheet of the beroepscode
            return f"Themablad van de redactie: {self.titel}"
        if self.nummer is not None:
            return f"Themablad {self.nummer} bij de beroepscode: {self.titel}"
        return f"Themablad bij de beroepscode: {self.titel}"

    @classmethod
    def from_data(cls, data: dict[str, Any], pad: str) -> "Themablad":
        return cls(
            id=data["id"],
            titel=data["titel"],
            inleiding=data["inleiding"],
            kader=_tuple(data["kader"]),
            kernwaarden=_tuple(data["kernwaarden"]),
            beheer=Beheer.from_data(data),
            pad=pad,
            bronnen=_bronnen(data),
            nummer=data.get("nummer"),
            samenvatting=data.get("samenvatting"),
            hulpvragen=_tuple(data.get("hulpvragen")),
            casuistiek=_tuple(data.get("casuistiek")),
            richtlijnen=tuple(
                Richtlijn(r["titel"], r["url"], bool(r.get("placeholder"))) for r in data.get("richtlijnen", ())
            ),
            wetgeving=tuple(
                WetVerwijzing(
                    w["wet"],
                    _text(w.get("artikel")),
                    _text(w.get("lid")),
                    w.get("sub"),
                    w.get("toelichting"),
                    w.get("bron"),
                )
                for w in data.get("wetgeving", ())
            ),
            gerelateerd=_tuple(data.get("gerelateerd")),
            routes=_tuple(data.get("routes")),
        )


_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)]))\s+")  # also after a closing quote


@dataclass(frozen=True)
class Dilemma:
    id: str
    titel: str
    situatie: str
    themabladen: tuple[str, ...]
    kernwaarden: tuple[str, ...]
    doelgroep: tuple[str, ...]
    hulpvragen: tuple[str, ...]
    beheer: Beheer
    pad: str  # the content file, relative to the project root
    bronnen: tuple[Bronverwijzing, ...]
    uitspraken: tuple[str, ...] = ()
    onderwerpen: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()

    @cached_property
    def _split(self) -> tuple[str, str]:
        sentences = _SENTENCE_END.split(" ".join(self.situatie.split()))
        cut = len(sentences)
        while cut > 0 and sentences[cut - 1].endswith("?"):
            cut -= 1
        if cut == len(sentences):
            return " ".join(sentences), ""
        return " ".join(sentences[:cut]), " ".join(sentences[cut:])

    @property
    def context(self) -> str:
        """The situation without its closing question."""
        return self._split[0]

    @property
    def vraag(self) -> str:
        """The closing question(s) of the situation."""
        return self._split[1]

    @classmethod
    def from_data(cls, data: dict[str, Any], pad: str) -> "Dilemma":
        return cls(
            id=data["id"],
            titel=data["titel"],
            situatie=data["situatie"].strip(),
            themabladen=_tuple(data.get("themabladen")),
            kernwaarden=_tuple(data["kernwaarden"]),
            doelgroep=_tuple(data["doelgroep"]),
            hulpvragen=_tuple(data["hulpvragen"]),
            beheer=Beheer.from_data(data),
            pad=pad,
            bronnen=_bronnen(data),
            uitspraken=_tuple(data.get("uitspraken")),
            onderwerpen=_tuple(data.get("onderwerpen")),
            routes=_tuple(data.get("routes")),
        )


def ecli_id(ecli: str) -> str:
    """The file name and URL slug of a ruling: the ECLI with colons as dashes."""
    return ecli.replace(":", "-")


@dataclass(frozen=True)
class Uitspraak:
    ecli: str
    instantie: str
    titel: str
    samenvatting: str
    beheer: Beheer
    pad: str  # the content file, relative to the project root
    bronnen: tuple[Bronverwijzing, ...]
    datum: date | None = None
    eerdere_instantie: str | None = None
    routes: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return ecli_id(self.ecli)

    @property
    def url(self) -> str:
        return RECHTSPRAAK_URL.format(ecli=self.ecli)

    @property
    def jaar(self) -> int:
        return int(self.ecli.split(":")[3])

    @property
    def rechtercode(self) -> str:
        return self.ecli.split(":")[2]

    @classmethod
    def from_data(cls, data: dict[str, Any], pad: str) -> "Uitspraak":
        return cls(
            ecli=data["ecli"],
            instantie=data["instantie"],
            titel=data["titel"],
            samenvatting=data["samenvatting"],
            beheer=Beheer.from_data(data),
            pad=pad,
            bronnen=_bronnen(data),
            datum=date.fromisoformat(data["datum"]) if data.get("datum") else None,
            eerdere_instantie=data.get("eerdere_instantie"),
            routes=_tuple(data.get("routes")),
        )


@dataclass(frozen=True)
class Onderdeel:
    titel: str
    duur: int | None = None
    beschrijving: str | None = None
    facilitator: str | None = None
    dilemmas: tuple[str, ...] = ()
    themabladen: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Onderdeel":
        return cls(
            data["titel"],
            data.get("duur"),
            data.get("beschrijving"),
            data.get("facilitator"),
            _tuple(data.get("dilemmas")),
            _tuple(data.get("themabladen")),
        )


@dataclass(frozen=True)
class Plek:
    titel: str
    fasen: tuple[str, ...]
    beschrijving: str
    facilitator: str | None = None
    dilemmas: tuple[str, ...] = ()
    themabladen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Portfoliomoment:
    fase: str
    bewijs: str


@dataclass(frozen=True)
class Deelnemers:
    min: int
    max: int


DEFAULT_STARTTIJD = 9 * 60  # a module starts at 09:00 unless it says otherwise


def _minutes_of_day(text: str | None) -> int:
    if not text:
        return DEFAULT_STARTTIJD
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass(frozen=True)
class Module:
    id: str
    soort: str
    titel: str
    doel: str
    doelgroep: tuple[str, ...]
    beheer: Beheer
    pad: str  # the content file, relative to the project root
    bronnen: tuple[Bronverwijzing, ...]
    samenvatting: str | None = None
    deelnemers: Deelnemers | None = None
    duur: int | None = None
    starttijd: int = DEFAULT_STARTTIJD  # minutes after midnight
    voorstellen: tuple[str, ...] = ()  # facts that are the editors' proposal, not the source's
    themabladen: tuple[str, ...] = ()
    dilemmas: tuple[str, ...] = ()
    onderdelen: tuple[Onderdeel, ...] = ()  # the agenda blocks or the numbered steps
    plekken: tuple[Plek, ...] = ()
    portfolio: tuple[Portfoliomoment, ...] = ()
    onderwerpen: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()

    @property
    def soort_label(self) -> str:
        return SOORT_LABELS[self.soort]

    @property
    def genummerd(self) -> bool:
        """Steps (moreel beraad, handreiking, gespreksvorm) are numbered; agenda blocks get start times."""
        return self.soort in ("moreel-beraad", "handreiking", "gespreksvorm")

    @property
    def tijdschema(self) -> bool:
        """A module has a time plan only when every part has a duration (a gespreksvorm often has none)."""
        return bool(self.onderdelen) and all(part.duur for part in self.onderdelen)

    @property
    def alle_dilemmas(self) -> tuple[str, ...]:
        ids = list(self.dilemmas)
        parts: tuple[Onderdeel | Plek, ...] = (*self.onderdelen, *self.plekken)
        for part in parts:
            ids.extend(part.dilemmas)
        return tuple(dict.fromkeys(ids))

    @property
    def alle_themabladen(self) -> tuple[str, ...]:
        ids = list(self.themabladen)
        parts: tuple[Onderdeel | Plek, ...] = (*self.onderdelen, *self.plekken)
        for part in parts:
            ids.extend(part.themabladen)
        return tuple(dict.fromkeys(ids))

    @property
    def agenda(self) -> tuple[tuple[int, Onderdeel], ...]:
        """Each block with its clock time (minutes after midnight), from the module's start time."""
        start, rows = self.starttijd, []
        for part in self.onderdelen:
            rows.append((start, part))
            start += part.duur or 0
        return tuple(rows)

    @property
    def eindtijd(self) -> int | None:
        return None if self.duur is None else self.starttijd + self.duur

    @classmethod
    def from_data(cls, data: dict[str, Any], pad: str) -> "Module":
        people = data.get("deelnemers")
        blocks = data.get("onderdelen") or data.get("stappen") or ()
        return cls(
            id=data["id"],
            soort=data["soort"],
            titel=data["titel"],
            doel=data["doel"],
            doelgroep=_tuple(data["doelgroep"]),
            beheer=Beheer.from_data(data),
            pad=pad,
            bronnen=_bronnen(data),
            samenvatting=data.get("samenvatting"),
            duur=data.get("duur"),
            deelnemers=Deelnemers(people["min"], people["max"]) if people else None,
            starttijd=_minutes_of_day(data.get("starttijd")),
            voorstellen=_tuple(data.get("voorstellen")),
            themabladen=_tuple(data.get("themabladen")),
            dilemmas=_tuple(data.get("dilemmas")),
            onderdelen=tuple(Onderdeel.from_data(b) for b in blocks),
            plekken=tuple(
                Plek(
                    p["titel"],
                    _tuple(p["fasen"]),
                    p["beschrijving"],
                    p.get("facilitator"),
                    _tuple(p.get("dilemmas")),
                    _tuple(p.get("themabladen")),
                )
                for p in data.get("plekken", ())
            ),
            portfolio=tuple(Portfoliomoment(p["fase"], p["bewijs"]) for p in data.get("portfolio", ())),
            onderwerpen=_tuple(data.get("onderwerpen")),
            routes=_tuple(data.get("routes")),
        )


@dataclass(frozen=True)
class Citaat:
    """Text quoted literally from a source, shown as a quotation with that source."""

    tekst: str
    bron: str  # the id of a Bron
    deel: str | None = None


@dataclass(frozen=True)
class Sectie:
    titel: str
    tekst: str  # Markdown
    bronnen: tuple[Bronverwijzing, ...]


@dataclass(frozen=True)
class Onderwerp:
    """A topic that is not a sheet of the beroepscode (e.g. Politie voor Iedereen)."""

    id: str
    titel: str
    samenvatting: str
    inleiding: str
    secties: tuple[Sectie, ...]
    beheer: Beheer
    pad: str  # the content file, relative to the project root
    bronnen: tuple[Bronverwijzing, ...]
    citaten: tuple[Citaat, ...] = ()
    routes: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: dict[str, Any], pad: str) -> "Onderwerp":
        return cls(
            id=data["id"],
            titel=data["titel"],
            samenvatting=data["samenvatting"],
            inleiding=data["inleiding"],
            secties=tuple(Sectie(s["titel"], s["tekst"], _bronnen(s)) for s in data["secties"]),
            beheer=Beheer.from_data(data),
            pad=pad,
            bronnen=_bronnen(data),
            citaten=tuple(Citaat(c["tekst"], c["bron"], c.get("deel")) for c in data.get("citaten", ())),
            routes=_tuple(data.get("routes")),
        )


@dataclass(frozen=True)
class Kernwaarde:
    id: str
    titel: str
    omschrijving: str


@dataclass(frozen=True)
class Pijler:
    titel: str
    omschrijving: str


@dataclass(frozen=True)
class Reeks:
    titel: str
    inleiding: str
    hulpvragen: tuple[str, ...]
    kernwaarden: tuple[Kernwaarde, ...]
    integriteitshuis: tuple[Pijler, ...] = ()

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Reeks":
        return cls(
            data["titel"],
            data["inleiding"],
            _tuple(data["hulpvragen"]),
            tuple(Kernwaarde(k["id"], k["titel"], k["omschrijving"]) for k in data["kernwaarden"]),
            tuple(Pijler(p["titel"], p["omschrijving"]) for p in data.get("integriteitshuis", ())),
        )


def _group(pairs: Iterable[tuple[str, T]]) -> dict[str, tuple[T, ...]]:
    """{key: (value, …)} from (key, value) pairs, keeping the order in which values come."""
    result: dict[str, list[T]] = {}
    for key, value in pairs:
        result.setdefault(key, []).append(value)
    return {k: tuple(v) for k, v in result.items()}


class _WithSources(Protocol):
    """An item that names its sources (a dilemma, a sheet, a ruling, a subject)."""

    @property
    def bronnen(self) -> tuple[Bronverwijzing, ...]: ...


def _only_editors(refs: Sequence[Bronverwijzing], editors: set[str]) -> bool:
    return bool(refs) and all(ref.bron in editors for ref in refs)


def _sheet_order(sheet: Themablad) -> tuple[bool, int, str]:
    return (sheet.nummer is None, sheet.nummer or 0, sheet.titel.casefold())


@dataclass(frozen=True)
class Corpus:
    """All content, sorted for display, with lookups and derived reverse relations."""

    themabladen: tuple[Themablad, ...] = ()
    dilemmas: tuple[Dilemma, ...] = ()
    uitspraken: tuple[Uitspraak, ...] = ()
    wetten: tuple[Wet, ...] = ()
    modules: tuple[Module, ...] = ()
    reeks: Reeks | None = None
    onderwerpen: tuple[Onderwerp, ...] = ()
    bronnen: tuple[Bron, ...] = ()  # the source register, in its own order
    meldroutes: Meldroutes | None = None

    @classmethod
    def create(
        cls,
        themabladen: Iterable[Themablad] = (),
        dilemmas: Iterable[Dilemma] = (),
        uitspraken: Iterable[Uitspraak] = (),
        wetten: Iterable[Wet] = (),
        modules: Iterable[Module] = (),
        reeks: Reeks | None = None,
        onderwerpen: Iterable[Onderwerp] = (),
        bronnen: Sequence[Bron] = (),
        meldroutes: Meldroutes | None = None,
    ) -> "Corpus":
        editors = {source.id for source in bronnen if source.is_redactie}
        sheets = [replace(sheet, van_de_redactie=_only_editors(sheet.bronnen, editors)) for sheet in themabladen]
        return cls(
            themabladen=tuple(sorted(sheets, key=_sheet_order)),
            dilemmas=tuple(sorted(dilemmas, key=lambda d: (d.titel.casefold(), d.id))),
            uitspraken=tuple(sorted(uitspraken, key=lambda u: (u.instantie, u.jaar, u.ecli))),
            wetten=tuple(wetten),
            modules=tuple(sorted(modules, key=lambda m: (MODULE_SOORTEN.index(m.soort), m.titel.casefold()))),
            reeks=reeks,
            onderwerpen=tuple(sorted(onderwerpen, key=lambda o: (o.titel.casefold(), o.id))),
            bronnen=tuple(bronnen),
            meldroutes=meldroutes,
        )

    # -- lookups -----------------------------------------------------------
    @cached_property
    def themablad(self) -> dict[str, Themablad]:
        return {t.id: t for t in self.themabladen}

    @cached_property
    def dilemma(self) -> dict[str, Dilemma]:
        return {d.id: d for d in self.dilemmas}

    @cached_property
    def uitspraak(self) -> dict[str, Uitspraak]:
        return {u.ecli: u for u in self.uitspraken}

    @cached_property
    def wet(self) -> dict[str, Wet]:
        return {w.id: w for w in self.wetten}

    @cached_property
    def module(self) -> dict[str, Module]:
        return {m.id: m for m in self.modules}

    @cached_property
    def onderwerp(self) -> dict[str, Onderwerp]:
        return {o.id: o for o in self.onderwerpen}

    @cached_property
    def bron(self) -> dict[str, Bron]:
        return {b.id: b for b in self.bronnen}

    @cached_property
    def route(self) -> dict[str, Meldroute]:
        return {r.id: r for r in (self.meldroutes.routes if self.meldroutes else ())}

    # -- sources ---------------------------------------------------------------
    def bronnen_van(self, refs: Iterable[Bronverwijzing]) -> tuple[tuple[Bronverwijzing, Bron], ...]:
        """Each reference with its register entry (a reference to an unknown id is left out:
        the validator reports it, and a valid corpus has none)."""
        return tuple((ref, self.bron[ref.bron]) for ref in refs if ref.bron in self.bron)

    def van_de_redactie(self, item: _WithSources) -> bool:
        """True when every source an item names is the editors' own text."""
        return _only_editors(item.bronnen, {b.id for b in self.bronnen if b.is_redactie})

    def herkomst(self, item: _WithSources) -> str:
        """'uit-de-bronnen' or 'voorbeeld-van-de-redactie' (a key of HERKOMSTEN)."""
        return "voorbeeld-van-de-redactie" if self.van_de_redactie(item) else "uit-de-bronnen"

    def bronregel(self, item: _WithSources) -> str:
        """One line for where an item comes from (the back of a dilemma card): 'Naar <title>' for
        the first source that is not the editors' own, else 'Eigen tekst van de redactie'."""
        sources = [source for _, source in self.bronnen_van(item.bronnen)]
        published = [source for source in sources if not source.is_redactie]
        if not published:
            return REDACTIE_LABEL
        line = f"Naar {published[0].titel.strip()}"
        if len(published) > 1:
            line += " e.a."
        return line

    def derived(self, key: Hashable, make: Callable[[], T]) -> T:
        """A value other layers derive from this corpus (a card's fit, the deck plan), made once per
        corpus: the corpus is immutable, so the value cannot go stale. ``key`` names it, ``make()``
        computes it."""
        memo = self._derived
        if key not in memo:
            memo[key] = make()
        value: T = memo[key]
        return value

    def derived_for(self, item: "Dilemma", name: Hashable, make: Callable[[], T]) -> T:
        """Like :meth:`derived`, for a value of one of this corpus's own dilemmas; a dilemma from
        elsewhere (an edited copy, another corpus) gets ``make()`` afresh, never a kept value."""
        if self.dilemma.get(item.id) is not item:
            return make()
        return self.derived((name, item.id), make)

    @cached_property
    def _derived(self) -> dict[Hashable, Any]:
        return {}

    # -- derived reverse relations ------------------------------------------
    @cached_property
    def dilemmas_per_themablad(self) -> dict[str, tuple[Dilemma, ...]]:
        return _group((sheet, item) for item in self.dilemmas for sheet in item.themabladen)

    @cached_property
    def modules_per_themablad(self) -> dict[str, tuple[Module, ...]]:
        return _group((sheet, module) for module in self.modules for sheet in module.alle_themabladen)

    @cached_property
    def dilemmas_per_onderwerp(self) -> dict[str, tuple[Dilemma, ...]]:
        return _group((topic, item) for item in self.dilemmas for topic in item.onderwerpen)

    @cached_property
    def modules_per_onderwerp(self) -> dict[str, tuple[Module, ...]]:
        return _group((topic, module) for module in self.modules for topic in module.onderwerpen)

    @cached_property
    def dilemmas_per_herkomst(self) -> dict[str, tuple[Dilemma, ...]]:
        return {key: tuple(item for item in self.dilemmas if self.herkomst(item) == key) for key in HERKOMSTEN}

    @cached_property
    def modules_per_dilemma(self) -> dict[str, tuple[Module, ...]]:
        return _group((item, module) for module in self.modules for item in module.alle_dilemmas)

    @cached_property
    def themabladen_per_uitspraak(self) -> dict[str, tuple[Themablad, ...]]:
        return _group((ecli, sheet) for sheet in self.themabladen for ecli in sheet.casuistiek)

    @cached_property
    def dilemmas_per_uitspraak(self) -> dict[str, tuple[Dilemma, ...]]:
        return _group((ecli, item) for item in self.dilemmas for ecli in item.uitspraken)

    @cached_property
    def latere_instanties(self) -> dict[str, tuple[Uitspraak, ...]]:
        return _group((ruling.eerdere_instantie, ruling) for ruling in self.uitspraken if ruling.eerdere_instantie)

    @cached_property
    def verwijzingen_per_wet(self) -> dict[str, tuple[tuple[Themablad, WetVerwijzing], ...]]:
        return _group((ref.wet, (sheet, ref)) for sheet in self.themabladen for ref in sheet.wetgeving)

    def dilemmas_van(self, sheet_id: str) -> tuple[Dilemma, ...]:
        return self.dilemmas_per_themablad.get(sheet_id, ())

    def uitspraken_van_dilemma(self, item: Dilemma) -> tuple[Uitspraak, ...]:
        """Rulings shown with a dilemma: its own, else those of its sheets."""
        eclis = list(item.uitspraken)
        if not eclis:
            for sheet_id in item.themabladen:
                sheet = self.themablad.get(sheet_id)
                if sheet:
                    eclis.extend(sheet.casuistiek)
        return tuple(self.uitspraak[e] for e in dict.fromkeys(eclis) if e in self.uitspraak)
