"""The code editor of the coding round: Python with line numbers, the app's code colours, and indentation keys."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from pygments.lexers.python import PythonLexer
from pygments.style import StyleMeta
from pygments.styles import get_style_by_name
from pygments.token import Comment, Error, String, Token, Whitespace, _TokenType
from PySide6.QtCore import QEvent, QMimeData, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from desktop_app.core.render import DARK_CODE_STYLE, LIGHT_CODE_STYLE
from desktop_app.ui.theme import palette_is_dark, tokens

__all__ = ["INDENT", "CodeEditor", "PythonHighlighter", "python_line_tokens"]

INDENT = "    "
_WIDTH = len(INDENT)

# -- Python, one line at a time ---------------------------------------------------------------------------

# A line-by-line lexer state: Pygments' state stack, or ("docstring", quote) inside a docstring that runs on.
LexState = tuple[str, ...]
ROOT: LexState = ("root",)
_DOCSTRING = "docstring"
_DOC_OPEN = re.compile(r"(\s*)([rRuUbB]{0,2})(\"\"\"|''')")
LineToken = tuple[int, _TokenType, str]


@cache
def _python_lexer() -> PythonLexer:
    """Made on first use: compiling Pygments' Python rules takes tens of milliseconds."""
    return PythonLexer()


def _lex(text: str, pos: int, stack: LexState) -> tuple[list[LineToken], LexState]:
    """Pygments' own RegexLexer loop (pygments/lexer.py, RegexLexer.get_tokens_unprocessed), which cannot
    start mid-document and report the state it ends in: the highlighter needs both, to lex only the line that
    changed and carry a string that is still open on to the next line. Kept the same step for step;
    test_code_editor checks it against Pygments on whole files."""
    lexer = _python_lexer()
    tokendefs = lexer._tokens  # the compiled rules, built when the first lexer was made
    statestack = list(stack)
    statetokens = tokendefs[statestack[-1]]
    out: list[LineToken] = []
    while True:
        for rexmatch, action, new_state in statetokens:
            m = rexmatch(text, pos)
            if m:
                if action is not None:
                    if type(action) is _TokenType:
                        out.append((pos, action, m.group()))
                    else:
                        out.extend(action(lexer, m))
                pos = m.end()
                if new_state is not None:
                    if isinstance(new_state, tuple):
                        for state in new_state:
                            if state == "#pop":
                                if len(statestack) > 1:
                                    statestack.pop()
                            elif state == "#push":
                                statestack.append(statestack[-1])
                            else:
                                statestack.append(state)
                    elif isinstance(new_state, int):
                        if abs(new_state) >= len(statestack):
                            del statestack[1:]
                        else:
                            del statestack[new_state:]
                    elif new_state == "#push":
                        statestack.append(statestack[-1])
                    statetokens = tokendefs[statestack[-1]]
                break
        else:
            if pos >= len(text):
                break
            if text[pos] == "\n":
                statestack = ["root"]
                statetokens = tokendefs["root"]
                out.append((pos, Whitespace, "\n"))
            else:
                out.append((pos, Error, text[pos]))
            pos += 1
    return out, tuple(statestack)


def python_line_tokens(text: str, state: LexState = ROOT, first_line: bool = False) -> tuple[list[LineToken], LexState]:
    """The tokens of one line (positions in `text`) and the state the next line starts in, so that line by
    line gives what Pygments gives for the whole text (which the question view shows)."""
    head: list[LineToken] = []
    start = 0
    if state[0] == _DOCSTRING:
        end = text.find(state[1])
        if end < 0:
            return ([(0, String.Doc, text)] if text else []), state
        start = end + 3
        head.append((0, String.Doc, text[:start]))
        state = ROOT
    elif state == ROOT:
        # Pygments reads a triple-quoted string that starts a line as one multi-line docstring token; a line
        # never sees the closing quotes, so the docstring's state is carried here instead.
        m = _DOC_OPEN.match(text)
        if m and text.find(m.group(3), m.end()) < 0:
            opening = [
                (0, Whitespace, m.group(1)),
                (m.start(2), String.Affix, m.group(2)),
                (m.start(3), String.Doc, text[m.start(3) :]),
            ]
            return [t for t in opening if t[2]], (_DOCSTRING, m.group(3))
    # The newline is lexed too: it is what closes (or carries on) the states a line ends in.
    lexed, end_state = _lex(text + "\n", start, state)
    size = len(text)
    out = head
    for pos, ttype, value in lexed:
        if pos >= size:
            continue
        if pos == 0 and ttype is Comment.Hashbang and not first_line:
            ttype = Comment.Single  # `\A` matches at the start of every line here, not only the file's
        out.append((pos, ttype, value[: size - pos]))
    return out, end_state


# -- colours ----------------------------------------------------------------------------------------------


def code_style(dark: bool) -> StyleMeta:
    """The Pygments style the question view uses for code blocks in this theme."""
    return get_style_by_name(DARK_CODE_STYLE if dark else LIGHT_CODE_STYLE)


def _mix(a: str, b: str, amount: float) -> QColor:
    ca, cb = QColor(a), QColor(b)
    return QColor.fromRgbF(
        ca.redF() + (cb.redF() - ca.redF()) * amount,
        ca.greenF() + (cb.greenF() - ca.greenF()) * amount,
        ca.blueF() + (cb.blueF() - ca.blueF()) * amount,
    )


class _Colours:
    """Everything the editor paints for one theme: the code style's background and text, the theme's muted
    line numbers, its error colours, and a current-line tint a few percent from the background."""

    def __init__(self, dark: bool):
        t = tokens(dark)
        style = code_style(dark)
        self.dark = dark
        self.background = str(style.background_color)
        base = style.style_for_token(Token)["color"]
        self.text = f"#{base}" if base else t.text
        self.muted = t.muted
        self.border = t.border
        self.current_line = _mix(self.background, self.text, 0.07)
        self.error_bg = t.error_bg
        self.error_border = t.error_border


# -- the highlighter --------------------------------------------------------------------------------------


class PythonHighlighter(QSyntaxHighlighter):
    """Colours one line at a time: Qt calls highlightBlock for the line that changed, and for the next ones
    only while the state a line ends in (an open triple-quoted string) changes, so a keystroke costs one line."""

    def __init__(self, document: QTextDocument, dark: bool = False):
        super().__init__(document)
        self._dark = dark
        self._style = code_style(dark)
        self._formats: dict[_TokenType, QTextCharFormat | None] = {}
        self._states: list[LexState] = []  # a block's state is its index here; -1 (Qt's "none") is ROOT
        self._state_ids: dict[LexState, int] = {}
        self.blocks_highlighted = 0  # how many lines were coloured so far: the cost of a keystroke, in lines

    @property
    def dark(self) -> bool:
        return self._dark

    def set_dark(self, dark: bool) -> None:
        """Take the other theme's code colours, on every line (no line keeps the old ones)."""
        if dark == self._dark:
            return
        self._dark = dark
        self._style = code_style(dark)
        self._formats.clear()
        self.rehighlight()

    def format_for(self, ttype: _TokenType) -> QTextCharFormat | None:
        """The format of a token type in the current style; None where the style leaves the text plain."""
        if ttype not in self._formats:
            spec = self._style.style_for_token(ttype)
            fmt: QTextCharFormat | None = None
            if spec["color"] or spec["bgcolor"] or spec["bold"] or spec["italic"] or spec["underline"]:
                fmt = QTextCharFormat()
                if spec["color"]:
                    fmt.setForeground(QColor(f"#{spec['color']}"))
                if spec["bgcolor"]:
                    fmt.setBackground(QColor(f"#{spec['bgcolor']}"))
                if spec["bold"]:
                    fmt.setFontWeight(QFont.Weight.Bold)
                if spec["italic"]:
                    fmt.setFontItalic(True)
                if spec["underline"]:
                    fmt.setFontUnderline(True)
            self._formats[ttype] = fmt
        return self._formats[ttype]

    def highlightBlock(self, text: str) -> None:
        self.blocks_highlighted += 1
        previous = self.previousBlockState()
        start = self._states[previous] if 0 <= previous < len(self._states) else ROOT
        line, end = python_line_tokens(text, start, first_line=self.currentBlock().blockNumber() == 0)
        at = _utf16_offsets(text)
        for pos, ttype, value in line:
            fmt = self.format_for(ttype)
            if fmt is not None:
                if at is None:
                    self.setFormat(pos, len(value), fmt)
                else:
                    self.setFormat(at[pos], at[pos + len(value)] - at[pos], fmt)
        self.setCurrentBlockState(self._state_id(end))

    def _state_id(self, state: LexState) -> int:
        if state == ROOT:
            return -1
        if state not in self._state_ids:
            self._state_ids[state] = len(self._states)
            self._states.append(state)
        return self._state_ids[state]


def _utf16_offsets(text: str) -> list[int] | None:
    """Qt counts a line in UTF-16 units, Pygments in characters: they differ after an emoji or any other
    character outside the Basic Multilingual Plane. None when they agree (nearly always)."""
    if text.isascii() or all(ord(c) < 0x10000 for c in text):
        return None
    out = [0]
    for c in text:
        out.append(out[-1] + (2 if ord(c) >= 0x10000 else 1))
    return out


# -- the editor -------------------------------------------------------------------------------------------

_DEDENT_AFTER = re.compile(r"(return|pass|raise|break|continue)\b")
_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier
_NOT_TYPING = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier | Qt.KeyboardModifier.AltModifier
# Per line: (column, characters removed there, text inserted there).
LineEdit = tuple[int, int, str]


def clean_code(text: str) -> str:
    """Text as the editor holds it: tabs expanded to four-column stops, one kind of line ending."""
    return text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(_WIDTH)


def _leading(text: str) -> int:
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


class _Gutter(QWidget):
    """The line numbers, painted by the editor beside its text; never takes the focus."""

    def __init__(self, editor: CodeEditor):
        super().__init__(editor)
        self._editor = editor
        self.setObjectName("codeEditorGutter")
        self.setAccessibleName("Line numbers")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor._paint_gutter(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A click on a number puts the cursor at the start of that line (Shift extends the selection)."""
        editor = self._editor
        cursor = editor.cursorForPosition(QPoint(0, int(event.position().y())))
        target = editor.textCursor()
        mode = (
            QTextCursor.MoveMode.KeepAnchor
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            else QTextCursor.MoveMode.MoveAnchor
        )
        target.setPosition(cursor.block().position(), mode)
        editor.setTextCursor(target)
        editor.setFocus(Qt.FocusReason.MouseFocusReason)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()  # the press did the work; the release is not for the editor behind

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            self._editor._show_mark_tip(event, self)
            return True
        return super().event(event)


class CodeEditor(QPlainTextEdit):
    """A Python editor for the coding round.

    Keys: Tab indents (spaces to the next four-column stop, or every selected line by four); Shift+Tab
    dedents the line or the selected lines; Enter keeps the line's indentation, adds four after a line
    ending in ":" and takes four off after return, pass, raise, break or continue; Backspace in the leading
    spaces goes back to the previous four-column stop; Ctrl+/ comments or uncomments the line or every
    selected line; Home goes to the first non-space character, and to column 0 when pressed there. Each is
    one undo step. No tab character ever enters the text: typed, pasted and set text has four-column stops.

    Focus: since Tab indents, Ctrl+Tab and Ctrl+Shift+Tab move the focus out to the next or previous
    control; so does Tab or Shift+Tab pressed just after Esc (Esc itself goes on to the parent, so a dialog
    still closes with it). Ctrl+Enter inserts nothing and goes on to the parent (the panel's Run key).

    The font is the system's fixed-pitch family at the app's text size (the theme's style sheet sets the
    size, so zoom applies here too); the colours are the Pygments styles of the question view's code blocks.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # State first: the set-up calls below already send change events that the handlers read.
        self._escape_pending = False
        self._mark: QTextCursor | None = None  # tracked by the document: the mark moves with its line
        self._mark_message = ""
        self._colours = _Colours(palette_is_dark())
        self.highlighter = PythonHighlighter(self.document(), self._colours.dark)
        self._gutter = _Gutter(self)
        self.setObjectName("codeEditor")
        self.setAccessibleName("Code editor")
        self.setAccessibleDescription(
            "Python code. Tab indents, Shift+Tab dedents, Ctrl+/ comments lines. "
            "Ctrl+Tab or Esc then Tab moves the focus out."
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(False)
        # Only the family is set: the size stays unset, so it follows the app (and its zoom).
        font = QFont()
        font.setFamilies([QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()])
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        font.setFixedPitch(True)
        self.setFont(font)
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self.cursorPositionChanged.connect(self._update_extra_selections)
        self._apply_colours()
        self._update_gutter_width()
        self._update_extra_selections()

    # -- public API -----------------------------------------------------------------------------------

    def text(self) -> str:
        return self.toPlainText()

    def set_text(self, text: str, undoable: bool = True) -> None:
        """Replace the whole text (tabs expanded) and clear the mark. The replacement is one undo step, so a
        reset to the stub or a restored attempt can be taken back; an editor that was never edited, or
        `undoable=False` (a different question), starts a fresh undo history instead."""
        text = clean_code(text)
        self.mark_line(None)
        fresh = self.document().isEmpty() and not self.document().isUndoAvailable()
        if not undoable or fresh:
            self.setPlainText(text)
        elif text != self.toPlainText():
            cursor = QTextCursor(self.document())
            cursor.beginEditBlock()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(text)
            cursor.endEditBlock()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def mark_line(self, line: int | None, message: str = "") -> None:
        """Show line `line` (1-based; clamped to the text) as the error, with `message` as its tooltip, and
        put the cursor on it; None clears the mark. The mark stays with its line as lines are added above it,
        until it is cleared or the text is set."""
        if line is None:
            self._mark = None
            self._mark_message = ""
        else:
            number = min(max(line, 1), self.blockCount())
            block = self.document().findBlockByNumber(number - 1)
            self._mark = QTextCursor(block)
            self._mark_message = message
            cursor = QTextCursor(block)
            cursor.setPosition(block.position() + _leading(block.text()))
            self.setTextCursor(cursor)
            self.centerCursor()
        self._update_extra_selections()
        self._gutter.update()

    def marked_line(self) -> int | None:
        """The line the mark is on now (1-based), or None."""
        return None if self._mark is None else self._mark.blockNumber() + 1

    def marked_message(self) -> str:
        return self._mark_message

    def gutter_width(self) -> int:
        digits = max(2, len(str(self.blockCount())))
        return self.fontMetrics().horizontalAdvance("9") * (digits + 2)

    # -- keys -----------------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # The editor's own keys win over window shortcuts that happen to use them.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self._is_own_key(event):
                event.accept()
                return True
            if event.key() == Qt.Key.Key_Escape:
                # A window may bind Esc to a shortcut of its own, and then no key press follows: note it here.
                self._escape_pending = True
        return super().event(event)

    def _is_own_key(self, event: QKeyEvent) -> bool:
        key, ctrl = event.key(), bool(event.modifiers() & _CTRL)
        return ctrl and key in (Qt.Key.Key_Slash, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        after_escape, self._escape_pending = self._escape_pending, False
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        typing = not (mods & _NOT_TYPING)
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            if mods & _CTRL or after_escape:
                self._move_focus(forward=key == Qt.Key.Key_Tab and not shift)
            elif self.isReadOnly() or not typing:
                event.ignore()  # never a tab character, and Alt+Tab belongs to the system
            elif key == Qt.Key.Key_Backtab or shift:
                self._dedent()
            elif self.textCursor().hasSelection():
                self._indent()
            else:
                cursor = self.textCursor()
                cursor.beginEditBlock()
                cursor.insertText(" " * (_WIDTH - cursor.positionInBlock() % _WIDTH))
                cursor.endEditBlock()
                self.setTextCursor(cursor)
            self.ensureCursorVisible()
            return
        if key == Qt.Key.Key_Escape:
            self._escape_pending = True
            event.ignore()
            return
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if typing:
                self._new_line()
            else:
                event.ignore()  # Ctrl+Enter is the panel's, not a line break
            return
        if key == Qt.Key.Key_Slash and mods & _CTRL:
            self._toggle_comment()
            return
        if key == Qt.Key.Key_Home and typing:
            self._home(keep_anchor=shift)
            return
        if key == Qt.Key.Key_Backspace and typing and self._backspace():
            return
        super().keyPressEvent(event)

    def _move_focus(self, forward: bool) -> None:
        # QPlainTextEdit refuses to pass the focus on while Tab is a text key; for this one move it is not.
        self.setTabChangesFocus(True)
        try:
            self.focusNextPrevChild(forward)
        finally:
            self.setTabChangesFocus(False)

    def _selected_lines(self) -> range:
        """The block numbers the cursor or selection touches; a selection ending at the start of a line
        does not take that line in."""
        cursor = self.textCursor()
        doc = self.document()
        first = doc.findBlock(cursor.selectionStart()).blockNumber()
        end_block = doc.findBlock(cursor.selectionEnd())
        last = end_block.blockNumber()
        if cursor.hasSelection() and last > first and cursor.selectionEnd() == end_block.position():
            last -= 1
        return range(first, last + 1)

    def _line(self, number: int) -> str:
        return self.document().findBlockByNumber(number).text()

    def _edit_lines(self, edits: dict[int, LineEdit]) -> None:
        """Apply per-line edits as one undo step and keep the selection on the same text: a selection that
        started at an edited column (the start of the lines) still takes in what was inserted there."""
        if not edits:
            return
        doc = self.document()
        old = self.textCursor()
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
        self.setTextCursor(new)

    def _indent(self) -> None:
        lines = self._selected_lines()
        # Blank lines in a block stay empty (no trailing spaces); a single line is indented even when blank.
        self._edit_lines({n: (0, 0, INDENT) for n in lines if len(lines) == 1 or self._line(n).strip()})

    def _dedent(self) -> None:
        edits: dict[int, LineEdit] = {}
        for n in self._selected_lines():
            lead = _leading(self._line(n))
            remove = lead % _WIDTH or min(_WIDTH, lead)
            if remove:
                edits[n] = (0, remove, "")
        self._edit_lines(edits)

    def _toggle_comment(self) -> None:
        """Comment the lines with "# " at their common indentation, or uncomment them when every non-blank
        line already is a comment."""
        lines = self._selected_lines()
        code = [n for n in lines if self._line(n).strip()]
        edits: dict[int, LineEdit] = {}
        if not code:
            n = lines[0]
            edits[n] = (len(self._line(n)), 0, "# ")
        elif all(self._line(n).lstrip().startswith("#") for n in code):
            for n in code:
                text = self._line(n)
                at = _leading(text)
                edits[n] = (at, 2 if text.startswith("# ", at) else 1, "")
        else:
            at = min(_leading(self._line(n)) for n in code)
            edits = {n: (at, 0, "# ") for n in code}
        self._edit_lines(edits)

    def _new_line(self) -> None:
        cursor = self.textCursor()
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
            indent = _leading(before)
            if _code_part(before).rstrip().endswith(":"):
                indent += _WIDTH
            elif _DEDENT_AFTER.match(before.strip()):
                indent = max(0, indent - _WIDTH)
            # Spaces right after the cursor would push the new line's text past its indentation.
            spaces = _leading(block.text()[column:])
            cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, spaces)
            cursor.insertText("\n" + " " * indent)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _backspace(self) -> bool:
        """In the leading spaces, delete back to the previous four-column stop; False when not there."""
        cursor = self.textCursor()
        column = cursor.positionInBlock()
        if cursor.hasSelection() or column == 0 or cursor.block().text()[:column].strip():
            return False
        remove = column % _WIDTH or _WIDTH
        cursor.beginEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, remove)
        cursor.removeSelectedText()
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        return True

    def _home(self, keep_anchor: bool) -> None:
        cursor = self.textCursor()
        block = cursor.block()
        first = _leading(block.text())
        column = 0 if cursor.positionInBlock() == first else first
        mode = QTextCursor.MoveMode.KeepAnchor if keep_anchor else QTextCursor.MoveMode.MoveAnchor
        cursor.setPosition(block.position() + column, mode)
        self.setTextCursor(cursor)

    # -- text that arrives other than by typing ------------------------------------------------------

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Pasted and dropped text: tabs become spaces, and it is one undo step."""
        if not source.hasText():
            return
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.insertText(clean_code(source.text()))
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # -- theme, font, geometry ------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        kind = event.type()
        if kind in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange) and palette_is_dark() != self._colours.dark:
            self._colours = _Colours(palette_is_dark())
            self._apply_colours()
        elif kind == QEvent.Type.FontChange:
            self._update_gutter_width()
            self._gutter.update()

    def _apply_colours(self) -> None:
        c = self._colours
        # The editor's own sheet: it wins over the app's QPlainTextEdit rule, and the app's font-size (zoom)
        # still applies since this sets no size.
        self.setStyleSheet(f"QPlainTextEdit#codeEditor {{ background: {c.background}; color: {c.text}; padding: 0; }}")
        self.highlighter.set_dark(c.dark)
        self._update_extra_selections()
        self._gutter.update()

    def _update_gutter_width(self, _count: int = 0) -> None:
        if self.viewportMargins().left() != self.gutter_width():
            self.setViewportMargins(self.gutter_width(), 0, 0, 0)
        self._place_gutter()

    def _place_gutter(self) -> None:
        viewport = self.viewport().geometry()
        width = self.gutter_width()
        self._gutter.setGeometry(QRect(viewport.left() - width, viewport.top(), width, viewport.height()))

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())
        if rect.contains(self.viewport().rect()):
            self._update_gutter_width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_gutter()

    def _visible_blocks(self) -> Iterator[tuple[int, int, int]]:
        """(block number, top, line height) of each line in view, in viewport coordinates."""
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        bottom = self.viewport().height()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > bottom:
                break
            if block.isVisible():
                layout = block.layout()
                height = layout.lineAt(0).height() if layout.lineCount() else geometry.height()
                yield block.blockNumber(), round(geometry.top()), round(height)
            block = block.next()

    def _paint_gutter(self, event: QPaintEvent) -> None:
        c = self._colours
        painter = QPainter(self._gutter)
        painter.fillRect(event.rect(), QColor(c.background))
        width = self._gutter.width()
        painter.setPen(QColor(c.border))
        painter.drawLine(width - 1, event.rect().top(), width - 1, event.rect().bottom())
        painter.setFont(self.font())
        advance = self.fontMetrics().horizontalAdvance("9")
        current = self.textCursor().blockNumber()
        marked = self.marked_line()
        for number, top, height in self._visible_blocks():
            if number + 1 == marked:
                painter.fillRect(0, top, width - 1, height, QColor(c.error_border))
            painter.setPen(QColor(c.text if number == current or number + 1 == marked else c.muted))
            painter.drawText(
                0,
                top,
                width - advance,
                height,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(number + 1),
            )
        painter.end()

    def _update_extra_selections(self) -> None:
        c = self._colours
        selections = []
        current = QTextEdit.ExtraSelection()
        current.format.setBackground(c.current_line)
        current.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        current.cursor = QTextCursor(self.textCursor().block())
        selections.append(current)
        if self._mark is not None:
            mark = QTextEdit.ExtraSelection()
            mark.format.setBackground(QColor(c.error_bg))
            mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            mark.cursor = QTextCursor(self._mark.block())
            selections.append(mark)
        self.setExtraSelections(selections)
        self._gutter.update()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            self._show_mark_tip(event, self.viewport())
            return True
        return super().viewportEvent(event)

    def _show_mark_tip(self, event: QEvent, widget: QWidget) -> None:
        """The mark's message as the tooltip of its line, in the text and over its number."""
        if not isinstance(event, QHelpEvent):
            return
        number = self.cursorForPosition(QPoint(0, event.pos().y())).blockNumber() + 1
        if self._mark_message and number == self.marked_line():
            QToolTip.showText(event.globalPos(), self._mark_message, widget)
        else:
            QToolTip.hideText()
