"""Draw the app icon with Qt's own painter and write every size the platforms use (PNG set, .ico, .icns).

Run by hand after changing the design:  QT_QPA_PLATFORM=offscreen python packaging/make_icons.py
The outputs are committed under resources/icons/, so builds need no image tools.
"""

from __future__ import annotations

import io
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256.0
    card = QPainterPath()
    card.addRoundedRect(QRectF(16 * s, 16 * s, 224 * s, 224 * s), 48 * s, 48 * s)
    p.fillPath(card, QColor("#2f5bd3"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(255, 255, 255, 235))
    p.drawRoundedRect(QRectF(48 * s, 56 * s, 160 * s, 112 * s), 14 * s, 14 * s)
    font = QFont("DejaVu Sans")
    font.setBold(True)
    font.setPixelSize(max(6, int(64 * s)))
    p.setFont(font)
    p.setPen(QColor("#2f5bd3"))
    p.drawText(QRectF(48 * s, 56 * s, 160 * s, 112 * s), Qt.AlignmentFlag.AlignCenter, "ML")
    pen = QPen(QColor("#3ddc84"), 18 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    tick = QPainterPath()
    tick.moveTo(92 * s, 198 * s)
    tick.lineTo(118 * s, 222 * s)
    tick.lineTo(170 * s, 176 * s)
    p.drawPath(tick)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def write_ico(path: Path, images: dict[int, bytes]) -> None:
    """ICO with PNG-compressed entries (supported since Windows Vista)."""
    sizes = [s for s in (16, 24, 32, 48, 64, 128, 256) if s in images]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for s in sizes:
        blob = images[s]
        entries += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    path.write_bytes(header + entries + blobs)


def write_icns(path: Path, images: dict[int, bytes]) -> None:
    """ICNS with PNG entries (ic07..ic10 = 128..1024 px, icp4..icp6 = 16..64 px)."""
    kinds = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09", 1024: b"ic10"}
    body = io.BytesIO()
    for s, kind in kinds.items():
        blob = images[s]
        body.write(kind + struct.pack(">I", len(blob) + 8) + blob)
    data = body.getvalue()
    path.write_bytes(b"icns" + struct.pack(">I", len(data) + 8) + data)


def main() -> None:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841  (fonts need an application)
    OUT.mkdir(parents=True, exist_ok=True)
    images = {s: png_bytes(draw(s)) for s in SIZES}
    for s in (16, 24, 32, 48, 64, 128, 256, 512):
        (OUT / f"mlprep-{s}.png").write_bytes(images[s])
    (OUT / "mlprep.png").write_bytes(images[256])
    write_ico(OUT / "mlprep.ico", images)
    write_icns(OUT / "mlprep.icns", images)
    print("wrote", ", ".join(sorted(p.name for p in OUT.iterdir())))


if __name__ == "__main__":
    main()
