"""The small dialogs of the Decks menu: import decks, remove one, export questions. Each only collects a
choice; DeckActions (ui/decks.py) does the work, off the UI thread where it reads or writes files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.bank import LEVELS
from desktop_app.core.decks import DeckInfo
from desktop_app.ui.dialogs import closes_with_keys


def _label(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    return label


class ImportDialog(QDialog):
    """Files or a folder to import: TOML decks, Markdown decks, or Anki's "Notes in Plain Text" export."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importDeckDialog")
        self.setWindowTitle("Import decks")
        closes_with_keys(self)
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _label(
                'A deck is a topic file in MLPrep\'s TOML format, a Markdown deck (see "Your own decks" in the README), '
                "or a text export of Anki notes (File > Export > Notes in Plain Text). Each file is checked "
                "first: a file with any problem is left out whole, with every problem listed."
            )
        )
        self.paths = QLineEdit()
        self.paths.setObjectName("importPaths")
        self.paths.setAccessibleName("Files or folder to import")
        self.paths.setPlaceholderText("files or a folder; several files separated by ;")
        files = QPushButton("Files…")
        files.clicked.connect(self._choose_files)
        folder = QPushButton("Folder…")
        folder.clicked.connect(self._choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.paths, 1)
        row.addWidget(files)
        row.addWidget(folder)
        layout.addLayout(row)
        form = QFormLayout()
        self.level = QComboBox()
        self.level.setObjectName("importLevel")
        self.level.setAccessibleName("Level of imported Anki notes")
        for level in LEVELS:
            self.level.addItem(level.capitalize(), level)
        self.level.setCurrentIndex(1)
        form.addRow("Level of Anki notes", self.level)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Import")
        self.ok.setObjectName("importButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.paths.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        self.ok.setEnabled(False)

    def chosen(self) -> list[Path]:
        return [Path(p.strip()).expanduser() for p in self.paths.text().split(";") if p.strip()]

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Decks to import", "", "Decks (*.toml *.md *.markdown *.txt *.csv *.tsv);;All files (*)"
        )
        if files:
            self.paths.setText(";".join(files))

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "A folder of decks")
        if folder:
            self.paths.setText(folder)


class RemoveDeckDialog(QDialog):
    def __init__(self, decks: list[DeckInfo], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("removeDeckDialog")
        self.setWindowTitle("Remove a deck")
        closes_with_keys(self)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _label(
                "The deck's questions leave your lists; their scores and notes are kept. The file is moved to "
                "decks/removed in your data folder, never deleted: import it again to bring the questions "
                "back with their history."
            )
        )
        self.list = QListWidget()
        self.list.setObjectName("deckList")
        self.list.setAccessibleName("Your decks")
        for deck in decks:
            item = QListWidgetItem(f"{deck.title}  ·  {deck.questions} questions  ·  {deck.id}")
            item.setData(Qt.ItemDataRole.UserRole, deck.id)
            self.list.addItem(item)
        if decks:
            self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        remove = buttons.button(QDialogButtonBox.StandardButton.Ok)
        remove.setText("Remove")
        remove.setObjectName("removeButton")
        remove.setEnabled(bool(decks))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else None


EXPORT_FORMATS = (("toml", "MLPrep TOML (.toml)"), ("md", "Markdown (.md)"), ("apkg", "Anki package (.apkg)"))


class ExportDialog(QDialog):
    """What to export (a topic or deck, your decks, or everything) and in which format, to where."""

    def __init__(self, topics: list[tuple[str, str, bool]], current: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export questions")
        closes_with_keys(self)
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.scope = QComboBox()
        self.scope.setObjectName("exportScope")
        self.scope.setAccessibleName("What to export")
        self.scope.addItem("Everything: the bank and your decks", "@all")
        if any(own for _id, _t, own in topics):
            self.scope.addItem("Your decks", "@decks")
        for topic_id, title, own in topics:
            self.scope.addItem(f"{title}{'  (your deck)' if own else ''}", topic_id)
        if current and self.scope.findData(current) >= 0:
            self.scope.setCurrentIndex(self.scope.findData(current))
        form.addRow("Questions", self.scope)
        self.format = QComboBox()
        self.format.setObjectName("exportFormat")
        self.format.setAccessibleName("Format")
        for value, label in EXPORT_FORMATS:
            self.format.addItem(label, value)
        form.addRow("Format", self.format)
        self.target = QLineEdit()
        self.target.setObjectName("exportTarget")
        self.target.setAccessibleName("Where to write")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(browse)
        form.addRow("To", row)
        layout.addLayout(form)
        self.hint = _label("", "exportHint")
        layout.addWidget(self.hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Export")
        self.ok.setObjectName("exportButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for signal in (self.scope.currentIndexChanged, self.format.currentIndexChanged):
            signal.connect(self._update_hint)
        self.target.textChanged.connect(self._update_hint)
        self._update_hint()

    def choice(self) -> tuple[str, str, Path]:
        return (
            str(self.scope.currentData()),
            str(self.format.currentData()),
            Path(self.target.text().strip()).expanduser(),
        )

    def _several(self) -> bool:
        return str(self.scope.currentData()).startswith("@")

    def _update_hint(self) -> None:
        fmt = str(self.format.currentData())
        if fmt == "apkg":
            text = "One .apkg file; each topic becomes an Anki deck under MLPrep::. Exporting again updates the notes."
        elif self._several():
            text = "A folder: one file per topic."
        else:
            text = "One file."
        self.hint.setText(text)
        self.ok.setEnabled(bool(self.target.text().strip()))

    def _choose(self) -> None:
        fmt = str(self.format.currentData())
        if fmt != "apkg" and self._several():
            path = QFileDialog.getExistingDirectory(self, "Export into this folder")
        else:
            path, _ = QFileDialog.getSaveFileName(self, "Export to", f"mlprep.{fmt}", f"*.{fmt}")
        if path:
            self.target.setText(path)
