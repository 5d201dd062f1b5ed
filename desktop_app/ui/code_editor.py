"""The code editor of the coding round: Python with line numbers, the app's code colours, and indentation keys."""

from __future__ import annotations

from collections.abc import Iterator

from pygments.token import Token
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
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from desktop_app.ui import code_edits
from desktop_app.ui.code_edits import INDENT, clean_code, leading
from desktop_app.ui.code_highlight import PythonHighlighter, code_style
from desktop_app.ui.theme import palette_is_dark, tokens

__all__ = ["INDENT", "CodeEditor"]

# -- colours ----------------------------------------------------------------------------------------------


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


# -- the editor -------------------------------------------------------------------------------------------

_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier
_NOT_TYPING = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier | Qt.KeyboardModifier.AltModifier


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
            cursor.setPosition(block.position() + leading(block.text()))
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
                code_edits.dedent(self)
            elif self.textCursor().hasSelection():
                code_edits.indent(self)
            else:
                code_edits.tab(self)
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
                code_edits.new_line(self)
            else:
                event.ignore()  # Ctrl+Enter is the panel's, not a line break
            return
        if key == Qt.Key.Key_Slash and mods & _CTRL:
            code_edits.toggle_comment(self)
            return
        if key == Qt.Key.Key_Home and typing:
            code_edits.home(self, keep_anchor=shift)
            return
        if key == Qt.Key.Key_Backspace and typing and code_edits.backspace(self):
            return
        super().keyPressEvent(event)

    def _move_focus(self, forward: bool) -> None:
        # QPlainTextEdit refuses to pass the focus on while Tab is a text key; for this one move it is not.
        self.setTabChangesFocus(True)
        try:
            self.focusNextPrevChild(forward)
        finally:
            self.setTabChangesFocus(False)

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
