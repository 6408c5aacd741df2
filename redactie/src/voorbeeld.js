// Kompas: the editor's preview in the site's own look (issue 27, item 5). The preview pane gets
// the site's stylesheets (config.json: kompas.voorbeeldstijlen) and, per kind, a page built with
// the classes the site's own pages use (md-typeset, the dilemma card). It shows the item as
// the form holds it; the exact page is the site built for the change request (docs/redactie.md).

function h(...args) {
  return window.h(...args);
}

function tekst(entry, naam) {
  const waarde = entry.getIn(["data", naam]);
  return waarde === undefined || waarde === null ? "" : String(waarde);
}

function lijst(entry, naam) {
  const waarde = entry.getIn(["data", naam]);
  return waarde && waarde.toJS ? waarde.toJS() : Array.isArray(waarde) ? waarde : [];
}

function waardeAlsTekst(waarde) {
  if (waarde === null || waarde === undefined) return "";
  if (typeof waarde === "object") {
    return Object.entries(waarde).filter(([k]) => !k.startsWith("__")).map(([, v]) => waardeAlsTekst(v)).filter(Boolean).join(" · ");
  }
  return String(waarde);
}

// One field of the item as the page would show it: Markdown through Decap's own preview of the
// field, a list as a list, anything else as a paragraph.
function veld(props, v) {
  const { entry, widgetFor } = props;
  const waarde = entry.getIn(["data", v.name]);
  if (waarde === undefined || waarde === null || waarde === "") return null;
  if (v.widget === "markdown") {
    return h("section", { key: v.name }, h("h2", {}, v.label), widgetFor(v.name));
  }
  const js = waarde && waarde.toJS ? waarde.toJS() : waarde;
  if (Array.isArray(js)) {
    if (!js.length) return null;
    return h("section", { key: v.name }, h("h2", {}, v.label),
      h("ul", {}, js.map((item, i) => h("li", { key: i }, waardeAlsTekst(item)))));
  }
  return h("p", { key: v.name }, h("strong", {}, `${v.label}: `), waardeAlsTekst(js));
}

function pagina(props, velden, kop, overslaan) {
  const { entry } = props;
  const titel = tekst(entry, "titel") || tekst(entry, "ecli");
  const rest = velden.filter((v) => !overslaan.includes(v.name) && v.widget !== "hidden");
  return h("div", { className: "md-container" },
    h("main", { className: "md-main" },
      h("div", { className: "md-main__inner md-grid" },
        h("div", { className: "md-content" },
          h("article", { className: "md-content__inner md-typeset" },
            h("h1", {}, titel), kop, rest.map((v) => veld(props, v)))))));
}

function dilemmaKaart(props) {
  const { entry } = props;
  return h("article", { className: "kompas-kaart", "aria-label": `Dilemmakaart ${tekst(entry, "titel")}` },
    h("p", { className: "kompas-soortlabel" }, "Dilemma"),
    h("div", { className: "kompas-kaart__voorkant" }, h("p", { className: "kompas-situatie" }, tekst(entry, "situatie"))),
    h("div", { className: "kompas-kaart__achterkant" },
      h("h2", {}, "Hulpvragen"),
      h("ul", {}, lijst(entry, "hulpvragen").map((vraag, i) => h("li", { key: i }, vraag))),
      h("p", { className: "kompas-kaart__meta" }, `Kernwaarden: ${lijst(entry, "kernwaarden").join(", ")}`),
      h("p", { className: "kompas-kaart__meta" }, `Voor: ${lijst(entry, "doelgroep").join(", ")}`)));
}

function samenvatting(props) {
  const s = tekst(props.entry, "samenvatting");
  return s ? h("p", { className: "kompas-samenvatting" }, h("em", {}, s)) : null;
}

export function registreerVoorbeelden(CMS, instellingen) {
  const kompas = instellingen.kompas;
  for (const stijl of kompas.voorbeeldstijlen || []) CMS.registerPreviewStyle(stijl);
  const sjablonen = [];
  for (const collectie of instellingen.cms.collections || []) {
    if (collectie.files) {
      for (const bestand of collectie.files) sjablonen.push([bestand.name, kompas.soorten[bestand.name], bestand.fields]);
    } else {
      sjablonen.push([collectie.name, kompas.soorten[collectie.name], collectie.fields]);
    }
  }
  for (const [naam, soort, velden] of sjablonen) {
    const sjabloon = (props) => {
      if (soort === "dilemma") {
        return pagina(props, velden || [], dilemmaKaart(props), ["titel", "situatie", "hulpvragen", "kernwaarden", "doelgroep"]);
      }
      return pagina(props, velden || [], samenvatting(props), ["titel", "samenvatting", soort === "uitspraak" ? "ecli" : "id"]);
    };
    CMS.registerPreviewTemplate(naam, sjabloon);
  }
}
