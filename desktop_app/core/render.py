"""Markdown to HTML for the question view: highlighted code, tables, and raw HTML shown as text, never run."""

from __future__ import annotations

import html
import re
import time
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from desktop_app.core.markdown_budget import blocks, too_costly

if TYPE_CHECKING:
    from desktop_app.core.bank import Rubric

LIGHT_CODE_STYLE = "friendly"
RENDER_BUDGET_S = 0.030  # past this, the remaining blocks of one text are shown as plain text
WHOLE_RENDER_CHARS = 20_000  # up to this, text whose every block is cheap is rendered in one pass
MAX_RENDER_CHARS = 200_000
DARK_CODE_STYLE = "monokai"


_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s")
_FENCE = re.compile(r"^\s*(```|~~~)")


class _CommonMarkLists(Preprocessor):
    """Read lists the way people write them (and CommonMark renders them): a list may follow a
    paragraph line directly, and nested items may be indented by two spaces. Python-Markdown
    wants a blank line first and four spaces, and would otherwise run the items into the text."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        in_fence = False
        in_list = False
        for line in lines:
            if _FENCE.match(line):
                in_fence = not in_fence
                out.append(line)
                continue
            if in_fence:
                out.append(line)
                continue
            item = _LIST_ITEM.match(line)
            if item:
                indent = len(item.group(1))
                if not in_list and out and out[-1].strip():
                    out.append("")
                if in_list and 0 < indent < 4:
                    line = "    " + line.lstrip()
                in_list = True
            elif not line.strip():
                pass
            elif not line.startswith((" ", "\t")):
                in_list = False
            out.append(line)
        return out


class _NoImages(Treeprocessor):
    """Images become their alt text. Qt's text views fetch an <img>'s source themselves (file:, relative,
    qrc:), even when told to load nothing: `![x](file:///dev/zero)` exhausted memory and a FIFO hung the
    app. With no <img> in the HTML there is nothing to fetch."""

    def run(self, root: Element) -> None:
        for parent in list(root.iter()):
            for i, child in enumerate(list(parent)):
                if child.tag == "img":
                    span = Element("span")
                    span.text = f"[image: {child.get('alt') or 'no description'}]"
                    span.tail = child.tail
                    parent.remove(child)
                    parent.insert(i, span)


class _NoRawHtml(Extension):
    """Content is untrusted text: remove the parsers that would pass HTML through, so it gets escaped,
    and turn images into text, so nothing is ever fetched."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.preprocessors.register(_CommonMarkLists(md), "commonmark_lists", 25)
        md.treeprocessors.register(_NoImages(md), "no_images", 5)  # after inline parsing made the <img>s


class MarkdownRenderer:
    """One Markdown instance per style, reused: building one costs more than converting a page."""

    def __init__(self, dark: bool = False):
        self._inline_code_bg = "#3a3f47" if dark else "#eceef2"
        self._md = markdown.Markdown(
            extensions=["fenced_code", "codehilite", "tables", "sane_lists", _NoRawHtml()],
            extension_configs={
                "codehilite": {
                    "noclasses": True,
                    "guess_lang": False,
                    "pygments_style": DARK_CODE_STYLE if dark else LIGHT_CODE_STYLE,
                }
            },
            output_format="html",
        )

    def render(self, text: str) -> str:
        """Markdown to HTML, unbounded: for text already known to be cheap (one block, a short message)."""
        self._md.reset()
        return _code_blocks(self._md.convert(text), self._inline_code_bg)

    def render_bounded(self, text: str) -> str:
        """Markdown to HTML in bounded time: a block too costly to lay out (see markdown_budget) is shown as
        plain text, and once RENDER_BUDGET_S has gone the rest is too. Ordinary text renders whole."""
        if len(text) > MAX_RENDER_CHARS:
            return self.render_bounded(text[:MAX_RENDER_CHARS]) + plain_html(text[MAX_RENDER_CHARS:])
        parts = blocks(text)
        if len(text) <= WHOLE_RENDER_CHARS and not any(too_costly(b) for b in parts):
            return self.render(text)
        out = []
        started = time.perf_counter()
        for block in parts:
            if too_costly(block) or time.perf_counter() - started > RENDER_BUDGET_S:
                out.append(plain_html(block))
            else:
                out.append(self.render(block))
        return "".join(out)


_CODE_BLOCK = re.compile(
    r'<div class="codehilite" style="background: (#[0-9A-Fa-f]{3,8})"><pre[^>]*>(?:<span></span>)?(.*?)\n?</code></pre></div>',
    re.S,
)


def _code_blocks(html_text: str, inline_bg: str) -> str:
    """Qt's text layout gives each line of a <pre> its own background (a shaded bar per line, gaps between,
    an empty bar at the end) and lets long lines widen the whole page. A one-cell table draws one padded
    block; pre-wrap wraps long lines inside it."""

    def block(m: re.Match[str]) -> str:
        code = m.group(2).replace("<code>", "<code data-block>", 1)
        return (
            f'<table width="100%" cellspacing="0" cellpadding="10" style="margin-top: 4px; margin-bottom: 8px">'
            f'<tr><td bgcolor="{m.group(1)}"><pre style="white-space: pre-wrap; margin: 0">{code}</code>'
            f"</pre></td></tr></table>"
        )

    out = _CODE_BLOCK.sub(block, html_text)
    out = out.replace("<code>", f'<code style="background-color: {inline_bg}">')  # inline code only now
    return out.replace("<code data-block>", "<code>")


def plain_html(text: str) -> str:
    """Text shown as it is, line breaks kept, nothing interpreted."""
    return f"<p style='white-space: pre-wrap'>{html.escape(text)}</p>"


def rubric_markdown(rubric: Rubric) -> str:
    """The rubric as Markdown, for the self-graded mock and exports: essentials first, as a list."""
    lines = ["*Strong:*", *[f"- {point}" for point in rubric.strong]]
    if rubric.also_good:
        lines += ["", "*Also good:*", *[f"- {point}" for point in rubric.also_good]]
    lines += ["", f"*OK:* {rubric.ok}", "", f"*Weak:* {rubric.weak}"]
    return "\n".join(lines)
