"""Builds the course as a static site (`deno task site`): every lesson notebook executed afresh by stock nbclient
through the project's kernelspec, then converted by nbconvert's HTML exporter with the small template in
tools/site/microgpt/ (lab template + Plotly figures + links between lessons).

Writes to site/ (removed first):
  index.html            the README's introduction, the lesson table (README's course table), its Quick start
  NN-name.html          one page per notebook, named after it ("notebook 05" in its prose links to 05's page)
  notebooks/NN-name.ipynb   the executed notebooks (the browser test counts their Plotly figures)
  plotly.min.js         the plotly.js build of the pinned Python `plotly` wheel (JupyterLab's renderer), once
  site.css              the site's own styles

Usage: python tools/site/build_site.py (env NOTEBOOK_JOBS kernels at once, default 2). Runs with .venv's python
(nbclient, nbconvert, plotly). Any error output in a notebook fails the build.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import plotly
from nbclient import NotebookClient
from nbconvert import HTMLExporter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
KERNEL_NAME = "microgpt-deno"
TITLE = "microGPT in TypeScript notebooks"


def readme_parts() -> tuple[str, str, dict[str, str]]:
    """The README's introduction (before its first section), its Quick start and its course table's rows."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    intro = readme.split("\n## ", 1)[0].split("\n", 1)[1]
    quick = re.search(r"^## Quick start\n(.*?)(?=^## )", readme, re.S | re.M)
    rows = dict(re.findall(r"^\|\s*`(\d\d-[\w-]+)`\s*\|\s*(.+?)\s*\|\s*$", readme, re.M))
    return intro, quick[1] if quick else "", rows


def lessons(rows: dict[str, str]) -> list[dict]:
    """Every notebooks/NN-*.ipynb with its title (first `# ` heading) and the README's summary of it."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        headings = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()]
        title = next((h[2:].strip() for h in headings if h.startswith("# ")), path.stem)
        if path.stem not in rows:
            sys.exit(f"site: README.md's course table has no row for {path.stem}; add one")
        found.append({"name": path.stem, "path": str(path), "title": title, "summary": rows[path.stem]})
    return found


def link_lessons(nb: nbformat.NotebookNode, course: list[dict]) -> None:
    """Turns "notebook 05" in the prose (outside `code`) into a link to that lesson's page."""
    pages = {lesson["name"][:2]: f"{lesson['name']}.html" for lesson in course}
    mention = re.compile(r"\b([Nn]otebooks? (\d\d))\b")
    link = lambda m: f"[{m[1]}]({pages[m[2]]})" if m[2] in pages else m[0]  # noqa: E731
    for cell in (c for c in nb.cells if c.cell_type == "markdown"):
        parts = re.split(r"(`[^`]*`)", cell.source)  # odd parts are code spans: left alone
        parts[::2] = [mention.sub(link, part) for part in parts[::2]]
        cell.source = "".join(parts)


async def execute(lesson: dict, slots: asyncio.Semaphore, out: Path) -> nbformat.NotebookNode:
    """Runs one notebook top to bottom in the course's kernel (its folder as working directory)."""
    async with slots:
        started = time.monotonic()
        nb = nbformat.read(lesson["path"], as_version=4)
        cwd = str(Path(lesson["path"]).parent)
        client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=900, resources={"metadata": {"path": cwd}})
        await client.async_execute()  # raises CellExecutionError on an error output
        nbformat.write(nb, out / "notebooks" / f"{lesson['name']}.ipynb")
        print(f"site: executed {lesson['name']} in {time.monotonic() - started:.1f} s", flush=True)
        return nb


def main() -> int:
    out = ROOT / "site"
    if out.exists() and any(out.iterdir()) and not (out / "index.html").exists():
        sys.exit(f"site: {out} exists and is not a site built here (no index.html); not removing it")
    shutil.rmtree(out, ignore_errors=True)
    (out / "notebooks").mkdir(parents=True)

    intro, quick_start, rows = readme_parts()
    course = lessons(rows)
    slots = asyncio.Semaphore(max(1, int(os.environ.get("NOTEBOOK_JOBS", "2"))))

    async def execute_all():
        return await asyncio.gather(*(execute(lesson, slots, out) for lesson in course))

    executed = asyncio.run(execute_all())

    exporter = HTMLExporter(template_name="microgpt", extra_template_basedirs=[str(HERE)])
    for i, (lesson, nb) in enumerate(zip(course, executed)):
        nb.metadata["title"] = lesson["title"]  # the page's <title>
        link_lessons(nb, course)
        resources = {"lessons": course, "lesson_index": i, "metadata": {"name": lesson["name"]}}
        html, _ = exporter.from_notebook_node(nb, resources=resources)
        (out / f"{lesson['name']}.html").write_text(html, encoding="utf-8")
    index = exporter.environment.get_template("course.html.j2")
    page = index.render(title=TITLE, intro=intro, quick_start=quick_start, lessons=course)
    (out / "index.html").write_text(page, encoding="utf-8")
    shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", out / "plotly.min.js")
    shutil.copy(HERE / "site.css", out / "site.css")
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"site: wrote {out}/index.html and {len(course)} lesson pages, {size / 1e6:.1f} MB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
