/* Kompas: the script of a downloaded session file (issue 28). Not used by the site itself:
 * kompas-downloaden.js places it inline in the file, after the session data
 * (window.KOMPAS_SESSIE) and the presenter (kompas-presentatie.js). It refers to nothing outside
 * the file: the slides are in <template data-bestand="dias">, the rest is in the page.
 */
(function () {
  "use strict";

  var data = window.KOMPAS_SESSIE;
  var presenter = window.KompasPresentatie;
  var dialog = document.querySelector("[data-presentatie]");
  var start = document.querySelector('[data-bestand="presenteren"]');
  var store = document.querySelector('template[data-bestand="dias"]').content;
  var steps = data.stappen.map(function (step, i) {
    return {titel: step.titel, minuten: step.minuten, dilemmas: step.dilemmas,
            node: store.querySelector('.kompas-dia--stap[data-stap="' + i + '"]')};
  });
  var missing = [];
  var slides = presenter.plan(data.kaarten.map(function (card) { return card.id; }), steps).map(function (slide) {
    if (slide.soort === "kaart") {
      slide.node = store.querySelector('.kompas-dia--kaart[data-kaart="' + CSS.escape(slide.id) + '"]');
      if (!slide.node) {
        missing.push(data.kaarten.filter(function (card) { return card.id === slide.id; })[0].titel);
      }
    } else {
      slide.node = steps[slide.stap].node;
      if (!slide.node) missing.push(steps[slide.stap].titel);
    }
    return slide;
  });
  if (missing.length) {
    start.disabled = true;
    start.insertAdjacentText("afterend", " Dit bestand is onvolledig; ontbreekt: " + missing.join(", ") + ".");
  }

  function present(state) {
    if (missing.length || !slides.length) return;
    presenter.open(dialog, {slides: slides, steps: steps, state: state, fullscreen: !state,
                            onClose: function () { start.focus(); }});
  }

  start.addEventListener("click", function () { present(null); });

  // Printing: the cards, unless "Draaiboek printen" was just clicked (kompas-sessiebestand.css).
  document.querySelectorAll("[data-bestand-printen]").forEach(function (button) {
    button.addEventListener("click", function () {
      document.documentElement.dataset.afdruk = button.dataset.bestandPrinten;
      window.print();
    });
  });
  window.addEventListener("afterprint", function () { delete document.documentElement.dataset.afdruk; });

  var state = presenter.saved();  // a reload while presenting: open at the same place
  if (state) present(state);
})();
