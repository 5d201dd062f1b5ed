"""How much a piece of Markdown costs to render, block by block, without rendering it.

Python-Markdown's inline link and image patterns are quadratic in the number of unclosed `[`: a 30,000
character answer of `[a](` repeated took 8.5 s to render and froze the window. Rendering is therefore
bounded: text is split into top-level blocks, a block whose estimated cost is over the limit is shown
as plain text, and the validator rejects bank content with such a block. Standard library only, so the
validator can use it without loading the Markdown package.
"""

from __future__ import annotations

import re

# Measured on this project's renderer: 1,000 opening brackets in 4,000 characters cost ~150 ms, about
# 40 ms per million units of `characters x openers`. The limit keeps a block under ~20 ms.
BLOCK_COST_LIMIT = 500_000
BLOCK_CHAR_LIMIT = 20_000  # longer blocks (no blank line in 20,000 characters) are shown as text
MAX_BLOCKQUOTE_DEPTH = 16
_EMPHASIS_WEIGHT = 0.05  # `*` and `_` cost far less than brackets (2,000 of them in 4,000 characters: 15 ms)

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s")
_QUOTE_DEPTH = re.compile(r"^(\s*>)+")


def blocks(text: str) -> list[str]:
    """Top-level blocks: runs of lines between blank lines, with a fenced code block kept whole and a list
    kept whole across the blank lines between its items (so an ordered list does not restart its count)."""
    out: list[str] = []
    current: list[str] = []
    in_fence = False
    pending_blank = False

    def flush() -> None:
        if current:
            out.append("\n".join(current))
            current.clear()

    for line in text.split("\n"):
        if _FENCE.match(line):
            if not in_fence and pending_blank:
                flush()
            pending_blank = False
            in_fence = not in_fence
            current.append(line)
            continue
        if in_fence:
            current.append(line)
            continue
        if not line.strip():
            pending_blank = True
            if current:
                current.append(line)
            continue
        if pending_blank:
            continues_list = bool(current) and (_LIST_ITEM.match(line) or line.startswith(("  ", "\t")))
            in_list = any(_LIST_ITEM.match(c) for c in current)
            if not (continues_list and in_list):
                while current and not current[-1].strip():
                    current.pop()
                flush()
            pending_blank = False
        current.append(line)
    while current and not current[-1].strip():
        current.pop()
    flush()
    return out


def block_cost(block: str) -> float:
    openers = block.count("[") + block.count("](")
    emphasis = block.count("*") + block.count("_")
    return len(block) * (openers + _EMPHASIS_WEIGHT * emphasis)


def too_costly(block: str) -> str | None:
    """Why a block cannot be rendered in time, or None when it can."""
    if _FENCE.match(block):
        return None  # code is highlighted, not parsed for links
    if len(block) > BLOCK_CHAR_LIMIT:
        return f"{len(block):,} characters without a blank line (the limit is {BLOCK_CHAR_LIMIT:,})"
    if block_cost(block) > BLOCK_COST_LIMIT:
        brackets = block.count("[")
        return f"{brackets:,} '[' in {len(block):,} characters, which is too many links to lay out in time"
    depth = max((len(m.group(0).replace(" ", "")) for m in map(_QUOTE_DEPTH.match, block.split("\n")) if m), default=0)
    if depth > MAX_BLOCKQUOTE_DEPTH:
        return f"quotes nested {depth} deep (the limit is {MAX_BLOCKQUOTE_DEPTH})"
    return None


def problems(text: str) -> list[str]:
    """For the validator: each block that would be shown as plain text, and why."""
    return [f"paragraph {i}: {why}" for i, b in enumerate(blocks(text), 1) if (why := too_costly(b))]
