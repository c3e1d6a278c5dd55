"""Jupyter wire messages as kernel_proxy.py sees them: split, read, and write signed ones of its own.

A message on the wire is [routing identities…, b"<IDS|MSG>", signature, header, parent_header, metadata, content,
buffers…]; the signature is an HMAC of the four JSON frames with the connection file's key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from datetime import datetime, timezone

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
        self.key = conn.get("key", "").encode()
        self.digest = conn.get("signature_scheme", "hmac-sha256").split("-", 1)[-1]
        self.session = uuid.uuid4().hex

    def sign(self, parts: list[bytes]) -> bytes:
        if not self.key:
            return b""
        mac = hmac.new(self.key, digestmod=getattr(hashlib, self.digest))
        for p in parts:
            mac.update(p)
        return mac.hexdigest().encode()

    def new(self, msg_type: str, content: dict, parent: dict) -> list[bytes]:
        """A fresh message (from the delimiter on) answering `parent` (a request's header)."""
        head = {"msg_id": uuid.uuid4().hex, "session": self.session, "username": "kernel", "msg_type": msg_type,
                "date": datetime.now(timezone.utc).isoformat(), "version": "5.3"}
        parts = [json.dumps(x).encode() for x in (head, parent, {}, content)]
        return [DELIM, self.sign(parts), *parts]

    def with_content(self, msg: list[bytes], content: dict) -> list[bytes]:
        """The same message (from the delimiter on) with another content, signed again."""
        parts = [*msg[2:5], json.dumps(content).encode()]
        return [DELIM, self.sign(parts), *parts, *msg[6:]]
