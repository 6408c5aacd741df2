/* Kompas: the "Bewerken" link of an item page (issue 27). The link opens the item in the browser
   editor (redactie/), which edits today's main branch, so it is shown only on the newest published
   version: mike's versions.json (one folder above the site) says which version this is and which
   one the default alias ("latest") points to. Without versions.json the site is not a versioned
   release (make serve, make redactie, a plain build): the link is shown. The link is in the page
   only when extra.kompas.redactie is set in mkdocs.yml. */
(function () {
  "use strict";
  var links = document.querySelectorAll("[data-kompas-bewerken]");
  if (!links.length) return;
  var script = document.currentScript;
  var root = new URL("../../", script.src); // this file is <site>/assets/javascripts/
  var standaard = script.getAttribute("data-kompas-standaardversie") || "latest";

  function toon() {
    links.forEach(function (link) { link.hidden = false; });
  }

  fetch(new URL("../versions.json", root), { cache: "no-store" })
    .then(function (antwoord) {
      if (!antwoord.ok) return null;
      return antwoord.json().catch(function () { return null; });
    })
    .then(function (versies) {
      if (!Array.isArray(versies)) { toon(); return; }
      var naam = decodeURIComponent(root.pathname.replace(/\/$/, "").split("/").pop() || "");
      var deze = versies.filter(function (v) {
        return v && (v.version === naam || (v.aliases || []).indexOf(naam) >= 0);
      })[0];
      if (deze && (deze.version === standaard || (deze.aliases || []).indexOf(standaard) >= 0)) toon();
    })
    .catch(toon);
})();
