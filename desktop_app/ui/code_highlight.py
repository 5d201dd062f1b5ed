"""Python colours for the code editor, lexed a line at a time so that a keystroke costs one line, not the file."""

from __future__ import annotations

import re
from functools import cache

from pygments.lexers.python import PythonLexer
from pygments.style import StyleMeta
from pygments.styles import get_style_by_name
from pygments.token import Comment, Error, String, Whitespace, _TokenType
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from desktop_app.core.render import DARK_CODE_STYLE, LIGHT_CODE_STYLE

__all__ = ["ROOT", "LexState", "LineToken", "PythonHighlighter", "code_style", "python_line_tokens"]

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


# -- the highlighter --------------------------------------------------------------------------------------


class PythonHighlighter(QSyntaxHighlighter):
    """Colours one line at a time: Qt calls highlightBlock for the line that changed, and for the next ones
    only while the state a line ends in (an open triple-quoted string) changes, so a keystroke costs one line."""

    def __init__(self, document: QTextDocument, dark: bool = False) -> None:
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
