"""Anki field HTML as Markdown, so an imported answer keeps its formatting and no HTML gets into the bank.

Anki's editor stores a field as HTML: a `<div>` per line, `<b>`, `<i>`, lists, `<pre>` and `<code>`,
entities, images. This turns that into the Markdown the bank shows (or plain text, for a question),
dropping every other tag.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Private-use characters mark where emphasis and code open and close while the text is assembled, so
# spacing can be fixed afterwards (`<b> x </b>` must become ` **x** `, not `** x **`, which is not bold).
_B_OPEN, _B_CLOSE, _I_OPEN, _I_CLOSE, _C_OPEN, _C_CLOSE, _INDENT, _BLOCK = (chr(0xE000 + k) for k in range(8))
_SENTINELS = re.compile("[\ue000-\ue00f]")
_BLOCK_TAGS = {"div", "section", "article", "header", "footer", "blockquote", "tr", "table", "dl", "dt", "dd"}
_SKIP_TAGS = {"script", "style", "head", "title", "template"}


class _HtmlToMarkdown(HTMLParser):
    """Anki field HTML to Markdown-ish text: line breaks and paragraphs, bold and italics, bullets, code,
    entities decoded, images as their alt text; every other tag is dropped, never kept as HTML."""

    def __init__(self, plain: bool):
        super().__init__(convert_charrefs=True)
        self.plain = plain
        self.segments: list[tuple[str, str]] = []  # ("text" | "code", text)
        self.text: list[str] = []
        self.pre: list[str] | None = None
        self.skip = 0
        self.code = 0  # inside inline <code>: text is kept as written
        self.lists: list[list[int]] = []  # per open list: [is_ordered, next number]
        self.links: list[str | None] = []

    def _emit(self, s: str) -> None:
        if self.pre is not None:
            self.pre.append(s)
        else:
            self.text.append(s)

    def _mark(self, plain_mark: str, mark: str) -> None:
        self._emit(plain_mark if self.plain else mark)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "br":
            self._emit("\n")
        elif tag == "p":
            self._emit("\n\n")
        elif tag in _BLOCK_TAGS:
            self._emit(_BLOCK)
        elif tag in ("ul", "ol"):
            if not self.lists:
                self._emit("\n\n")
            self.lists.append([tag == "ol", 1])
        elif tag == "li":
            depth = max(len(self.lists), 1)
            marker = "- "
            if self.lists and self.lists[-1][0]:
                marker = f"{self.lists[-1][1]}. "
                self.lists[-1][1] += 1
            self._emit("\n" + _INDENT * (2 * (depth - 1)) + ("" if self.plain else marker))
        elif tag in ("b", "strong"):
            self._mark("", _B_OPEN)
        elif tag in ("i", "em"):
            self._mark("", _I_OPEN)
        elif tag == "code" and self.pre is None:
            self.code += 1
            self._mark("", _C_OPEN)
        elif tag == "pre":
            self._flush_text()
            self.pre = []
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            self._emit(alt or "[image]")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._emit("\n\n")
            self._mark("", _B_OPEN)
        elif tag == "hr":
            self._emit("\n\n" if self.plain else "\n\n---\n\n")
        elif tag in ("td", "th"):
            self._emit(" ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href if href.startswith(("http://", "https://")) else None)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "p":
            self._emit("\n\n")
        elif tag in _BLOCK_TAGS:
            self._emit(_BLOCK)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._emit("\n\n")
        elif tag in ("b", "strong"):
            self._mark("", _B_CLOSE)
        elif tag in ("i", "em"):
            self._mark("", _I_CLOSE)
        elif tag == "code" and self.pre is None:
            self.code = max(0, self.code - 1)
            self._mark("", _C_CLOSE)
        elif tag == "pre" and self.pre is not None:
            self.segments.append(("code", "".join(self.pre)))
            self.pre = None
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._mark("", _B_CLOSE)
            self._emit("\n\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and not self.plain:
                self._emit(f" ({href})")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        data = _SENTINELS.sub("", data)
        if self.pre is not None:
            self.pre.append(data)
            return
        data = re.sub(r"[ \t\r\n\f\v]+", " ", data)  # HTML whitespace; a no-break space is kept
        if not self.plain and not self.code:
            data = re.sub(r"([\\`*])", r"\\\1", data)  # literal text must not turn into Markdown
        self.text.append(data)

    def _flush_text(self) -> None:
        if self.text:
            self.segments.append(("text", "".join(self.text)))
            self.text = []

    def result(self) -> str:
        if self.pre is not None:  # an unclosed <pre>
            self.segments.append(("code", "".join(self.pre)))
            self.pre = None
        self._flush_text()
        parts: list[str] = []
        for kind, text in self.segments:
            if kind == "code":
                parts.append(_fenced(text) if not self.plain else text.strip("\n"))
            else:
                parts.append(_tidy(text, self.plain))
        return "\n\n".join(p for p in parts if p.strip()).strip()


def _fenced(code: str) -> str:
    code = code.strip("\n")
    longest = max((len(m.group(0)) for m in re.finditer(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{code}\n{fence}"


def _tidy(text: str, plain: bool) -> str:
    """Settle emphasis markers, trim each line, keep at most one blank line in a row, and escape a line
    that would start a Markdown heading."""
    for open_, close in ((_B_OPEN, _B_CLOSE), (_I_OPEN, _I_CLOSE), (_C_OPEN, _C_CLOSE)):
        text = re.sub(f"{open_}([ \n]+)", f"\\1{open_}", text)
        text = re.sub(f"([ \n]+){close}", f"{close}\\1", text)
        text = text.replace(open_ + close, "")
    # A block boundary (Anki's editor puts each line in a <div>) is one line break, and none next to
    # a line break that is already there.
    text = re.sub(f" *{_BLOCK}[ {_BLOCK}]*", _BLOCK, text)
    text = re.sub(f"\n{_BLOCK}|{_BLOCK}\n", "\n", text).replace(_BLOCK, "\n")
    marks = {_B_OPEN: "**", _B_CLOSE: "**", _I_OPEN: "*", _I_CLOSE: "*", _C_OPEN: "`", _C_CLOSE: "`"}
    text = re.sub("[\ue000-\ue005]", lambda m: "" if plain else marks[m.group(0)], text)
    lines = []
    for line in text.split("\n"):
        line = re.sub(" {2,}", " ", line.strip()).replace(_INDENT, " ")
        if not plain and line.startswith("#"):
            line = "\\" + line
        lines.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_markdown(html: str, plain: bool = False) -> str:
    """An Anki field's HTML as Markdown (or, with `plain`, as plain text with no Markdown marks)."""
    parser = _HtmlToMarkdown(plain)
    parser.feed(html)
    parser.close()
    return parser.result()
