"""What kernel_proxy.py does on Interrupt and after an error (mixed into its Proxy class).

Interrupt never kills or hangs the kernel. The kernelspec asks for `interrupt_mode: message`, so the ■ button
reaches the proxy as an `interrupt_request` (SIGINT to the proxy means the same). With no cell running nothing
happens. Otherwise, in steps, each only if the cell is still running:
1. SIGINT to deno, but only if deno has a SIGINT listener (lib/interrupt.ts registers one; without a listener
   SIGINT kills deno): lib loops stop at their next step, saying where.
2. After SIGNAL_WAIT s, an `interrupt_request` to deno, which halts the JavaScript that is running (V8
   TerminateExecution): a synchronous loop such as `while (true) {}` ends with the variables kept; deno replies a
   bare "Execution failed" with no output, which the proxy replaces with an explanation. (Sent to a cell that is
   waiting on a promise it only kills the continuation, and the cell never ends; hence step 1 first.)
3. After TERMINATE_WAIT s more, deno is killed and started again; the cell is answered with an error saying so and
   that the cells above must be run again.
The same answer, and a fresh deno, when deno exits in the middle of a cell without a shutdown request
(`Deno.exit()`, out of memory): the heartbeat is the proxy's, so Jupyter never sees a dead kernel.
Run All stops at the first error, as with ipykernel: after a cell fails (or was interrupted) whose request has
`stop_on_error` (the default), the requests queued behind it are answered `aborted` and never run.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time

from kernel_messages import header

SIGNAL_WAIT = 2.0  # s a cell gets to end after SIGINT (a lib loop takes milliseconds)
TERMINATE_WAIT = 2.0  # s a cell gets to end after deno was asked to halt its JavaScript
HALTED = ("Interrupted", "Interrupt halted this cell where it was: it never paused, so it could not stop "
          "at a step of its own. Variables are kept; what the cell was in the middle of changing may be half done.")
RERUN = "every variable and import is gone. Run the cells above this one again (Run ▸ Run All Above Selected Cell)."
RESTARTED = ("KernelRestarted", f"this cell did not stop when interrupted, so the kernel was restarted: {RERUN}")


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


def error_content(what: tuple[str, str]) -> dict:
    ename, evalue = what
    return {"ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


class Stopping:
    """Interrupt and stop-on-error for Proxy, which owns the state these methods read (current cell, queue, sockets)."""

    async def cell_done(self) -> None:
        """The current cell has ended: if it failed and asked for it, abort the cells queued behind it."""
        request = header(self.current_msg, 5)
        self.current = None
        if self.failed and request.get("stop_on_error", True) and not request.get("silent", False):
            while self.queue:  # as ipykernel: each is answered `aborted` and never runs
                msg = self.queue.popleft()
                await self.publish("status", {"execution_state": "busy"}, msg)
                await self.reply("shell", msg, "execute_reply", {"status": "aborted"})
                await self.publish("status", {"execution_state": "idle"}, msg)

    async def reply(self, name: str, request: list[bytes], msg_type: str, content: dict) -> None:
        idents = self.routes.pop(header(request).get("msg_id"), [])
        await self.front[name].send_multipart(idents + self.signer.new(msg_type, content, header(request)))

    async def publish(self, msg_type: str, content: dict, request: list[bytes]) -> None:
        await self.front["iopub"].send_multipart(
            [f"kernel.{msg_type}".encode()] + self.signer.new(msg_type, content, header(request)))

    def interrupt(self, *_: object) -> None:
        """An Interrupt: with a cell running (and not already being stopped), stop it in steps."""
        if self.current is not None and not self.replied and not self.interrupted:
            self.interrupted = True
            asyncio.get_running_loop().create_task(self.stop_cell(self.current))

    async def stop_cell(self, cell: str) -> None:
        child = self.child
        if child is None:
            return
        if catches_sigint(child.pid):
            child.send_signal(signal.SIGINT)
            if await self.ends(cell, SIGNAL_WAIT):
                return
        self.halted = True
        await self.send_own("control", "interrupt_request")
        if await self.ends(cell, TERMINATE_WAIT):
            return
        self.restart = True
        child.kill()  # run_kernel returns, and start() answers the cell and starts deno again

    async def ends(self, cell: str, seconds: float) -> bool:
        """Whether the cell `cell` replies within `seconds`."""
        deadline = time.monotonic() + seconds
        while self.current == cell and not self.replied:
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.05)
        return True

    async def answer_restarted(self, code: int) -> None:
        """deno is gone in the middle of a cell (killed by stop_cell, or it exited): answer the cell with an
        error output, an error reply and idle; start() then starts deno again."""
        what = RESTARTED if self.restart or self.interrupted else (
            "KernelDied", f"the kernel stopped while this cell ran (exit code {code}) and was started again: {RERUN}")
        self.restart = self.heard = False
        msg = self.current_msg
        await self.publish("error", error_content(what), msg)
        await self.reply("shell", msg, "execute_reply",
                         {"status": "error", "execution_count": self.count, **error_content(what)})
        await self.publish("status", {"execution_state": "idle"}, msg)
        self.held_idle = None
        self.failed = True
        await self.cell_done()

    async def send_own(self, name: str, msg_type: str) -> None:
        msg = self.signer.new(msg_type, {}, {})
        self.own.add(header(msg)["msg_id"])
        await self.back[name].send_multipart(msg)
