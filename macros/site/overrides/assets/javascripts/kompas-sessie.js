/* Kompas: the session page (sessie/). Compose a team session, print it, present it.
 *
 * The markup of every control, list row and sheet is in the page (macros/templates/sessie.md.j2,
 * <template> elements); the cards themselves are HTML pieces made by the build with the same
 * templates and stylesheet as the PDF decks (sessie/kaarten/<id>.json, macros/session.py).
 * This script only reads the index (sessie/dilemmas.json), filters it, keeps the selection
 * (address and localStorage) and selects, orders and places those pieces.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-kompas-sessie]");
  if (!root) return;

  var PAGE_SIZE = 100;  // rows shown at once; "Toon meer" adds the next ones
  var STORAGE_KEY = "kompas-sessie";
  var SIZES = 5;  // presenter type sizes (kompas-sessie.css: data-grootte 0 … 4)

  var $ = function (selector, scope) { return (scope || root).querySelector(selector); };
  var els = {
    melding: $("[data-melding]"), filters: $("[data-filters]"), aantal: $("[data-aantal]"),
    lijst: $("[data-lijst]"), meer: $("[data-meer]"), telling: $("[data-telling]"),
    gekozen: $("[data-gekozen]"), deellink: $("[data-deellink]"), wissen: $("[data-wissen]"),
    printen: $("[data-printen]"), voorbeeld: $("[data-voorbeeld]"), drukKader: $("[data-druk-kader]"),
    druk: $("[data-druk]"), tijdschema: $("[data-tijdschema]"), presenteren: $("[data-presenteren]"),
    alleBlad: $('[data-alle="themablad"]'), alleModule: $('[data-alle="module"]'),
    dialoog: $("[data-presentatie]")
  };
  var rowTemplate = $('[data-sjabloon="rij"]');
  var chosenTemplate = $('[data-sjabloon="gekozen"]');

  var data = null;       // the index
  var byId = new Map();  // id -> row index
  var keys = [];         // normalised "title id" per row, for the text filter
  var selection = [];    // ids, in session order
  var pieces = new Map();  // id -> Promise of a parsed card piece (DocumentFragment)
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

  function sheet(format, side) {
    var template = root.querySelector('[data-vel="' + format + "-" + side + '"]');
    return template.content.firstElementChild.cloneNode(true);
  }

  function place(vel, card, index) {
    card.classList.add(vel.dataset.plekken.split(" ")[index]);
    vel.insertBefore(card, vel.querySelector(".snij"));
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

  // -- presenter ----------------------------------------------------------------------------
  var show = {index: 0, ids: [], parts: [], hulpvragen: false, kader: false};
  var timer = {steps: [], step: 0, left: 0, paused: false, handle: 0};
  var d = els.dialoog;
  var q = function (selector) { return d.querySelector(selector); };

  function announce(text) {
    var region = q("[data-aankondiging]");
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function fit(slide) {
    var box = slide.querySelector(".kompas-dia__situatie");
    for (var size = 0; size < SIZES; size++) {
      slide.dataset.grootte = String(size);
      if (box.scrollHeight <= box.clientHeight + 1) return;
    }
  }

  function renderSlide(announceIt) {
    var slot = q("[data-dia]");
    var active = document.activeElement;
    var refocus = !active || active === document.body || slot.contains(active) || !d.contains(active);
    slot.textContent = "";
    var slide = show.parts[show.index].querySelector(".kompas-dia").cloneNode(true);
    slide.querySelector(".kompas-dia__hulpvragen").hidden = !show.hulpvragen;
    slide.querySelector(".kompas-dia__kader").hidden = !show.kader;
    slot.appendChild(slide);
    fit(slide);
    if (refocus && d.open) slide.querySelector(".kompas-dia__situatie").focus({preventScroll: true});
    q('[data-toon="hulpvragen"]').setAttribute("aria-pressed", String(show.hulpvragen));
    q('[data-toon="kader"]').setAttribute("aria-pressed", String(show.kader));
    q("[data-vorige]").disabled = show.index === 0;
    q("[data-volgende]").disabled = show.index === show.ids.length - 1;
    var position = "Kaart " + (show.index + 1) + " van " + show.ids.length;
    q("[data-positie]").textContent = position;
    if (announceIt) announce(position + ": " + slide.querySelector(".kompas-dia__titel").textContent);
  }

  function go(step) {
    var next = show.index + step;
    if (next < 0 || next >= show.ids.length) return;
    show.index = next;
    show.hulpvragen = false;
    show.kader = false;
    renderSlide(true);
  }

  function toggle(what) {
    show[what] = !show[what];
    renderSlide(false);
    announce((what === "hulpvragen" ? "Hulpvragen " : "Kader ") + (show[what] ? "getoond" : "verborgen"));
  }

  function clock(seconds) {
    var s = Math.max(0, seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function renderTimer() {
    var step = timer.steps[timer.step];
    var next = timer.steps[timer.step + 1];
    q("[data-stap-nummer]").textContent = (timer.step + 1) + " van " + timer.steps.length;
    q("[data-stap]").textContent = step[0];
    q("[data-stap-minuten]").textContent = String(step[1]);
    q("[data-klok]").textContent = timer.left > 0 ? clock(timer.left) : "0:00, de tijd is om";
    q("[data-volgende-stap]").textContent = next ? next[0] + " (" + next[1] + " min)" : "einde van de sessie";
    q("[data-gepauzeerd]").hidden = !timer.paused;
    q("[data-pauze]").textContent = timer.paused ? "Verder" : "Pauze";
    q("[data-overslaan]").disabled = !next;
  }

  function tick() {
    if (timer.paused || timer.left <= 0) return;
    timer.left -= 1;
    renderTimer();
    if (timer.left === 0) announce("De tijd voor " + timer.steps[timer.step][0] + " is om.");
  }

  function skip() {
    if (timer.step + 1 >= timer.steps.length) return;
    timer.step += 1;
    timer.left = timer.steps[timer.step][1] * 60;
    renderTimer();
    announce("Stap " + (timer.step + 1) + ": " + timer.steps[timer.step][0] + ", " + timer.steps[timer.step][1] + " minuten.");
  }

  function pause() {
    timer.paused = !timer.paused;
    renderTimer();
    announce(timer.paused ? "Tijd gepauzeerd." : "Tijd loopt weer.");
  }

  function present() {
    if (!selection.length) {
      showMessage("Kies eerst een of meer kaarten om te presenteren.");
      els.melding.focus();
      return;
    }
    show.ids = selection.slice();
    Promise.all(show.ids.map(piece)).then(function (parts) {
      show.parts = parts;
      show.index = 0;
      show.hulpvragen = show.kader = false;
      var module = els.tijdschema.value ? data.modules[indexOf(data.modules, els.tijdschema.value)] : null;
      timer.steps = module ? module[3] : [];
      q("[data-tijd]").hidden = !timer.steps.length;
      if (timer.steps.length) {
        timer.step = 0;
        timer.left = timer.steps[0][1] * 60;
        timer.paused = false;
        renderTimer();
        timer.handle = window.setInterval(tick, 1000);
      }
      d.showModal();
      if (d.requestFullscreen) d.requestFullscreen().catch(function () { /* not allowed: the dialog fills the window */ });
      renderSlide(true);
    }).catch(function (error) {
      showMessage("De kaart " + error.message + " kon niet worden geladen. Controleer de verbinding en probeer het opnieuw.");
    });
  }

  function leave() {
    window.clearInterval(timer.handle);
    if (document.fullscreenElement) document.exitFullscreen().catch(function () {});
    if (d.open) d.close();
  }

  // In full screen the browser keeps Esc for itself (it leaves full screen): leave the presentation with it.
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && d.open) leave();
  });

  d.addEventListener("close", function () {
    window.clearInterval(timer.handle);
    if (document.fullscreenElement) document.exitFullscreen().catch(function () {});
    els.presenteren.focus();
  });

  d.addEventListener("keydown", function (event) {
    // the theme's own shortcuts (n, p, s, /, …) must not fire behind the presentation
    event.stopPropagation();
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var onControl = event.target.closest("button, select, input, a");
    var key = event.key;
    if (key === "ArrowRight" || (key === " " && !onControl)) { go(1); event.preventDefault(); }
    else if (key === "ArrowLeft") { go(-1); event.preventDefault(); }
    else if (key === "h" || key === "H") { toggle("hulpvragen"); event.preventDefault(); }
    else if (key === "k" || key === "K") { toggle("kader"); event.preventDefault(); }
    else if ((key === "p" || key === "P") && timer.steps.length) { pause(); event.preventDefault(); }
    else if ((key === "s" || key === "S") && timer.steps.length) { skip(); event.preventDefault(); }
  });

  d.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-sluiten")) leave();
    else if (button.hasAttribute("data-vorige")) go(-1);
    else if (button.hasAttribute("data-volgende")) go(1);
    else if (button.dataset.toon) toggle(button.dataset.toon);
    else if (button.hasAttribute("data-pauze")) pause();
    else if (button.hasAttribute("data-overslaan")) skip();
  });

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
  els.presenteren.addEventListener("click", present);

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
  }).catch(function () {
    els.aantal.textContent = "De lijst met dilemma's kon niet worden geladen. Herlaad de pagina.";
  });
})();
