"""The code editor's Python edits (indent, comment, new line, backspace, Home), each one undo step on a text edit."""

from __future__ import annotations

import re

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

__all__ = [
    "INDENT",
    "WIDTH",
    "backspace",
    "clean_code",
    "dedent",
    "home",
    "indent",
    "leading",
    "new_line",
    "tab",
    "toggle_comment",
]

INDENT = "    "
WIDTH = len(INDENT)

_DEDENT_AFTER = re.compile(r"(return|pass|raise|break|continue)\b")
# Per line: (column, characters removed there, text inserted there).
LineEdit = tuple[int, int, str]


def clean_code(text: str) -> str:
    """Text as the editor holds it: tabs expanded to four-column stops, one kind of line ending."""
    return text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(WIDTH)


def leading(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _code_part(line: str) -> str:
    """The line without a trailing comment (a # inside a string does not start one)."""
    quote = ""
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif line.startswith(quote, i):
                i += len(quote) - 1
                quote = ""
        elif c == "#":
            return line[:i]
        elif c in "'\"":
            quote = c * 3 if line.startswith(c * 3, i) else c
            i += len(quote) - 1
        i += 1
    return line


def _selected_lines(editor: QPlainTextEdit) -> range:
    """The block numbers the cursor or selection touches; a selection ending at the start of a line does not
    take that line in."""
    cursor = editor.textCursor()
    doc = editor.document()
    first = doc.findBlock(cursor.selectionStart()).blockNumber()
    end_block = doc.findBlock(cursor.selectionEnd())
    last = end_block.blockNumber()
    if cursor.hasSelection() and last > first and cursor.selectionEnd() == end_block.position():
        last -= 1
    return range(first, last + 1)


def _line(editor: QPlainTextEdit, number: int) -> str:
    return editor.document().findBlockByNumber(number).text()


def _edit_lines(editor: QPlainTextEdit, edits: dict[int, LineEdit]) -> None:
    """Apply per-line edits as one undo step and keep the selection on the same text: a selection that
    started at an edited column (the start of the lines) still takes in what was inserted there."""
    if not edits:
        return
    doc = editor.document()
    old = editor.textCursor()
    has_selection = old.hasSelection()
    ends = []
    for position in (old.anchor(), old.position()):
        block = doc.findBlock(position)
        is_start = position == old.selectionStart()
        ends.append((block.blockNumber(), position - block.position(), is_start))
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()
    for number, (column, removed, inserted) in edits.items():
        start = doc.findBlockByNumber(number).position() + column
        cursor.setPosition(start)
        if removed:
            cursor.setPosition(start + removed, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        if inserted:
            cursor.insertText(inserted)
    cursor.endEditBlock()
    positions = []
    for number, column, is_start in ends:
        if number in edits:
            at, removed, inserted = edits[number]
            if column > at or (column == at and not (is_start and has_selection)):
                column = max(at, column - removed) + len(inserted)
        positions.append(doc.findBlockByNumber(number).position() + column)
    new = QTextCursor(doc)
    new.setPosition(positions[0])
    new.setPosition(positions[1], QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(new)


def tab(editor: QPlainTextEdit) -> None:
    """Spaces to the next four-column stop."""
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    cursor.insertText(" " * (WIDTH - cursor.positionInBlock() % WIDTH))
    cursor.endEditBlock()
    editor.setTextCursor(cursor)


def indent(editor: QPlainTextEdit) -> None:
    lines = _selected_lines(editor)
    # Blank lines in a block stay empty (no trailing spaces); a single line is indented even when blank.
    _edit_lines(editor, {n: (0, 0, INDENT) for n in lines if len(lines) == 1 or _line(editor, n).strip()})


def dedent(editor: QPlainTextEdit) -> None:
    edits: dict[int, LineEdit] = {}
    for n in _selected_lines(editor):
        lead = leading(_line(editor, n))
        remove = lead % WIDTH or min(WIDTH, lead)
        if remove:
            edits[n] = (0, remove, "")
    _edit_lines(editor, edits)


def toggle_comment(editor: QPlainTextEdit) -> None:
    """Comment the lines with "# " at their common indentation, or uncomment them when every non-blank line
    already is a comment."""
    lines = _selected_lines(editor)
    code = [n for n in lines if _line(editor, n).strip()]
    edits: dict[int, LineEdit] = {}
    if not code:
        n = lines[0]
        edits[n] = (len(_line(editor, n)), 0, "# ")
    elif all(_line(editor, n).lstrip().startswith("#") for n in code):
        for n in code:
            text = _line(editor, n)
            at = leading(text)
            edits[n] = (at, 2 if text.startswith("# ", at) else 1, "")
    else:
        at = min(leading(_line(editor, n)) for n in code)
        edits = {n: (at, 0, "# ") for n in code}
    _edit_lines(editor, edits)


def new_line(editor: QPlainTextEdit) -> None:
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    cursor.removeSelectedText()
    block = cursor.block()
    column = cursor.positionInBlock()
    before = block.text()[:column]
    if not before.strip():
        # In the indentation (or at column 0): a new empty line above, and this line stays as it was,
        # neither re-indented nor leaving trailing spaces behind.
        start = block.position()
        cursor.setPosition(start)
        cursor.insertText("\n")
        cursor.setPosition(start + 1 + column)
    else:
        depth = leading(before)
        if _code_part(before).rstrip().endswith(":"):
            depth += WIDTH
        elif _DEDENT_AFTER.match(before.strip()):
            depth = max(0, depth - WIDTH)
        # Spaces right after the cursor would push the new line's text past its depthation.
        spaces = leading(block.text()[column:])
        cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, spaces)
        cursor.insertText("\n" + " " * depth)
    cursor.endEditBlock()
    editor.setTextCursor(cursor)
    editor.ensureCursorVisible()


def backspace(editor: QPlainTextEdit) -> bool:
    """In the leading spaces, delete back to the previous four-column stop; False when not there."""
    cursor = editor.textCursor()
    column = cursor.positionInBlock()
    if cursor.hasSelection() or column == 0 or cursor.block().text()[:column].strip():
        return False
    remove = column % WIDTH or WIDTH
    cursor.beginEditBlock()
    cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, remove)
    cursor.removeSelectedText()
    cursor.endEditBlock()
    editor.setTextCursor(cursor)
    return True


def home(editor: QPlainTextEdit, keep_anchor: bool) -> None:
    cursor = editor.textCursor()
    block = cursor.block()
    first = leading(block.text())
    column = 0 if cursor.positionInBlock() == first else first
    mode = QTextCursor.MoveMode.KeepAnchor if keep_anchor else QTextCursor.MoveMode.MoveAnchor
    cursor.setPosition(block.position() + column, mode)
    editor.setTextCursor(cursor)
