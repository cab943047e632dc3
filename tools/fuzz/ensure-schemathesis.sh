#!/usr/bin/env bash
# Installs the pinned schemathesis (tools/fuzz/requirements.txt) into .puente/venv on first use, as the
# Kafka jars are fetched into .puente/kafka on first use, and prints the path of its `st` command.
# Later runs find it installed (the requirements file's hash is kept beside it) and print the path.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="${PUENTE_VENV:-$ROOT/.puente/venv}"
REQUIREMENTS="$ROOT/tools/fuzz/requirements.txt"
STAMP="$VENV/.requirements.sha256"
want="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"

if [ -x "$VENV/bin/st" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  echo "$VENV/bin/st"
  exit 0
fi

command -v python3 >/dev/null || { echo "python3 is required for the API fuzz test" >&2; exit 1; }
# Debian ships venv without ensurepip unless python3-venv is installed (.ci/run installs it).
python3 -c 'import ensurepip' 2>/dev/null || {
  echo "python3 cannot create virtual environments: install python3-venv" >&2
  exit 1
}
echo "installing schemathesis into $VENV (first use)" >&2
rm -rf "$VENV"
python3 -m venv "$VENV" >&2
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$REQUIREMENTS" >&2
echo "$want" > "$STAMP"
echo "$VENV/bin/st"
