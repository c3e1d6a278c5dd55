"""Free ports for a kernel's five channels, chosen where no outgoing connection can take them first.

kernel_proxy.py starts deno on them (the back end Jupyter never sees).
"""

from __future__ import annotations

import random
import socket

PORTS = ("shell", "iopub", "stdin", "control", "hb")  # the kernel's channels, as in a connection file


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
