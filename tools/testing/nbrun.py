"""Headless notebook runner for the Deno kernel (used by `deno task notebooks`).

Runs with the project's .venv python (nbclient, nbformat). What it adds to a stock nbclient run:

* Drains IOPub after the kernel reports idle until no message arrived for --drain-quiet seconds (0.1 s):
  the Deno kernel reports `idle` before its last outputs are sent, and a stock client drops them.
* Fails on any error output (also one that arrives late), with the cell number and the error text.
* A timeout per cell (--timeout, seconds) and the wall time of every notebook.
* Exercises: --mode solution|wrong with --solutions tests/solutions/<stem>.json substitutes the source of every
  cell tagged `exercise` (metadata.exercise = id) and checks the self-check cell that follows it: with the
  solutions each prints a "✓" and no "✗"; with the wrong answers a "✗" and no "✓". Cells after the last
  self-check are not run in these modes.
* Per-cell expectations for platform fixtures: metadata.nbrun.expect = {"stdout_lines": n, "display_data": n,
  "execute_result": n, "mime:<type>": n (outputs carrying that MIME type), "stdout_contains": "text"};
  metadata.nbrun.interrupt_after = seconds sends the kernel an Interrupt (SIGINT, as JupyterLab's button does)
  while the cell runs; metadata.nbrun.interrupt_before = true sends one while the kernel is idle, before the
  cell, and fails if the kernel died.; --repeat N runs all cells N times in one kernel and checks them every time.
* --mode rerun: Run All, then every code cell once more in reverse order in the same kernel (a learner re-running
  cells out of order); any error output fails the run.

Usage:
  python tools/testing/nbrun.py [--timeout S] [--report out.json] notebook.ipynb ...
  python tools/testing/nbrun.py --plan plan.json      # [{"notebook", "mode"?, "solutions"?, "repeat"?, "label"?,
                                              #   "no_stderr"? (fail on stderr output, except with wrong answers)}]
Exit status: 0 when every run passed. On SIGTERM or SIGINT (e.g. from `timeout`) the running kernels are shut
down, no further run starts, and the exit status is 128 + the signal number.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import os
import signal
import sys
import time
from pathlib import Path
from queue import Empty

import nbformat
from jupyter_client.manager import AsyncKernelManager

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "jupyter"))
from kernel_proxy import free_ports  # noqa: E402 (tools/jupyter/kernel_proxy.py)
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async
from traitlets import Float

KERNEL_NAME = "microgpt-deno"
PASS_MARK = "✓"
FAIL_MARK = "✗"


class OwnPortsKernelManager(AsyncKernelManager):
    """A kernel manager whose ports lie outside the ephemeral range.

    jupyter_client picks ports with bind(0), then the kernel binds them a moment later. A kernel that binds its
    ports one after another (deno run directly does) can find one taken by the client's connection to an earlier
    one, which holds an ephemeral local port, and dies with "Address already in use". Ports outside that range
    cannot be taken that way. (Through tools/kernel_proxy.py all five are bound at once; this is a second guard.)
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(cache_ports=False, **kwargs)
        for attr, port in free_ports(self.ip).items():
            setattr(self, attr, port)


class DrainingClient(NotebookClient):
    """NotebookClient that keeps reading a cell's IOPub messages after `idle` until the channel is quiet."""

    drain_quiet = Float(0.1, help="Seconds without any IOPub message that end a cell after idle.").tag(
        config=True
    )

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):  # noqa: D401 (nbclient API)
        assert self.kc is not None
        idle = False
        while True:
            try:
                msg = await ensure_async(
                    self.kc.iopub_channel.get_msg(timeout=self.drain_quiet if idle else None)
                )
            except Empty:
                if idle:
                    return
                continue
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                if self.drain_quiet <= 0:
                    return
                idle = True


class StockClient(NotebookClient):
    """Plain nbclient behaviour (stops at idle); only for measuring the race with --no-drain."""


def cell_text(cell) -> str:
    """Everything a learner would read in a cell's output: streams and text/plain of displays."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif out.get("output_type") in ("display_data", "execute_result"):
            data = out.get("data", {})
            parts.append(str(data.get("text/plain", "")))
        elif out.get("output_type") == "error":
            parts.append(f"{out.get('ename')}: {out.get('evalue')}")
    return "".join(parts)


def error_text(out) -> str:
    tb = "\n".join(out.get("traceback") or [])
    head = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"
    return head if not tb or head in tb else f"{head}\n{tb}"


def count_outputs(cell) -> dict:
    counts = {"stdout_lines": 0, "stderr_lines": 0, "display_data": 0, "execute_result": 0, "error": 0}
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            lines = out.get("text", "").count("\n")
            counts["stdout_lines" if out.get("name") == "stdout" else "stderr_lines"] += lines
        elif kind in counts:
            counts[kind] += 1
        for mime in out.get("data", {}) if kind in ("display_data", "execute_result") else ():
            counts[f"mime:{mime}"] = counts.get(f"mime:{mime}", 0) + 1
    return counts


def code_cells_after(cells, index):
    for j in range(index + 1, len(cells)):
        if cells[j].cell_type == "code":
            return j
    return None


def prepare(nb, mode: str, solutions_path: str | None):
    """Substitutes exercise cells; returns (self-check cell indices {index: id}, last index to run, problems)."""
    problems: list[str] = []
    checks: dict[int, str] = {}
    if mode in ("plain", "rerun"):
        return checks, len(nb.cells) - 1, problems
    if not solutions_path:
        return checks, -1, [f"--mode {mode} needs --solutions"]
    solutions = json.loads(Path(solutions_path).read_text(encoding="utf-8"))
    seen = set()
    for i, cell in enumerate(nb.cells):
        ex = cell.get("metadata", {}).get("exercise")
        if cell.cell_type != "code" or ex is None:
            continue
        if "exercise" not in cell.get("metadata", {}).get("tags", []):
            problems.append(f"cell {i + 1}: metadata.exercise = {ex!r} but the cell is not tagged 'exercise'")
        if ex not in solutions:
            problems.append(f"cell {i + 1}: exercise {ex!r} has no entry in {solutions_path}")
            continue
        entry = solutions[ex]
        if mode not in entry or not isinstance(entry[mode], str):
            problems.append(f"{solutions_path}: exercise {ex!r} has no string '{mode}'")
            continue
        cell.source = entry[mode]
        seen.add(ex)
        j = code_cells_after(nb.cells, i)
        if j is None:
            problems.append(f"cell {i + 1}: exercise {ex!r} has no self-check code cell after it")
        else:
            checks[j] = ex
    for ex in solutions:
        if ex not in seen and not any(p for p in problems if repr(ex) in p):
            problems.append(f"{solutions_path}: exercise {ex!r} is not in the notebook")
    last = max(checks) if checks else -1
    if not checks and not problems:
        problems.append("no exercise cells found")
    return checks, last, problems


async def run_one(job: dict, opts) -> dict:
    path = Path(job["notebook"])
    mode = job.get("mode", "plain")
    label = job.get("label") or (f"{path} [{mode}]" if mode != "plain" else str(path))
    repeat = 2 if mode == "rerun" else int(job.get("repeat", 1))
    result = {"label": label, "notebook": str(path), "mode": mode, "ok": False, "seconds": 0.0, "problems": []}
    started = time.monotonic()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # unreadable JSON etc.
        result["problems"].append(f"cannot read notebook: {e}")
        return result
    checks, last, problems = prepare(nb, mode, job.get("solutions"))
    if problems:
        result["problems"] = problems
        return result

    cls = StockClient if opts.no_drain else DrainingClient
    client = cls(
        nb,
        kernel_manager_class=OwnPortsKernelManager,
        timeout=opts.timeout,
        kernel_name=opts.kernel,
        allow_errors=(mode == "wrong"),
        coalesce_streams=True,
        record_timing=False,
        startup_timeout=opts.startup_timeout,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    if isinstance(client, DrainingClient):
        client.drain_quiet = opts.drain_quiet
    LIVE_CLIENTS.add(client)
    cells_run = 0
    current = -1
    last_done = -1  # index of the last cell that finished (self-checks after it were never run)
    expectations_checked = 0
    try:
        async with client.async_setup_kernel():
            assert client.kc is not None
            info = await client.async_wait_for_reply(await ensure_async(client.kc.kernel_info()))
            if info is not None and "language_info" in info["content"]:
                nb.metadata["language_info"] = info["content"]["language_info"]
            for rep in range(repeat):
                order = list(enumerate(nb.cells))[: last + 1]
                if mode == "rerun" and rep > 0:
                    order.reverse()  # a learner re-running cells out of order, with all state already there
                for index, cell in order:
                    if cell.cell_type != "code":
                        continue
                    current = index
                    where = f"cell {index + 1}" + (
                        " (re-run, last cell first)" if mode == "rerun" and rep > 0
                        else f" (run {rep + 1} of {repeat})" if repeat > 1 else ""
                    )
                    nbmeta = cell.get("metadata", {}).get("nbrun", {})
                    if nbmeta.get("interrupt_before"):
                        await ensure_async(client.km.interrupt_kernel())
                        await asyncio.sleep(1.0)
                        if not await ensure_async(client.km.is_alive()):
                            problems.append(f"{where}: the kernel died on an Interrupt while idle")
                            raise DeadKernelError("died on idle interrupt")
                    interrupter = None
                    if nbmeta.get("interrupt_after") is not None:

                        async def interrupt_later(delay=float(nbmeta["interrupt_after"])):
                            await asyncio.sleep(delay)
                            await ensure_async(client.km.interrupt_kernel())

                        interrupter = asyncio.ensure_future(interrupt_later())
                    try:
                        await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                    except CellTimeoutError:
                        problems.append(f"{where}: timed out after {opts.timeout} s")
                        raise
                    except CellExecutionError as e:
                        errs = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
                        if errs:
                            text = error_text(errs[-1])
                        else:  # e.g. a syntax error: the kernel sends no error output, only the reply
                            text = f"{getattr(e, 'ename', 'Error')}: {getattr(e, 'evalue', '')}".strip()
                            if getattr(e, "evalue", "") == "Execution failed":
                                first = cell.source.strip().splitlines()[0][:80] if cell.source.strip() else ""
                                text += (
                                    f" (no details from the kernel: likely a syntax error in the cell starting"
                                    f" {first!r}; the notebook type-check `deno run -A tools/testing/nbcheck.ts"
                                    f" {path}` shows the line)"
                                )
                        problems.append(f"{where}: {text}")
                        raise
                    finally:
                        if interrupter is not None:
                            interrupter.cancel()
                    cells_run += 1
                    last_done = index
                    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
                    if errors and mode != "wrong":
                        problems.append(f"{where}: error output: {error_text(errors[0])}")
                        raise CellExecutionError("", "", "")
                    if job.get("no_stderr") and mode != "wrong":
                        warned = "".join(
                            o.get("text", "") for o in cell.get("outputs", [])
                            if o.get("output_type") == "stream" and o.get("name") == "stderr"
                        )
                        if warned.strip():
                            problems.append(f"{where}: wrote to stderr (a warning a learner would see): {warned[:300]!r}")
                    expect = cell.get("metadata", {}).get("nbrun", {}).get("expect")
                    if expect:
                        got = count_outputs(cell)
                        for key, want in expect.items():
                            expectations_checked += 1
                            if key == "stdout_contains":
                                if want not in cell_text(cell):
                                    problems.append(f"{where}: output lacks {want!r}: {cell_text(cell)[-300:]!r}")
                                continue
                            if got.get(key, 0) != want:
                                problems.append(f"{where}: expected {want} {key}, got {got.get(key, 0)}")
    except asyncio.CancelledError:
        # Stopped by a signal (see main_async). Leaving async_setup_kernel shut the kernel down; if it was still
        # starting, the context was not entered yet, so shut it down here. Never leave an orphan kernel behind.
        try:
            if client.km is not None and await ensure_async(client.km.is_alive()):
                await ensure_async(client.km.shutdown_kernel(now=True))
        finally:
            LIVE_CLIENTS.discard(client)
        raise
    except (CellExecutionError, CellTimeoutError):
        pass
    except DeadKernelError:
        if STOPPED_BY:
            problems.append(f"cell {current + 1}: not finished: the runner was stopped by {STOPPED_BY[0]}")
        elif not any("died" in p for p in problems):
            problems.append(
                f"cell {current + 1}: the kernel died while running it (out of memory? see the kernel's messages above)"
            )
    except Exception as e:  # kernel failed to start, etc.
        problems.append(f"{type(e).__name__}: {e}")
        # A kernel that failed to start leaves nbclient's exit-time clean-up registered, which would fail later
        # with a traceback about a closed event loop: clean up now instead.
        atexit.unregister(client._cleanup_kernel)
        try:
            if client.km is not None and await ensure_async(client.km.is_alive()):
                await ensure_async(client.km.shutdown_kernel(now=True))
        except Exception:  # already gone
            pass

    LIVE_CLIENTS.discard(client)
    for index, ex in sorted(checks.items()):
        if index > last_done:
            problems.append(f"cell {index + 1}: self-check of exercise {ex!r} did not run")
            continue
        text = cell_text(nb.cells[index])
        has_pass, has_fail = PASS_MARK in text, FAIL_MARK in text
        if mode == "solution" and not (has_pass and not has_fail):
            problems.append(
                f"cell {index + 1}: self-check of exercise {ex!r} with the solution printed "
                + ("no ✓" if not has_pass else "a ✗")
                + f": {text.strip()[:300]!r}"
            )
        if mode == "wrong" and not (has_fail and not has_pass):
            problems.append(
                f"cell {index + 1}: self-check of exercise {ex!r} with the wrong answer printed "
                + ("no ✗" if not has_fail else "a ✓")
                + f": {text.strip()[:300]!r}"
            )

    result.update(
        ok=not problems,
        seconds=round(time.monotonic() - started, 2),
        problems=problems,
        cells_run=cells_run,
        exercises=len(checks),
        expectations_checked=expectations_checked,
    )
    return result


def print_result(r: dict) -> None:
    status = "ok  " if r["ok"] else "FAIL"
    extra = []
    if r.get("cells_run") is not None:
        extra.append(f"{r['cells_run']} cells")
    if r.get("exercises"):
        extra.append(f"{r['exercises']} self-checks")
    if r.get("expectations_checked"):
        extra.append(f"{r['expectations_checked']} output counts")
    print(f"{status} {r['seconds']:6.1f} s  {r['label']}" + (f"  ({', '.join(extra)})" if extra else ""), flush=True)
    for p in r["problems"]:
        print("       " + p.replace("\n", "\n       "), flush=True)


STOPPED_BY: list[str] = []
"""The name of the signal that stopped the runner, once one did."""

LIVE_CLIENTS: set[NotebookClient] = set()
"""Clients whose kernel may be running (shut down immediately when a signal stops the runner)."""

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


async def main_async(jobs: list[dict], opts) -> tuple[list[dict], int | None]:
    """Runs the jobs, `opts.jobs` at once. Returns the finished results and the signal that stopped the run."""
    sem = asyncio.Semaphore(max(1, opts.jobs))
    results: list[dict | None] = [None] * len(jobs)

    async def worker(i: int, job: dict):
        async with sem:
            r = await run_one(job, opts)
            print_result(r)
            results[i] = r

    tasks = [asyncio.ensure_future(worker(i, j)) for i, j in enumerate(jobs)]
    stopped: list[int] = []

    def stop(sig: signal.Signals) -> None:
        if stopped:  # a second signal must not cancel the kernel shutdowns under way
            return
        stopped.append(int(sig))
        STOPPED_BY.append(sig.name)
        print(f"nbrun: {sig.name}: shutting down the running kernels, no more runs", file=sys.stderr, flush=True)
        for client in LIVE_CLIENTS:
            client.shutdown_kernel = "immediate"
        for t in tasks:
            t.cancel()

    # nbclient registers its own SIGINT/SIGTERM handler for each client (each replacing the previous one, each
    # removed when its run ends), so with several runs a signal shut down one kernel at most and the runner went
    # on starting new ones. Its registrations of these two signals are ignored; the runner's handler stays.
    loop = asyncio.get_running_loop()
    add_handler, remove_handler = loop.add_signal_handler, loop.remove_signal_handler

    def add_unless_stop_signal(sig, callback, *args):
        if sig not in STOP_SIGNALS:
            add_handler(sig, callback, *args)

    def remove_unless_stop_signal(sig):
        return False if sig in STOP_SIGNALS else remove_handler(sig)

    loop.add_signal_handler, loop.remove_signal_handler = add_unless_stop_signal, remove_unless_stop_signal
    for sig in STOP_SIGNALS:
        add_handler(sig, stop, sig)
    try:
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        for sig in STOP_SIGNALS:
            remove_handler(sig)
        loop.add_signal_handler, loop.remove_signal_handler = add_handler, remove_handler
    return [r for r in results if r is not None], (stopped[0] if stopped else None)


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text!r}")
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", help="notebooks to run as they are")
    ap.add_argument("--plan", help="JSON list of runs: notebook, mode, solutions, repeat, label")
    ap.add_argument("--mode", choices=["plain", "solution", "wrong", "rerun"], default="plain")
    ap.add_argument("--solutions", help="tests/solutions/<stem>.json for --mode solution|wrong")
    ap.add_argument("--repeat", type=int, default=1, help="run all cells N times in one kernel")
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("NBRUN_TIMEOUT", "180")), help="per cell, s")
    ap.add_argument("--startup-timeout", type=int, default=120)
    ap.add_argument("--drain-quiet", type=float, default=0.1, help="seconds of IOPub silence after idle")
    ap.add_argument("--no-drain", action="store_true", help="stock nbclient (to measure dropped outputs)")
    ap.add_argument("--jobs", type=positive_int, default=1, help="notebooks run at once (>= 1)")
    ap.add_argument("--kernel", default=KERNEL_NAME)
    ap.add_argument("--report", help="write the results as JSON here")
    opts = ap.parse_args(argv)

    jobs = []
    if opts.plan:
        jobs += json.loads(Path(opts.plan).read_text(encoding="utf-8"))
    for nb in opts.notebooks:
        jobs.append({"notebook": nb, "mode": opts.mode, "solutions": opts.solutions, "repeat": opts.repeat})
    if not jobs:
        ap.error("no notebooks given")

    results, stopped_by = asyncio.run(main_async(jobs, opts))
    if opts.report:
        Path(opts.report).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    passed = sum(1 for r in results if r["ok"])
    if stopped_by is not None:
        name = signal.Signals(stopped_by).name
        print(f"nbrun: stopped by {name} after {len(results)} of {len(jobs)} runs; {passed} passed", flush=True)
        return 128 + stopped_by
    print(f"nbrun: {passed} passed, {len(results) - passed} failed", flush=True)
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
