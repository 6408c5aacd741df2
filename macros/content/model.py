"""The typed, frozen content model and the corpus with its derived relations.

Each relation is written once in the YAML, on the side where an editor naturally
writes it (a dilemma names its sheets; a sheet names its rulings and related sheets; a
module names its dilemmas and sheets). The reverse direction is derived here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from .vocabulary import DOELGROEPEN, KERNWAARDEN, MODULE_SOORTEN

__all__ = ["DOELGROEPEN", "KERNWAARDEN", "MODULE_SOORTEN"]  # re-exported: the lists come from the schemas
REVIEW_WINDOW_DAYS = 60  # an item is due for review when its date has passed or is this close
FASEN = tuple(f"Q{i}" for i in range(1, 9))
SOORT_LABELS = {
    "leerlijn": "Leerlijn", "masterclass": "Masterclass", "moreel-beraad": "Moreel beraad",
    "sessieplan": "Sessieplan", "handreiking": "Handreiking",
}
# Provenance of an item (its `bron`): per kind the label and the source line an item page
# shows. The line never presents our own words as the official text.
BRON_SOORTEN = {
    "publicatie": ("Gepubliceerde bron", "Naar {titel}"),
    "methode": ("Algemene methode", "Volgens de methode: {titel}"),
    "redactie": ("Voorbeeld van de redactie", "Voorbeeld van de redactie: {titel}"),
}
# The two groups the dilemma overview filters on: from the sources (a publication or a
# general method) or the editors' own example.
HERKOMSTEN = {"uit-de-bronnen": "Uit de bronnen", "voorbeeld-van-de-redactie": "Voorbeeld van de redactie"}
RECHTSPRAAK_URL = "https://uitspraken.rechtspraak.nl/details?id={ecli}"
WETTEN_URL = "https://wetten.overheid.nl/{bwb}"
WETTEN_ARTIKEL_URL = "https://wetten.overheid.nl/jci1.3:c:{bwb}&artikel={artikel}"


def _tuple(value) -> tuple:
    return tuple(value or ())


def _text(value) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Beheer:
    eigenaar: str
    versie: str
    gewijzigd: date
    herzien_voor: date

    @classmethod
    def from_data(cls, data: dict) -> "Beheer":
        return cls(
            eigenaar=data["eigenaar"], versie=str(data["versie"]),
            gewijzigd=date.fromisoformat(data["gewijzigd"]),
            herzien_voor=date.fromisoformat(data["herzien_voor"]))


@dataclass(frozen=True)
class Bron:
    """Where an item comes from: a publication, a general method or the editors' own example."""

    soort: str  # publicatie | methode | redactie
    titel: str
    toelichting: str | None = None

    @property
    def label(self) -> str:
        return BRON_SOORTEN[self.soort][0]

    @property
    def regel(self) -> str:
        """The source line, e.g. 'Naar Themablad 6 bij de beroepscode: Gebruik van geweld'."""
        label, line = BRON_SOORTEN[self.soort]
        if self.titel.strip().rstrip(".").casefold() == label.casefold():
            return label  # an editors' example titled just 'Voorbeeld van de redactie'
        return line.format(titel=self.titel.strip())

    @property
    def volledig(self) -> str:
        """The source line followed by the note, if any."""
        if not self.toelichting:
            return self.regel
        joint = " " if self.regel.endswith((".", "!", "?")) else ". "
        return self.regel + joint + " ".join(self.toelichting.split())

    @property
    def herkomst(self) -> str:
        """'uit-de-bronnen' or 'voorbeeld-van-de-redactie' (a key of HERKOMSTEN)."""
        return "voorbeeld-van-de-redactie" if self.soort == "redactie" else "uit-de-bronnen"

    @classmethod
    def from_data(cls, data: dict) -> "Bron":
        bron = data["bron"]
        return cls(soort=bron["soort"], titel=bron["titel"], toelichting=bron.get("toelichting"))


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
    bron: Bron
    nummer: int | None = None
    samenvatting: str | None = None
    hulpvragen: tuple[str, ...] = ()
    casuistiek: tuple[str, ...] = ()
    richtlijnen: tuple[Richtlijn, ...] = ()
    wetgeving: tuple[WetVerwijzing, ...] = ()
    gerelateerd: tuple[str, ...] = ()

    @property
    def volledige_titel(self) -> str:
        if self.bron.soort == "redactie":  # never presented as a sheet of the beroepscode
            return f"Themablad van de redactie: {self.titel}"
        if self.nummer is not None:
            return f"Themablad {self.nummer} bij de beroepscode: {self.titel}"
        return f"Themablad bij de beroepscode: {self.titel}"

    @classmethod
    def from_data(cls, data: dict, pad: str) -> "Themablad":
        return cls(
            id=data["id"], titel=data["titel"], inleiding=data["inleiding"], kader=_tuple(data["kader"]),
            kernwaarden=_tuple(data["kernwaarden"]), beheer=Beheer.from_data(data), pad=pad, bron=Bron.from_data(data),
            nummer=data.get("nummer"), samenvatting=data.get("samenvatting"),
            hulpvragen=_tuple(data.get("hulpvragen")), casuistiek=_tuple(data.get("casuistiek")),
            richtlijnen=tuple(Richtlijn(r["titel"], r["url"], bool(r.get("placeholder"))) for r in data.get("richtlijnen", ())),
            wetgeving=tuple(WetVerwijzing(w["wet"], _text(w.get("artikel")), _text(w.get("lid")), w.get("sub"), w.get("toelichting"))
                            for w in data.get("wetgeving", ())),
            gerelateerd=_tuple(data.get("gerelateerd")))


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
    bron: Bron
    uitspraken: tuple[str, ...] = ()

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
    def from_data(cls, data: dict, pad: str) -> "Dilemma":
        return cls(
            id=data["id"], titel=data["titel"], situatie=data["situatie"].strip(),
            themabladen=_tuple(data["themabladen"]), kernwaarden=_tuple(data["kernwaarden"]),
            doelgroep=_tuple(data["doelgroep"]), hulpvragen=_tuple(data["hulpvragen"]),
            beheer=Beheer.from_data(data), pad=pad, bron=Bron.from_data(data), uitspraken=_tuple(data.get("uitspraken")))


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
    bron: Bron
    datum: date | None = None
    eerdere_instantie: str | None = None

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
    def from_data(cls, data: dict, pad: str) -> "Uitspraak":
        return cls(
            ecli=data["ecli"], instantie=data["instantie"], titel=data["titel"], samenvatting=data["samenvatting"],
            beheer=Beheer.from_data(data), pad=pad, bron=Bron.from_data(data),
            datum=date.fromisoformat(data["datum"]) if data.get("datum") else None,
            eerdere_instantie=data.get("eerdere_instantie"))


@dataclass(frozen=True)
class Onderdeel:
    titel: str
    duur: int | None = None
    beschrijving: str | None = None
    facilitator: str | None = None
    dilemmas: tuple[str, ...] = ()
    themabladen: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: dict) -> "Onderdeel":
        return cls(data["titel"], data.get("duur"), data.get("beschrijving"), data.get("facilitator"),
                   _tuple(data.get("dilemmas")), _tuple(data.get("themabladen")))


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
    bron: Bron
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

    @property
    def soort_label(self) -> str:
        return SOORT_LABELS[self.soort]

    @property
    def genummerd(self) -> bool:
        """Steps (moreel beraad, handreiking) are numbered; agenda blocks get start times."""
        return self.soort in ("moreel-beraad", "handreiking")

    @property
    def alle_dilemmas(self) -> tuple[str, ...]:
        ids = list(self.dilemmas)
        for part in (*self.onderdelen, *self.plekken):
            ids.extend(part.dilemmas)
        return tuple(dict.fromkeys(ids))

    @property
    def alle_themabladen(self) -> tuple[str, ...]:
        ids = list(self.themabladen)
        for part in (*self.onderdelen, *self.plekken):
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
    def from_data(cls, data: dict, pad: str) -> "Module":
        people = data.get("deelnemers")
        blocks = data.get("onderdelen") or data.get("stappen") or ()
        return cls(
            id=data["id"], soort=data["soort"], titel=data["titel"], doel=data["doel"],
            doelgroep=_tuple(data["doelgroep"]), beheer=Beheer.from_data(data), pad=pad, bron=Bron.from_data(data),
            samenvatting=data.get("samenvatting"), duur=data.get("duur"),
            deelnemers=Deelnemers(people["min"], people["max"]) if people else None,
            starttijd=_minutes_of_day(data.get("starttijd")), voorstellen=_tuple(data.get("voorstellen")),
            themabladen=_tuple(data.get("themabladen")), dilemmas=_tuple(data.get("dilemmas")),
            onderdelen=tuple(Onderdeel.from_data(b) for b in blocks),
            plekken=tuple(Plek(p["titel"], _tuple(p["fasen"]), p["beschrijving"], p.get("facilitator"),
                               _tuple(p.get("dilemmas")), _tuple(p.get("themabladen"))) for p in data.get("plekken", ())),
            portfolio=tuple(Portfoliomoment(p["fase"], p["bewijs"]) for p in data.get("portfolio", ())))


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
    def from_data(cls, data: dict) -> "Reeks":
        return cls(data["titel"], data["inleiding"], _tuple(data["hulpvragen"]),
                   tuple(Kernwaarde(k["id"], k["titel"], k["omschrijving"]) for k in data["kernwaarden"]),
                   tuple(Pijler(p["titel"], p["omschrijving"]) for p in data.get("integriteitshuis", ())))


def _group(pairs) -> dict:
    """{key: (value, …)} from (key, value) pairs, keeping the order in which values come."""
    result: dict[str, list] = {}
    for key, value in pairs:
        result.setdefault(key, []).append(value)
    return {k: tuple(v) for k, v in result.items()}


def _sheet_order(sheet: Themablad):
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

    @classmethod
    def create(cls, themabladen=(), dilemmas=(), uitspraken=(), wetten=(), modules=(), reeks=None) -> "Corpus":
        return cls(
            themabladen=tuple(sorted(themabladen, key=_sheet_order)),
            dilemmas=tuple(sorted(dilemmas, key=lambda d: (d.titel.casefold(), d.id))),
            uitspraken=tuple(sorted(uitspraken, key=lambda u: (u.instantie, u.jaar, u.ecli))),
            wetten=tuple(wetten),
            modules=tuple(sorted(modules, key=lambda m: (MODULE_SOORTEN.index(m.soort), m.titel.casefold()))),
            reeks=reeks)

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

    def derived(self, key, make):
        """A value other layers derive from this corpus (a card's fit, the deck plan), made once per
        corpus: the corpus is immutable, so the value cannot go stale. ``key`` names it, ``make()``
        computes it."""
        memo = self._derived
        if key not in memo:
            memo[key] = make()
        return memo[key]

    def derived_for(self, item: "Dilemma", name: str, make):
        """Like :meth:`derived`, for a value of one of this corpus's own dilemmas; a dilemma from
        elsewhere (an edited copy, another corpus) gets ``make()`` afresh, never a kept value."""
        if self.dilemma.get(item.id) is not item:
            return make()
        return self.derived((name, item.id), make)

    @cached_property
    def _derived(self) -> dict:
        return {}

    # -- derived reverse relations ------------------------------------------
    @cached_property
    def dilemmas_per_themablad(self) -> dict[str, tuple[Dilemma, ...]]:
        return _group((sheet, item) for item in self.dilemmas for sheet in item.themabladen)

    @cached_property
    def modules_per_themablad(self) -> dict[str, tuple[Module, ...]]:
        return _group((sheet, module) for module in self.modules for sheet in module.alle_themabladen)

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
