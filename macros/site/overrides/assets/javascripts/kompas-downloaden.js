/* Kompas: "Sessie downloaden" on the session page (issue 28). Saves the chosen session as one
 * HTML file that works without the intranet: the cards (print view), the method's steps, the
 * draaiboek, the presenter, the styles and the fonts, with no reference to anything outside it.
 *
 * Everything in the file is the site's own: the body is the page's <template data-sjabloon="bestand">
 * (macros/render/templates/sessie/bestand.html.j2) filled with the card pieces and steps the build
 * made; the styles and scripts are the site's files (fetched here and placed inline); the fonts are
 * the build's subset (sessie/lettertypen.json, macros/render/session.py) subset again here to the
 * characters the file holds. The file states the site version (mike's versions.json, which the
 * published site already has; "ontwikkelversie" when there is none) and when it was made.
 *
 * Escaping: the HTML is serialised by the browser (text and attributes escaped); the one piece of
 * content inside the script, the session data, is JSON with < > & U+2028 U+2029 written as \uXXXX,
 * so no text can end the script or open a comment in it. The site's own scripts and styles are
 * refused if they could (they never do: tests/unit/render/test_sessie_bestanden.py checks).
 */
(function () {
  "use strict";

  // The file's own policy: nothing may be loaded from anywhere; inline script and style, fonts and
  // the QR codes as data: URLs.
  var POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; font-src data:; img-src data:";

  // -- fonts: the second subset -------------------------------------------------------------
  // `bytes`: a TrueType font of sessie/lettertypen.json (glyf outlines, one cmap subtable (3,1)
  // format 4, no hinting or layout tables). Keeps the outlines of the characters in `codes` and of
  // the glyphs they are made of; the other outlines become empty. Glyph numbers stay the same, so
  // hmtx, hhea and maxp are kept as they are; cmap, loca and glyf are written anew, head patched.
  function subsetFont(bytes, codes) {
    var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    var tables = {};
    var count = view.getUint16(4);
    for (var i = 0; i < count; i++) {
      var record = 12 + 16 * i;
      var tag = String.fromCharCode(bytes[record], bytes[record + 1], bytes[record + 2], bytes[record + 3]);
      tables[tag] = {offset: view.getUint32(record + 8), length: view.getUint32(record + 12)};
    }
    ["head", "maxp", "loca", "glyf", "cmap", "hmtx", "hhea"].forEach(function (tag) {
      if (!tables[tag]) throw new Error("het lettertype mist de tabel " + tag);
    });
    var longLoca = view.getInt16(tables.head.offset + 50) === 1;
    var glyphs = view.getUint16(tables.maxp.offset + 4);
    var loca = function (g) {
      return longLoca ? view.getUint32(tables.loca.offset + 4 * g) : 2 * view.getUint16(tables.loca.offset + 2 * g);
    };
    // the (3,1) format 4 cmap: character -> glyph
    var cmap = tables.cmap.offset;
    var sub = -1;
    for (i = 0; i < view.getUint16(cmap + 2); i++) {
      if (view.getUint16(cmap + 4 + 8 * i) === 3 && view.getUint16(cmap + 6 + 8 * i) === 1) {
        sub = cmap + view.getUint32(cmap + 8 + 8 * i);
      }
    }
    if (sub < 0 || view.getUint16(sub) !== 4) throw new Error("het lettertype heeft geen cmap-tabel van formaat 4");
    var segX2 = view.getUint16(sub + 6);
    var ends = sub + 14, starts = ends + segX2 + 2, deltas = starts + segX2, offsets = deltas + segX2;
    function glyphOf(code) {
      for (var s = 0; s < segX2 / 2; s++) {
        if (code > view.getUint16(ends + 2 * s)) continue;
        var start = view.getUint16(starts + 2 * s);
        if (code < start) return 0;
        var delta = view.getUint16(deltas + 2 * s);
        var rangeOffset = view.getUint16(offsets + 2 * s);
        if (!rangeOffset) return (code + delta) & 0xFFFF;
        var glyph = view.getUint16(offsets + 2 * s + rangeOffset + 2 * (code - start));
        return glyph ? (glyph + delta) & 0xFFFF : 0;
      }
      return 0;
    }
    function components(glyph) {
      var at = tables.glyf.offset + loca(glyph);
      if (loca(glyph + 1) - loca(glyph) < 10 || view.getInt16(at) >= 0) return [];
      var out = [];
      var flags;
      at += 10;
      do {
        flags = view.getUint16(at);
        out.push(view.getUint16(at + 2));
        at += 4 + ((flags & 0x0001) ? 4 : 2);
        if (flags & 0x0008) at += 2; else if (flags & 0x0040) at += 4; else if (flags & 0x0080) at += 8;
      } while (flags & 0x0020);
      return out;
    }
    var map = [];
    codes.forEach(function (code) {
      var glyph = code <= 0xFFFF ? glyphOf(code) : 0;
      if (glyph) map.push([code, glyph]);
    });
    var keep = new Set([0]);
    var todo = map.map(function (pair) { return pair[1]; });
    while (todo.length) {
      var glyph = todo.pop();
      if (keep.has(glyph)) continue;
      keep.add(glyph);
      todo.push.apply(todo, components(glyph));
    }
    // glyf and a long loca
    var pieces = [];
    var newLoca = new DataView(new ArrayBuffer(4 * (glyphs + 1)));
    var position = 0;
    for (var g = 0; g < glyphs; g++) {
      newLoca.setUint32(4 * g, position);
      if (!keep.has(g)) continue;
      var data = bytes.subarray(tables.glyf.offset + loca(g), tables.glyf.offset + loca(g + 1));
      var padded = new Uint8Array(data.length + ((4 - data.length % 4) % 4));
      padded.set(data);
      pieces.push(padded);
      position += padded.length;
    }
    newLoca.setUint32(4 * glyphs, position);
    // cmap: (3,1) format 4, one segment per character and the closing 0xFFFF segment
    var segments = map.length + 1;
    var length = 16 + 8 * segments;
    var newCmap = new DataView(new ArrayBuffer(12 + length));
    newCmap.setUint16(2, 1);
    newCmap.setUint16(4, 3);
    newCmap.setUint16(6, 1);
    newCmap.setUint32(8, 12);
    newCmap.setUint16(12, 4);
    newCmap.setUint16(14, length);
    newCmap.setUint16(18, 2 * segments);
    var power = 1, log = 0;
    while (power * 2 <= segments) { power *= 2; log++; }
    newCmap.setUint16(20, 2 * power);
    newCmap.setUint16(22, log);
    newCmap.setUint16(24, 2 * segments - 2 * power);
    var endAt = 26, startAt = endAt + 2 * segments + 2, deltaAt = startAt + 2 * segments, rangeAt = deltaAt + 2 * segments;
    map.concat([[0xFFFF, 1 + 0xFFFF]]).forEach(function (pair, n) {
      newCmap.setUint16(endAt + 2 * n, pair[0]);
      newCmap.setUint16(startAt + 2 * n, pair[0]);
      newCmap.setUint16(deltaAt + 2 * n, (pair[1] - pair[0]) & 0xFFFF);
      newCmap.setUint16(rangeAt + 2 * n, 0);
    });
    var head = bytes.slice(tables.head.offset, tables.head.offset + tables.head.length);
    var headView = new DataView(head.buffer);
    headView.setUint32(8, 0);  // checkSumAdjustment, set below
    headView.setInt16(50, 1);  // long loca
    var out = {};
    Object.keys(tables).forEach(function (tag) {
      out[tag] = bytes.slice(tables[tag].offset, tables[tag].offset + tables[tag].length);
    });
    out.glyf = concat(pieces);
    out.loca = new Uint8Array(newLoca.buffer);
    out.cmap = new Uint8Array(newCmap.buffer);
    out.head = head;
    return assemble(out, view.getUint32(0));
  }

  function concat(parts) {
    var size = parts.reduce(function (sum, part) { return sum + part.length; }, 0);
    var out = new Uint8Array(size);
    var at = 0;
    parts.forEach(function (part) { out.set(part, at); at += part.length; });
    return out;
  }

  function checksum(data) {
    var padded = new Uint8Array(data.length + ((4 - data.length % 4) % 4));
    padded.set(data);
    var view = new DataView(padded.buffer);
    var sum = 0;
    for (var i = 0; i < padded.length; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
    return sum;
  }

  function assemble(tables, version) {
    var tags = Object.keys(tables).sort();
    var count = tags.length;
    var power = 1, log = 0;
    while (power * 2 <= count) { power *= 2; log++; }
    var header = new DataView(new ArrayBuffer(12 + 16 * count));
    header.setUint32(0, version);
    header.setUint16(4, count);
    header.setUint16(6, power * 16);
    header.setUint16(8, log);
    header.setUint16(10, count * 16 - power * 16);
    var offset = 12 + 16 * count;
    var parts = [new Uint8Array(header.buffer)];
    tags.forEach(function (tag, i) {
      var data = tables[tag];
      for (var c = 0; c < 4; c++) header.setUint8(12 + 16 * i + c, tag.charCodeAt(c));
      header.setUint32(12 + 16 * i + 4, checksum(data));
      header.setUint32(12 + 16 * i + 8, offset);
      header.setUint32(12 + 16 * i + 12, data.length);
      var padded = new Uint8Array(data.length + ((4 - data.length % 4) % 4));
      padded.set(data);
      parts.push(padded);
      offset += padded.length;
    });
    var font = concat(parts);
    var headAt = new DataView(font.buffer).getUint32(12 + 16 * tags.indexOf("head") + 8);
    new DataView(font.buffer).setUint32(headAt + 8, (0xB1B0AFBA - checksum(font)) >>> 0);
    return font;
  }

  function base64(bytes) {
    var text = "";
    for (var i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(text);
  }

  function unbase64(text) {
    var raw = atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  // -- pieces of the file -----------------------------------------------------------------------
  function text(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error("het bestand " + url + " kon niet worden geladen");
      return response.text();
    });
  }

  // The site version from mike's versions.json beside the version folders: the entry whose
  // version or alias is the folder this site is served from; null when there is none.
  function siteVersion(site) {
    var folder = decodeURIComponent(site.pathname.replace(/\/$/, "").split("/").pop() || "");
    if (!folder) return Promise.resolve(null);
    return fetch(new URL("../versions.json", site)).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (list) {
      if (!Array.isArray(list)) return null;
      var hit = list.filter(function (entry) {
        return entry && (entry.version === folder || (entry.aliases || []).indexOf(folder) >= 0);
      })[0];
      return hit ? String(hit.title || hit.version) : null;
    }).catch(function () { return null; });
  }

  // JSON for inside a <script>: nothing in it can end the script, start a comment or break a line.
  function scriptJson(value) {
    return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, function (c) {
      return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
    });
  }

  function refuseBreakout(source, tag, name) {
    if (new RegExp("</" + tag, "i").test(source) || source.indexOf("<!--") >= 0) {
      throw new Error(name + " bevat een reeks die het <" + tag + ">-blok zou beëindigen");
    }
    return source;
  }

  function two(n) { return String(n).padStart(2, "0"); }

  // A link in a step's text (Markdown from the content) would point out of the file: it becomes its
  // text with the address after it, readable on paper and on the beamer, and never fetched.
  function offline(body) {
    var links = [];
    var collect = function (scope) {
      scope.querySelectorAll("a[href]").forEach(function (link) { links.push(link); });
      scope.querySelectorAll("template").forEach(function (inner) { collect(inner.content); });
    };
    collect(body);
    links.forEach(function (link) {
      var address = link.getAttribute("href");
      if (address.charAt(0) === "#") return;
      var text = document.createElement("span");
      text.textContent = link.textContent === address ? address : link.textContent + " (" + address + ")";
      link.replaceWith(text);
    });
  }

  function maak(ctx) {
    var root = ctx.root;
    var session = ctx.session;
    var button = root.querySelector("[data-downloaden]");
    var site = new URL(root.dataset.site, location.href);
    var styles = button.dataset.stijlen.split(" ");
    var scripts = button.dataset.scripts.split(" ");
    return Promise.all([
      Promise.all(styles.map(text)), Promise.all(scripts.map(text)),
      fetch(root.dataset.lettertypen).then(function (response) {
        if (!response.ok) throw new Error("de lettertypen konden niet worden geladen");
        return response.json();
      }),
      siteVersion(site)
    ]).then(function (loaded) {
      var css = loaded[0], js = loaded[1], fonts = loaded[2].lettertypen, version = loaded[3];
      var now = new Date();
      var stamp = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
      var versionText = version ? "versie " + version : "ontwikkelversie (deze site is niet als genummerde versie gepubliceerd)";
      var method = session.method;
      var title = (method ? method.titel : "Eigen sessie") + (session.ids.length
        ? " · " + (session.ids.length === 1 ? "1 kaart" : session.ids.length + " kaarten") : "");

      // the body: the page's template, filled
      var body = document.createElement("body");
      body.appendChild(root.querySelector('template[data-sjabloon="bestand"]').content.cloneNode(true));
      var field = function (name) { return body.querySelector('[data-bestand="' + name + '"]'); };
      field("titel").textContent = title;
      var when = field("datum");
      when.dateTime = stamp + "T" + two(now.getHours()) + ":" + two(now.getMinutes());
      when.textContent = new Intl.DateTimeFormat("nl-NL", {day: "numeric", month: "long", year: "numeric"}).format(now)
        + " om " + two(now.getHours()) + ":" + two(now.getMinutes());
      field("versie").textContent = versionText;
      field("formaat").textContent = ctx.format === "a5"
        ? "De kaarten staan op A5, één kaart per pagina: eerst de voorkant, dan de achterkant."
        : "De kaarten staan op A4, vier per vel: knip ze langs de snijtekens. Elke voorkant heeft zijn achterkant op het volgende vel.";
      var slides = {};
      session.ids.forEach(function (id, i) { slides[id] = session.parts[i].querySelector(".kompas-dia"); });
      field("draaiboek").appendChild(window.KompasDraaiboek.render(root, {
        ids: session.ids, slides: slides, method: method, plan: window.KompasPresentatie.plan(session.ids, session.steps)
      }));
      var druk = body.querySelector("[data-druk]");
      druk.classList.remove("kompas-druk--a4");
      druk.classList.add("kompas-druk--" + ctx.format);
      druk.appendChild(ctx.sheets);
      var store = field("dias").content;
      session.ids.forEach(function (id) {
        var node = slides[id].cloneNode(true);
        node.dataset.kaart = id;
        store.appendChild(node);
      });
      session.steps.forEach(function (step) { store.appendChild(step.node.cloneNode(true)); });
      offline(body);

      // the script: the session data, then the presenter and the file's own script
      var data = {
        versie: versionText, gemaakt: when.dateTime, formaat: ctx.format,
        kaarten: session.ids.map(function (id) {
          return {id: id, titel: slides[id].querySelector(".kompas-dia__titel").textContent};
        }),
        stappen: session.steps.map(function (step) {
          return {titel: step.titel, minuten: step.minuten, dilemmas: step.dilemmas};
        })
      };
      var script = "window.KOMPAS_SESSIE = " + scriptJson(data) + ";\n"
        + js.map(function (source, i) { return refuseBreakout(source, "script", scripts[i]); }).join("\n");

      // the styles: the card fonts once (the card stylesheet has them per format), then the stylesheets
      var faces = [];
      var sheets = css.map(function (source, i) {
        refuseBreakout(source, "style", styles[i]);
        return source.replace(/@font-face\s*\{[^}]*\}/g, function (rule) {
          if (faces.indexOf(rule) < 0) faces.push(rule);
          return "";
        });
      });
      var holder = document.createElement("div");
      holder.appendChild(body.cloneNode(true));
      var used = holder.innerHTML + script + sheets.join("") + title + "\u00a0";
      var codes = Array.from(new Set(Array.from(used, function (c) { return c.codePointAt(0); }))).sort(function (a, b) { return a - b; });
      var fontCss = faces.map(function (rule) {
        return rule.replace(/url\(\s*["']?[^"')]*\/([^"'/)]+\.ttf)["']?\s*\)/g, function (all, name) {
          if (!fonts[name]) throw new Error("het lettertype " + name + " ontbreekt");
          return 'url("data:font/ttf;base64,' + base64(subsetFont(unbase64(fonts[name]), codes)) + '")';
        });
      });

      // the document, serialised by the browser (text and attributes escaped; the style and the
      // script as they are, checked above). Built detached: a <style> inside a document would be
      // applied, and the site's policy rightly refuses inline style.
      var head = document.createElement("head");
      var meta = function (attributes) {
        var element = document.createElement("meta");
        Object.keys(attributes).forEach(function (name) { element.setAttribute(name, attributes[name]); });
        head.appendChild(element);
      };
      meta({charset: "utf-8"});
      meta({"http-equiv": "Content-Security-Policy", content: POLICY});
      meta({name: "viewport", content: "width=device-width, initial-scale=1"});
      meta({name: "generator", content: "Kompas, " + versionText});
      meta({name: "date", content: when.dateTime});
      var titleElement = document.createElement("title");
      titleElement.textContent = "Sessie: " + title + " · Kompas";
      head.appendChild(titleElement);
      var style = document.createElement("style");
      style.textContent = fontCss.concat(sheets).join("\n");
      head.appendChild(style);
      var element = document.createElement("script");
      element.textContent = script;
      body.appendChild(element);
      var html = "<!DOCTYPE html>\n<html lang=\"nl\">" + head.outerHTML + "\n" + body.outerHTML + "\n</html>\n";

      var name = "kompas-sessie-" + stamp + ".html";
      var url = URL.createObjectURL(new Blob([html], {type: "text/html;charset=utf-8"}));
      var link = document.createElement("a");
      link.href = url;
      link.download = name;
      link.hidden = true;
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      return name;
    });
  }

  window.KompasDownloaden = {maak: maak, subsetFont: subsetFont, scriptJson: scriptJson};
})();
