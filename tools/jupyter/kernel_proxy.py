"""Proxy between Jupyter and the Deno kernel that keeps every cell's output in that cell.

The Deno kernel (2.9.6) sends part of a cell's output after it reports `idle`, and tags such late output with
the request it is working on *when the output is flushed*. JupyterLab's "Run All" queues every cell at once, so
the kernel is already running the next cell by then, and late lines land in the next cell. This proxy sits
between Jupyter and `deno jupyter --kernel`: it forwards every message unchanged (same key, same signatures)
but hands the kernel one `execute_request` at a time, only after the previous one's reply and `idle` arrived
and IOPub has then been quiet for a moment; that `idle` is held back until then, so every client (nbclient,
nbconvert, VS Code) sees all of a cell's output before its idle. Nothing else changes: Interrupt (SIGINT to the process group)
reaches deno directly, and the proxy exits when deno exits.

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
from collections import deque

import zmq
import zmq.asyncio

DELIM = b"<IDS|MSG>"
QUIET = float(os.environ.get("KERNEL_PROXY_QUIET", "0.1"))  # s of IOPub silence that ends a cell
MAX_HOLD = float(os.environ.get("KERNEL_PROXY_MAX_HOLD", "2.0"))  # s after idle at most (chatty timers)
STARTS = 4  # tries to start deno when a back-end port turns out taken
PORTS = ("shell", "iopub", "stdin", "control", "hb")  # the kernel's channels, as in a connection file


def split(frames: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """(routing identities, message frames starting at the delimiter)."""
    i = frames.index(DELIM)
    return frames[:i], frames[i:]


def header(msg: list[bytes], which: int = 2) -> dict:
    """Decoded header (which=2) or parent header (which=3) of a message that starts at the delimiter."""
    try:
        return json.loads(msg[which])
    except (IndexError, ValueError):
        return {}


def ephemeral_range() -> tuple[int, int]:
    """The ports the OS hands out for outgoing connections and for bind(0)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo, hi = (int(x) for x in f.read().split())
            return lo, hi
    except (OSError, ValueError):
        return 49152, 65535  # IANA's dynamic range: macOS and Windows use it


def free_port(ip: str, exclude: set[int] = frozenset()) -> int:
    """A port nobody holds now, chosen outside the ephemeral range.

    Deno binds the back-end ports one after another, a moment after we pick them. A port from bind(0) lies in the
    ephemeral range, and our zmq sockets connect to deno while it starts: a connection to a port deno already
    bound (or a retry, every 100 ms) holds a fresh ephemeral local port, which can be one deno has yet to bind,
    and deno dies with "Address already in use" (seen in CI; 2 of 360 starts in a stress run). A port outside
    that range cannot be taken that way.
    """
    lo, hi = ephemeral_range()
    pool = [(10_000, lo - 1), (hi + 1, 65_535)]
    pool = [(a, b) for a, b in pool if b - a >= 1_000]
    pick = random.SystemRandom()
    for _ in range(200 if pool else 0):
        a, b = pick.choice(pool)
        port = pick.randint(a, b)
        if port in exclude:
            continue
        with socket.socket() as s:
            try:
                s.bind((ip, port))
            except OSError:
                continue
        return port
    with socket.socket() as s:  # no room outside the ephemeral range: let the OS choose
        s.bind((ip, 0))
        return s.getsockname()[1]


def free_ports(ip: str, exclude: set[int] = frozenset()) -> dict[str, int]:
    """Five distinct free ports, one per kernel channel, as connection-file keys (`shell_port`, …)."""
    used = set(exclude)
    ports = {}
    for name in PORTS:
        ports[f"{name}_port"] = port = free_port(ip, used)
        used.add(port)
    return ports


class Proxy:
    def __init__(self, deno: str, conn: dict) -> None:
        self.deno = deno
        self.conn = conn
        self.ctx = zmq.asyncio.Context()
        self.routes: dict[str, list[bytes]] = {}  # request msg_id -> identities of the client that sent it
        self.queue: deque[list[bytes]] = deque()  # held execute_requests (frames from the delimiter)
        self.current: str | None = None  # msg_id of the execute_request the kernel is running
        self.current_msg: list[bytes] = []  # and that request
        self.replied = False
        self.idle = False
        self.last_iopub = 0.0
        self.idle_at = 0.0
        self.wake = asyncio.Event()
        self.held_idle: list[bytes] | None = None  # the current cell's idle, held until its output settled
        self.child: asyncio.subprocess.Process | None = None
        self.heard = False  # any message from the kernel yet? (a kernel that answered is never restarted)
        self.stopping = False

    def url(self, conn: dict, name: str) -> str:
        return f"{conn['transport']}://{conn['ip']}:{conn[name + '_port']}"

    async def start(self) -> int:
        c = self.conn
        front = {}
        for name, kind in (("shell", zmq.ROUTER), ("control", zmq.ROUTER), ("stdin", zmq.ROUTER),
                           ("iopub", zmq.PUB), ("hb", zmq.REP)):
            s = self.ctx.socket(kind)
            s.linger = 0
            s.bind(self.url(c, name))
            front[name] = s
        self.front = front

        # Default SIGINT in the child (Deno's own listener decides what an interrupt does); the proxy itself
        # shrugs it off: Jupyter sends SIGINT to the whole process group.
        signal.signal(signal.SIGINT, lambda *_: None)
        # Stopped on its own (not through the process group): take the kernel along.
        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            try:
                loop.add_signal_handler(getattr(signal, name), self.stop_child, getattr(signal, name))
            except (AttributeError, NotImplementedError, RuntimeError):  # Windows: no such signal / no handlers
                pass

        tasks = [asyncio.create_task(self.heartbeat())]
        try:
            for attempt in range(1, STARTS + 1):
                code, port_taken = await self.run_kernel()
                if not port_taken or self.heard or self.stopping or attempt == STARTS:
                    return code
                print(f"kernel_proxy: the Deno kernel found a port taken (start {attempt} of {STARTS}); "
                      "starting it again on other ports", file=sys.stderr, flush=True)
                if self.current is not None:  # sent to the kernel that died: hand it to the next one
                    self.queue.appendleft(self.current_msg)
                    self.current = None
            return code
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

        backs = {}
        for name, kind in (("shell", zmq.DEALER), ("control", zmq.DEALER), ("stdin", zmq.DEALER),
                           ("iopub", zmq.SUB)):
            s = self.ctx.socket(kind)
            s.linger = 0
            if kind == zmq.SUB:
                s.setsockopt(zmq.SUBSCRIBE, b"")
            s.connect(self.url(back, name))
            backs[name] = s
        self.back = backs

        tasks = [
            asyncio.create_task(self.client_to_kernel("shell")),
            asyncio.create_task(self.client_to_kernel("control")),
            asyncio.create_task(self.client_to_kernel("stdin")),
            asyncio.create_task(self.kernel_to_client("shell")),
            asyncio.create_task(self.kernel_to_client("control")),
            asyncio.create_task(self.kernel_to_client("stdin")),
            asyncio.create_task(self.iopub()),
            asyncio.create_task(self.scheduler()),
        ]
        code = await self.child.wait()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        try:
            port_taken = await asyncio.wait_for(stderr, 5)
        except asyncio.TimeoutError:  # a grandchild holds the pipe open
            port_taken = False
        for s in backs.values():
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
            else:
                await self.back[name].send_multipart(msg)

    async def kernel_to_client(self, name: str) -> None:
        while True:
            frames = await self.back[name].recv_multipart()
            self.heard = True
            _, msg = split(frames)
            parent = header(msg, 3).get("msg_id")
            idents = self.routes.get(parent, [])
            if name == "shell" and header(msg).get("msg_type") == "execute_reply" and parent == self.current:
                self.replied = True
                self.wake.set()
            if name != "stdin" and parent in self.routes and header(msg).get("msg_type", "").endswith("_reply"):
                self.routes.pop(parent, None)
            await self.front[name].send_multipart(idents + msg)

    async def iopub(self) -> None:
        while True:
            frames = await self.back["iopub"].recv_multipart()
            self.heard = True
            self.last_iopub = time.monotonic()
            _, msg = split(frames)
            h = header(msg)
            if h.get("msg_type") == "status" and header(msg, 3).get("msg_id") == self.current:
                state = json.loads(msg[5]).get("execution_state")
                if state == "idle":
                    self.idle = True
                    self.idle_at = self.last_iopub
                    self.held_idle = frames  # sent when the cell has settled, after its late output
                    self.wake.set()
                    continue
            await self.front["iopub"].send_multipart(frames)

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
                        self.current = None
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
            msg = self.queue.popleft()
            self.current, self.current_msg = header(msg).get("msg_id"), msg
            self.replied = self.idle = False
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
