// Build front-end assets into compact/static/build (not committed):
// GOV.UK Frontend compiled from Sass with our settings (system fonts, never the GDS font),
// plus the JavaScript and images that pages load. Run by `make assets`.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "compact", "static", "build");
const modules = join(root, "node_modules");
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "compact", "static", "src", "scss", "main.scss"), {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "main.css"), css.css);

const copies = [
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"],
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
];
for (const [from, to] of copies) {
  cpSync(join(modules, from), join(out, to), { recursive: true });
}
console.log(`Assets built in ${out}`);
