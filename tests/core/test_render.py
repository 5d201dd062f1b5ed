"""Markdown rendering: lists as authors write them, code highlighted, raw HTML escaped."""

from __future__ import annotations

from desktop_app.core.render import MarkdownRenderer


def test_list_right_after_a_paragraph_and_two_space_nesting() -> None:
    html = MarkdownRenderer().render("Why:\n- one\n- two\n  - nested\n\nEnd.")
    assert "<p>Why:</p>" in html
    assert html.count("<ul>") == 2 and "<li>nested</li>" in html


def test_code_fences_are_left_alone_and_highlighted() -> None:
    html = MarkdownRenderer().render("Text\n```python\n- x\nif a < b:\n    pass\n```")
    assert "<ul>" not in html and "&lt;" in html and 'style="color:' in html  # highlighted, not parsed


def test_a_code_block_is_one_padded_block_that_wraps_long_lines() -> None:
    """Issue 13: code rendered as a shaded bar per line, gaps between, an empty bar at the end, and long
    lines scrolled the whole answer sideways."""
    html = MarkdownRenderer().render("```python\nx = 1\ny = 2\n```")
    assert html.count("<table") == 1 and 'cellpadding="10"' in html and "white-space: pre-wrap" in html
    assert "codehilite" not in html and "\n</code>" not in html  # no trailing empty line


def test_raw_html_is_escaped_and_tables_render() -> None:
    html = MarkdownRenderer(dark=True).render("<script>x()</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<table>" in html and "<td>2</td>" in html
