"""Check tools/jupyter/kernel_proxy.py against the real Deno kernel (used by tools/jupyter/kernel_proxy_test.ts).

Starts a kernel from the given kernelspec folder with jupyter_client, sends several cells at once the way
JupyterLab's "Run All" does, and counts output lines that land in the wrong cell or go missing; then interrupts
a loop that watches SIGINT (lib/interrupt.ts) and checks that the kernel survives with its state, and that
shutdown leaves no process behind. Prints one JSON object.

Usage: .venv/bin/python tools/jupyter/kernel_proxy_check.py KERNEL_DIRS_FOLDER KERNEL_NAME CWD [ROUNDS]
(ROUNDS 0: only start the kernel, run one cell and print {"output": ...}.)
"""

from __future__ import annotations

import json
import os
import queue
import re
import sys
import time

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

CELLS = [f"for (let i = 1; i <= 20; i++) console.log(`c{k} line ${{i}}`);" for k in range(4)] + [
    'for (let i = 1; i <= 20; i++) await Deno.jupyter.display({ "text/plain": `c4 line ${i}` }, { raw: true });',
    "`c5 line 1`",
]
EXPECTED = [20, 20, 20, 20, 20, 1]


def run_all(kc) -> int:
    """Send every cell at once; return how many output lines are missing from, or foreign to, their cell."""
    ids = [kc.execute(c) for c in CELLS]
    owner = {m: k for k, m in enumerate(ids)}
    texts: dict[int, str] = {k: "" for k in range(len(CELLS))}
    last_idle = False
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=0.5)
        except queue.Empty:
            if last_idle:
                break
            continue
        parent = msg["parent_header"].get("msg_id")
        content = msg["content"]
        if msg["msg_type"] == "status" and parent == ids[-1] and content["execution_state"] == "idle":
            last_idle = True
        if parent in owner:
            texts[owner[parent]] += content.get("text") or content.get("data", {}).get("text/plain", "")
    bad = 0
    for k, text in texts.items():
        marks = [int(m) for m in re.findall(r"c(\d) line", text)]
        bad += sum(1 for m in marks if m != k) + max(0, EXPECTED[k] - marks.count(k))
    return bad


def main() -> int:
    kernel_dirs, name, cwd = sys.argv[1], sys.argv[2], sys.argv[3]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    km = KernelManager(kernel_name=name, kernel_spec_manager=KernelSpecManager(kernel_dirs=[kernel_dirs]))
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    if rounds == 0:  # only: does a cell run?
        out: list[str] = []
        kc.execute_interactive('console.log("alive")', timeout=60,
                               output_hook=lambda m: out.append(m["content"].get("text", "")))
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        print(json.dumps({"output": "".join(out).strip()}))
        return 0
    result: dict = {"misplaced": [run_all(kc) for _ in range(rounds)]}

    kc.execute(
        'import { watchInterrupt, interrupted } from "@lib/interrupt.ts";\n'
        "watchInterrupt();\nlet spins = 0;\n"
        "while (!interrupted()) { spins++; await new Promise((r) => setTimeout(r, 1)); }\n"
        'console.log("stopped after", spins);'
    )
    time.sleep(2)
    km.interrupt_kernel()
    out = ""
    t0 = time.time()
    while time.time() - t0 < 20 and "stopped after" not in out:
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if msg["msg_type"] == "stream":
            out += msg["content"]["text"]
    result["interrupt_output"] = out.strip()
    after: list[str] = []
    reply = kc.execute_interactive(
        'console.log("state kept:", spins > 0)',
        timeout=30,
        output_hook=lambda m: after.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None,
    )
    result["after_interrupt"] = "".join(after).strip()
    result["after_status"] = reply["content"]["status"]

    pid = km.provisioner.process.pid
    children = [p for p in os.listdir("/proc") if p.isdigit() and _ppid(p) == pid]
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    time.sleep(0.5)
    result["left_running"] = [p for p in children if _alive(p)]
    print(json.dumps(result))
    return 0


def _ppid(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def _alive(pid: str) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return "zombie" not in f.read().lower()
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
