"""Entry point of the frozen app (PyInstaller needs a script, not a console_scripts entry)."""

from desktop_app.app import main

raise SystemExit(main())
