"""Jupyter wire messages as kernel_proxy.py sees them: split, read, and write signed ones of its own.

A message on the wire is [routing identities…, b"<IDS|MSG>", signature, header, parent_header, metadata, content,
buffers…]; the signature is an HMAC of the four JSON frames with the connection file's key. Making and signing
messages is jupyter_client's `Session` (the one Jupyter itself uses); this module only adapts it to frames.
"""

from __future__ import annotations

import json

from jupyter_client.session import Session

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


class Signer:
    """Writes messages the way the kernel does, signed with the connection's key."""

    def __init__(self, conn: dict) -> None:
        self.session = Session(key=conn.get("key", "").encode(), username="kernel",
                               signature_scheme=conn.get("signature_scheme", "hmac-sha256"))

    def new(self, msg_type: str, content: dict, parent: dict) -> list[bytes]:
        """A fresh message (from the delimiter on) answering `parent` (a request's header)."""
        return self.session.serialize(self.session.msg(msg_type, content, parent=parent))

    def with_content(self, msg: list[bytes], content: dict) -> list[bytes]:
        """The same message (from the delimiter on) with another content, signed again."""
        parts = [*msg[2:5], self.session.pack(content)]
        return [DELIM, self.session.sign(parts), *parts, *msg[6:]]
