/* Kompas: the session page (sessie/). Compose a team session, print it, present it, open its
 * draaiboek and download it as one file.
 *
 * The markup of every control, list row and sheet is in the page (macros/render/templates/sessie.md.j2,
 * <template> elements); the cards themselves are HTML pieces made by the build with the same
 * templates and stylesheet as the PDF decks (sessie/kaarten/<id>.json, macros/render/session.py),
 * and so are the steps of a method (sessie/methoden/<id>.json).
 * This script only reads the index (sessie/dilemmas.json), filters it, keeps the selection
 * (address and localStorage) and selects, orders and places those pieces. The presenter is
 * kompas-presentatie.js, the draaiboek kompas-draaiboek.js, the download kompas-downloaden.js.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-kompas-sessie]");
  if (!root) return;

  var PAGE_SIZE = 100;  // rows shown at once; "Toon meer" adds the next ones
  var STORAGE_KEY = "kompas-sessie";

  var $ = function (selector, scope) { return (scope || root).querySelector(selector); };
  var els = {
    melding: $("[data-melding]"), filters: $("[data-filters]"), aantal: $("[data-aantal]"),
    lijst: $("[data-lijst]"), meer: $("[data-meer]"), telling: $("[data-telling]"),
    gekozen: $("[data-gekozen]"), deellink: $("[data-deellink]"), wissen: $("[data-wissen]"),
    printen: $("[data-printen]"), voorbeeld: $("[data-voorbeeld]"), drukKader: $("[data-druk-kader]"),
    druk: $("[data-druk]"), tijdschema: $("[data-tijdschema]"), presenteren: $("[data-presenteren]"),
    alleBlad: $('[data-alle="themablad"]'), alleModule: $('[data-alle="module"]'),
    dialoog: $("[data-presentatie]"), draaiboeklink: $("[data-draaiboeklink]"),
    downloaden: $("[data-downloaden]"), downloadstatus: $("[data-downloadstatus]")
  };
  var rowTemplate = $('[data-sjabloon="rij"]');
  var chosenTemplate = $('[data-sjabloon="gekozen"]');

  var data = null;       // the index
  var byId = new Map();  // id -> row index
  var keys = [];         // normalised "title id" per row, for the text filter
  var selection = [];    // ids, in session order
  var pieces = new Map();  // id -> Promise of a parsed card piece (DocumentFragment)
  var methods = new Map();  // module id -> Promise of its steps (KompasDraaiboek.methode)
  var matches = [];      // row indexes of the current filter
  var shown = 0;
  var printed = "";      // the selection + format the print view was built for

  function norm(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function formaat() {
    var checked = root.querySelector('input[name="formaat"]:checked');
    return checked ? checked.value : "a4";
  }

  // -- selection: address and localStorage ---------------------------------------------
  function readStart() {
    var params = new URLSearchParams(window.location.search);
    var wanted = null;
    var stored = {};
    try { stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "{}") || {}; } catch (e) { stored = {}; }
    if (params.has("kaarten")) {
      wanted = params.get("kaarten").split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    } else if (Array.isArray(stored.kaarten)) {
      wanted = stored.kaarten;
    }
    var unknown = [];
    (wanted || []).forEach(function (id) {
      if (!byId.has(id)) { unknown.push(id); } else if (selection.indexOf(id) < 0) { selection.push(id); }
    });
    if (unknown.length) {
      els.melding.textContent = (unknown.length === 1 ? "Deze kaart uit het adres bestaat niet en is niet gekozen: "
        : "Deze kaarten uit het adres bestaan niet en zijn niet gekozen: ") + unknown.join(", ") + ".";
      els.melding.hidden = false;
    }
    var module = params.has("module") ? params.get("module") : stored.module;
    if (module && els.tijdschema.querySelector('option[value="' + CSS.escape(module) + '"]')) els.tijdschema.value = module;
    var format = params.get("formaat") || stored.formaat;
    var radio = format && root.querySelector('input[name="formaat"][value="' + CSS.escape(format) + '"]');
    if (radio) radio.checked = true;
  }

  function address() {
    var parts = [];
    if (selection.length) parts.push("kaarten=" + selection.map(encodeURIComponent).join(","));
    if (els.tijdschema.value) parts.push("module=" + encodeURIComponent(els.tijdschema.value));
    if (formaat() !== "a4") parts.push("formaat=" + formaat());
    return parts.length ? "?" + parts.join("&") : "";
  }

  function save() {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(
        {kaarten: selection, module: els.tijdschema.value, formaat: formaat()}));
    } catch (e) { /* private mode or full: the address still holds the selection */ }
    var query = address();
    window.history.replaceState(window.history.state, "", window.location.pathname + query + window.location.hash);
    els.deellink.href = root.dataset.pagina + query;
    els.draaiboeklink.href = root.dataset.draaiboek + query;
  }

  // -- the list ---------------------------------------------------------------------------
  function filterValues() {
    var values = {};
    els.filters.querySelectorAll("[data-filter]").forEach(function (field) { values[field.dataset.filter] = field.value; });
    return values;
  }

  function indexOf(list, id) {
    for (var i = 0; i < list.length; i++) if (list[i][0] === id) return i;
    return -1;
  }

  function filter() {
    var f = filterValues();
    var words = norm(f.tekst || "").split(/\s+/).filter(Boolean);
    var sheet = f.themablad ? indexOf(data.themabladen, f.themablad) : -1;
    var value = f.kernwaarde ? indexOf(data.kernwaarden, f.kernwaarde) : -1;
    var group = f.doelgroep ? indexOf(data.doelgroepen, f.doelgroep) : -1;
    var module = f.module ? indexOf(data.modules, f.module) : -1;
    var kind = f.bron ? indexOf(data.bronsoorten, f.bron) : -1;
    var topic = f.onderwerp ? indexOf(data.onderwerpen || [], f.onderwerp) : -1;
    var rows = data.dilemmas;
    matches = [];
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      if (sheet >= 0 && row[2].indexOf(sheet) < 0) continue;
      if (value >= 0 && row[3].indexOf(value) < 0) continue;
      if (group >= 0 && row[4].indexOf(group) < 0) continue;
      if (module >= 0 && row[5].indexOf(module) < 0) continue;
      if (kind >= 0 && row[6] !== kind) continue;
      if (topic >= 0 && (row[7] || []).indexOf(topic) < 0) continue;
      var ok = true;
      for (var w = 0; w < words.length; w++) if (keys[i].indexOf(words[w]) < 0) { ok = false; break; }
      if (ok) matches.push(i);
    }
    els.alleBlad.disabled = sheet < 0;
    els.alleModule.disabled = module < 0;
    shown = 0;
    els.lijst.textContent = "";
    more();
  }

  function sheetLabel(row) {
    // the first theme sheet, or else the first topic (a dilemma on inclusion has no sheet)
    if (row[2].length) return data.themabladen[row[2][0]][1];
    return row[7] && row[7].length ? data.onderwerpen[row[7][0]][1] : "";
  }

  function more() {
    var end = Math.min(matches.length, shown + PAGE_SIZE);
    var fragment = document.createDocumentFragment();
    for (var n = shown; n < end; n++) {
      var row = data.dilemmas[matches[n]];
      var item = rowTemplate.content.firstElementChild.cloneNode(true);
      var box = item.querySelector("input");
      var label = item.querySelector("label");
      box.id = "sessie-kaart-" + n;
      box.value = row[0];
      box.checked = selection.indexOf(row[0]) >= 0;
      label.htmlFor = box.id;
      item.querySelector(".kompas-sessie__titel").textContent = row[1];
      item.querySelector(".kompas-sessie__blad").textContent = sheetLabel(row);
      fragment.appendChild(item);
    }
    els.lijst.appendChild(fragment);
    shown = end;
    els.meer.hidden = shown >= matches.length;
    var total = matches.length;
    els.aantal.textContent = total === 0 ? "Geen dilemma's gevonden."
      : (total === 1 ? "1 dilemma gevonden." : total + " dilemma's gevonden.")
        + (shown < total ? " De eerste " + shown + " staan hieronder." : "");
    if (root.dataset.klaar !== "lijst") {
      root.dataset.klaar = "lijst";
      if (window.performance && performance.mark) performance.mark("kompas-sessie-lijst");  // bench/sessie.py
    }
  }

  // -- the ordered selection --------------------------------------------------------------
  function renderSelection(focus) {
    els.gekozen.textContent = "";
    selection.forEach(function (id, index) {
      var row = data.dilemmas[byId.get(id)];
      var item = chosenTemplate.content.firstElementChild.cloneNode(true);
      item.dataset.id = id;
      item.querySelector(".kompas-sessie__nummer").textContent = (index + 1) + ".";
      var link = item.querySelector(".kompas-sessie__naam");
      link.textContent = row[1];
      link.href = root.dataset.dilemmas + encodeURIComponent(id) + "/";
      item.querySelectorAll("[data-actie]").forEach(function (button) {
        var verb = {op: "omhoog", neer: "omlaag", weg: "verwijderen"}[button.dataset.actie];
        button.setAttribute("aria-label", "Kaart " + (index + 1) + ", " + row[1] + ": " + verb);
      });
      item.querySelector('[data-actie="op"]').disabled = index === 0;
      item.querySelector('[data-actie="neer"]').disabled = index === selection.length - 1;
      els.gekozen.appendChild(item);
    });
    var n = selection.length;
    els.telling.textContent = n === 0 ? "Nog geen kaarten gekozen." : (n === 1 ? "1 kaart gekozen." : n + " kaarten gekozen.");
    if (focus) {
      var target = els.gekozen.querySelector('[data-id="' + CSS.escape(focus.id) + '"] [data-actie="' + focus.actie + '"]');
      if (!target || target.disabled) target = els.gekozen.querySelector('[data-id="' + CSS.escape(focus.id) + '"] .kompas-sessie__naam');
      if (!target) target = els.gekozen.querySelector("[data-actie]") || els.telling;
      if (target === els.telling) els.telling.tabIndex = -1;
      target.focus();
    }
    save();
    schedulePrint();
  }

  function syncBoxes() {
    els.lijst.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = selection.indexOf(box.value) >= 0;
    });
  }

  function add(ids) {
    ids.forEach(function (id) { if (byId.has(id) && selection.indexOf(id) < 0) selection.push(id); });
    syncBoxes();
    renderSelection();
  }

  function move(id, step) {
    var from = selection.indexOf(id);
    var to = from + step;
    if (from < 0 || to < 0 || to >= selection.length) return;
    selection.splice(from, 1);
    selection.splice(to, 0, id);
  }

  // -- card pieces ------------------------------------------------------------------------
  function piece(id) {
    if (!pieces.has(id)) {
      pieces.set(id, fetch(root.dataset.kaarten + encodeURIComponent(id) + ".json").then(function (response) {
        if (!response.ok) throw new Error(id);
        return response.json();
      }).then(function (stuk) {
        var template = document.createElement("template");
        template.innerHTML = stuk.html;  // our own build output (Jinja, autoescaped), same origin
        return template.content;
      }).catch(function (error) { pieces.delete(id); throw error; }));
    }
    return pieces.get(id);
  }

  function method(id) {
    if (!methods.has(id)) {
      methods.set(id, fetch(root.dataset.methoden + encodeURIComponent(id) + ".json").then(function (response) {
        if (!response.ok) throw new Error(id);
        return response.json();
      }).then(function (stuk) {
        return window.KompasDraaiboek.methode(stuk.html);
      }).catch(function (error) { methods.delete(id); throw error; }));
    }
    return methods.get(id);
  }

  // The time plan chosen for presenting (the list offers only modules whose every step has minutes).
  function chosenMethod() {
    var id = els.tijdschema.value;
    return id ? method(id) : Promise.resolve(null);
  }

  function sheet(format, side) {
    var template = root.querySelector('[data-vel="' + format + "-" + side + '"]');
    return template.content.firstElementChild.cloneNode(true);
  }

  function place(vel, card, index) {
    card.classList.add(vel.dataset.plekken.split(" ")[index]);
    vel.insertBefore(card, vel.querySelector(".snij"));
  }

  // The pieces in deck order on the sheets of a format (fronts, then their backs).
  function sheets(parts, format) {
    var out = document.createDocumentFragment();
    var perSheet = format === "a4" ? 4 : 1;
    for (var start = 0; start < parts.length; start += perSheet) {
      var front = sheet(format, "voorkanten");
      var back = sheet(format, "achterkanten");
      parts.slice(start, start + perSheet).forEach(function (part, i) {
        place(front, part.querySelector(".kaart.voor").cloneNode(true), i);
        place(back, part.querySelector(".kaart.achter").cloneNode(true), i);
      });
      out.appendChild(front);
      out.appendChild(back);
    }
    return out;
  }

  // Build the print view of the current selection: the pieces in deck order on the sheets.
  function buildPrint() {
    var format = formaat();
    var key = format + ":" + selection.join(",");
    if (key === printed && root.dataset.drukstatus === "klaar") return Promise.resolve();
    root.dataset.drukstatus = "bezig";
    var ids = selection.slice();
    return Promise.all(ids.map(piece)).then(function (parts) {
      if (key !== format + ":" + selection.join(",") || format !== formaat()) return;  // changed meanwhile
      var out = sheets(parts, format);
      els.druk.classList.remove("kompas-druk--a4", "kompas-druk--a5");
      els.druk.classList.add("kompas-druk--" + format);
      els.druk.textContent = "";
      els.druk.appendChild(out);
      printed = key;
      if (!ids.length) { root.dataset.drukstatus = "klaar"; return; }  // no cards: no card fonts to load
      var faces = ["400 1em", "italic 400 1em", "700 1em", "900 1em"].map(function (face) {
        return document.fonts.load(face + ' "Kompas Lato"');
      });
      return Promise.all(faces).then(function () {
        if (printed === key) root.dataset.drukstatus = "klaar";
      });
    }).catch(function (error) {
      root.dataset.drukstatus = "fout";
      showMessage("De kaart " + error.message + " kon niet worden geladen. Controleer de verbinding en probeer het opnieuw.");
    });
  }

  var printTimer = 0;
  function schedulePrint() {
    window.clearTimeout(printTimer);
    root.dataset.drukstatus = "bezig";
    printTimer = window.setTimeout(buildPrint, 150);
  }

  function showMessage(text) {
    els.melding.textContent = text;
    els.melding.hidden = false;
  }

  // -- presenter (kompas-presentatie.js) ------------------------------------------------------
  // The slides of the current selection and time plan: [{soort, id | stap, node}] and the steps.
  function slides() {
    var ids = selection.slice();
    return Promise.all([Promise.all(ids.map(piece)), chosenMethod()]).then(function (loaded) {
      var nodes = new Map();
      ids.forEach(function (id, i) { nodes.set(id, loaded[0][i].querySelector(".kompas-dia")); });
      var steps = loaded[1] ? loaded[1].steps : [];
      var order = window.KompasPresentatie.plan(ids, steps).map(function (slide) {
        slide.node = slide.soort === "kaart" ? nodes.get(slide.id) : steps[slide.stap].node;
        return slide;
      });
      return {ids: ids, parts: loaded[0], method: loaded[1], steps: steps, slides: order};
    });
  }

  function present(state) {
    if (!selection.length && !els.tijdschema.value) {
      showMessage("Kies eerst een of meer kaarten of een tijdschema om te presenteren.");
      els.melding.focus();
      return;
    }
    slides().then(function (session) {
      window.KompasPresentatie.open(els.dialoog, {
        slides: session.slides, steps: session.steps, state: state || null, fullscreen: !state,
        onClose: function () { els.presenteren.focus(); }
      });
    }).catch(function (error) {
      showMessage("De kaart of het tijdschema " + error.message + " kon niet worden geladen. Controleer de verbinding en probeer het opnieuw.");
    });
  }

  // -- download (kompas-downloaden.js) ----------------------------------------------------------
  function download() {
    if (!selection.length && !els.tijdschema.value) {
      showMessage("Kies eerst een of meer kaarten of een tijdschema om te downloaden.");
      els.melding.focus();
      return;
    }
    els.downloaden.disabled = true;
    els.downloadstatus.textContent = "Het sessiebestand wordt gemaakt …";
    root.dataset.downloadstatus = "bezig";
    slides().then(function (session) {
      var format = formaat();
      return window.KompasDownloaden.maak({
        root: root, session: session, format: format, sheets: sheets(session.parts, format),
        moduleId: els.tijdschema.value
      });
    }).then(function (name) {
      els.downloadstatus.textContent = "Klaar: je browser bewaart het bestand " + name + ".";
      root.dataset.downloadstatus = "klaar";
    }).catch(function (error) {
      els.downloadstatus.textContent = "";
      root.dataset.downloadstatus = "fout";
      showMessage("Het sessiebestand kon niet worden gemaakt: " + error.message);
    }).then(function () { els.downloaden.disabled = false; });
  }

  // -- wiring -------------------------------------------------------------------------------
  els.filters.addEventListener("input", filter);
  els.filters.addEventListener("submit", function (event) { event.preventDefault(); });
  els.meer.addEventListener("click", function () {
    var first = shown;
    more();
    var box = els.lijst.children[first] && els.lijst.children[first].querySelector("input");
    if (box) box.focus();
  });
  els.lijst.addEventListener("change", function (event) {
    var box = event.target;
    var at = selection.indexOf(box.value);
    if (box.checked && at < 0) selection.push(box.value);
    if (!box.checked && at >= 0) selection.splice(at, 1);
    renderSelection();
  });
  els.gekozen.addEventListener("click", function (event) {
    var button = event.target.closest("[data-actie]");
    if (!button) return;
    var id = button.closest("[data-id]").dataset.id;
    var action = button.dataset.actie;
    if (action === "weg") {
      var at = selection.indexOf(id);
      selection.splice(at, 1);
      syncBoxes();
      var neighbour = selection[Math.min(at, selection.length - 1)];
      renderSelection(neighbour ? {id: neighbour, actie: "weg"} : {id: "", actie: ""});
      return;
    }
    move(id, action === "op" ? -1 : 1);
    renderSelection({id: id, actie: action});
  });
  els.gekozen.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    var item = event.target.closest("[data-id]");
    if (!item) return;
    event.preventDefault();
    var action = event.key === "ArrowUp" ? "op" : "neer";
    move(item.dataset.id, action === "op" ? -1 : 1);
    renderSelection({id: item.dataset.id, actie: action});
  });
  els.wissen.addEventListener("click", function () {
    selection = [];
    syncBoxes();
    renderSelection();
  });
  els.alleBlad.addEventListener("click", function () {
    var sheet = indexOf(data.themabladen, filterValues().themablad);
    add(data.dilemmas.filter(function (row) { return row[2].indexOf(sheet) >= 0; }).map(function (row) { return row[0]; }));
  });
  els.alleModule.addEventListener("click", function () {
    var module = data.modules[indexOf(data.modules, filterValues().module)];
    if (module) add(module[2]);
  });
  root.querySelectorAll('input[name="formaat"]').forEach(function (radio) {
    radio.addEventListener("change", function () { save(); schedulePrint(); });
  });
  els.tijdschema.addEventListener("change", save);
  els.voorbeeld.addEventListener("click", function () {
    var open = els.drukKader.hidden;
    els.drukKader.hidden = !open;
    els.voorbeeld.setAttribute("aria-expanded", String(open));
    if (open) buildPrint();
  });
  els.printen.addEventListener("click", function () {
    if (!selection.length) { showMessage("Kies eerst een of meer kaarten om te printen."); return; }
    window.clearTimeout(printTimer);
    buildPrint().then(function () { window.print(); });
  });
  els.presenteren.addEventListener("click", function () { present(null); });
  els.downloaden.addEventListener("click", download);

  fetch(root.dataset.index).then(function (response) {
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  }).then(function (index) {
    data = index;
    data.dilemmas.forEach(function (row, i) {
      byId.set(row[0], i);
      keys.push(norm(row[1] + " " + row[0]));
    });
    readStart();
    filter();
    renderSelection();
    var state = window.KompasPresentatie.saved();  // a reload while presenting: open at the same place
    if (state) present(state);
  }).catch(function () {
    els.aantal.textContent = "De lijst met dilemma's kon niet worden geladen. Herlaad de pagina.";
  });
})();
