"""Proxy between Jupyter and the Deno kernel: every cell's output in that cell, Interrupt as in ipykernel.

It sits between Jupyter and `deno jupyter --kernel`, forwards every message unchanged (same key, same
signatures) and adds what Deno's kernel (2.9.6) lacks:
- Output in its cell. Deno sends part of a cell's output after it reports `idle`, tagged with the request it
  runs when the output is flushed; with "Run All" that is the next cell. The proxy hands deno one
  `execute_request` at a time, holds each cell's `idle` until IOPub has been quiet for a moment, then sends the next.
- Interrupt that never kills or hangs the kernel, and Run All that stops at the first error, as with ipykernel
  (kernel_interrupt.py).
Restart and Shutdown reach deno unchanged; the proxy exits when deno exits on its own.

Usage (kernelspec argv): python kernel_proxy.py DENO_PATH {connection_file}
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from collections import deque

import zmq
import zmq.asyncio

from kernel_interrupt import HALTED, Stopping, error_content
from kernel_messages import Signer, header, split
from kernel_ports import PORTS, free_ports

QUIET = float(os.environ.get("KERNEL_PROXY_QUIET", "0.1"))  # s of IOPub silence that ends a cell
MAX_HOLD = float(os.environ.get("KERNEL_PROXY_MAX_HOLD", "2.0"))  # s after idle at most (chatty timers)
STARTS = 4  # tries to start deno when a back-end port turns out taken
FRONT = (("shell", zmq.ROUTER), ("control", zmq.ROUTER), ("stdin", zmq.ROUTER), ("iopub", zmq.PUB), ("hb", zmq.REP))
BACK = (("shell", zmq.DEALER), ("control", zmq.DEALER), ("stdin", zmq.DEALER), ("iopub", zmq.SUB))


class Proxy(Stopping):
    def __init__(self, deno: str, conn: dict) -> None:
        self.deno = deno
        self.conn = conn
        self.signer = Signer(conn)
        self.ctx = zmq.asyncio.Context()
        self.routes: dict[str, list[bytes]] = {}  # request msg_id -> identities of the client that sent it
        self.queue: deque[list[bytes]] = deque()  # held execute_requests (frames from the delimiter)
        self.current: str | None = None  # msg_id of the execute_request the kernel is running
        self.current_msg: list[bytes] = []  # and that request
        self.replied = self.idle = False
        self.failed = False  # the current cell replied with an error or was interrupted
        self.interrupted = False  # an Interrupt arrived while the current cell ran
        self.halted = False  # deno was asked to halt the current cell's JavaScript
        self.count = 0  # the current cell's execution_count
        self.last_iopub = 0.0
        self.idle_at = 0.0
        self.wake = asyncio.Event()
        self.held_idle: list[bytes] | None = None  # the current cell's idle, held until its output settled
        self.child: asyncio.subprocess.Process | None = None
        self.heard = False  # any message from the kernel yet? (a kernel that answered is never restarted)
        self.stopping = False  # a shutdown was asked for (by Jupyter, or SIGTERM): deno's exit ends the proxy
        self.restart = False  # deno was killed because a cell would not stop: start it again
        self.ready = asyncio.Event()  # deno's IOPub reaches the proxy (set by the first message on it)
        self.own: set[str] = set()  # msg_ids of the proxy's own requests to deno: their answers stay here

    def sockets(self, kinds: tuple, conn: dict, bind: bool) -> dict[str, zmq.asyncio.Socket]:
        """One socket per channel of `conn`: bound for Jupyter (the front), connected to deno (the back)."""
        sockets = {}
        for name, kind in kinds:
            s = sockets[name] = self.ctx.socket(kind)
            s.linger = 0
            if kind == zmq.SUB:
                s.setsockopt(zmq.SUBSCRIBE, b"")
            url = f"{conn['transport']}://{conn['ip']}:{conn[name + '_port']}"
            s.bind(url) if bind else s.connect(url)
        return sockets

    async def start(self) -> int:
        self.front = self.sockets(FRONT, self.conn, bind=True)

        loop = asyncio.get_running_loop()
        signal.signal(signal.SIGINT, lambda *_: None)  # until the handler below is installed (none on Windows)
        for name, handler in (("SIGINT", self.interrupt), ("SIGTERM", self.stop_child), ("SIGHUP", self.stop_child)):
            try:  # SIGINT: an Interrupt in signal mode; SIGTERM/SIGHUP: stopped on its own, take the kernel along
                sig = getattr(signal, name)
                loop.add_signal_handler(sig, handler, sig)
            except (AttributeError, NotImplementedError, RuntimeError):  # Windows: no such signal / no handlers
                pass

        tasks = [asyncio.create_task(self.heartbeat())]
        try:
            attempt = 0
            while True:
                code, port_taken = await self.run_kernel()
                died = self.heard and self.current is not None and not self.replied  # in the middle of a cell
                if (self.restart or died) and not self.stopping:
                    await self.answer_restarted(code)
                    continue
                attempt += 1
                if not port_taken or self.heard or self.stopping or attempt == STARTS:
                    return code
                print(f"kernel_proxy: the Deno kernel found a port taken (start {attempt} of {STARTS}); "
                      "starting it again on other ports", file=sys.stderr, flush=True)
                if self.current is not None:  # sent to the kernel that died: hand it to the next one
                    self.queue.appendleft(self.current_msg)
                    self.current = None
        finally:
            for t in tasks:
                t.cancel()

    async def run_kernel(self) -> tuple[int, bool]:
        """Start deno on fresh back-end ports and relay until it exits: (exit code, died on a taken port?)."""
        c = self.conn
        back = {**c, **free_ports(c["ip"], {c[f"{name}_port"] for name in PORTS})}
        fd, back_path = tempfile.mkstemp(prefix="deno-kernel-", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(back, f)

        self.child = await asyncio.create_subprocess_exec(
            self.deno, "jupyter", "--kernel", "--conn", back_path, stderr=asyncio.subprocess.PIPE)
        stderr = asyncio.create_task(self.relay_stderr(self.child.stderr))

        self.back = self.sockets(BACK, back, bind=False)

        tasks = [asyncio.create_task(self.client_to_kernel(name)) for name in ("shell", "control", "stdin")]
        tasks += [asyncio.create_task(self.kernel_to_client(name)) for name in ("shell", "control", "stdin")]
        self.ready.clear()  # no cell goes to this deno before its IOPub answers (greet)
        tasks += [asyncio.create_task(self.iopub()), asyncio.create_task(self.scheduler())]
        tasks.append(asyncio.create_task(self.greet()))
        code = await self.child.wait()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        try:
            port_taken = await asyncio.wait_for(stderr, 5)
        except asyncio.TimeoutError:  # a grandchild holds the pipe open
            port_taken = False
        for s in self.back.values():
            s.close()
        try:
            os.unlink(back_path)
        except OSError:
            pass
        return code, port_taken

    async def relay_stderr(self, pipe: asyncio.StreamReader) -> bool:
        """Copy deno's stderr to ours; True if it said a port was taken."""
        tail, taken = b"", False
        out = sys.stderr.buffer
        while chunk := await pipe.read(65536):
            out.write(chunk)
            out.flush()
            tail = tail[-64:] + chunk  # a message split across two reads still matches
            taken = taken or b"AddrInUse" in tail or b"Address already in use" in tail
        return taken

    def stop_child(self, sig: int) -> None:
        self.stopping = True
        if self.child is not None and self.child.returncode is None:
            self.child.send_signal(sig)

    async def client_to_kernel(self, name: str) -> None:
        while True:
            frames = await self.front[name].recv_multipart()
            idents, msg = split(frames)
            h = header(msg)
            if msg_id := h.get("msg_id"):
                self.routes[msg_id] = idents
                while len(self.routes) > 10_000:  # requests that never get a reply (none expected): forget the oldest
                    del self.routes[next(iter(self.routes))]
            if name == "shell" and h.get("msg_type") == "execute_request":
                self.queue.append(msg)
                self.wake.set()
            elif name == "control" and h.get("msg_type") == "interrupt_request":
                await self.reply("control", msg, "interrupt_reply", {"status": "ok"})
                self.interrupt()
            else:
                self.stopping = self.stopping or h.get("msg_type") == "shutdown_request"  # Restart, Shutdown
                await self.back[name].send_multipart(msg)

    async def kernel_to_client(self, name: str) -> None:
        while True:
            frames = await self.back[name].recv_multipart()
            self.heard = True
            _, msg = split(frames)
            parent = header(msg, 3).get("msg_id")
            idents = self.routes.get(parent)
            if idents is None:  # the answer to one of the proxy's own requests
                continue
            msg_type = header(msg).get("msg_type", "")
            if name == "shell" and msg_type == "execute_reply" and parent == self.current:
                content = header(msg, 5)
                self.failed = content.get("status") == "error" or self.interrupted
                if self.halted and content.get("status") == "error":  # deno says only "Execution failed"
                    msg = self.signer.with_content(msg, {**content, **error_content(HALTED)})
                    await self.publish("error", error_content(HALTED), self.current_msg)
                self.replied = True
                self.wake.set()
            if name != "stdin" and msg_type.endswith("_reply"):
                self.routes.pop(parent, None)
            await self.front[name].send_multipart(idents + msg)

    async def iopub(self) -> None:
        while True:
            frames = await self.back["iopub"].recv_multipart()
            self.heard = True
            self.last_iopub = time.monotonic()
            _, msg = split(frames)
            self.ready.set()
            msg_type = header(msg).get("msg_type")
            if header(msg, 3).get("msg_id") in self.own:
                continue
            if header(msg, 3).get("msg_id") == self.current:
                if msg_type == "execute_input":
                    self.count = header(msg, 5).get("execution_count", 0)
                elif msg_type == "error" and self.halted:  # the proxy publishes its own explanation
                    continue
                elif msg_type == "status" and header(msg, 5).get("execution_state") == "idle":
                    self.idle = True
                    self.idle_at = self.last_iopub
                    self.held_idle = frames  # sent when the cell has settled, after its late output
                    self.wake.set()
                    continue
            await self.front["iopub"].send_multipart(frames)

    async def greet(self) -> None:
        """Ask deno for kernel_info until its IOPub answers: a message published before the proxy's subscription
        reached deno is lost (PUB/SUB), so no cell is sent before that (jupyter_client's wait_for_ready does the same)."""
        while not self.ready.is_set():
            await self.send_own("shell", "kernel_info_request")
            try:
                await asyncio.wait_for(self.ready.wait(), 0.2)
            except asyncio.TimeoutError:
                pass

    async def heartbeat(self) -> None:
        while True:
            ping = await self.front["hb"].recv_multipart()
            await self.front["hb"].send_multipart(ping)

    async def scheduler(self) -> None:
        """Send held execute_requests one at a time, each after the previous cell's output has settled."""
        while True:
            if self.current is not None:
                if self.replied and self.idle:
                    now = time.monotonic()
                    quiet = now - self.last_iopub >= QUIET
                    if quiet or now - self.idle_at >= MAX_HOLD:
                        if self.held_idle is not None:
                            await self.front["iopub"].send_multipart(self.held_idle)
                            self.held_idle = None
                        await self.cell_done()
                        continue
                    await asyncio.sleep(QUIET - (now - self.last_iopub) if not quiet else 0)
                    continue
                self.wake.clear()
                await self.wake.wait()
                continue
            if not self.queue:
                self.wake.clear()
                await self.wake.wait()
                continue
            await self.ready.wait()
            msg = self.queue.popleft()
            self.current, self.current_msg = header(msg).get("msg_id"), msg
            self.replied = self.idle = self.failed = self.interrupted = self.halted = False
            self.count = 0
            await self.back["shell"].send_multipart(msg)


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: kernel_proxy.py DENO_PATH CONNECTION_FILE", file=sys.stderr)
        return 2
    with open(sys.argv[2]) as f:
        conn = json.load(f)
    return asyncio.run(Proxy(sys.argv[1], conn).start())


if __name__ == "__main__":
    sys.exit(main())
