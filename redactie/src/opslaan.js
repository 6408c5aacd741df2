// Kompas: how the browser editor reads and writes a YAML content file (issue 27).
//
// Decap CMS hands a format only the file's text (fromFile) and later only the entry's data
// (toFile). To write "what a person would have written" the format needs the original text
// at save time, so fromFile keeps it in the entry's data under ORIGINEEL (a key no form shows;
// Decap keeps keys it has no field for) and toFile takes it out again.
//
// toFile does not re-serialise the file. It compares the new data with the original document
// (parsed with the `yaml` package, which gives every node its position in the text) and splices
// only what changed into the original text: one changed field is a diff of that field only.
// Comments (the `# yaml-language-server` line too), key order, quoting, folded `>-` and literal
// `|` blocks and flow lists `[a, b]` of everything else stay byte for byte. A new key goes where
// the schema's order puts it; a list item that was added or removed is one item in the diff
// (lists are aligned on equal items first).
//
// The same code runs for the local backend (make redactie) and for GitLab.

import { Document, isMap, isScalar, isSeq, parseDocument, Scalar } from "yaml";

export const ORIGINEEL = "__kompas_origineel";
export const REGELBREEDTE = 88;

// -- reading ------------------------------------------------------------------------------------

export function leesBestand(tekst) {
  const doc = parseDocument(tekst, { prettyErrors: false });
  if (doc.errors.length) throw doc.errors[0];
  const data = doc.toJS() ?? {};
  if (typeof data !== "object" || Array.isArray(data)) throw new Error("Dit bestand is geen blok met velden.");
  data[ORIGINEEL] = tekst;
  return data;
}

// -- writing ------------------------------------------------------------------------------------

/** The text to save for ``data``. ``soort`` describes the fields of this kind of item:
 *  {velden: [veld...], kopregel: "# yaml-language-server: ..."}, veld = {naam, stijl?, velden?,
 *  getal?, datum?}: stijl "flow" (a list of ids written as [a, b] when it fits on the line),
 *  "gevouwen" (plain text: >- when it does not fit on the line), "letterlijk" (Markdown: | when it
 *  has line breaks);
 *  velden: the fields of an object, or of each object in a list. */
export function schrijfBestand(data, soort) {
  const { [ORIGINEEL]: origineel, ...waarden } = data ?? {};
  if (typeof origineel !== "string") return nieuwBestand(waarden, soort);
  const doc = parseDocument(origineel);
  if (doc.errors.length || !isMap(doc.contents)) return nieuwBestand(waarden, soort);
  const bewerkingen = [];
  vergelijkMap(origineel, doc.contents, waarden, soort.velden, kolomVan(origineel, doc.contents), bewerkingen);
  return pasToe(origineel, bewerkingen);
}

function nieuwBestand(waarden, soort) {
  const regels = [];
  if (soort.kopregel) regels.push(soort.kopregel);
  const tekst = paren(geordend(waarden, soort.velden), soort.velden, 0);
  return regels.join("\n") + (regels.length ? "\n" : "") + tekst;
}

// An edit: replace text[begin, einde) with tekst. Edits never overlap.
function pasToe(tekst, bewerkingen) {
  // from the end of the text to its start; edits at the same place in the reverse order they were
  // made, so that they come out in the order they were made
  bewerkingen.forEach((b, i) => { b.volgnummer = i; });
  bewerkingen.sort((a, b) => b.begin - a.begin || b.einde - a.einde || b.volgnummer - a.volgnummer);
  let uit = tekst;
  for (const { begin, einde, tekst: nieuw } of bewerkingen) uit = uit.slice(0, begin) + nieuw + uit.slice(einde);
  return uit;
}

// -- comparing ----------------------------------------------------------------------------------

function leeg(waarde) {
  return waarde === undefined || waarde === null || waarde === ""
    || (Array.isArray(waarde) && waarde.length === 0)
    || (typeof waarde === "object" && !Array.isArray(waarde) && Object.keys(waarde).length === 0);
}

function gelijk(a, b) {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "string") return b.trim() !== "" && Number(b) === a;
  if (typeof b === "number" && typeof a === "string") return gelijk(b, a);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => gelijk(x, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const sleutels = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of sleutels) {
      if (leeg(a[k]) && leeg(b[k])) continue;
      if (!gelijk(a[k], b[k])) return false;
    }
    return true;
  }
  return false;
}

function veldVan(velden, naam) {
  return (velden || []).find((v) => v.naam === naam) || { naam };
}

function volgorde(velden, naam) {
  const i = (velden || []).findIndex((v) => v.naam === naam);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

function geordend(waarden, velden) {
  const namen = Object.keys(waarden).filter((k) => !leeg(waarden[k]));
  namen.sort((a, b) => volgorde(velden, a) - volgorde(velden, b));
  return namen.map((k) => [k, waarden[k]]);
}

// -- positions in the text ----------------------------------------------------------------------

function regelBegin(tekst, positie) {
  return tekst.lastIndexOf("\n", positie - 1) + 1;
}

function volgendeRegel(tekst, positie) {
  // the start of the line after the one ``positie`` is on (or after a text that ends at positie)
  if (positie > 0 && tekst[positie - 1] === "\n") return positie;
  const n = tekst.indexOf("\n", positie);
  return n < 0 ? tekst.length : n + 1;
}

function kolomVan(tekst, node) {
  const begin = node.range[0];
  return begin - regelBegin(tekst, begin);
}

// The start of the comment lines directly above a line (same indentation or less, no blank line
// between): a new key goes above the comment that belongs to the next key.
function boven_commentaar(tekst, regel) {
  let begin = regel;
  while (begin > 0) {
    const vorige = regelBegin(tekst, begin - 1);
    const inhoud = tekst.slice(vorige, begin - 1);
    if (/^\s*#/.test(inhoud)) begin = vorige;
    else break;
  }
  return begin;
}

// -- maps ---------------------------------------------------------------------------------------

function vergelijkMap(tekst, map, waarden, velden, kolom, bewerkingen) {
  const origineel = map.toJSON() ?? {};
  // removed keys
  for (const paar of map.items) {
    const naam = isScalar(paar.key) ? paar.key.value : String(paar.key);
    if (leeg(waarden[naam]) && !leeg(origineel[naam])) verwijderPaar(tekst, map, paar, bewerkingen);
  }
  // changed and new keys, in schema order
  for (const [naam, waarde] of geordend(waarden, velden)) {
    const paar = map.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === naam);
    const veld = veldVan(velden, naam);
    if (!paar) {
      voegPaarIn(tekst, map, naam, waarde, velden, kolom, bewerkingen);
    } else if (!gelijk(origineel[naam], waarde)) {
      vervangWaarde(tekst, paar, waarde, veld, kolom, bewerkingen);
    }
  }
}

function verwijderPaar(tekst, map, paar, bewerkingen) {
  const begin = regelBegin(tekst, paar.key.range[0]);
  const node = paar.value;
  const einde = node ? volgendeRegel(tekst, node.range[1]) : volgendeRegel(tekst, paar.key.range[1]);
  bewerkingen.push({ begin, einde, tekst: "" });
}

function voegPaarIn(tekst, map, naam, waarde, velden, kolom, bewerkingen) {
  const plaats = volgorde(velden, naam);
  const volgende = map.items.find((p) => volgorde(velden, isScalar(p.key) ? p.key.value : p.key) > plaats);
  const nieuw = paren([[naam, waarde]], velden, kolom);
  if (volgende) {
    const positie = boven_commentaar(tekst, regelBegin(tekst, volgende.key.range[0]));
    bewerkingen.push({ begin: positie, einde: positie, tekst: nieuw });
  } else {
    const laatste = map.items[map.items.length - 1];
    const eind = laatste ? (laatste.value ? laatste.value.range[1] : laatste.key.range[1]) : map.range[1];
    const positie = volgendeRegel(tekst, eind);
    const scheiding = positie > 0 && tekst[positie - 1] !== "\n" ? "\n" : "";
    bewerkingen.push({ begin: positie, einde: positie, tekst: scheiding + nieuw });
  }
}

function vervangWaarde(tekst, paar, waarde, veld, kolom, bewerkingen) {
  const node = paar.value;
  if (node && isMap(node) && waarde && typeof waarde === "object" && !Array.isArray(waarde)) {
    vergelijkMap(tekst, node, waarde, veld.velden, kolomVan(tekst, node), bewerkingen);
    return;
  }
  if (node && isSeq(node) && !node.flow && Array.isArray(waarde) && node.items.length) {
    vergelijkLijst(tekst, node, waarde, veld, bewerkingen);
    return;
  }
  // a scalar, a flow list, or a value that changed its kind: write the value anew, in the style
  // the original had where it can
  const begin = node ? node.range[0] : paar.key.range[1];
  const einde = node ? node.range[1] : paar.key.range[1];
  let oud = tekst.slice(begin, einde);
  const staart = oud.length - oud.replace(/\s+$/, "").length;
  const nieuw = waardeTekst(paar.key.value, waarde, veld, kolom, node);
  bewerkingen.push({ begin, einde: einde - staart, tekst: nieuw });
}

// -- lists --------------------------------------------------------------------------------------

// Align the old and the new list on equal items (longest common subsequence); between two equal
// items, old and new items are paired in order (a changed item), the rest removed or added.
function vergelijkLijst(tekst, seq, waarden, veld, bewerkingen) {
  const oud = seq.items.map((item) => (item && item.toJSON ? item.toJSON() : item));
  const n = oud.length, m = waarden.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = gelijk(oud[i], waarden[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const stappen = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && gelijk(oud[i], waarden[j])) { stappen.push(["=", i++, j++]); continue; }
    const weg = [], erbij = [];
    while (i < n || j < m) {
      if (i < n && j < m && gelijk(oud[i], waarden[j])) break;
      if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) weg.push(i++);
      else erbij.push(j++);
    }
    const paren_ = Math.min(weg.length, erbij.length);
    for (let k = 0; k < paren_; k++) stappen.push(["~", weg[k], erbij[k]]);
    for (let k = paren_; k < weg.length; k++) stappen.push(["-", weg[k], null]);
    for (let k = paren_; k < erbij.length; k++) stappen.push(["+", null, erbij[k], weg.length ? weg[weg.length - 1] : null]);
  }
  const streepKolom = kolomVan(tekst, seq);
  let vorigeOud = -1;
  for (const [soort, io, jn, naWeg] of stappen) {
    if (soort === "=") { vorigeOud = io; continue; }
    if (soort === "~") {
      vorigeOud = io;
      const item = seq.items[io];
      const waarde = waarden[jn];
      if (isMap(item) && waarde && typeof waarde === "object" && !Array.isArray(waarde)) {
        vergelijkMap(tekst, item, waarde, veld.velden, kolomVan(tekst, item), bewerkingen);
      } else {
        const begin = item.range[0];
        let einde = item.range[1];
        const oudTekst = tekst.slice(begin, einde);
        einde -= oudTekst.length - oudTekst.replace(/\s+$/, "").length;
        bewerkingen.push({ begin, einde, tekst: itemWaardeTekst(waarde, veld, streepKolom, item) });
      }
      continue;
    }
    if (soort === "-") {
      const item = seq.items[io];
      const begin = regelBegin(tekst, item.range[0]);
      const einde = volgendeRegel(tekst, item.range[1]);
      bewerkingen.push({ begin, einde, tekst: "" });
      vorigeOud = io;
      continue;
    }
    // "+": after the last old item handled so far (or after a removed item), else before the first
    const na = naWeg ?? vorigeOud;
    let positie;
    if (na >= 0 && na !== null) positie = volgendeRegel(tekst, seq.items[na].range[1]);
    else positie = regelBegin(tekst, seq.items[0].range[0]);
    const scheiding = positie > 0 && tekst[positie - 1] !== "\n" ? "\n" : "";
    bewerkingen.push({ begin: positie, einde: positie, tekst: scheiding + itemTekst(waarden[jn], veld, streepKolom) });
  }
}

// -- writing new text ---------------------------------------------------------------------------

const YAML11 = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+][0-9]+)?|\.[0-9_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|=)$/;
const DATUM = /^\d{4}-\d{2}-\d{2}$/;

function getal(waarde, veld, vorig) {
  if (typeof waarde === "string" && /^[0-9]+$/.test(waarde)) {
    if (veld.getal || (vorig && isScalar(vorig) && typeof vorig.value === "number")) return Number(waarde);
  }
  return waarde;
}

// A scalar node for ``waarde`` in the style a person would give it: the original's style where
// there was one; else >- for long text, | for text with line breaks, quotes where YAML 1.1
// (PyYAML, which reads these files) would read the text as something else.
function scalar(waarde, veld, kolomSleutel, sleutel, vorig) {
  waarde = getal(waarde, veld, vorig);
  const node = new Scalar(waarde);
  if (typeof waarde !== "string") return node;
  const vorigType = vorig && isScalar(vorig) ? vorig.type : null;
  let type = vorigType;
  if (type === "BLOCK_LITERAL" && typeof vorig.value === "string" && vorig.value.endsWith("\n") && !waarde.endsWith("\n")) {
    node.value = waarde = waarde + "\n"; // keep the "|" (clip) header the original had
  }
  if (!type) {
    if (veld.stijl === "letterlijk" && waarde.includes("\n")) type = "BLOCK_LITERAL";
    else if (waarde.includes("\n")) type = "BLOCK_LITERAL";
    else if (kolomSleutel + String(sleutel).length + 2 + waarde.length > REGELBREEDTE) type = "BLOCK_FOLDED";
    else type = "PLAIN";
  }
  if (type === "PLAIN" && waarde.includes("\n")) type = "BLOCK_LITERAL";
  if (type === "PLAIN" && kolomSleutel + String(sleutel).length + 2 + waarde.length > REGELBREEDTE) type = "BLOCK_FOLDED";
  if (type === "PLAIN" && YAML11.test(waarde) && !(veld.datum && DATUM.test(waarde))) type = "QUOTE_DOUBLE";
  if (type === "BLOCK_FOLDED" && waarde.includes("\n")) type = "BLOCK_LITERAL";
  node.type = type;
  return node;
}

function knoop(doc, waarde, veld, kolom, sleutel) {
  if (Array.isArray(waarde)) {
    const lijst = doc.createNode([]);
    for (const item of waarde) lijst.items.push(knoop(doc, item, veld, kolom + 2, ""));
    const eenvoudig = waarde.every((x) => typeof x !== "object" || x === null);
    if (eenvoudig && veld.stijl === "flow") {
      const proef = `${" ".repeat(kolom)}${sleutel}: [${waarde.join(", ")}]`;
      lijst.flow = proef.length <= REGELBREEDTE;
    }
    return lijst;
  }
  if (waarde && typeof waarde === "object") {
    const map = doc.createNode({});
    for (const [k, v] of geordend(waarde, veld.velden)) {
      map.items.push(doc.createPair(k, knoop(doc, v, veldVan(veld.velden, k), kolom + 2, k)));
    }
    return map;
  }
  return scalar(waarde, veld, kolom, sleutel, null);
}

const OPTIES = { lineWidth: REGELBREEDTE, minContentWidth: 40, flowCollectionPadding: false, indentSeq: true };

function inspringen(tekst, kolom) {
  if (!kolom) return tekst;
  const ruimte = " ".repeat(kolom);
  return tekst.split("\n").map((r, i) => (i === 0 || r === "" ? r : ruimte + r)).join("\n");
}

// "naam: waarde\n" lines for new keys, indented to ``kolom`` (every line, the first too).
function paren(lijst, velden, kolom) {
  const doc = new Document({});
  for (const [naam, waarde] of lijst) {
    const veld = veldVan(velden, naam);
    doc.contents.items.push(doc.createPair(naam, knoop(doc, waarde, veld, kolom, naam)));
  }
  if (!lijst.length) return "";
  const tekst = doc.toString({ ...OPTIES, lineWidth: REGELBREEDTE - kolom });
  return " ".repeat(kolom) + inspringen(tekst.replace(/\n$/, ""), kolom) + "\n";
}

// The text after "naam: " for a changed value (no line break at the end).
function waardeTekst(naam, waarde, veld, kolom, vorig) {
  const doc = new Document({});
  let node;
  if (Array.isArray(waarde) || (waarde && typeof waarde === "object")) {
    node = knoop(doc, waarde, veld, kolom, naam);
    if (vorig && isSeq(vorig) && Array.isArray(waarde)) node.flow = Boolean(vorig.flow) && waarde.every((x) => typeof x !== "object");
  } else {
    node = scalar(waarde, veld, kolom, naam, vorig);
  }
  doc.contents.items.push(doc.createPair(naam, node));
  const tekst = doc.toString({ ...OPTIES, lineWidth: REGELBREEDTE - kolom }).replace(/\n$/, "");
  const voor = `${naam}:`;
  let rest = tekst.slice(voor.length);
  if (rest.startsWith(" ")) rest = rest.slice(1);
  else if (rest.startsWith("\n")) rest = rest.slice(1); // a block collection: starts on the next line
  const blok = !tekst.slice(voor.length).startsWith(" ");
  const ingesprongen = inspringen(rest, kolom);
  // a block list or map starts on the line after "naam:"; node.range[0] is on that line already
  return blok ? ingesprongen.replace(/^\s*/, "") : ingesprongen;
}

// The text of a changed list item after "- ".
function itemWaardeTekst(waarde, veld, streepKolom, vorig) {
  const doc = new Document([]);
  const node = waarde && typeof waarde === "object" ? knoop(doc, waarde, veld, streepKolom + 2, "")
    : scalar(waarde, veld, streepKolom + 2, "", vorig);
  doc.contents.items.push(node);
  const tekst = doc.toString({ ...OPTIES, lineWidth: REGELBREEDTE - streepKolom }).replace(/\n$/, "");
  return inspringen(tekst.replace(/^- /, ""), streepKolom);
}

// A whole new list item "- ...\n", indented to the dash column of the list.
function itemTekst(waarde, veld, streepKolom) {
  const doc = new Document([]);
  const node = waarde && typeof waarde === "object" ? knoop(doc, waarde, veld, streepKolom + 2, "")
    : scalar(waarde, veld, streepKolom + 2, "", null);
  doc.contents.items.push(node);
  const tekst = doc.toString({ ...OPTIES, lineWidth: REGELBREEDTE - streepKolom }).replace(/\n$/, "");
  return " ".repeat(streepKolom) + inspringen(tekst, streepKolom) + "\n";
}

// For the registers (one file collection, several files): which kind a file is, from its
// yaml-language-server line, else from its keys.
export function soortVanTekst(tekst, soorten) {
  const m = /\$schema=[^\s]*?([a-z]+)\.schema\.json/.exec(tekst || "");
  if (m && soorten[m[1]]) return m[1];
  return null;
}
