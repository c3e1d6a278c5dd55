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
import random
import signal
import socket
import sys
import tempfile
import time

import zmq
import zmq.asyncio

from kernel_interrupt import HALTED, Stopping, error_content, header, split

QUIET = 0.1  # s of IOPub silence that ends a cell
MAX_HOLD = 2.0  # s after idle at most (chatty timers)
FRONT = (("shell", zmq.ROUTER), ("control", zmq.ROUTER), ("stdin", zmq.ROUTER), ("iopub", zmq.PUB), ("hb", zmq.REP))
BACK = (("shell", zmq.DEALER), ("control", zmq.DEALER), ("stdin", zmq.DEALER), ("iopub", zmq.SUB))
CHANNELS = ("shell", "iopub", "stdin", "control", "hb")


def free_ports(ip: str, taken: set[int]) -> dict[str, int]:
    """Five free ports for deno's channels (connection-file keys), chosen outside the ephemeral range.

    Deno binds the back-end ports one after another, a moment after we pick them. A port from bind(0) lies in the
    ephemeral range, and our zmq sockets connect to deno while it starts: a connection to a port deno already
    bound (or a retry, every 100 ms) holds a fresh ephemeral local port, which can be one deno has yet to bind,
    and deno dies with "Address already in use" (seen in CI; 2 of 360 starts in a stress run). A port outside
    that range cannot be taken that way.
    """
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo, hi = (int(x) for x in f.read().split())
    except (OSError, ValueError):
        lo, hi = 49152, 65535  # IANA's dynamic range: macOS and Windows use it
    pool = [r for r in (range(10_000, lo), range(hi + 1, 65_536)) if len(r) >= 1_000]
    ports: dict[str, int] = {}
    while len(ports) < len(CHANNELS):
        port = random.choice(random.choice(pool)) if pool else 0  # no room outside the range: the OS chooses
        if port in taken or port in ports.values():
            continue
        with socket.socket() as s:
            try:
                s.bind((ip, port))
            except OSError:
                continue
            ports[f"{CHANNELS[len(ports)]}_port"] = s.getsockname()[1]
    return ports


class Cell:
    """An execute_request handed to deno, until its output has settled."""

    def __init__(self, msg: list[bytes]) -> None:
        self.msg = msg  # the request's frames, from the delimiter on
        self.id = header(msg).get("msg_id")
        self.request = header(msg, 5)
        self.count = 0  # its execution_count
        self.failed = False  # replied with an error, or was interrupted
        self.interrupted = False  # an Interrupt arrived while it ran
        self.halted = False  # deno was asked to halt its JavaScript
        self.replied = asyncio.Event()
        self.idle = asyncio.Event()
        self.idle_frames: list[bytes] = []  # its idle, held until its late output is through
        self.idle_at = 0.0


class Proxy(Stopping):
    def __init__(self, deno: str, conn: dict) -> None:
        super().__init__(conn)
        self.deno = deno
        self.conn = conn
        self.ctx = zmq.asyncio.Context()
        self.routes: dict[str, list[bytes]] = {}  # request msg_id -> identities of the client that sent it
        self.cell: Cell | None = None  # the cell deno is running
        self.last_iopub = 0.0
        self.child: asyncio.subprocess.Process | None = None
        self.stopping = False  # a shutdown was asked for (by Jupyter, or SIGTERM): deno's exit ends the proxy
        self.restart = False  # deno was killed because a cell would not stop: start it again
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
        self.queue: asyncio.Queue[list[bytes]] = asyncio.Queue()  # execute_requests not yet handed to deno
        loop = asyncio.get_running_loop()
        signal.signal(signal.SIGINT, lambda *_: None)  # until the handler below is installed (none on Windows)
        for name, handler in (("SIGINT", self.interrupt), ("SIGTERM", self.stop_child), ("SIGHUP", self.stop_child)):
            try:  # SIGINT: an Interrupt in signal mode; SIGTERM/SIGHUP: stopped on its own, take the kernel along
                sig = getattr(signal, name)
                loop.add_signal_handler(sig, handler, sig)
            except (AttributeError, NotImplementedError, RuntimeError):  # Windows: no such signal / no handlers
                pass
        heartbeat = asyncio.create_task(self.heartbeat())
        try:
            while True:
                code = await self.run_kernel()
                died = self.cell is not None and not self.cell.replied.is_set()  # in the middle of a cell
                if not (self.restart or died) or self.stopping:
                    return code
                if self.cell is not None:
                    await self.answer_restarted(code)
                self.restart = False
        finally:
            heartbeat.cancel()

    async def run_kernel(self) -> int:
        """Start deno on fresh back-end ports and relay until it exits; its exit code (its stderr is ours)."""
        c = self.conn
        back = {**c, **free_ports(c["ip"], {c[f"{name}_port"] for name in CHANNELS})}
        fd, back_path = tempfile.mkstemp(prefix="deno-kernel-", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(back, f)
        self.child = await asyncio.create_subprocess_exec(self.deno, "jupyter", "--kernel", "--conn", back_path)
        self.back = self.sockets(BACK, back, bind=False)
        self.ready = asyncio.Event()  # deno's IOPub reaches the proxy: no cell goes to this deno before (greet)
        tasks = [asyncio.create_task(self.client_to_kernel(name)) for name in ("shell", "control", "stdin")]
        tasks += [asyncio.create_task(self.kernel_to_client(name)) for name in ("shell", "control", "stdin")]
        tasks += [asyncio.create_task(t) for t in (self.iopub(), self.scheduler(), self.greet())]
        code = await self.child.wait()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for s in self.back.values():
            s.close()
        os.unlink(back_path)
        return code

    def stop_child(self, sig: int) -> None:
        self.stopping = True
        if self.child is not None and self.child.returncode is None:
            self.child.send_signal(sig)

    async def client_to_kernel(self, name: str) -> None:
        while True:
            idents, msg = split(await self.front[name].recv_multipart())
            h = header(msg)
            if msg_id := h.get("msg_id"):
                self.routes[msg_id] = idents
                while len(self.routes) > 10_000:  # requests that never get a reply (none expected): forget the oldest
                    del self.routes[next(iter(self.routes))]
            if name == "shell" and h.get("msg_type") == "execute_request":
                self.queue.put_nowait(msg)
            elif name == "control" and h.get("msg_type") == "interrupt_request":
                await self.reply("control", msg, "interrupt_reply", {"status": "ok"})
                self.interrupt()
            else:
                self.stopping = self.stopping or h.get("msg_type") == "shutdown_request"  # Restart, Shutdown
                await self.back[name].send_multipart(msg)

    async def kernel_to_client(self, name: str) -> None:
        while True:
            _, msg = split(await self.back[name].recv_multipart())
            parent = header(msg, 3).get("msg_id")
            idents = self.routes.get(parent)
            if idents is None:  # the answer to one of the proxy's own requests
                continue
            msg_type = header(msg).get("msg_type", "")
            cell = self.cell
            if name == "shell" and msg_type == "execute_reply" and cell is not None and parent == cell.id:
                content = header(msg, 5)
                cell.failed = content.get("status") == "error" or cell.interrupted
                if cell.halted and content.get("status") == "error":  # deno says only "Execution failed"
                    msg = self.with_content(msg, {**content, **error_content(HALTED)})
                    await self.publish("error", error_content(HALTED), cell.msg)
                cell.replied.set()
            if name != "stdin" and msg_type.endswith("_reply"):
                self.routes.pop(parent, None)
            await self.front[name].send_multipart(idents + msg)

    async def iopub(self) -> None:
        while True:
            frames = await self.back["iopub"].recv_multipart()
            self.last_iopub = time.monotonic()
            self.ready.set()
            msg = split(frames)[1]
            parent, cell = header(msg, 3).get("msg_id"), self.cell
            if parent in self.own:
                continue
            if cell is not None and parent == cell.id:
                msg_type, content = header(msg).get("msg_type"), header(msg, 5)
                if msg_type == "execute_input":
                    cell.count = content.get("execution_count", 0)
                elif msg_type == "error" and cell.halted:  # the proxy publishes its own explanation
                    continue
                elif msg_type == "status" and content.get("execution_state") == "idle":
                    cell.idle_frames, cell.idle_at = frames, self.last_iopub  # sent after its late output
                    cell.idle.set()
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
            await self.front["hb"].send_multipart(await self.front["hb"].recv_multipart())

    async def scheduler(self) -> None:
        """Hand deno one cell at a time, each once the previous cell's output has settled."""
        await self.ready.wait()
        while True:
            cell = self.cell = Cell(await self.queue.get())
            await self.back["shell"].send_multipart(cell.msg)
            await cell.replied.wait()
            await cell.idle.wait()
            while (now := time.monotonic()) - self.last_iopub < QUIET and now - cell.idle_at < MAX_HOLD:
                await asyncio.sleep(QUIET - (now - self.last_iopub))
            await self.front["iopub"].send_multipart(cell.idle_frames)
            await self.cell_done()


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: kernel_proxy.py DENO_PATH CONNECTION_FILE", file=sys.stderr)
        return 2
    with open(sys.argv[2]) as f:
        conn = json.load(f)
    return asyncio.run(Proxy(sys.argv[1], conn).start())


if __name__ == "__main__":
    sys.exit(main())
