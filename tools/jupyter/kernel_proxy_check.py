"""Check tools/jupyter/kernel_proxy.py against the real Deno kernel (used by tools/jupyter/kernel_proxy_test.ts).

Starts a kernel from the given kernelspec folder with jupyter_client and, by MODE:
- runall: sends several cells at once the way JupyterLab's "Run All" does, 3 rounds, and counts output lines
  that land in the wrong cell or go missing;
- interrupt: interrupts at every kind of moment (idle, a training loop, a runaway synchronous loop, a cell
  waiting forever), sends a failing cell with two behind it, restarts during a runaway loop;
- alive: runs one cell.
Then shuts the kernel down and lists processes left behind. Prints one JSON object.

Usage: .venv/bin/python tools/jupyter/kernel_proxy_check.py KERNEL_DIRS_FOLDER KERNEL_NAME CWD [MODE]
"""

from __future__ import annotations

import json
import queue
import re
import sys
import time

import psutil
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

CELLS = [f"for (let i = 1; i <= 20; i++) console.log(`c{k} line ${{i}}`);" for k in range(4)] + [
    'for (let i = 1; i <= 20; i++) await Deno.jupyter.display({ "text/plain": `c4 line ${i}` }, { raw: true });',
    "`c5 line 1`",
]
EXPECTED = [20, 20, 20, 20, 20, 1]


def results(kc, ids: list[str], timeout: float = 30) -> list[dict]:
    """Wait until every request of `ids` has its reply and idle: for each, {status, text (its output), seconds}."""
    t0 = time.time()
    cells = {i: {"status": None, "text": "", "idle": False} for i in ids}
    while time.time() - t0 < timeout and not all(c["status"] and c["idle"] for c in cells.values()):
        for get, wait in ((kc.get_iopub_msg, 0.05), (kc.get_shell_msg, 0)):
            try:
                msg = get(timeout=wait)
            except queue.Empty:
                continue
            c, content = cells.get(msg["parent_header"].get("msg_id")), msg["content"]
            if c is None:
                continue
            if msg["msg_type"] == "execute_reply":
                c["status"] = content["status"]
                continue
            c["idle"] = c["idle"] or content.get("execution_state") == "idle"
            c["text"] += content.get("text") or content.get("evalue") or content.get("data", {}).get("text/plain", "")
    seconds = round(time.time() - t0, 2)
    return [{"status": c["status"] or "timeout", "text": c["text"].strip(), "seconds": seconds} for c in cells.values()]


def run(kc, code: str, timeout: float = 30) -> dict:
    return results(kc, [kc.execute(code)], timeout)[0]


def run_all(kc) -> int:
    """Send every cell at once; return how many output lines are missing from, or foreign to, their cell."""
    bad = 0
    for k, r in enumerate(results(kc, [kc.execute(c) for c in CELLS], 60)):
        marks = [int(m) for m in re.findall(r"c(\d) line", r["text"])]
        bad += sum(1 for m in marks if m != k) + max(0, EXPECTED[k] - marks.count(k))
    return bad


def interrupted(km, kc, code: str, after: float, then: str) -> dict:
    """Run `code`, Interrupt it `after` s in; the cell's result, then that of `then` (s counted from the Interrupt)."""
    msg_id = kc.execute(code)
    time.sleep(after)
    km.interrupt_kernel()
    t0 = time.time()
    stopped = results(kc, [msg_id])[0]
    return {**stopped, "then": run(kc, then), "answered_after": round(time.time() - t0, 2)}


def interrupts(km, kc) -> dict:
    """Interrupt at every kind of moment; Run All with a failing first cell; Restart during a runaway cell."""
    r = {"setup": run(kc, 'import { createModel, Random, Tokenizer, train } from "@lib/mod.ts";\n'
                          'const docs = ["emma", "olivia", "ava"], tokenizer = Tokenizer.fromDocs(docs);\n'
                          "const model = createModel({ config: { vocab_size: tokenizer.vocab_size, n_embd: 8, "
                          "n_head: 2 }, rng: new Random(1) });\nlet kept = 41;")}
    km.interrupt_kernel()  # nothing runs
    time.sleep(0.5)
    r["idle"] = run(kc, "kept + 1")
    r["train"] = interrupted(km, kc, "const history = await train(model, { docs, tokenizer, num_steps: 200_000 });",
                             4, "[history.stoppedAt === history.losses.length, Number.isFinite(model.loss([[0, 1]]))]")
    r["sweep"] = interrupted(km, kc, "const runs = [];\nfor (let i = 0; i < 3; i++) "
                             "runs.push((await train(model, { docs, tokenizer, num_steps: 200_000 })).stoppedAt);",
                             2, "runs.length")
    r["runaway"] = interrupted(km, kc, "while (true) {}", 2, "[1 + 1, kept]")
    ids = [kc.execute(c) for c in ('throw new Error("first")', "var second = 2", "var third = 3")]
    r["run_all"] = [x["status"] for x in results(kc, ids)] + [run(kc, "typeof second + typeof third")["text"]]
    ids = [kc.execute('throw new Error("again")', stop_on_error=False), kc.execute("var fourth = 4; fourth")]
    r["no_stop"] = [x["status"] for x in results(kc, ids)]
    r["waiting"] = interrupted(km, kc, "await new Promise(() => {})", 2, "[1 + 1, typeof kept]")
    r["exit"] = run(kc, "Deno.exit(3)")
    r["after_exit"] = run(kc, "1 + 1")
    kc.execute("while (true) {}")
    time.sleep(1)
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=60)
    r["restarted"] = run(kc, "1 + 1")
    return r


def alive(p: psutil.Process) -> bool:
    try:
        return p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def main() -> int:
    kernel_dirs, name, cwd = sys.argv[1], sys.argv[2], sys.argv[3]
    mode = sys.argv[4] if len(sys.argv) > 4 else "runall"
    km = KernelManager(kernel_name=name, kernel_spec_manager=KernelSpecManager(kernel_dirs=[kernel_dirs]))
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    if mode == "alive":  # only: does a cell run?
        result = {"output": run(kc, 'console.log("alive")', 60)["text"]}
    elif mode == "interrupt":
        result = interrupts(km, kc)
    else:
        result = {"misplaced": [run_all(kc) for _ in range(3)]}
    children = psutil.Process(km.provisioner.process.pid).children()
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    time.sleep(0.5)
    result["left_running"] = [p.pid for p in children if alive(p)]
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
