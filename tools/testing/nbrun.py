"""Runs one notebook headless with the Deno kernel and checks it (used by `deno task notebooks`).

Stock nbclient executes the cells (its timeout, its stop at the first error, its kernel shutdown on SIGTERM and
SIGINT); its hooks before and after each cell do the course's checks. The project's kernelspec starts the kernel
through tools/jupyter/kernel_proxy.py, which keeps every late output in its cell and picks the kernel's ports
safely, so nothing here waits for late output or guards ports. What this adds for the course:

* a plain run (no --mode, no --parameters) checks that the notebook is committed clean: no outputs, no
  execution counts, the project's kernelspec;
* every error output fails the run (with the cell number and the error); a per-cell timeout (--timeout, s);
* --mode rerun: Run All, then every code cell once more, last first, in the same kernel (a learner re-running
  cells out of order);
* --mode solution|wrong --solutions FILE: the source of every cell tagged `exercise` (metadata.exercise = id)
  is replaced by that answer, and the self-check cell after it must print "✓" and no "✗" (solution) or "✗" and
  no "✓" (wrong answer); cells after the last self-check are not run;
* --no-stderr: a cell that writes to stderr fails the run (a warning a learner would see);
* --parameters JSON: papermill's parameter injection (a cell after the one tagged `parameters` that declares
  the given values again, written by tools/jupyter/papermill_typescript), as `papermill -p name value` does;
* per-cell expectations for the platform fixtures: metadata.nbrun.expect = {"stdout_lines": n,
  "display_data": n, "execute_result": n, "mime:<type>": n, "stdout_contains": "text"};
  metadata.nbrun.interrupt_after = s sends an Interrupt (as JupyterLab's ■ button) while the cell runs,
  metadata.nbrun.interrupt_before = true one while the kernel is idle (the kernel must survive it).

Usage: python tools/testing/nbrun.py --help. Prints the result as one JSON object on stdout ({"ok", "seconds",
"problems", "cells_run", "exercises", "expectations"}); the kernel's own messages go to stderr. Exit status 0
passed, 1 failed.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import copy
import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

PASS_MARK, FAIL_MARK = "✓", "✗"


def cell_text(cell) -> str:
    """Everything a learner would read in a cell's output: streams, text/plain of displays, errors."""
    parts = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            parts.append(out.get("text", ""))
        elif kind in ("display_data", "execute_result"):
            parts.append(str(out.get("data", {}).get("text/plain", "")))
        elif kind == "error":
            parts.append(f"{out.get('ename')}: {out.get('evalue')}")
    return "".join(parts)


def error_text(out) -> str:
    tb = "\n".join(out.get("traceback") or [])
    head = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"
    return head if not tb or head in tb else f"{head}\n{tb}"


def count_outputs(cell) -> dict:
    """Output counts a fixture's metadata.nbrun.expect can name."""
    counts = {"stdout_lines": 0, "stderr_lines": 0, "display_data": 0, "execute_result": 0, "error": 0}
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            key = "stdout_lines" if out.get("name") == "stdout" else "stderr_lines"
            counts[key] += out.get("text", "").count("\n")
        elif kind in counts:
            counts[kind] += 1
        for mime in out.get("data", {}) if kind in ("display_data", "execute_result") else ():
            counts[f"mime:{mime}"] = counts.get(f"mime:{mime}", 0) + 1
    return counts


def read(path: Path, opts):
    """The notebook; with --parameters, read as papermill reads it, with papermill's injected-parameters cell."""
    if not opts.parameters:
        return nbformat.read(path, as_version=4)
    # papermill loads its `papermill.engine` entry points on import; ours, papermill_typescript, registers the
    # TypeScript translator as it loads (importing it first would be a circular import).
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(path))
    return parameterize_notebook(nb, json.loads(opts.parameters), kernel_name=opts.kernel, language="typescript")


def substitute(nb, mode: str, solutions_path: str) -> tuple[dict[int, str], list[str]]:
    """Puts each exercise's answer for `mode` in its cell: ({self-check cell index: exercise id}, problems)."""
    solutions = json.loads(Path(solutions_path).read_text(encoding="utf-8"))
    checks: dict[int, str] = {}
    problems: list[str] = []
    for i, cell in enumerate(nb.cells):
        ex = cell.metadata.get("exercise")
        if cell.cell_type != "code" or ex is None:
            continue
        if "exercise" not in cell.metadata.get("tags", []):
            problems.append(f"cell {i + 1}: metadata.exercise = {ex!r} but the cell is not tagged 'exercise'")
        answer = solutions.get(ex, {}).get(mode)
        if not isinstance(answer, str):
            problems.append(f"cell {i + 1}: exercise {ex!r} has no string '{mode}' in {solutions_path}")
            continue
        cell.source = answer
        after = [j for j in range(i + 1, len(nb.cells)) if nb.cells[j].cell_type == "code"]
        if after:
            checks[after[0]] = ex
        else:
            problems.append(f"cell {i + 1}: exercise {ex!r} has no self-check code cell after it")
    exercises = {c.metadata.get("exercise") for c in nb.cells}
    problems += [f"{solutions_path}: exercise {ex!r} is not in the notebook" for ex in solutions if ex not in exercises]
    if not checks and not problems:
        problems.append("no exercise cells found")
    return checks, problems


def commit_problems(nb, kernel: str) -> list[str]:
    """What is wrong with how the notebook is committed: another kernelspec, outputs or execution counts left in."""
    name = nb.metadata.get("kernelspec", {}).get("name")
    problems = [] if name == kernel else [f"metadata.kernelspec.name is {name!r}, expected {kernel!r}"]
    dirty = [str(i + 1) for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    if dirty:
        problems.append(f"committed with outputs or execution counts in cell(s) {', '.join(dirty)}"
                        " (clear them: Edit → Clear Outputs of All Cells, then save)")
    return problems


def cell_problems(cell, where: str, opts, reply: dict) -> tuple[list[str], int]:
    """What is wrong with a cell's outputs after it ran, and how many expectations were checked."""
    problems = []
    if opts.mode != "wrong":
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors:
            problems.append(f"{where}: error output: {error_text(errors[0])}")
        elif reply["content"]["status"] == "error":  # the kernel said nothing more
            content = reply["content"]
            problems.append(f"{where}: {content.get('ename')}: {content.get('evalue')} (no details from the kernel:"
                            " likely a syntax error; the notebook type-check"
                            f" `deno run -A tools/testing/nbcheck.ts {opts.notebook}` shows the line)")
        warned = "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr")
        if opts.no_stderr and warned.strip():
            problems.append(f"{where}: wrote to stderr (a warning a learner would see): {warned[:300]!r}")
    expect = cell.metadata.get("nbrun", {}).get("expect", {})
    got = count_outputs(cell)
    for key, want in expect.items():
        if key == "stdout_contains":
            if want not in cell_text(cell):
                problems.append(f"{where}: output lacks {want!r}: {cell_text(cell)[-300:]!r}")
        elif got.get(key, 0) != want:
            problems.append(f"{where}: expected {want} {key}, got {got.get(key, 0)}")
    return problems, len(expect)


def self_check_problems(nb, checks: dict[int, str], mode: str, last_done: int) -> list[str]:
    """Each exercise's self-check printed ✓ (solution) or ✗ (wrong answer), and only that."""
    problems = []
    for index, ex in sorted(checks.items()):
        if index > last_done:
            problems.append(f"cell {index + 1}: self-check of exercise {ex!r} did not run")
            continue
        text = cell_text(nb.cells[index])
        want, other = (PASS_MARK, FAIL_MARK) if mode == "solution" else (FAIL_MARK, PASS_MARK)
        if want not in text or other in text:
            problems.append(
                f"cell {index + 1}: self-check of exercise {ex!r} with the"
                f" {'solution' if mode == 'solution' else 'wrong answer'}"
                f" printed {'no ' + want if want not in text else 'a ' + other}: {text.strip()[:300]!r}"
            )
    return problems


async def run(path: Path, opts) -> dict:
    started = time.monotonic()
    nb = read(path, opts)
    checks, problems = substitute(nb, opts.mode, opts.solutions) if opts.solutions else ({}, [])
    result = {"ok": False, "seconds": 0.0, "problems": problems, "cells_run": 0, "exercises": len(checks),
              "expectations": 0}
    if problems:
        return result
    if opts.mode == "plain" and not opts.parameters:
        problems += commit_problems(nb, opts.kernel)
    if checks:
        del nb.cells[max(checks) + 1:]  # nothing after the last self-check runs
    where = [f"cell {i + 1}" for i in range(len(nb.cells))]
    if opts.mode == "rerun":  # the same cells again, appended in reverse: stock nbclient runs them in one kernel
        code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"][::-1]
        nb.cells += [copy.deepcopy(nb.cells[i]) for i in code]
        where += [f"cell {i + 1} (re-run, last cell first)" for i in code]
    state = {"at": "kernel start", "last_done": -1, "interrupter": None}

    async def before(cell, cell_index):
        state["at"] = where[cell_index]
        nbrun = cell.metadata.get("nbrun", {})
        if nbrun.get("interrupt_before"):  # a kernel that dies of it fails the cell (DeadKernelError)
            await client.km.interrupt_kernel()
            await asyncio.sleep(1.0)
        if nbrun.get("interrupt_after") is not None:
            interrupt = lambda: asyncio.ensure_future(client.km.interrupt_kernel())  # noqa: E731
            state["interrupter"] = asyncio.get_running_loop().call_later(float(nbrun["interrupt_after"]), interrupt)

    def after(cell, cell_index, execute_reply):
        if state["interrupter"]:
            state["interrupter"].cancel()
        result["cells_run"] += 1
        state["last_done"] = max(state["last_done"], cell_index)
        found, checked = cell_problems(cell, state["at"], opts, execute_reply)
        problems.extend(found)
        result["expectations"] += checked

    client = NotebookClient(nb, timeout=opts.timeout, kernel_name=opts.kernel, allow_errors=opts.mode == "wrong",
                            startup_timeout=120, resources={"metadata": {"path": str(path.parent.resolve())}},
                            on_cell_execute=before, on_cell_executed=after)
    try:
        await client.async_execute()
    except CellExecutionError:
        pass  # `after` recorded the error
    except CellTimeoutError:
        problems.append(f"{state['at']}: timed out after {opts.timeout} s")
    except DeadKernelError:
        problems.append(f"{state['at']}: the kernel died (out of memory, an Interrupt, or stopped by a signal?"
                        " see its messages above)")
    except Exception as e:  # the kernel failed to start, etc.
        problems.append(f"{type(e).__name__}: {e}")
        # nbclient's exit-time clean-up would fail later with a traceback about a closed event loop.
        atexit.unregister(client._cleanup_kernel)
    problems += self_check_problems(nb, checks, opts.mode, state["last_done"])
    result.update(ok=not problems, seconds=round(time.monotonic() - started, 2))
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebook")
    ap.add_argument("--mode", choices=["plain", "rerun", "solution", "wrong"], default="plain")
    ap.add_argument("--solutions", help="tests/solutions/<stem>.json for --mode solution|wrong")
    ap.add_argument("--no-stderr", action="store_true", help="fail on any output to stderr")
    ap.add_argument("--parameters", help='JSON object to inject as papermill does, e.g. {"num_steps": 60}')
    ap.add_argument("--timeout", type=int, default=180, help="per cell, s")
    ap.add_argument("--kernel", default="microgpt-deno")
    opts = ap.parse_args(argv)
    if (opts.mode in ("solution", "wrong")) != bool(opts.solutions):
        ap.error("--solutions goes with --mode solution or wrong, and only with them")
    try:
        result = asyncio.run(run(Path(opts.notebook), opts))
    except (OSError, ValueError) as e:  # unreadable notebook or solutions file
        result = {"ok": False, "seconds": 0.0, "problems": [f"cannot read: {e}"]}
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
