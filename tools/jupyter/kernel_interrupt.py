"""What kernel_proxy.py does on Interrupt and after an error (mixed into its Proxy class), and the messages it
writes itself.

Interrupt never kills or hangs the kernel: with a cell running, (1) SIGINT to deno if it has a listener, (2) after
SIGNAL_WAIT s deno's own `interrupt_request`, (3) after TERMINATE_WAIT s more, kill deno, start it again and tell
the cell so; the same answer when deno exits in the middle of a cell. After a failed or interrupted cell whose
request has `stop_on_error`, the requests queued behind it are answered `aborted`, as with ipykernel. Why each
step, and the facts about Deno's kernel behind them: CONTRIBUTING.md, "Interrupts and errors".

A message on the wire is [routing identities…, b"<IDS|MSG>", signature, header, parent_header, metadata, content,
buffers…]; the signature is an HMAC of the four JSON frames with the connection file's key. The proxy's own
messages are made and signed by jupyter_client's `Session` (the one Jupyter itself uses).
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess

from jupyter_client.session import Session

SIGNAL_WAIT = 2.0  # s a cell gets to end after SIGINT (a lib loop takes milliseconds)
TERMINATE_WAIT = 2.0  # s a cell gets to end after deno was asked to halt its JavaScript
HALTED = ("Interrupted", "Interrupt halted this cell where it was: it never paused, so it could not stop "
          "at a step of its own. Variables are kept; what the cell was in the middle of changing may be half done.")
RERUN = "every variable and import is gone. Run the cells above this one again (Run ▸ Run All Above Selected Cell)."
RESTARTED = ("KernelRestarted", f"this cell did not stop when interrupted, so the kernel was restarted: {RERUN}")
DELIM = b"<IDS|MSG>"


def split(frames: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """(routing identities, message frames starting at the delimiter)."""
    i = frames.index(DELIM)
    return frames[:i], frames[i:]


def header(msg: list[bytes], which: int = 2) -> dict:
    """Decoded header (which=2), parent header (3) or content (5) of a message that starts at the delimiter."""
    try:
        return json.loads(msg[which])
    except (IndexError, ValueError):
        return {}


def error_content(what: tuple[str, str]) -> dict:
    ename, evalue = what
    return {"ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


def catches_sigint(pid: int) -> bool:
    """Whether process `pid` has a SIGINT handler. Deno installs one with the first SIGINT listener and keeps it;
    if every listener is removed again, SIGINT ends deno (exit 130), which the proxy then answers as a death."""
    bit = 1 << (signal.SIGINT - 1)
    try:
        with open(f"/proc/{pid}/status") as f:
            return any(int(line.split()[1], 16) & bit for line in f if line.startswith("SigCgt:"))
    except OSError:  # no /proc (macOS): BSD ps prints the same mask
        try:
            out = subprocess.run(["ps", "-o", "sigcatch=", "-p", str(pid)], capture_output=True, text=True)
            return bool(int(out.stdout.strip() or "0", 16) & bit)
        except (OSError, ValueError):
            return False


class Stopping:
    """Interrupt and stop-on-error for Proxy, which owns the state these methods read (cell, queue, sockets)."""

    def __init__(self, conn: dict) -> None:
        self.session = Session(key=conn.get("key", "").encode(), username="kernel",
                               signature_scheme=conn.get("signature_scheme", "hmac-sha256"))

    def new(self, msg_type: str, content: dict, request: list[bytes] | None) -> list[bytes]:
        """A fresh signed message (from the delimiter on), answering `request` if given."""
        return self.session.serialize(self.session.msg(msg_type, content, parent=header(request) if request else {}))

    def with_content(self, msg: list[bytes], content: dict) -> list[bytes]:
        """The same message (from the delimiter on) with another content, signed again."""
        parts = [*msg[2:5], self.session.pack(content)]
        return [DELIM, self.session.sign(parts), *parts, *msg[6:]]

    async def reply(self, name: str, request: list[bytes], msg_type: str, content: dict) -> None:
        idents = self.routes.pop(header(request).get("msg_id"), [])
        await self.front[name].send_multipart(idents + self.new(msg_type, content, request))

    async def publish(self, msg_type: str, content: dict, request: list[bytes]) -> None:
        await self.front["iopub"].send_multipart([f"kernel.{msg_type}".encode()] + self.new(msg_type, content, request))

    async def send_own(self, name: str, msg_type: str) -> None:
        msg = self.new(msg_type, {}, None)
        self.own.add(header(msg)["msg_id"])
        await self.back[name].send_multipart(msg)

    async def cell_done(self) -> None:
        """The current cell has ended: if it failed and asked for it, abort the cells queued behind it."""
        cell, self.cell = self.cell, None
        if cell.failed and cell.request.get("stop_on_error", True) and not cell.request.get("silent", False):
            while not self.queue.empty():  # as ipykernel: each is answered `aborted` and never runs
                msg = self.queue.get_nowait()
                await self.publish("status", {"execution_state": "busy"}, msg)
                await self.reply("shell", msg, "execute_reply", {"status": "aborted"})
                await self.publish("status", {"execution_state": "idle"}, msg)

    def interrupt(self, *_: object) -> None:
        """An Interrupt: with a cell running (and not already being stopped), stop it in steps."""
        cell = self.cell
        if cell is not None and not cell.replied.is_set() and not cell.interrupted:
            cell.interrupted = True
            asyncio.get_running_loop().create_task(self.stop_cell(cell))

    async def stop_cell(self, cell) -> None:
        child = self.child
        if child is None:
            return
        if catches_sigint(child.pid):
            child.send_signal(signal.SIGINT)
            if await ends(cell, SIGNAL_WAIT):
                return
        cell.halted = True
        await self.send_own("control", "interrupt_request")
        if await ends(cell, TERMINATE_WAIT):
            return
        self.restart = True
        child.kill()  # run_kernel returns, and start() answers the cell and starts deno again

    async def answer_restarted(self, code: int) -> None:
        """deno is gone in the middle of a cell (killed by stop_cell, or it exited): answer the cell with an
        error output, an error reply and idle; start() then starts deno again."""
        cell = self.cell
        what = RESTARTED if self.restart or cell.interrupted else (
            "KernelDied", f"the kernel stopped while this cell ran (exit code {code}) and was started again: {RERUN}")
        if not cell.replied.is_set():  # (it may have ended just before deno was killed: then only its idle)
            await self.publish("error", error_content(what), cell.msg)
            await self.reply("shell", cell.msg, "execute_reply",
                             {"status": "error", "execution_count": cell.count, **error_content(what)})
        await self.publish("status", {"execution_state": "idle"}, cell.msg)
        cell.failed = True
        cell.replied.set()
        await self.cell_done()


async def ends(cell, seconds: float) -> bool:
    """Whether `cell` replies within `seconds`."""
    try:
        await asyncio.wait_for(cell.replied.wait(), seconds)
        return True
    except asyncio.TimeoutError:
        return False
