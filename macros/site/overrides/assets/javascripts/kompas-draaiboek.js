/* Kompas: the draaiboek of any team session (issue 28): the cards and the time plan a trainer
 * chose on the session page, as a document to print (its own print stylesheet:
 * assets/stylesheets/kompas-draaiboek.css; the browser's "Opslaan als PDF" gives the PDF).
 *
 * - KompasDraaiboek.render(templates, model): the draaiboek as an element, made from the
 *   templates of macros/render/templates/sessie/draaiboek.html.j2. Used by the draaiboek page
 *   (sessie/draaiboek/) and by "Sessie downloaden", which puts it in the saved file.
 * - KompasDraaiboek.methode(html): the steps of a method from sessie/methoden/<id>.json.
 * On the draaiboek page this script also reads the selection from the address and fills the page.
 */
(function () {
  "use strict";

  function minutes(value) {
    var hours = Math.floor(value / 60);
    var rest = value % 60;
    if (!hours) return rest + " min";
    return rest ? hours + " uur " + rest + " min" : hours + " uur";
  }

  function clock(value) {
    return Math.floor(value / 60) + ":" + String(value % 60).padStart(2, "0");
  }

  function cards(n) {
    return n === 0 ? "geen" : n === 1 ? "1 kaart" : n + " kaarten";
  }

  // The steps of a method (the HTML fragment of sessie/methoden/<id>.json, our own build output).
  function methode(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var root = template.content.firstElementChild;
    var steps = Array.prototype.map.call(root.querySelectorAll(".kompas-dia--stap"), function (node) {
      return {titel: node.querySelector(".kompas-dia__titel").textContent, minuten: Number(node.dataset.duur),
              start: Number(node.dataset.start), dilemmas: node.dataset.dilemmas.split(" ").filter(Boolean), node: node};
    });
    return {id: root.dataset.id, titel: root.dataset.titel, start: Number(root.dataset.start), steps: steps};
  }

  // model: {ids: [card ids in the chosen order], slides: {id -> the card's slide section (.kompas-dia)},
  //         method: null or methode(...), plan: KompasPresentatie.plan(ids, method steps)}
  function render(templates, model) {
    var make = function (name) {
      return templates.querySelector('template[data-sjabloon="' + name + '"]').content.firstElementChild.cloneNode(true);
    };
    var article = make("draaiboek");
    var field = function (name) { return article.querySelector('[data-db="' + name + '"]'); };
    var method = model.method;
    var titleOf = function (id) { return model.slides[id].querySelector(".kompas-dia__titel").textContent; };
    field("titel").textContent = "Draaiboek: " + (method ? method.titel : "eigen sessie");
    field("aantal").textContent = cards(model.ids.length);
    field("schema").textContent = method ? method.titel : "geen: de kaarten in de gekozen volgorde";
    field("duur").textContent = method
      ? minutes(method.steps.reduce(function (sum, step) { return sum + step.minuten; }, 0)) : "naar eigen inzicht";
    if (method) {
      var perStep = method.steps.map(function () { return []; });
      model.plan.forEach(function (slide) { if (slide.soort === "kaart") perStep[slide.stap].push(slide.id); });
      method.steps.forEach(function (step, i) {
        var row = make("draaiboek-rij");
        var cells = row.children;
        cells[0].textContent = clock(step.start);
        cells[1].textContent = minutes(step.minuten);
        cells[2].textContent = (i + 1) + ". " + step.titel;
        cells[3].textContent = perStep[i].map(titleOf).join(" · ");
        field("agenda").appendChild(row);
        var section = make("draaiboek-stap");
        section.querySelector("h4").textContent = clock(step.start) + " (" + minutes(step.minuten) + ") · " + (i + 1) + ". " + step.titel;
        var text = section.querySelector(".kompas-draaiboek__tekst");
        Array.prototype.forEach.call(step.node.querySelector(".kompas-dia__situatie").children, function (child) {
          text.appendChild(child.cloneNode(true));
        });
        var note = section.querySelector(".kompas-draaiboek__aanwijzing");
        var source = step.node.querySelector(".kompas-dia__aanwijzing");
        if (source) {
          Array.prototype.forEach.call(source.children, function (child) {
            if (child.tagName !== "H3") note.appendChild(child.cloneNode(true));
          });
        } else {
          note.remove();
        }
        var list = section.querySelector(".kompas-draaiboek__stapkaarten");
        if (perStep[i].length) list.querySelector("span").textContent = perStep[i].map(titleOf).join(" · ");
        else list.remove();
        field("stappen").appendChild(section);
      });
      field("kloktijden").textContent = "Kloktijden bij een start om " + clock(method.start) + "; schuif ze op als je later begint.";
    } else {
      field("programma").remove();
      field("stappen-deel").remove();
    }
    model.ids.forEach(function (id) {
      var slide = model.slides[id];
      var item = make("draaiboek-kaart");
      item.querySelector(".kompas-draaiboek__kaarttitel").textContent = titleOf(id);
      item.querySelector(".kompas-draaiboek__id").textContent = "(kaart " + id + ")";
      item.querySelector(".kompas-draaiboek__blad").textContent = slide.querySelector(".kompas-dia__blad").textContent;
      var context = slide.querySelector(".kompas-dia__context");
      var question = slide.querySelector(".kompas-dia__vraag");
      if (context) item.querySelector(".kompas-draaiboek__situatie").textContent = context.textContent;
      else item.querySelector(".kompas-draaiboek__situatie").remove();
      if (question) item.querySelector(".kompas-draaiboek__vraag").textContent = question.textContent;
      else item.querySelector(".kompas-draaiboek__vraag").remove();
      var questions = item.querySelector(".kompas-draaiboek__hulpvragen");
      slide.querySelectorAll(".kompas-dia__hulpvragen li").forEach(function (li) {
        var copy = document.createElement("li");
        copy.textContent = li.textContent;
        questions.appendChild(copy);
      });
      field("kaarten").appendChild(item);
    });
    if (!model.ids.length) {
      field("kaarten").remove();
      field("geen-kaarten").hidden = false;
    }
    field("materiaal").textContent = model.ids.length
      ? "De " + cards(model.ids.length) + " van deze sessie, een set per deelnemer of een set voor de groep. "
        + "Print ze met Printen op de pagina Sessie samenstellen, of met Kaarten printen in het sessiebestand."
      : "Voor deze sessie hoef je geen kaarten te printen.";
    return article;
  }

  window.KompasDraaiboek = {render: render, methode: methode};

  // -- the draaiboek page ---------------------------------------------------------------------
  var page = document.querySelector("[data-kompas-draaiboek]");
  if (!page) return;
  var status = page.querySelector("[data-melding]");
  var target = page.querySelector("[data-draaiboek]");
  var params = new URLSearchParams(location.search);
  var wanted = (params.get("kaarten") || "").split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  var moduleId = params.get("module") || "";
  page.querySelectorAll("[data-terug]").forEach(function (link) { link.href = page.dataset.sessie + location.search; });
  page.querySelector("[data-printen]").addEventListener("click", function () { window.print(); });

  function json(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url);
      return response.json();
    });
  }

  json(page.dataset.index).then(function (index) {
    var known = new Set(index.dilemmas.map(function (row) { return row[0]; }));
    var ids = wanted.filter(function (id, i) { return known.has(id) && wanted.indexOf(id) === i; });
    var unknown = wanted.filter(function (id) { return !known.has(id); });
    // a module with a time plan has its steps in sessie/methoden/<id>.json; any other has none
    var steps = moduleId && /^[a-z0-9-]+$/.test(moduleId)
      ? json(page.dataset.methoden + encodeURIComponent(moduleId) + ".json").catch(function () { return null; })
      : Promise.resolve(null);
    return Promise.all([
      Promise.all(ids.map(function (id) { return json(page.dataset.kaarten + encodeURIComponent(id) + ".json"); })),
      steps
    ]).then(function (loaded) {
      var useModule = loaded[1] ? moduleId : "";
      var slides = {};
      loaded[0].forEach(function (stuk) {
        var template = document.createElement("template");
        template.innerHTML = stuk.html;  // our own build output (Jinja, autoescaped), same origin
        slides[stuk.id] = template.content.querySelector(".kompas-dia");
      });
      var method = loaded[1] ? methode(loaded[1].html) : null;
      var plan = window.KompasPresentatie.plan(ids, method ? method.steps : []);
      target.appendChild(render(page, {ids: ids, slides: slides, method: method, plan: plan}));
      var notes = [];
      if (!ids.length && !method) notes.push("Er zijn nog geen kaarten gekozen: kies ze op de pagina Sessie samenstellen.");
      if (unknown.length) notes.push("Niet gevonden en weggelaten: " + unknown.join(", ") + ".");
      if (moduleId && !useModule) notes.push("Het tijdschema " + moduleId + " bestaat niet; het draaiboek heeft geen tijdschema.");
      status.textContent = notes.length ? notes.join(" ") : "Het draaiboek is klaar om te printen.";
      page.dataset.klaar = "ja";
    });
  }).catch(function () {
    status.textContent = "Het draaiboek kon niet worden gemaakt. Controleer de verbinding en herlaad de pagina.";
    page.dataset.klaar = "fout";
  });
})();
