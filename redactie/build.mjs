// Builds the browser editor's files into macros/site/redactie-app/ (committed, so that `make serve`
// and `make test` never need Node): Decap CMS's own bundle as npm installed it (package-lock.json),
// and our extension (src/) with the `yaml` package in one file. Run after changing src/ or a
// version in package.json:   cd redactie && npm ci && npm run build
// docs/redactie.md says more.

import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const hier = dirname(fileURLToPath(import.meta.url));
const doel = join(hier, "..", "macros", "site", "redactie-app", "static");
const decap = join(hier, "node_modules", "decap-cms", "dist");

rmSync(doel, { recursive: true, force: true });
mkdirSync(doel, { recursive: true });

// Decap CMS: the main bundle, the chunks it loads next to itself, and its two WebAssembly files.
for (const naam of readdirSync(decap)) {
  if (/^(\d+\.)?decap-cms\.js$/.test(naam) || naam.endsWith(".wasm") || naam === "decap-cms.js.LICENSE.txt") {
    copyFileSync(join(decap, naam), join(doel, naam));
  }
}
const versie = JSON.parse(readFileSync(join(hier, "node_modules", "decap-cms", "package.json"), "utf8")).version;
const yamlVersie = JSON.parse(readFileSync(join(hier, "node_modules", "yaml", "package.json"), "utf8")).version;

await build({
  entryPoints: [join(hier, "src", "main.js")],
  bundle: true,
  format: "iife",
  target: ["chrome110", "firefox110", "safari16"],
  minify: false,
  legalComments: "inline",
  outfile: join(doel, "kompas-redactie.js"),
  banner: { js: `/* Kompas: de browsereditor (redactie/src/, gebouwd met redactie/build.mjs). Bevat yaml ${yamlVersie} (ISC, Eemeli Aro). */` },
});

writeFileSync(join(doel, "VERSIES.txt"),
  `decap-cms ${versie} (MIT)\nyaml ${yamlVersie} (ISC)\nGebouwd door redactie/build.mjs uit redactie/package-lock.json.\n`);
console.log(`redactie: decap-cms ${versie} en kompas-redactie.js (yaml ${yamlVersie}) in ${doel}`);
