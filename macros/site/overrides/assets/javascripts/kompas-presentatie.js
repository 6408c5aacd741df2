/* Kompas: the presenter view of a team session (issue 28). One slide at a time: the cards and,
 * with a time plan, every step of the plan. Shared by the session page (sessie/) and the
 * downloaded session file, which has this file inline: it fetches nothing and refers to nothing
 * outside the page. The slides are sections the build made (card pieces, sessie/kaarten/<id>.json;
 * the steps of a method, sessie/methoden/<id>.json; macros/render/session.py); the dialog's markup
 * is macros/render/templates/sessie/presentatie.html.j2.
 *
 * - KompasPresentatie.plan(ids, steps): the order of the slides (the rule is in the page's help).
 * - KompasPresentatie.open(dialog, {slides, steps, state, fullscreen, onClose}): present.
 * - KompasPresentatie.saved(): the place kept in the address (#presentatie=…), or null.
 *
 * The place (slide, part, shown extras, step, time left, paused) is kept in the address after
 * the #, so a reload, or the browser loading the page again after sleep, opens the same slide.
 * The step's time stands still while the page is hidden, and the time bar says so afterwards.
 * A slide that does not fit gets smaller type (down to the readable minimum), then two columns,
 * then continues on a next part: never a scroll bar.
 */
(function () {
  "use strict";

  var LEVELS = 5;  // type sizes, largest first (kompas-sessie.css: data-grootte 0 … 4); 4 is the readable minimum
  var KEY = "presentatie";  // #presentatie=<slide>&deel=…&h=1&k=1&stap=…&tijd=…&pauze=1

  // -- the order of the slides --------------------------------------------------------------
  // steps: [{titel, minuten, dilemmas: [ids the step names]}]. Without steps: the cards in the
  // chosen order. With steps: each step, and after it its cards in the chosen order: a card the
  // method names at a step goes after the first step naming it; every other card goes after the
  // first step that names any dilemma, or after the first (opening) step when none does.
  function plan(ids, steps) {
    if (!steps.length) return ids.map(function (id) { return {soort: "kaart", id: id, stap: -1}; });
    var home = new Map();
    var first = -1;
    steps.forEach(function (step, i) {
      if (step.dilemmas.length && first < 0) first = i;
      step.dilemmas.forEach(function (id) { if (!home.has(id) && ids.indexOf(id) >= 0) home.set(id, i); });
    });
    var free = first >= 0 ? first : 0;
    var slides = [];
    steps.forEach(function (step, i) {
      slides.push({soort: "stap", stap: i});
      ids.forEach(function (id) {
        if ((home.has(id) ? home.get(id) : free) === i) slides.push({soort: "kaart", id: id, stap: i});
      });
    });
    return slides;
  }

  function saved() {
    if (location.hash.indexOf("#" + KEY + "=") !== 0) return null;
    var params = new URLSearchParams(location.hash.slice(1));
    var number = function (name) { var n = parseInt(params.get(name), 10); return isNaN(n) ? null : n; };
    return {dia: number(KEY), deel: number("deel"), h: params.get("h") === "1", k: params.get("k") === "1",
            stap: number("stap"), tijd: number("tijd"), pauze: params.get("pauze") === "1"};
  }

  function clamp(n, low, high) { return Math.max(low, Math.min(high, n)); }

  // -- one presenter per dialog ---------------------------------------------------------------
  var instances = new WeakMap();

  function open(dialog, config) {
    if (!instances.has(dialog)) instances.set(dialog, presenter(dialog));
    instances.get(dialog).open(config);
  }

  function presenter(d) {
    var q = function (selector) { return d.querySelector(selector); };
    var slot = q("[data-dia]");
    var show = {slides: [], index: 0, part: 0, parts: [], hulpvragen: false, kader: false, onClose: null};
    var timer = {steps: [], step: 0, left: 0, paused: false, stood: false, handle: 0};
    var cardCount = 0;
    var refit = 0;
    var laidOut = "";  // the size of the slide's box the current slide was laid out for

    function announce(text) {
      var region = q("[data-aankondiging]");
      region.textContent = "";
      window.setTimeout(function () { region.textContent = text; }, 50);
    }

    // -- fitting a slide ----------------------------------------------------------------------
    // The parts a slide's text may be split into: the paragraphs of its text boxes and the items
    // of their lists (data-blokken, made by the build), in order.
    function number(base) {
      var n = 0;
      base.querySelectorAll("[data-blokken]").forEach(function (box) {
        if (box.closest("[hidden]")) return;
        Array.prototype.forEach.call(box.children, function (child) {
          if (child.tagName === "OL" || child.tagName === "UL") {
            Array.prototype.forEach.call(child.children, function (item, i) {
              item.dataset.blok = String(n++);
              item.dataset.nummer = String(i + 1);
            });
          } else if (child.tagName !== "H3") {
            child.dataset.blok = String(n++);
          }
        });
      });
      return n;
    }

    function view(base, part, count) {
      var slide = base.cloneNode(true);
      slide.dataset.kolommen = String(part.kolommen);
      slide.dataset.grootte = String(part.grootte);
      if (part.from > 0 || part.to < count) {
        slide.querySelectorAll("[data-blok]").forEach(function (block) {
          var n = Number(block.dataset.blok);
          if (n < part.from || n >= part.to) block.remove();
        });
        slide.querySelectorAll("[data-blokken] ol, [data-blokken] ul").forEach(function (list) {
          if (!list.children.length) list.remove();
          else if (list.tagName === "OL") list.start = Number(list.firstElementChild.dataset.nummer);
        });
        slide.querySelectorAll(".kompas-dia__extra[data-blokken]").forEach(function (box) {
          if (!box.querySelector("[data-blok]")) box.hidden = true;
        });
      }
      return slide;
    }

    function fits(slide) {
      slot.textContent = "";
      slot.appendChild(slide);
      return slide.offsetHeight <= slot.clientHeight + 1 && slide.scrollWidth <= slide.clientWidth + 1;
    }

    // A paragraph longer than a whole slide at the smallest type is split into its sentences.
    function splitLong(base, count) {
      var split = false;
      base.querySelectorAll("p[data-blok]").forEach(function (paragraph) {
        var part = {from: Number(paragraph.dataset.blok), to: Number(paragraph.dataset.blok) + 1,
                    kolommen: 1, grootte: LEVELS - 1};
        if (fits(view(base, part, count))) return;
        var sentences = paragraph.textContent.match(/[^.!?]+[.!?]+["'’”)]*\s*|[^.!?]+$/g) || [];
        if (sentences.length < 2) return;
        var strong = paragraph.children.length === 1 && paragraph.firstElementChild.tagName === "STRONG";
        sentences.forEach(function (sentence) {
          var piece = paragraph.cloneNode(false);
          var holder = strong ? piece.appendChild(document.createElement("strong")) : piece;
          holder.textContent = sentence.trim();
          paragraph.parentNode.insertBefore(piece, paragraph);
        });
        paragraph.remove();
        split = true;
      });
      return split;
    }

    function layout(base) {
      var count = number(base);
      var whole = function (kolommen, grootte) { return {from: 0, to: count, kolommen: kolommen, grootte: grootte}; };
      // the largest type that fits; at the same size one column before two
      var columns = base.querySelector(".kompas-dia__extra:not([hidden])") ? [1, 2] : [1];
      for (var level = 0; level < LEVELS; level++) {
        for (var c = 0; c < columns.length; c++) {
          if (fits(view(base, whole(columns[c], level), count))) return [whole(columns[c], level)];
        }
      }
      if (count > 1 && splitLong(base, count)) {
        base.querySelectorAll("[data-blok]").forEach(function (block) { delete block.dataset.blok; });
        count = number(base);
      }
      var parts = [];
      var from = 0;
      while (from < count) {
        var to = from + 1;
        while (to < count && fits(view(base, {from: from, to: to + 1, kolommen: 1, grootte: LEVELS - 1}, count))) to++;
        parts.push({from: from, to: to, kolommen: 1, grootte: LEVELS - 1});
        from = to;
      }
      return parts.length ? parts : [whole(1, LEVELS - 1)];
    }

    // -- showing a slide ----------------------------------------------------------------------
    function current() { return show.slides[show.index]; }

    function render(announceIt, focusSlide) {
      laidOut = slot.clientWidth + "x" + slot.clientHeight;
      var active = document.activeElement;
      var refocus = focusSlide || !active || active === document.body || slot.contains(active) || !d.contains(active);
      var slide = current();
      var base = slide.node.cloneNode(true);
      var card = slide.soort === "kaart";
      var help = base.querySelector(".kompas-dia__hulpvragen");
      var frame = base.querySelector(".kompas-dia__kader");
      if (help) help.hidden = !show.hulpvragen;
      if (frame) frame.hidden = !show.kader;
      show.base = base;
      show.parts = layout(base);
      show.part = clamp(show.part, 0, show.parts.length - 1);
      var count = base.querySelectorAll("[data-blok]").length;
      var part = show.parts[show.part];
      var shown = view(base, part, count);
      if (show.parts.length > 1) shown.dataset.deel = (show.part + 1) + " van " + show.parts.length;
      fits(shown);
      slot.dataset.kolommen = String(part.kolommen);
      if (refocus && d.open) shown.focus({preventScroll: true});
      var toggles = {hulpvragen: help, kader: frame};
      Object.keys(toggles).forEach(function (what) {
        var button = q('[data-toon="' + what + '"]');
        button.disabled = !card || !toggles[what];
        button.setAttribute("aria-pressed", String(card && show[what]));
      });
      q("[data-vorige]").disabled = show.index === 0 && show.part === 0;
      q("[data-volgende]").disabled = show.index === show.slides.length - 1 && show.part === show.parts.length - 1;
      var title = base.querySelector(".kompas-dia__titel").textContent;
      var position;
      if (card) {
        var n = 0;
        for (var i = 0; i <= show.index; i++) if (show.slides[i].soort === "kaart") n++;
        position = "Kaart " + n + " van " + cardCount;
      } else {
        position = base.querySelector(".kompas-dia__soort").textContent;  // "Stap 2 van 8" or "Onderdeel 2 van 7"
      }
      if (show.parts.length > 1) position += ", deel " + (show.part + 1) + " van " + show.parts.length;
      q("[data-positie]").textContent = position;
      if (announceIt) announce(position + ": " + title);
      save();
    }

    function go(step) {
      var lastPart = show.part === show.parts.length - 1;
      if (step > 0 && !lastPart) { show.part += 1; render(true); return; }
      if (step < 0 && show.part > 0) { show.part -= 1; render(true); return; }
      var next = show.index + step;
      if (next < 0 || next >= show.slides.length) return;
      show.index = next;
      show.part = 0;
      show.hulpvragen = false;
      show.kader = false;
      follow();
      render(true);
    }

    function toggle(what) {
      if (current().soort !== "kaart" || q('[data-toon="' + what + '"]').disabled) return;
      show[what] = !show[what];
      show.part = 0;
      render(false);
      announce((what === "hulpvragen" ? "Hulpvragen " : "Kader ") + (show[what] ? "getoond" : "verborgen"));
    }

    // -- the time plan ----------------------------------------------------------------------
    function clock(seconds) {
      var s = Math.max(0, seconds);
      return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    }

    function renderTimer() {
      if (!timer.steps.length) return;
      var step = timer.steps[timer.step];
      var next = timer.steps[timer.step + 1];
      q("[data-stap-nummer]").textContent = (timer.step + 1) + " van " + timer.steps.length;
      q("[data-stap]").textContent = step.titel;
      q("[data-stap-minuten]").textContent = String(step.minuten);
      q("[data-klok]").textContent = timer.left > 0 ? clock(timer.left) : "0:00, de tijd is om";
      q("[data-volgende-stap]").textContent = next ? next.titel + " (" + next.minuten + " min)" : "einde van de sessie";
      q("[data-gepauzeerd]").hidden = !timer.paused;
      q("[data-stilstand]").hidden = !timer.stood;
      q("[data-pauze]").textContent = timer.paused ? "Verder" : "Pauze";
      q("[data-overslaan]").disabled = !next;
    }

    function startStep(index) {
      timer.step = index;
      timer.left = timer.steps[index].minuten * 60;
      timer.stood = false;
      renderTimer();
    }

    // Arriving at a later step (its slide or one of its cards) starts that step's time; going back does not.
    function follow() {
      var slide = current();
      if (timer.steps.length && slide.stap > timer.step) {
        startStep(slide.stap);
        announce("Stap " + (slide.stap + 1) + ": " + timer.steps[slide.stap].titel + ", " + timer.steps[slide.stap].minuten + " minuten.");
      }
    }

    function tick() {
      if (!timer.steps.length || timer.paused || document.hidden || timer.left <= 0) return;
      timer.left -= 1;
      renderTimer();
      save();
      if (timer.left === 0) announce("De tijd voor " + timer.steps[timer.step].titel + " is om.");
    }

    function skip() {
      if (!timer.steps.length || timer.step + 1 >= timer.steps.length) return;
      var target = timer.step + 1;
      for (var i = 0; i < show.slides.length; i++) {
        if (show.slides[i].soort === "stap" && show.slides[i].stap === target) {
          show.index = i;
          show.part = 0;
          show.hulpvragen = show.kader = false;
          break;
        }
      }
      startStep(target);
      render(false);
      announce("Stap " + (target + 1) + ": " + timer.steps[target].titel + ", " + timer.steps[target].minuten + " minuten.");
    }

    function pause() {
      if (!timer.steps.length) return;
      timer.paused = !timer.paused;
      renderTimer();
      save();
      announce(timer.paused ? "Tijd gepauzeerd." : "Tijd loopt weer.");
    }

    // -- the place in the address -------------------------------------------------------------
    function save() {
      if (!d.open) return;
      var params = new URLSearchParams();
      params.set(KEY, String(show.index + 1));
      if (show.part) params.set("deel", String(show.part + 1));
      if (show.hulpvragen) params.set("h", "1");
      if (show.kader) params.set("k", "1");
      if (timer.steps.length) {
        params.set("stap", String(timer.step + 1));
        params.set("tijd", String(timer.left));
        if (timer.paused) params.set("pauze", "1");
      }
      try {
        history.replaceState(history.state, "", location.pathname + location.search + "#" + params.toString());
      } catch (e) { /* a browser that refuses: the presentation still works, a reload starts at the first slide */ }
    }

    function forget() {
      if (location.hash.indexOf("#" + KEY + "=") !== 0) return;
      try { history.replaceState(history.state, "", location.pathname + location.search); } catch (e) { /* see save */ }
    }

    // -- full screen --------------------------------------------------------------------------
    // The whole page goes full screen (a browser refuses it for a dialog); the modal dialog fills it.
    function fullscreenButton() {
      var button = q("[data-volledig]");
      var hide = !document.fullscreenEnabled || !!document.fullscreenElement || !d.open;
      if (hide && document.activeElement === button && slot.firstElementChild) slot.firstElementChild.focus({preventScroll: true});
      button.hidden = hide;
    }

    function fullscreen() {
      if (!document.fullscreenEnabled || document.fullscreenElement) return;
      document.documentElement.requestFullscreen().catch(function () { /* not allowed without a click: the button stays */ })
        .then(fullscreenButton);
    }

    // -- open and close -----------------------------------------------------------------------
    function openWith(config) {
      var state = config.state || {};
      show.slides = config.slides;
      show.onClose = config.onClose || null;
      cardCount = show.slides.filter(function (s) { return s.soort === "kaart"; }).length;
      show.index = clamp((state.dia || 1) - 1, 0, show.slides.length - 1);
      show.part = Math.max(0, (state.deel || 1) - 1);
      show.hulpvragen = !!state.h;
      show.kader = !!state.k;
      timer.steps = config.steps || [];
      window.clearInterval(timer.handle);
      q("[data-tijd]").hidden = !timer.steps.length;
      q("[data-toetsen-tijd]").hidden = !timer.steps.length;
      if (timer.steps.length) {
        var slideStep = Math.max(0, show.slides[show.index].stap);
        timer.step = clamp(state.stap ? state.stap - 1 : slideStep, 0, timer.steps.length - 1);
        timer.left = state.tijd !== null && state.tijd !== undefined ? Math.max(0, state.tijd) : timer.steps[timer.step].minuten * 60;
        timer.paused = !!state.pauze;
        timer.stood = false;
        renderTimer();
        timer.handle = window.setInterval(tick, 1000);
      }
      if (!d.open) d.showModal();
      if (config.fullscreen) fullscreen();
      fullscreenButton();
      render(true, true);
    }

    function leave() {
      if (d.open) d.close();
    }

    document.addEventListener("fullscreenchange", fullscreenButton);
    document.addEventListener("visibilitychange", function () {
      if (!d.open || !timer.steps.length) return;
      if (document.hidden && !timer.paused && timer.left > 0) {
        timer.stood = true;  // shown when the page is visible again
      } else if (!document.hidden && timer.stood) {
        renderTimer();
        announce("De tijd stond stil terwijl de presentatie niet zichtbaar was.");
      }
    });
    // Lay the slide out again when its box changes: another window size, or a time bar that wraps
    // onto more lines (the notice after a hidden page, "de tijd is om"). The box does not depend on
    // the slide in it (it fills what the bars leave), so this cannot loop.
    new ResizeObserver(function () {
      var size = slot.clientWidth + "x" + slot.clientHeight;
      if (!d.open || !show.slides.length || size === laidOut) return;
      laidOut = size;
      window.cancelAnimationFrame(refit);
      refit = window.requestAnimationFrame(function () { if (d.open) render(false); });
    }).observe(slot);

    d.addEventListener("close", function () {
      window.clearInterval(timer.handle);
      if (document.fullscreenElement) document.exitFullscreen().catch(function () {});
      slot.textContent = "";
      forget();
      if (show.onClose) show.onClose();
    });

    d.addEventListener("keydown", function (event) {
      // the host page's own shortcuts (the theme's n, p, s, /, …) must not fire behind the presentation
      event.stopPropagation();
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var onControl = event.target.closest("button, select, input, a");
      var key = event.key;
      var handled = true;
      if (key === "ArrowRight" || key === "PageDown" || (key === " " && !onControl)) go(1);
      else if (key === "ArrowLeft" || key === "PageUp") go(-1);
      else if (key === "h" || key === "H") toggle("hulpvragen");
      else if (key === "k" || key === "K") toggle("kader");
      else if (key === "f" || key === "F") fullscreen();
      else if ((key === "p" || key === "P") && timer.steps.length) pause();
      else if ((key === "s" || key === "S") && timer.steps.length) skip();
      else handled = false;
      if (handled) event.preventDefault();
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
      else if (button.hasAttribute("data-volledig")) fullscreen();
    });

    return {open: openWith};
  }

  window.KompasPresentatie = {plan: plan, open: open, saved: saved, LEVELS: LEVELS};
})();
