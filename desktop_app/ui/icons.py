"""Toolbar icons drawn with QPainter in the theme's text colour: crisp at any scale, right in both themes,
and no image files to ship or load."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

SIZE = 64  # drawn large, scaled down by Qt


def _icon(color: str, draw: Callable[[QPainter], None]) -> QIcon:
    pix = QPixmap(SIZE, SIZE)
    pix.fill(QColor(0, 0, 0, 0))
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(color), 5.0)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    draw(p)
    p.end()
    return QIcon(pix)


def _bubble(p: QPainter) -> None:
    path = QPainterPath()
    path.addRoundedRect(QRectF(8, 10, 48, 34), 10, 10)
    p.drawPath(path)
    p.drawLine(QPointF(20, 44), QPointF(14, 56))
    p.drawLine(QPointF(14, 56), QPointF(30, 44))
    for x in (22, 32, 42):
        p.drawPoint(QPointF(x, 27))


def _clock(p: QPainter) -> None:
    p.drawEllipse(QRectF(8, 8, 48, 48))
    p.drawLine(QPointF(32, 32), QPointF(32, 17))
    p.drawLine(QPointF(32, 32), QPointF(43, 38))


def _bars(p: QPainter) -> None:
    p.drawLine(QPointF(8, 56), QPointF(56, 56))
    for x, top in ((16, 36), (28, 22), (40, 30), (52, 12)):
        p.drawLine(QPointF(x, 50), QPointF(x, top))


def _sliders(p: QPainter) -> None:
    for y, knob in ((16, 40), (32, 20), (48, 34)):
        p.drawLine(QPointF(8, y), QPointF(56, y))
        p.drawEllipse(QPointF(knob, y), 5, 5)


def _help(p: QPainter) -> None:
    p.drawEllipse(QRectF(8, 8, 48, 48))
    path = QPainterPath(QPointF(24, 26))
    path.cubicTo(QPointF(24, 14), QPointF(42, 14), QPointF(40, 26))
    path.cubicTo(QPointF(39, 32), QPointF(32, 32), QPointF(32, 38))
    p.drawPath(path)
    p.drawPoint(QPointF(32, 47))


DRAWINGS = {"mock": _bubble, "history": _clock, "dashboard": _bars, "settings": _sliders, "help": _help}


def icon(name: str, color: str) -> QIcon:
    return _icon(color, DRAWINGS[name])
