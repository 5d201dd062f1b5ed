"""Keep API keys out of everything MLPrep shows, stores or exports.

A server (or a proxy set with ANTHROPIC_BASE_URL) can echo the request's credentials in an error body;
whatever reaches the window, the transcript or an export passes through `redact` first.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

# Anything shaped like an Anthropic key, whether or not it is the one in use.
_KEY_SHAPE = re.compile(r"sk-ant-[A-Za-z0-9_\-]{4,}")
MASK = "[redacted key]"


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """The text with every known secret and every key-shaped string replaced by a mask."""
    if not text:
        return text
    known = [s for s in (*secrets, os.environ.get("ANTHROPIC_API_KEY")) if s and len(s) >= 8]
    for secret in sorted(known, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return _KEY_SHAPE.sub(MASK, text)
