// Kompas: the browser editor's own code (issue 27). Loaded by redactie/index.html BEFORE Decap CMS:
// it asks Decap to wait (CMS_MANUAL_INIT), and when Decap has loaded it reads config.json (made
// by macros/site/redactie.py from schemas/ at build time), registers the formats and previews,
// and starts the editor. No inline script: the page's Content-Security-Policy forbids it.

import { leesBestand, schrijfBestand, soortVanTekst, ORIGINEEL } from "./opslaan.js";
import { registreerVoorbeelden } from "./voorbeeld.js";

window.CMS_MANUAL_INIT = true;

export const KompasRedactie = { leesBestand, schrijfBestand, soortVanTekst, ORIGINEEL };
// ecliPad and pasBackendAan are added below (tests call them in Chromium)
window.KompasRedactie = KompasRedactie;

function melding(tekst) {
  const plek = document.getElementById("kompas-redactie-melding");
  if (!plek) return;
  plek.hidden = false;
  plek.querySelector("p").textContent = tekst;
}

// An older published version of the site must not edit today's main (mike's versions.json).
async function isNieuwste(instellingen) {
  const hier = new URL("../", document.baseURI); // the root of this version of the site
  let versies;
  try {
    const antwoord = await fetch(new URL("../versions.json", hier), { cache: "no-store" });
    if (!antwoord.ok) return true; // not a versioned release: the working copy's own site
    versies = await antwoord.json();
  } catch (e) {
    return true;
  }
  if (!Array.isArray(versies)) return true;
  const naam = decodeURIComponent(hier.pathname.replace(/\/$/, "").split("/").pop() || "");
  const standaard = instellingen.standaardversie || "latest";
  const deze = versies.find((v) => v && (v.version === naam || (v.aliases || []).includes(naam)));
  return Boolean(deze && (deze.version === standaard || (deze.aliases || []).includes(standaard)));
}

function registreerFormaten(CMS, formaten) {
  for (const [naam, soort] of Object.entries(formaten.mappen)) {
    CMS.registerCustomFormat(`kompas-${naam}`, "yaml", {
      fromFile: (tekst) => leesBestand(tekst),
      toFile: (data) => schrijfBestand(data, soort),
    });
  }
  // the registers: one file collection, each file its own kind (its yaml-language-server line)
  CMS.registerCustomFormat("kompas-registers", "yaml", {
    fromFile: (tekst) => leesBestand(tekst),
    toFile: (data) => {
      const soort = soortVanTekst(data && data[ORIGINEEL], formaten.registers);
      if (!soort) throw new Error("Onbekend registerbestand: de regel # yaml-language-server ontbreekt.");
      return schrijfBestand(data, formaten.registers[soort]);
    },
  });
}

// A ruling's file is named after its ECLI with dashes for the colons, in capitals
// (ECLI-NL-CRVB-2014-3729.yaml). Decap always makes a new entry's file name lower case, so the
// backends (GitLab, and decap-server for make redactie) are wrapped: a new ruling is written under
// its ECLI name, and a lower-case name asked for (Decap's own, right after saving) finds that file.
const ECLI_NAAM = /^(.*\/)(ecli-[a-z0-9-]+)\.yaml$/;

export function ecliPad(pad, mappen) {
  const m = ECLI_NAAM.exec(pad || "");
  if (!m || !mappen.includes(m[1].replace(/\/$/, ""))) return null;
  return `${m[1]}${m[2].toUpperCase()}.yaml`;
}

function ecliVanTekst(tekst) {
  const m = /^ecli:\s*["']?(ECLI:[A-Z0-9:]+)/m.exec(tekst || "");
  return m ? m[1].replace(/:/g, "-") : null;
}

export function pasBackendAan(implementatie, mappen) {
  const getEntry = implementatie.getEntry.bind(implementatie);
  implementatie.getEntry = async (pad) => {
    const ecli = ecliPad(pad, mappen);
    if (ecli) {
      try { return await getEntry(ecli); } catch (e) { /* not there under the ECLI name: ask as asked */ }
    }
    return getEntry(pad);
  };
  const persistEntry = implementatie.persistEntry.bind(implementatie);
  implementatie.persistEntry = async (entry, opties) => {
    for (const bestand of entry.dataFiles || []) {
      const ecli = ecliPad(bestand.path, mappen);
      if (!ecli) continue;
      const naam = ecliVanTekst(bestand.raw);
      if (!naam || !ecli.endsWith(`/${naam}.yaml`)) {
        throw new Error(`Er is al een uitspraak met deze ECLI (${naam || "onbekend"}); open die om hem te bewerken.`);
      }
      bestand.path = ecli;
    }
    return persistEntry(entry, opties);
  };
  return implementatie;
}

function wikkelBackends(CMS, mappen) {
  if (!mappen.length) return;
  for (const naam of ["gitlab", "proxy"]) {
    const registratie = CMS.getBackend(naam);
    if (!registratie || registratie.kompas) continue;
    const init = registratie.init;
    registratie.init = (...args) => pasBackendAan(init(...args), mappen);
    registratie.kompas = true;
  }
}

KompasRedactie.ecliPad = ecliPad;
KompasRedactie.pasBackendAan = pasBackendAan;

async function start() {
  const CMS = window.CMS;
  if (!CMS) {
    melding("De editor is niet geladen. Vernieuw de pagina; helpt dat niet, vraag de beheerder van Kompas.");
    return;
  }
  let instellingen;
  try {
    const antwoord = await fetch("config.json", { cache: "no-store" });
    instellingen = await antwoord.json();
  } catch (e) {
    melding("De instellingen van de editor (config.json) zijn niet te lezen. Vraag de beheerder van Kompas.");
    return;
  }
  if (!(await isNieuwste(instellingen.kompas))) {
    melding("Dit is een oudere versie van Kompas. Bewerk de inhoud in de nieuwste versie.");
    return;
  }
  registreerFormaten(CMS, instellingen.kompas.formaten);
  wikkelBackends(CMS, instellingen.kompas.ecli_mappen || []);
  registreerVoorbeelden(CMS, instellingen);
  CMS.init({ config: instellingen.cms });
}

if (document.readyState === "complete") start();
else window.addEventListener("load", start);
