"""The coding round's editor: its keys, each one undo step; Python colours that follow the theme; zoom; the mark."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pygments.lexers.python import PythonLexer
from pygments.token import Keyword, Name, String, _TokenType
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QColor, QFontInfo, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.ui.code_editor import CodeEditor
from desktop_app.ui.code_highlight import ROOT, code_style, python_line_tokens
from desktop_app.ui.theme import apply_theme, tokens

REPO = Path(__file__).resolve().parents[2]
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def app() -> Iterator[QApplication]:
    """The real theme, light, and light again afterwards whatever a test switched to."""
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    apply_theme(instance, "light")
    try:
        yield instance
    finally:
        apply_theme(instance, "light")


@pytest.fixture
def editor(qtbot: QtBot, app: QApplication) -> CodeEditor:
    widget = CodeEditor()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def put_cursor(editor: CodeEditor, line: int, column: int, end: tuple[int, int] | None = None) -> None:
    """The cursor at (line, column), 1-based line; with `end`, a selection from there to `end`."""
    doc = editor.document()
    cursor = editor.textCursor()
    cursor.setPosition(doc.findBlockByNumber(line - 1).position() + column)
    if end is not None:
        cursor.setPosition(doc.findBlockByNumber(end[0] - 1).position() + end[1], cursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def where(editor: CodeEditor) -> tuple[int, int]:
    cursor = editor.textCursor()
    return cursor.blockNumber() + 1, cursor.positionInBlock()


def colour_at(editor: CodeEditor, line: int, column: int) -> str:
    """The colour the highlighter gave the character at (line, column); "" where it left the text plain."""
    block = editor.document().findBlockByNumber(line - 1)
    for fmt in block.layout().formats():
        if fmt.start <= column < fmt.start + fmt.length:
            return str(fmt.format.foreground().color().name())
    return ""


def style_colour(dark: bool, ttype: _TokenType) -> str:
    return "#" + str(code_style(dark).style_for_token(ttype)["color"])


def undo(qtbot: QtBot, editor: CodeEditor) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)


# -- keys ---------------------------------------------------------------------------------------------------


def test_tab_inserts_spaces_to_the_next_stop_and_never_a_tab(qtbot: QtBot, editor: CodeEditor) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text() == "    " and where(editor) == (1, 4)
    qtbot.keyClicks(editor, "ab")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text() == "    ab  " and where(editor) == (1, 8)
    undo(qtbot, editor)
    assert editor.text() == "    ab"  # the Tab alone, in one step
    qtbot.keyClicks(editor, "\tc")
    assert "\t" not in editor.text() and editor.text() == "    ab  c"


def test_tab_and_shift_tab_indent_and_dedent_the_selected_lines(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("a = 1\n\nif a:\n      b = 2\nc = 3")
    put_cursor(editor, 1, 0, end=(4, 3))
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text() == "    a = 1\n\n    if a:\n          b = 2\nc = 3"  # the blank line stays empty
    cursor = editor.textCursor()
    assert cursor.selectionStart() == 0 and cursor.selectedText().startswith("    a = 1")  # still the same lines
    undo(qtbot, editor)
    assert editor.text() == "a = 1\n\nif a:\n      b = 2\nc = 3"
    # Shift+Tab: to the previous four-column stop, each line for itself; lines already at 0 stay.
    put_cursor(editor, 3, 1, end=(5, 2))
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, SHIFT)
    assert editor.text() == "a = 1\n\nif a:\n    b = 2\nc = 3"
    qtbot.keyClick(editor, Qt.Key.Key_Tab, SHIFT)  # how QTest, rather than a keyboard, spells Shift+Tab
    assert editor.text() == "a = 1\n\nif a:\nb = 2\nc = 3"
    undo(qtbot, editor)
    assert editor.text() == "a = 1\n\nif a:\n    b = 2\nc = 3"
    # No selection: the cursor's line, and the cursor stays on its character.
    put_cursor(editor, 4, 6)
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, SHIFT)
    assert editor.text() == "a = 1\n\nif a:\nb = 2\nc = 3" and where(editor) == (4, 2)
    # A selection ending at the start of a line leaves that line alone.
    put_cursor(editor, 4, 0, end=(5, 0))
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text() == "a = 1\n\nif a:\n    b = 2\nc = 3"


def test_enter_keeps_the_indentation_and_adds_four_after_a_colon(qtbot: QtBot, editor: CodeEditor) -> None:
    qtbot.keyClicks(editor, "def f(x):")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "def f(x):\n    "
    qtbot.keyClicks(editor, "if x:  # the # in a comment")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "y = 'a:'")
    qtbot.keyClick(editor, Qt.Key.Key_Enter)
    assert editor.text().splitlines()[-1] == "        " and where(editor) == (4, 8)  # no extra for ':' in a string
    qtbot.keyClicks(editor, "return y")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert where(editor) == (5, 4)  # after return, one level less
    qtbot.keyClick(editor, Qt.Key.Key_Return, SHIFT)
    assert "\u2028" not in editor.toPlainText() and where(editor) == (6, 4)
    assert editor.document().findBlockByNumber(4).text() == ""  # a line of only indentation is left empty
    undo(qtbot, editor)
    assert where(editor) == (5, 4) and editor.blockCount() == 5  # each Enter is one step
    # Ctrl+Enter is not a line break: it is left to the panel (Run).
    qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    assert editor.blockCount() == 5


def test_enter_splits_a_line_without_pushing_its_rest_right(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("    x = f(a,   b)")
    put_cursor(editor, 1, 12)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "    x = f(a,\n    b)"
    # In the indentation, Enter opens an empty line above and leaves this one as it was.
    put_cursor(editor, 2, 2)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "    x = f(a,\n\n    b)" and where(editor) == (3, 2)


def test_backspace_in_the_indentation_goes_back_to_the_previous_stop(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("      x\ny")
    put_cursor(editor, 1, 6)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.text() == "    x\ny"
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.text() == "x\ny"
    undo(qtbot, editor)
    assert editor.text() == "    x\ny"  # one step each
    put_cursor(editor, 1, 5)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # in the code: one character, as usual
    assert editor.text() == "    \ny"


def test_ctrl_slash_toggles_comments_on_a_line_and_on_a_selection(qtbot: QtBot, editor: CodeEditor) -> None:
    original = "def f(x):\n    y = x\n\n    return y"
    editor.set_text(original)
    put_cursor(editor, 2, 6)
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert editor.text() == "def f(x):\n    # y = x\n\n    return y" and where(editor) == (2, 8)
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert editor.text() == original and where(editor) == (2, 6)
    # Several lines, one of them already a comment: all become comments, at their common indentation.
    editor.set_text("def f(x):\n    # y = x\n\n    return y")
    put_cursor(editor, 1, 2, end=(4, 3))
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    commented = "# def f(x):\n#     # y = x\n\n#     return y"
    assert editor.text() == commented
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert editor.text() == "def f(x):\n    # y = x\n\n    return y"
    undo(qtbot, editor)
    assert editor.text() == commented  # the whole toggle is one step
    undo(qtbot, editor)
    assert editor.text() == "def f(x):\n    # y = x\n\n    return y"


def test_the_editors_keys_win_over_window_shortcuts(qtbot: QtBot, app: QApplication) -> None:
    """The main window binds keys of its own; in the editor, Ctrl+/ comments and Ctrl+Z undoes the text."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    editor = CodeEditor()
    layout.addWidget(editor)
    after = QPushButton("After")
    layout.addWidget(after)
    fired: list[str] = []
    for key in ("Ctrl+/", "Ctrl+Z", "Ctrl+Tab", "Escape"):
        QShortcut(QKeySequence(key), window).activated.connect(lambda k=key: fired.append(k))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    editor.setFocus()
    qtbot.keyClicks(editor, "x = 1")
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert editor.text() == "# x = 1"
    undo(qtbot, editor)
    assert editor.text() == "x = 1" and fired == []
    # The main window binds Esc (back to the list): the key press never reaches the editor, yet Tab after
    # it still leaves.
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert fired == ["Escape"] and editor.hasFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert after.hasFocus() and editor.text() == "x = 1"


def test_home_goes_to_the_first_character_then_to_column_zero(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("        total = 0")
    put_cursor(editor, 1, 14)
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    assert where(editor) == (1, 8)
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    assert where(editor) == (1, 0)
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    assert where(editor) == (1, 8)
    put_cursor(editor, 1, 13)
    qtbot.keyClick(editor, Qt.Key.Key_Home, SHIFT)
    assert editor.textCursor().selectedText() == "total"


def test_pasted_tabs_become_spaces_in_one_undo_step(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("x = 1\n")
    put_cursor(editor, 2, 0)
    QGuiApplication.clipboard().setText("def f():\n\tif x:\r\n\t\treturn 1\n")
    qtbot.keyClick(editor, Qt.Key.Key_V, CTRL)
    assert editor.text() == "x = 1\ndef f():\n    if x:\n        return 1\n"
    undo(qtbot, editor)
    assert editor.text() == "x = 1\n"
    # Dropped text goes the same way.
    data = QMimeData()
    data.setText("\ty")
    editor.insertFromMimeData(data)
    assert editor.text() == "x = 1\n    y"


def test_focus_leaves_with_ctrl_tab_or_esc_then_tab_but_not_with_tab(qtbot: QtBot, app: QApplication) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    before, editor, after = QPushButton("Before"), CodeEditor(), QPushButton("After")
    for widget in (before, editor, after):
        layout.addWidget(widget)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.hasFocus() and editor.text() == "    "
    qtbot.keyClick(editor, Qt.Key.Key_Tab, CTRL)
    assert after.hasFocus() and editor.text() == "    "
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert before.hasFocus()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert after.hasFocus() and editor.text() == "    "
    # Esc is forgotten after any other key: the next Tab indents again.
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.keyClick(editor, Qt.Key.Key_A)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.hasFocus() and editor.text() == "    a   "


def test_read_only_text_is_not_changed_by_the_editing_keys(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("    x = 1")
    editor.setReadOnly(True)
    put_cursor(editor, 1, 4)
    for key, mods in ((Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier), (Qt.Key.Key_Slash, CTRL)):
        qtbot.keyClick(editor, key, mods)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "    x = 1"


# -- text, mark, gutter -------------------------------------------------------------------------------------


def test_set_text_is_undoable_once_there_is_text(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("def f():\n\tpass")
    assert editor.text() == "def f():\n    pass"
    assert not editor.document().isUndoAvailable()  # the first stub is not something to undo into nothing
    qtbot.keyClicks(editor, "# mine")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    editor.set_text("def f():\n    return 1")
    assert editor.text() == "def f():\n    return 1"
    undo(qtbot, editor)
    assert editor.text() == "# mine\ndef f():\n    pass"
    editor.set_text("other question", undoable=False)
    assert not editor.document().isUndoAvailable()


def test_mark_line_highlights_the_line_and_moves_the_cursor_there(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("def f(x):\n    y = x +\n    return y\n")
    editor.mark_line(2, "SyntaxError: invalid syntax")
    assert where(editor) == (2, 4) and editor.marked_line() == 2
    assert editor.marked_message() == "SyntaxError: invalid syntax"
    error_bg = QColor(tokens(False).error_bg)
    marks = [s for s in editor.extraSelections() if s.format.background().color() == error_bg]
    assert len(marks) == 1 and marks[0].cursor.blockNumber() == 1
    # The mark follows its line when a line is added above it.
    put_cursor(editor, 1, 0)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.marked_line() == 3
    editor.mark_line(99)  # past the end: the last line
    assert editor.marked_line() == editor.blockCount()
    editor.mark_line(None)
    assert editor.marked_line() is None and editor.marked_message() == ""
    assert not [s for s in editor.extraSelections() if s.format.background().color() == error_bg]


def test_the_gutter_grows_past_99_lines_and_never_takes_the_focus(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("\n".join(f"x = {i}" for i in range(99)))
    narrow = editor.gutter_width()
    assert editor.viewportMargins().left() == narrow
    editor.set_text("\n".join(f"x = {i}" for i in range(100)))
    wide = editor.gutter_width()
    assert wide > narrow and editor.viewportMargins().left() == wide
    gutter = editor.findChild(QWidget, "codeEditorGutter")
    assert gutter is not None and gutter.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert gutter.width() == wide and gutter.geometry().right() < editor.viewport().geometry().left()
    assert editor.accessibleName() and "Ctrl+Tab" in editor.accessibleDescription()
    # A click on a number puts the cursor on that line; the focus goes to the text, not the gutter.
    block = editor.document().findBlockByNumber(2)
    top = editor.blockBoundingGeometry(block).translated(editor.contentOffset()).top()
    qtbot.mouseClick(gutter, Qt.MouseButton.LeftButton, pos=QPoint(5, round(top) + 3))
    assert where(editor) == (3, 0)


# -- colours ------------------------------------------------------------------------------------------------


def test_keywords_and_strings_take_the_code_styles_colours(editor: CodeEditor) -> None:
    editor.set_text('def f():\n    return "text"  # note')
    keyword, string = colour_at(editor, 2, 4), colour_at(editor, 2, 12)
    assert keyword == style_colour(False, Keyword) and string == style_colour(False, String)
    assert keyword != string
    assert colour_at(editor, 1, 4) == style_colour(False, Name.Function)


def test_a_triple_quoted_string_is_a_string_on_every_line_until_closed(qtbot: QtBot, editor: CodeEditor) -> None:
    editor.set_text("a = 1\nb = 2\nc = 3")
    string = style_colour(False, String)
    assert colour_at(editor, 2, 0) != string
    put_cursor(editor, 1, 5)
    qtbot.keyClicks(editor, ' + """')  # opened: everything after it is the string
    assert [colour_at(editor, n, 0) for n in (2, 3)] == [string, string]
    put_cursor(editor, 2, 5)
    qtbot.keyClicks(editor, '"""')  # closed on line 2: line 3 is code again
    assert colour_at(editor, 2, 0) == string and colour_at(editor, 2, 7) == string
    assert colour_at(editor, 3, 0) != string
    # A docstring that opens a line, and closes two lines on.
    editor.set_text('def f():\n    """Doc\n    more\n    """\n    return 1')
    assert all(colour_at(editor, n, 5) == string for n in (2, 3)) and colour_at(editor, 4, 4) == string
    assert colour_at(editor, 5, 4) == style_colour(False, Keyword)


def test_characters_beyond_16_bits_do_not_shift_the_colours(editor: CodeEditor) -> None:
    """Qt counts UTF-16 units and Pygments characters: after an emoji they differ by one."""
    editor.set_text('s = "😀😀"; return s')
    keyword = style_colour(False, Keyword)
    line = editor.document().findBlockByNumber(0).text()
    column = line.index("return")
    utf16 = column + 2  # two emoji, one extra unit each
    assert colour_at(editor, 1, utf16) == keyword and colour_at(editor, 1, utf16 + 5) == keyword
    assert colour_at(editor, 1, utf16 + 6) != keyword


def test_line_by_line_lexing_matches_pygments_on_whole_files() -> None:
    """The highlighter lexes one line at a time; the question view's code blocks are lexed whole. They must
    agree, or code would look different in the two places (and a wrong carried state would show)."""
    lexer = PythonLexer()
    samples = [
        (REPO / "desktop_app" / name).read_text(encoding="utf-8")
        for name in ("ui/code_highlight.py", "ui/code_editor.py", "app.py")
    ]
    samples.append(
        '#!/usr/bin/env python\n#! a comment\nx = f"""a {y\n + 1} b\nc"""\ns = \'open\nt = "on\\\nmore"\n'
        "def f(a, *, b=2):\n    '''doc\n    more'''\n    r'''raw\n    ''' + \"\"\"x\"\"\"; z = rb\"\"\"\n"
        '    bytes"""\n    return f"{a!r:>10}" + "😀"  # note\n'
    )
    for text in samples:
        whole: list[_TokenType | None] = [None] * len(text)
        for pos, ttype, value in lexer.get_tokens_unprocessed(text):
            whole[pos : pos + len(value)] = [ttype] * len(value)
        state = ROOT
        offset = 0
        for number, line in enumerate(text.split("\n")):
            row: list[_TokenType | None] = [None] * len(line)
            line_tokens, state = python_line_tokens(line, state, first_line=number == 0)
            for pos, ttype, value in line_tokens:
                row[pos : pos + len(value)] = [ttype] * len(value)
            assert row == whole[offset : offset + len(line)], f"line {number + 1}: {line!r}"
            offset += len(line) + 1


def test_a_keystroke_colours_one_line_not_the_file(qtbot: QtBot, editor: CodeEditor) -> None:
    body = "\n".join(
        f"def f{i}(x):\n    '''Step {i}.'''\n    return x * {i} + len(\"abc\")  # {i}\n" for i in range(75)
    )
    editor.set_text(body)
    assert editor.blockCount() >= 300
    highlighter = editor.highlighter
    started = time.perf_counter()
    highlighter.rehighlight()
    whole = time.perf_counter() - started
    put_cursor(editor, 150, 8)
    before = highlighter.blocks_highlighted
    started = time.perf_counter()
    qtbot.keyClicks(editor, "abcdefghij")
    per_key = (time.perf_counter() - started) / 10
    assert highlighter.blocks_highlighted - before == 10  # one line per keystroke
    assert per_key < 0.016, f"{per_key * 1000:.1f} ms per keystroke"
    assert whole < 0.25, f"{whole * 1000:.1f} ms for the whole file"


def test_the_colours_follow_the_theme_both_ways(qtbot: QtBot, editor: CodeEditor, app: QApplication) -> None:
    editor.set_text('def f():\n    """Doc\n    more"""\n    return 1')
    light = (colour_at(editor, 4, 4), colour_at(editor, 3, 4))
    assert light == (style_colour(False, Keyword), style_colour(False, String))
    apply_theme(app, "dark")
    QApplication.processEvents()
    dark = (colour_at(editor, 4, 4), colour_at(editor, 3, 4))
    assert dark == (style_colour(True, Keyword), style_colour(True, String)) and dark != light
    assert editor.viewport().palette().color(editor.viewport().backgroundRole()).name() == str(
        code_style(True).background_color
    )
    apply_theme(app, "light")
    QApplication.processEvents()
    assert (colour_at(editor, 4, 4), colour_at(editor, 3, 4)) == light
    assert editor.viewport().palette().color(editor.viewport().backgroundRole()).name() == str(
        code_style(False).background_color
    )


def test_the_font_is_monospace_and_follows_the_zoom(editor: CodeEditor, app: QApplication) -> None:
    assert QFontInfo(editor.font()).fixedPitch()
    normal = editor.gutter_width()
    apply_theme(app, "light", 17.0)
    QApplication.processEvents()
    assert editor.font().pointSizeF() == pytest.approx(17.0)
    assert editor.document().defaultFont().pointSizeF() == pytest.approx(17.0)
    assert QFontInfo(editor.font()).fixedPitch() and editor.gutter_width() > normal
    apply_theme(app, "dark", 6.5)
    QApplication.processEvents()
    assert editor.font().pointSizeF() == pytest.approx(6.5) and QFontInfo(editor.font()).fixedPitch()
    assert editor.gutter_width() < normal


def test_it_renders_readably_in_both_themes(
    qtbot: QtBot, editor: CodeEditor, app: QApplication, tmp_path: Path
) -> None:
    """A picture of each theme: the text area has the code style's background, the numbers are drawn in the
    gutter in the theme's muted colour, and the code in colours that differ from the background."""
    editor.set_text('import numpy as np\n\n\ndef f(x):\n    """Doc."""\n    return np.exp(x)  # ok\n')
    editor.mark_line(6, "boom")
    for mode, dark in (("light", False), ("dark", True)):
        apply_theme(app, mode)
        QApplication.processEvents()
        picture = editor.grab().toImage()
        picture.save(str(tmp_path / f"editor-{mode}.png"))
        background = QColor(str(code_style(dark).background_color))
        viewport = editor.viewport().geometry()
        # A blank spot on line 2 of the text: the code style's background.
        line_height = editor.fontMetrics().height()
        blank = picture.pixelColor(viewport.left() + 200, viewport.top() + 8 + line_height)
        assert blank == background
        gutter = editor.findChild(QWidget, "codeEditorGutter")
        assert gutter is not None
        ink = {
            picture.pixelColor(x, y).name()
            for x in range(gutter.geometry().left(), gutter.geometry().right())
            for y in range(gutter.geometry().top(), gutter.geometry().top() + 3 * line_height)
        }
        assert len(ink) > 3  # numbers are drawn, anti-aliased towards the muted colour
        code = {
            picture.pixelColor(x, y).name()
            for x in range(viewport.left(), viewport.left() + 120)
            for y in range(viewport.top(), viewport.top() + line_height + 4)
        }
        assert len(code) > 5 and background.name() in code
