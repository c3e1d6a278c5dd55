/**
 * The static site in Chromium (the `site` stage of `deno task test`): builds `site/` with `deno task site`, then
 * opens every page from `file://` with every non-file request blocked, and checks that each lesson page draws
 * all of its executed notebook's Plotly figures (at least two), shows its SVG graphs, highlighted code and marked
 * exercises, loads plotly.js only from the one `plotly.min.js`, logs no console error, and that a slider changes
 * its figure's data; that every relative link (and `#anchor`) between the pages resolves, and that the site is
 * at most 40 MB.
 *
 * No chromium on PATH → SKIPPED, unless `REQUIRE_BROWSER=1` (CI), then FAILED. Prints one `  ✓ …` / `  ✗ …` line
 * per check and ends with `N passed, N failed[, 1 skipped]`. Exit status: 0 passed, 1 failed, 3 skipped.
 *
 * @module
 */
// deno-lint-ignore-file no-explicit-any -- page.evaluate callbacks run in the browser, on its DOM
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { launchChromium, moveSlider } from "../testing/browser/lab_page.ts";
import { ROOT } from "../jupyter/setup.ts";
import { report } from "../testing/report.ts";

const SITE_DIR = join(ROOT, "site");

const PLOTLY_MIME = "application/vnd.plotly.v1+json";
const MAX_BYTES = 40e6;

interface Output {
  data?: Record<string, { layout?: { sliders?: unknown[] } }>;
}
interface Cell {
  cell_type: string;
  metadata: { tags?: string[] };
  outputs?: Output[];
}

/** What the executed notebook holds, which its page must show. */
function expected(name: string) {
  const nb = JSON.parse(readFileSync(join(SITE_DIR, "notebooks", `${name}.ipynb`), "utf8"));
  const outputs = (nb.cells as Cell[]).flatMap((c) => c.outputs ?? []);
  return {
    plotly: outputs.filter((o) => o.data?.[PLOTLY_MIME]).length,
    sliders: outputs.filter((o) => o.data?.[PLOTLY_MIME]?.layout?.sliders?.length).length,
    svg: outputs.filter((o) => o.data?.["image/svg+xml"]).length,
    exercises: (nb.cells as Cell[]).filter((c) => c.metadata.tags?.includes("exercise")).length,
  };
}

/** Counts on the page as drawn, after plotly.js had its chance to render every figure. */
function drawn(page: Page) {
  return page.evaluate(() => {
    const all = (selector: string): any[] => [...(globalThis as any).document.querySelectorAll(selector)];
    const before = (el: any): string => (globalThis as any).getComputedStyle(el, "::before").content;
    return {
      plotly: all(".site-plotly.js-plotly-plot").filter((p) => p.querySelector(".main-svg")).length,
      // image/svg+xml as an <img>, or inline where the bundle's text/html comes first (graphs of notebook 03)
      svg: all(".jp-RenderedSVG img").filter((img) => img.complete && img.naturalWidth > 0).length +
        all(".jp-OutputArea-output svg").filter((svg) =>
          !svg.closest(".js-plotly-plot") && !svg.parentElement.closest("svg") &&
          svg.getBoundingClientRect().width > 0
        ).length,
      exercises: all(".jp-Cell.celltag_exercise").filter((e) => before(e).includes("Exercise")).length,
      highlighted: all(".jp-InputArea .highlight span").length,
      scripts: all("script[src]").map((el) => el.getAttribute("src") as string),
    };
  });
}

/** Relative links of the page that do not resolve: a missing file, or a missing `#anchor` on this page. */
async function brokenLinks(page: Page): Promise<string[]> {
  const { links, ids } = await page.evaluate(() => {
    const all = (selector: string): any[] => [...(globalThis as any).document.querySelectorAll(selector)];
    return {
      links: all("a[href]").map((a) => a.href as string),
      ids: all("[id]").map((e) => e.id as string),
    };
  });
  const here = page.url().split("#")[0];
  return links.filter((href) => {
    if (!href.startsWith("file:")) return false; // the web (not fetched here: no network)
    const url = new URL(href);
    if (!existsSync(fileURLToPath(url))) return true;
    // Anchors into this page (its headings): a browser matches the fragment as written, then percent-decoded.
    // (No page links to an anchor on another page; such a link would pass with the file alone.)
    const id = url.hash.slice(1);
    return id !== "" && href.split("#")[0] === here && !ids.includes(id) &&
      !ids.includes(decodeURIComponent(id));
  });
}

async function main(): Promise<number> {
  const browser = await launchChromium();
  if (!("newPage" in browser)) {
    const skipped = browser.status === "skipped";
    console.log(`site check: ${browser.message}${skipped ? ": SKIPPED" : ""}`);
    report({ passed: 0, failed: skipped ? 0 : 1, skipped: skipped ? 1 : 0 });
    return skipped ? 3 : 1;
  }
  let passed = 0, failed = 0;
  const check = (ok: boolean, what: string, detail = "") => {
    console.log(`  ${ok ? "✓" : "✗"} ${what}${detail ? ` — ${detail}` : ""}`);
    ok ? passed++ : failed++;
  };
  try {
    const site = new Deno.Command(Deno.execPath(), { args: ["task", "site"], cwd: ROOT, stdin: "null" });
    check((await site.spawn().status).success, "deno task site builds site/");
    const lessons = readdirSync(SITE_DIR).filter((f) => /^\d\d-.*\.html$/.test(f)).sort();
    const notebooks = readdirSync(join(ROOT, "notebooks")).filter((f) => /^\d\d-.*\.ipynb$/.test(f));
    check(lessons.length === notebooks.length, "one page per notebook", `${lessons.length} pages`);
    const bytes = readdirSync(SITE_DIR, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile()).reduce((sum, f) => sum + statSync(join(f.parentPath, f.name)).size, 0);
    check(bytes <= MAX_BYTES, "site ≤ 40 MB", `${(bytes / 1e6).toFixed(1)} MB`);
    for (const name of ["index.html", ...lessons]) {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const errors: string[] = [];
      const blocked: string[] = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(e.message));
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
        blocked.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(join(SITE_DIR, name)).href, { waitUntil: "load" });
      if (name !== "index.html") {
        const want = expected(name.replace(/\.html$/, ""));
        // Every figure drawn, or 15 s passed (the count below then says how many were).
        await page.waitForFunction(
          (n: number) =>
            (globalThis as any).document.querySelectorAll(".js-plotly-plot .main-svg").length >= n,
          want.plotly,
          { timeout: 15_000 },
        ).catch(() => {});
        const got = await drawn(page);
        const shown = {
          plotly: "every Plotly figure drawn",
          svg: "every SVG graph shown",
          exercises: "exercises marked",
        };
        for (const [key, what] of Object.entries(shown) as [keyof typeof shown, string][]) {
          const ok = got[key] === want[key] && (key !== "plotly" || want.plotly >= 2);
          check(ok, `${name}: ${what}`, `${got[key]} of ${want[key]}`);
        }
        check(got.highlighted > 100, `${name}: code highlighted`, `${got.highlighted} tokens`);
        const plotlyOnce = got.scripts.join() === "plotly.min.js" &&
          !readFileSync(join(SITE_DIR, name), "utf8")
            .includes("plotly.js v"); // the bundle's banner: plotly.js is only in plotly.min.js
        check(plotlyOnce, `${name}: plotly.js loaded from the one plotly.min.js`, got.scripts.join(", "));
        const slider = page.locator(".js-plotly-plot:has(.slider-rail-touch-rect)").first();
        if (want.sliders > 0) {
          check((await moveSlider(page, slider)) !== null, `${name}: a slider changes its figure's data`);
        }
      } else {
        const linked: string[] = await page.evaluate(() =>
          [...(globalThis as any).document.querySelectorAll("a")].map((a: any) => a.href)
        );
        const missing = lessons.filter((l) => !linked.some((h) => h.endsWith(`/${l}`)));
        check(missing.length === 0, "index.html links every lesson", missing.join(", "));
      }
      const broken = await brokenLinks(page);
      check(broken.length === 0, `${name}: every link between pages resolves`, broken.join(", "));
      check(errors.length === 0, `${name}: no console errors`, errors.slice(0, 3).join(" | "));
      check(
        blocked.length === 0,
        `${name}: nothing fetched from the network`,
        blocked.slice(0, 3).join(", "),
      );
      await page.close();
    }
  } finally {
    await browser.close();
  }
  report({ passed, failed });
  return failed ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
