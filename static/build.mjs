// Builds static/dist: GOV.UK Frontend compiled with a system font and only the components Hearth uses,
// plus Hearth's own scripts, each with a content hash in its name (listed in dist/manifest.json).
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const dist = join(here, "dist");
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const manifest = {};
function emit(name, contents) {
  const hash = createHash("sha256").update(contents).digest("hex").slice(0, 10);
  const [base, ext] = [name.slice(0, name.lastIndexOf(".")), name.slice(name.lastIndexOf("."))];
  const hashed = `${base}.${hash}${ext}`;
  writeFileSync(join(dist, hashed), contents);
  manifest[name] = hashed;
}

const css = sass.compile(join(here, "css", "hearth.scss"), {
  style: "compressed",
  loadPaths: [join(root, "node_modules")],
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});
emit("hearth.css", css.css);

const govukJs = readFileSync(join(root, "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js"));
emit("govuk-frontend.min.js", govukJs);
emit("forms.js", readFileSync(join(here, "js", "forms.js")));
const hearthJs = readFileSync(join(here, "js", "hearth.js"), "utf8")
  .replace("./govuk-frontend.min.js", `./${manifest["govuk-frontend.min.js"]}`)
  .replace("./forms.js", `./${manifest["forms.js"]}`);
emit("hearth.js", hearthJs);

writeFileSync(join(dist, "manifest.json"), JSON.stringify(manifest, null, 2));
console.log(`static/dist built: ${Object.keys(manifest).length} files`);
