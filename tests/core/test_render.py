"""Markdown rendering: lists as authors write them, code highlighted, raw HTML escaped."""

from __future__ import annotations

from desktop_app.core.render import MarkdownRenderer


def test_list_right_after_a_paragraph_and_two_space_nesting() -> None:
    html = MarkdownRenderer().render("Why:\n- one\n- two\n  - nested\n\nEnd.")
    assert "<p>Why:</p>" in html
    assert html.count("<ul>") == 2 and "<li>nested</li>" in html


def test_code_fences_are_left_alone_and_highlighted() -> None:
    html = MarkdownRenderer().render("Text\n```python\n- x\nif a < b:\n    pass\n```")
    assert "<ul>" not in html and "codehilite" in html and "&lt;" in html


def test_raw_html_is_escaped_and_tables_render() -> None:
    html = MarkdownRenderer(dark=True).render("<script>x()</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<table>" in html and "<td>2</td>" in html
