/* Kompas search: Pagefind in Material's search dialog.
 *
 * Nothing is loaded until someone starts searching; then pagefind/pagefind.js loads the
 * index entry and, per query, only the index chunks and result fragments it needs.
 * Each result shows its kind ("soort": Themablad, Dilemma, Uitspraak, Module, Onderwerp, Pagina). */
(function () {
  "use strict";

  var dialog = document.querySelector("[data-kompas-zoeken]");
  if (!dialog) return;
  var input = dialog.querySelector("[data-kompas-zoekvraag]");
  var form = input.form;
  var status = dialog.querySelector("[data-kompas-zoekstatus]");
  var list = dialog.querySelector("[data-kompas-zoekresultaten]");
  var toggle = document.getElementById("__search");
  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(config.base.replace(/\/*$/, "/"), window.location.href);
  var START = status.textContent;
  var SHOWN = 10;
  /* A whole ECLI (European Case Law Identifier): country, court, year, ordinal. */
  var ECLI = /^ECLI:[A-Z]{2}:[A-Z0-9]{1,7}:[0-9]{4}:[A-Z0-9.]{1,25}$/i;
  var ECLI_LOOKAHEAD = 50;
  var engine = null;
  var latest = 0;

  /* The index is in parts (pagefind/kompas-delen.json lists them beside the primary one in
   * pagefind/): a build indexes again only the parts whose pages changed. Every part is merged
   * before the first search; Pagefind ranks the results of all parts together. */
  var OPTIONS = {
    baseUrl: base.pathname,
    excerptLength: 24,
    /* Less penalty for long pages: a theme sheet is long and is usually the best answer. */
    ranking: { pageLength: 0.2 }
  };

  function parts() {
    return fetch(new URL("pagefind/kompas-delen.json", base).href).then(function (response) {
      if (!response.ok) return [];
      return response.json().then(function (manifest) { return manifest.delen || []; });
    }).catch(function () { return []; });
  }

  function load() {
    if (engine === null) {
      var index = new URL("pagefind/", base);
      engine = Promise.all([import(new URL("pagefind.js", index).href), parts()]).then(function (loaded) {
        var pagefind = loaded[0];
        return pagefind.options(OPTIONS).then(function () {
          pagefind.init();
          return Promise.all(loaded[1].map(function (part) {
            return pagefind.mergeIndex(new URL(part, index).href, OPTIONS);
          }));
        }).then(function () {
          return pagefind;
        });
      });
    }
    return engine;
  }

  /* The query goes to Pagefind as typed: it indexes an ECLI ("ECLI:NL:CRVB:2014:3729")
   * both as one word and in its parts, so the whole ECLI and its ordinal ("3729") both
   * find the ruling (whose ECLI is weighted up in the ruling template). */
  function normalise(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  /* A whole ECLI is looked up as an exact phrase: typed plainly, its parts also match every
   * ruling of the same court and year, and its ordinal matches longer ones as a prefix
   * ("...:2026:1" finds 10, 11, 100 ...), so the ruling itself could be missing from the
   * first results. The ruling (its ECLI is page metadata) is then put first; the pages that
   * cite it follow. While the ECLI is still being typed (no exact match yet) the plain search
   * answers. */
  function searchFor(pagefind, query, ecli) {
    if (!ecli) return pagefind.debouncedSearch(query, {}, 120);
    return pagefind.debouncedSearch('"' + query + '"', {}, 120).then(function (exact) {
      if (exact === null || exact.results.length > 0) return exact;
      return pagefind.search(query);
    });
  }

  function rulingFirst(data, query) {
    var ecli = query.toUpperCase();
    var own = data.filter(function (d) { return d.meta && (d.meta.ecli || "").toUpperCase() === ecli; });
    return own.concat(data.filter(function (d) { return own.indexOf(d) < 0; }));
  }

  /* The excerpt is text with <mark> around hits: copy only text and <mark>. */
  function excerpt(html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body.firstChild;
    var out = document.createElement("p");
    out.className = "kompas-zoek-uittreksel";
    parsed.childNodes.forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE) {
        out.appendChild(document.createTextNode(node.textContent));
      } else if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = data.url;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var soort = (data.meta && data.meta.soort) || "Pagina";
    article.setAttribute("data-kompas-soort", soort);
    var label = document.createElement("span");
    label.className = "kompas-zoek-soort";
    label.textContent = soort;
    var title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url;
    article.appendChild(label);
    article.appendChild(title);
    article.appendChild(excerpt(data.excerpt || ""));
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  function show(total, results) {
    list.replaceChildren.apply(list, results.map(item));
    if (total === 0) status.textContent = "Niets gevonden. Probeer een ander woord.";
    else if (total === 1) status.textContent = "1 resultaat";
    else if (total > results.length) status.textContent = total + " resultaten, de eerste " + results.length + " staan hier";
    else status.textContent = total + " resultaten";
  }

  function run() {
    var query = normalise(input.value);
    var mine = ++latest;
    if (!query) {
      status.textContent = START;
      list.replaceChildren();
      return;
    }
    status.textContent = "Zoeken…";
    var ecli = ECLI.test(query);
    load().then(function (pagefind) {
      return searchFor(pagefind, query, ecli);
    }).then(function (search) {
      if (search === null || mine !== latest) return null;
      var wanted = search.results.slice(0, ecli ? ECLI_LOOKAHEAD : SHOWN);
      return Promise.all(wanted.map(function (r) { return r.data(); }))
        .then(function (data) {
          if (ecli) data = rulingFirst(data, query).slice(0, SHOWN);
          if (mine === latest) show(search.results.length, data);
        });
    }).catch(function (error) {
      status.textContent = "Zoeken lukt nu niet (" + error + ").";
    });
  }

  function open() {
    if (!toggle.checked) toggle.checked = true;
    load();
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", run);
  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      input.focus();
    } else {
      input.blur();
    }
  });
  form.addEventListener("reset", function () {
    window.setTimeout(run, 0);
    input.focus();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) {
      toggle.checked = false;
      input.blur();
    } else if ((event.key === "/" || event.key === "s") && !toggle.checked &&
               !(event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement)) {
      event.preventDefault();
      open();
      input.focus();
    }
  });
})();
