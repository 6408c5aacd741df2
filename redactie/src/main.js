// Kompas: the browser editor's own code (issue 27). Loaded by redactie/index.html BEFORE Decap CMS:
// it asks Decap to wait (CMS_MANUAL_INIT), and when Decap has loaded it reads config.json (made
// by macros/site/redactie.py from schemas/ at build time), registers the formats and previews,
// and starts the editor. No inline script: the page's Content-Security-Policy forbids it.

import { leesBestand, schrijfBestand, soortVanTekst, ORIGINEEL } from "./opslaan.js";
import { registreerVoorbeelden } from "./voorbeeld.js";

window.CMS_MANUAL_INIT = true;

export const KompasRedactie = { leesBestand, schrijfBestand, soortVanTekst, ORIGINEEL };
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
  registreerVoorbeelden(CMS, instellingen);
  CMS.init({ config: instellingen.cms });
}

if (document.readyState === "complete") start();
else window.addEventListener("load", start);
