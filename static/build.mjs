// Builds static/dist, the only folder served under /static/: every file in it carries a content hash in its name
// (listed in dist/manifest.json), so it can be cached for a year, and text files get Brotli (.br) and gzip (.gz)
// copies beside them, compressed once here at the highest levels rather than on every request.
//
// - CSS: GOV.UK Frontend compiled with a system font and only the components Hearth imports (static/css/hearth.scss),
//   then cut down to the selectors that Hearth's pages can use (PurgeCSS, below); page stylesheets such as
//   static/css/memories.scss are built and hashed the same way.
// - JS: static/js/hearth.js bundled with only the GOV.UK Frontend components it starts, plus the page scripts
//   (claims.js, batch.js, passkeys.js) and the chunks hearth.js loads on demand (forms.js; lookup.js with GOV.UK's
//   accessible-autocomplete and its stylesheet lookup.css), minified by esbuild.
// - Icons: copied with a hash in their names.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { PurgeCSS } from "purgecss";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const published = join(here, "dist");
// Built beside the published folder and swapped in at the end, so a running server never sees half a build.
const dist = join(here, "dist.building");
const govuk = join(root, "node_modules/govuk-frontend/dist/govuk");
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "icons"), { recursive: true });

const manifest = {};
const COMPRESSIBLE = /\.(css|js|svg|json)$/;

// Writes a file and, for text, its .br and .gz copies (kept only when smaller), which WhiteNoise serves to browsers
// that accept them.
function write(rel, contents) {
  const data = Buffer.from(contents);
  writeFileSync(join(dist, rel), data);
  if (!COMPRESSIBLE.test(rel)) return;
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  const gz = gzipSync(data, { level: 9 });
  if (br.length < data.length) writeFileSync(join(dist, `${rel}.br`), br);
  if (gz.length < data.length) writeFileSync(join(dist, `${rel}.gz`), gz);
}

// `name` is the logical name pages ask for (asset_url("hearth.css")); the file gets a hash of its bytes in its name.
function emit(name, contents) {
  const hash = createHash("sha256").update(contents).digest("hex").slice(0, 10);
  const dot = name.lastIndexOf(".");
  const hashed = `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
  write(hashed, contents);
  manifest[name] = hashed;
}

// --- JavaScript ------------------------------------------------------------------------------------------------
// ES modules (deferred by nature), split so forms.js is fetched only by pages with an upload or draft form.
const js = await esbuild.build({
  entryPoints: {
    hearth: join(here, "js/hearth.js"),
    claims: join(here, "js/claims.js"),
    batch: join(here, "js/batch.js"),
    passkeys: join(here, "js/passkeys.js"),
  },
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  target: ["es2020"],
  legalComments: "none",
  entryNames: "[name].[hash]",
  chunkNames: "[name].[hash]",
  outdir: dist,
  write: false,
  metafile: true,
});
for (const file of js.outputFiles) {
  const rel = relative(dist, file.path);
  const meta = js.metafile.outputs[relative(root, file.path)];
  // Entry points and on-demand chunks are named after their source (hearth.js, forms.js). Shared chunks are all
  // called "chunk" by esbuild, so they keep their hashed name as their key: two of them must not share one entry.
  const unhashed = rel.replace(/\.[A-Z0-9]{8}\.js$/, ".js");
  const source = meta && meta.entryPoint ? basename(meta.entryPoint) : unhashed === "chunk.js" ? rel : unhashed;
  write(rel, file.contents);
  manifest[source] = rel;
}

// --- CSS -------------------------------------------------------------------------------------------------------
const sassOptions = {
  style: "compressed",
  loadPaths: [join(root, "node_modules")],
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
};

// What can put a class on a page: Hearth's templates, Python and scripts, the GOV.UK page template, the GOV.UK
// component templates (and their rendered examples) for the components hearth.scss imports, and the bundled GOV.UK
// scripts. A class built at run time from a prefix ("govuk-tag--{{ colour }}") keeps every class with that prefix.
function filesUnder(dir, test) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}
const hearthScss = readFileSync(join(here, "css/hearth.scss"), "utf8");
const components = [...hearthScss.matchAll(/@use "govuk-frontend\/dist\/govuk\/components\/([a-z-]+)"/g)].map(
  (m) => m[1],
);
const ownSources = [
  ...filesUnder(join(root, "templates"), (n) => n.endsWith(".html")),
  ...filesUnder(join(root, "portal"), (n) => n.endsWith(".py")),
  ...filesUnder(join(here, "js"), (n) => n.endsWith(".js")),
  ...filesUnder(join(here, "css"), (n) => n.endsWith(".scss")),
];
const govukSources = [
  join(govuk, "template.njk"),
  ...components.flatMap((c) => filesUnder(join(govuk, "components", c), (n) => /^template.*\.(njk|html)$/.test(n))),
];
const dynamicPrefixes = new Set();
for (const file of ownSources) {
  for (const m of readFileSync(file, "utf8").matchAll(/\b(govuk-[A-Za-z0-9_!-]*-)(?=\{\{|["']\s*~|\$\{)/g)) {
    dynamicPrefixes.add(m[1]);
  }
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\!]/g, "\\$&");

async function purged(css) {
  const [result] = await new PurgeCSS().purge({
    content: [...ownSources, ...govukSources].map((file) => ({ raw: readFileSync(file, "utf8"), extension: "html" })).concat(
      js.outputFiles.map((file) => ({ raw: file.text, extension: "js" })),
    ),
    css: [{ raw: css }],
    defaultExtractor: (content) => content.match(/[A-Za-z0-9_!-]+/g) || [],
    safelist: { standard: [...dynamicPrefixes].map((p) => new RegExp(`^${escape(p)}`)) },
    // GOV.UK's own marks, which a council service never shows (and whose images are not published).
    blocklist: [/crown/, /crest/, /copyright-logo/],
  });
  return result.css;
}

emit("hearth.css", await purged(sass.compile(join(here, "css/hearth.scss"), sassOptions).css));
emit("memories.css", sass.compile(join(here, "css/memories.scss"), sassOptions).css);
// The type-ahead's own styles, loaded by static/js/lookup.js only where it runs (pages work without them).
emit("lookup.css", readFileSync(join(root, "node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css")));

// --- Icons -----------------------------------------------------------------------------------------------------
for (const name of readdirSync(join(here, "icons")).filter((n) => /\.(svg|png)$/.test(n)).sort()) {
  emit(`icons/${name}`, readFileSync(join(here, "icons", name)));
}

writeFileSync(join(dist, "manifest.json"), JSON.stringify(manifest, null, 2));
const old = join(here, "dist.old");
rmSync(old, { recursive: true, force: true });
if (existsSync(published)) renameSync(published, old);
renameSync(dist, published);
rmSync(old, { recursive: true, force: true });
console.log(`static/dist built: ${Object.keys(manifest).length} files`);
