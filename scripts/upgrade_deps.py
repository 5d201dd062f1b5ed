"""Move MLPrep's pinned dependencies forward, deliberately: newest allowed versions, whole suite, then pins.

    python3 scripts/upgrade_deps.py [--dry-run] [--keep-venv] [-- PYTEST ARGS...]

Installs the newest versions that the ranges in pyproject.toml's [tool.mlprep.upgrade] allow into a
scratch virtual environment, runs the test suite there, and only if it passes rewrites the exact pins in
pyproject.toml and the full list in constraints.txt. A red run changes nothing and says what moved, so
an upgrade that breaks the app is found here, not by a user or by CI on an unrelated change.
Standard library only, so it runs from any Python 3.11+.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = REPO / "pyproject.toml"
CONSTRAINTS = REPO / "constraints.txt"
HEADER = (
    "# Every package MLPrep and its test and packaging extras install, pinned. Written by scripts/upgrade_deps.py;\n"
    "# the quick-start commands install with -c constraints.txt so a fresh clone gets exactly these.\n"
)
_PIN = re.compile(r'"(?P<name>[A-Za-z0-9_.\-]+)==(?P<version>[^"]+)"')


def normalize(name: str) -> str:
    """PEP 503: PySide6_Essentials, pyside6-essentials and PySide6.Essentials are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(text: str) -> dict[str, str]:
    """The exact pins written in pyproject.toml (runtime and extras), by normalized name."""
    return {normalize(m["name"]): m["version"] for m in _PIN.finditer(text)}


def ranges(text: str) -> dict[str, str]:
    return dict(tomllib.loads(text)["tool"]["mlprep"]["upgrade"])


def freeze(python: Path) -> dict[str, str]:
    out = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=True
    ).stdout
    versions = {}
    for line in out.splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            versions[name.strip()] = version.strip()
    return versions


def rewrite_pins(text: str, versions: dict[str, str]) -> str:
    by_norm = {normalize(k): v for k, v in versions.items()}

    def sub(m: re.Match[str]) -> str:
        new = by_norm.get(normalize(m["name"]), m["version"])
        return f'"{m["name"]}=={new}"'

    return _PIN.sub(sub, text)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="install and test, but rewrite nothing")
    parser.add_argument("--keep-venv", action="store_true", help="leave the scratch environment for inspection")
    parser.add_argument("pytest_args", nargs="*", help="arguments for pytest (after --), e.g. -m 'not slow'")
    args = parser.parse_args(argv)

    text = PYPROJECT.read_text(encoding="utf-8")
    wanted = ranges(text)
    before = pinned(text)
    missing = sorted(set(before) - {normalize(n) for n in wanted})
    if missing:
        print(f"pyproject.toml pins {', '.join(missing)} without a range in [tool.mlprep.upgrade]", file=sys.stderr)
        return 2

    scratch = Path(tempfile.mkdtemp(prefix="mlprep-upgrade-"))
    env_dir = scratch / "venv"
    print(f"Scratch environment: {env_dir}")
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--no-deps", "-e", str(REPO)], check=True)
    subprocess.run([*pip, *[f"{name}{spec}" for name, spec in wanted.items()]], check=True)
    check = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True, text=True)
    if check.returncode != 0:
        print("The newest allowed versions conflict:\n" + check.stdout, file=sys.stderr)
        return 1
    after = freeze(python)
    by_norm = {normalize(k): v for k, v in after.items()}
    moved = {name: (old, by_norm.get(name, "?")) for name, old in before.items() if by_norm.get(name) != old}
    for name, (old, new) in sorted(moved.items()):
        print(f"  {name}: {old} -> {new}")
    if not moved:
        print("  every pin is already the newest allowed version")

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    tests = subprocess.run(
        [str(python), "-m", "pytest", "-p", "no:cacheprovider", *args.pytest_args], cwd=REPO, env=env
    )
    if not args.keep_venv:
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)
    if tests.returncode != 0:
        print("The suite failed on the newest allowed versions; the pins were left as they are.", file=sys.stderr)
        return 1
    if args.dry_run:
        print("The suite passed. Dry run: nothing rewritten.")
        return 0
    PYPROJECT.write_text(rewrite_pins(text, after), encoding="utf-8")
    lines = [f"{name}=={version}\n" for name, version in sorted(after.items(), key=lambda kv: normalize(kv[0]))]
    CONSTRAINTS.write_text(HEADER + "".join(lines), encoding="utf-8")
    print("The suite passed: pyproject.toml and constraints.txt now pin these versions. Review and commit them.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
