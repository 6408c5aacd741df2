/* Kompas: Material's small inline page scripts (partials/javascripts/*.html), moved into
   this one file so the site runs under a Content-Security-Policy without 'unsafe-inline'
   and without hashes (README, "Webserver"). Every <script src> of this file stands where
   Material had its inline script and runs at the same moment (a classic, parser-blocking
   script); data-kompas-stap says which part runs. The code is Material 9.8's, unminified
   where it matters; base_url is derived from this file's own address. */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL("../../", script.src); // this file is <site>/assets/javascripts/
  var stap = script.getAttribute("data-kompas-stap");

  if (stap === "base") {
    var scope = script.getAttribute("data-scope");
    window.__md_scope = scope ? new URL(scope, location) : root;
    window.__md_hash = function (e) {
      return Array.from(e).reduce(function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0);
    };
    window.__md_get = function (key, storage, base) {
      storage = storage || localStorage;
      base = base || window.__md_scope;
      return JSON.parse(storage.getItem(base.pathname + "." + key));
    };
    window.__md_set = function (key, value, storage, base) {
      storage = storage || localStorage;
      base = base || window.__md_scope;
      try { storage.setItem(base.pathname + "." + key, JSON.stringify(value)); } catch (e) { /* private mode */ }
    };
  } else if (stap === "palette") {
    var palette = __md_get("__palette");
    if (palette && palette.color) {
      if (palette.color.media === "(prefers-color-scheme)") {
        var media = matchMedia("(prefers-color-scheme: light)");
        var input = document.querySelector(media.matches
          ? "[data-md-color-media='(prefers-color-scheme: light)']"
          : "[data-md-color-media='(prefers-color-scheme: dark)']");
        palette.color.media = input.getAttribute("data-md-color-media");
        palette.color.scheme = input.getAttribute("data-md-color-scheme");
        palette.color.primary = input.getAttribute("data-md-color-primary");
        palette.color.accent = input.getAttribute("data-md-color-accent");
      }
      Object.entries(palette.color).forEach(function (entry) {
        document.body.setAttribute("data-md-color-" + entry[0], entry[1]);
      });
    }
  } else if (stap === "content") {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
  } else if (stap === "outdated") {
    var banner = document.querySelector("[data-md-component=outdated]");
    if (__md_get("__outdated", sessionStorage, root) === true && banner) banner.hidden = false;
  } else if (stap === "nieuwste") {
    // the root of all versions (mike), which opens the newest version
    var link = document.querySelector("[data-kompas-nieuwste]");
    if (link) link.href = new URL("../", root).href;
  }
})();
