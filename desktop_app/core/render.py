"""Markdown to HTML for the question view: highlighted code, tables, and raw HTML shown as text, never run."""

from __future__ import annotations

import markdown
from markdown.extensions import Extension

LIGHT_CODE_STYLE = "friendly"
DARK_CODE_STYLE = "monokai"


class _NoRawHtml(Extension):
    """Content is untrusted text: remove the parsers that would pass HTML through, so it gets escaped."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


class MarkdownRenderer:
    """One Markdown instance per style, reused: building one costs more than converting a page."""

    def __init__(self, dark: bool = False):
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
        self._md.reset()
        return self._md.convert(text)
