"""Drive a kernel through jupyter_client, as JupyterLab does, for tools/jupyter/kernel_proxy_test.ts.

Starts a kernel from the given kernelspec folder, plays the steps (a JSON object: step name -> step) in order,
shuts the kernel down, lists processes left behind, and prints one JSON object: step name -> result, plus
`left_running`. A step is one of:
- {"run": code}: execute one cell; its result {status, text (its output), seconds};
- {"run_all": [code, …], "stop_on_error": bool}: send every cell at once (Run All); the list of their results;
- {"run": code, "interrupt_after": s, "then": code}: Interrupt `s` into the cell; its result, with `then`'s
  result and `answered_after` (s from the Interrupt until `then` answered);
- {"interrupt": true}: an Interrupt with nothing running (then a pause); {"restart_during": code}: Restart (as
  JupyterLab's menu) a second into the cell.

Usage: .venv/bin/python tools/jupyter/kernel_proxy_check.py KERNEL_DIRS_FOLDER KERNEL_NAME CWD STEPS_JSON
"""

from __future__ import annotations

import json
import queue
import sys
import time

import psutil
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager


def results(kc, ids: list[str], timeout: float = 60) -> list[dict]:
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


def play(km, kc, step: dict):
    """One step (see the module docstring) and its result."""
    if step.get("interrupt"):
        km.interrupt_kernel()
        time.sleep(0.5)
    elif "restart_during" in step:
        kc.execute(step["restart_during"])
        time.sleep(1)
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=60)
    elif "run_all" in step:
        return results(kc, [kc.execute(code, stop_on_error=step["stop_on_error"]) for code in step["run_all"]])
    elif "interrupt_after" in step:
        msg_id = kc.execute(step["run"])
        time.sleep(step["interrupt_after"])
        km.interrupt_kernel()
        t0 = time.time()
        [stopped] = results(kc, [msg_id])
        then = results(kc, [kc.execute(step["then"])])[0]
        return {**stopped, "then": then, "answered_after": round(time.time() - t0, 2)}
    else:
        return results(kc, [kc.execute(step["run"])])[0]


def alive(p: psutil.Process) -> bool:
    try:
        return p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def main() -> int:
    kernel_dirs, name, cwd, steps = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    km = KernelManager(kernel_name=name, kernel_spec_manager=KernelSpecManager(kernel_dirs=[kernel_dirs]))
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    result = {key: play(km, kc, step) for key, step in steps.items()}
    children = psutil.Process(km.provisioner.process.pid).children()
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    time.sleep(0.5)
    result["left_running"] = [p.pid for p in children if alive(p)]
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
