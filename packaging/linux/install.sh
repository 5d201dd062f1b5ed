#!/usr/bin/env bash
# Install the built one-folder app for the current user: the app under ~/.local/opt/MLPrep, its icons in
# the hicolor theme and a .desktop entry, so it shows in the application menu. Run after packaging/build.py.
# Uninstall: rm -r ~/.local/opt/MLPrep ~/.local/share/applications/mlprep.desktop ~/.local/share/icons/hicolor/*/apps/mlprep.png
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dist="${1:-$root/dist/MLPrep}"
prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
opt="$HOME/.local/opt/MLPrep"
[ -x "$dist/MLPrep" ] || { echo "No built app at $dist: run 'python packaging/build.py' first." >&2; exit 1; }
mkdir -p "$opt" "$prefix/applications"
cp -a "$dist/." "$opt/"
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$prefix/icons/hicolor/${size}x${size}/apps"
  cp "$root/resources/icons/mlprep-$size.png" "$prefix/icons/hicolor/${size}x${size}/apps/mlprep.png"
done
sed "s|@EXEC@|$opt/MLPrep|" "$here/mlprep.desktop" > "$prefix/applications/mlprep.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$prefix/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q "$prefix/icons/hicolor" || true
echo "Installed MLPrep to $opt; it is in your application menu."
