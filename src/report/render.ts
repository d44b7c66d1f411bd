import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { Spec } from "./plots/axes.js";

/**
 * Rendering of Vega-Lite specs in Node: SVG through vega's headless view (no DOM, no canvas), PNG
 * through resvg, HTML with vega, vega-lite and vega-embed inlined. The only file reads in
 * `src/report` are here: the libraries' own dist files and the fonts resvg draws text with.
 */

/**
 * Compiles a Vega-Lite spec to Vega, collecting vega-lite's warnings (dropped encodings, scale
 * options that do not apply) instead of printing them, so tests can require none.
 */
export function compileSpec(spec: Spec): { vega: vega.Spec; warnings: string[] } {
  const warnings: string[] = [];
  let level = 0;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level as never;
      level = l;
      return logger as never;
    },
    warn: (...args: readonly unknown[]) => {
      warnings.push(args.map(String).join(" "));
      return logger as never;
    },
    error: (...args: readonly unknown[]) => {
      throw new Error(`vega-lite: ${args.map(String).join(" ")}`);
    },
    info: () => logger as never,
    debug: () => logger as never,
  };
  const out = compile(spec as unknown as TopLevelSpec, { logger });
  return { vega: out.spec as vega.Spec, warnings };
}

/**
 * The spec as a static file draws it: no ARIA labels (a long label per mark, 40% of the SVG) and no
 * tooltips (nothing to hover in a file). The browser gets the spec as it is.
 */
export function staticSpec(spec: Spec): Spec {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (!v || typeof v !== "object") return v;
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === "encoding" && x && typeof x === "object") {
        const { tooltip: _t, ...rest } = x as Record<string, unknown>;
        o[k] = strip(rest);
      } else if (k === "data" || k === "datasets") o[k] = x;
      else o[k] = strip(x);
    }
    return o;
  };
  const out = strip(spec) as Spec;
  return { ...out, config: { ...((out.config as Spec | undefined) ?? {}), aria: false } };
}

/** Compiles a Vega-Lite spec and renders it to an SVG document (see {@link staticSpec}). */
export async function renderSvg(spec: Spec): Promise<string> {
  const view = new vega.View(vega.parse(compileSpec(staticSpec(spec)).vega), {
    renderer: "none",
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Options of {@link renderPng}. */
export interface PngOptions {
  /** Pixels per SVG unit; defaults to 2 (sharp on high-density screens and in print). */
  scale?: number;
}

/**
 * Renders a Vega-Lite spec to PNG bytes. Text needs a font: resvg loads the system's fonts and,
 * first, the known paths in {@link FONT_FILES} that exist (on Debian: `apt-get install
 * fonts-dejavu-core`). Without any font the PNG is drawn without text.
 */
export async function renderPng(spec: Spec, options: PngOptions = {}): Promise<Uint8Array> {
  const scale = options.scale ?? 2;
  if (!(scale > 0 && scale <= 16)) throw new RangeError(`scale must be in (0, 16], got ${scale}`);
  return svgToPng(await renderSvg(spec), scale);
}

/** Rasterises an SVG document at `scale` pixels per unit. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const font = fonts();
  const r = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: {
      fontFiles: font.files,
      loadSystemFonts: true,
      defaultFontFamily: font.family,
      sansSerifFamily: font.family,
    },
  });
  return r.render().asPng();
}

/**
 * Fonts tried before the system's, most common first: DejaVu (Debian, Ubuntu: fonts-dejavu-core),
 * Liberation (Fedora), Helvetica/Arial (macOS), Arial (Windows). Vega asks for `sans-serif`, which
 * resvg maps to the first of these found.
 */
export const FONT_FILES: readonly { family: string; path: string }[] = [
  { family: "DejaVu Sans", path: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" },
  { family: "DejaVu Sans", path: "/usr/share/fonts/TTF/DejaVuSans.ttf" },
  { family: "DejaVu Sans", path: "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf" },
  {
    family: "Liberation Sans",
    path: "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
  },
  {
    family: "Liberation Sans",
    path: "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
  },
  { family: "Helvetica", path: "/System/Library/Fonts/Helvetica.ttc" },
  { family: "Arial", path: "/Library/Fonts/Arial.ttf" },
  { family: "Arial", path: "C:\\Windows\\Fonts\\arial.ttf" },
];

let found: { files: string[]; family: string } | undefined;

/** The first known font file present (looked up once), and its family. */
export function fonts(): { files: string[]; family: string } {
  if (!found) {
    const hit = FONT_FILES.find((f) => existsSync(f.path));
    found = hit ? { files: [hit.path], family: hit.family } : { files: [], family: "Arial" };
  }
  return found;
}

const require = createRequire(import.meta.url);

/** The minified browser builds of vega, vega-lite and vega-embed, read once. */
function libraries(): string[] {
  // vega-embed's `exports` hide its dist folder from require.resolve: find each package's main
  // file (always in build/) and read the minified browser build beside it.
  return (
    [
      ["vega", "vega.min.js"],
      ["vega-lite", "vega-lite.min.js"],
      ["vega-embed", "vega-embed.min.js"],
    ] as const
  ).map(([pkg, file]) => readFileSync(join(dirname(require.resolve(pkg)), file), "utf8"));
}

let libs: string[] | undefined;

/** Escapes text for an HTML element's content. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a `<script>` element (no `</script>`, no `<!--`). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** The `<script>` elements that inline the three libraries (about 1 MB), for self-contained pages. */
export function libraryScripts(): string {
  libs ??= libraries();
  // A library's own text may contain "</script>" inside strings: break it so the page parses.
  return libs.map((js) => `<script>${js.replace(/<\/script/gi, "<\\/script")}</script>`).join("\n");
}

/**
 * The HTML of one figure per `<div>`: each spec is embedded with vega-embed (actions menu off so
 * it opens offline), the libraries inlined. `body` is HTML placed before the figures, `tail` after them.
 */
export function figuresHtml(
  title: string,
  figures: readonly { id: string; spec: Spec; caption?: string }[],
  body = "",
  tail = "",
): string {
  const divs = figures
    .map(
      (f) =>
        `<figure><div id="${escapeHtml(f.id)}" class="vega-figure"></div>${f.caption ? `<figcaption>${escapeHtml(f.caption)}</figcaption>` : ""}</figure>`,
    )
    .join("\n");
  const embeds = figures
    .map(
      (f) =>
        `vegaEmbed(${scriptJson(`#${f.id}`)}, ${scriptJson(f.spec)}, { actions: false, renderer: "svg" });`,
    )
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="scaleladder">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.75em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th.text, td.text { text-align: left; }
figure { margin: 1.5em 0; }
figcaption { color: #555; font-size: 0.9em; }
pre { background: #f6f6f6; padding: 0.75em; overflow-x: auto; }
</style>
${libraryScripts()}
</head>
<body>
${body}
${divs}
${tail}
<script>
${embeds}
</script>
</body>
</html>
`;
}

/** A self-contained HTML page that shows one spec: opens offline and from e-mail. */
export function toHtml(spec: Spec, title = "scaleladder figure"): string {
  return figuresHtml(title, [{ id: "figure", spec }]);
}
