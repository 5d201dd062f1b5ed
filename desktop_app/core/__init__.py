"""Qt-free logic: the bank, the store, search and review; the UI is a thin layer over it."""
