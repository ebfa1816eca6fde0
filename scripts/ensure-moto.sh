#!/usr/bin/env bash
# Installs the pinned moto server (IAM/STS emulator for component tests) into .venv when missing.
# The product never uses Python; only the tests do. Under CI=true a failure here fails the build,
# elsewhere the moto-backed tests are skipped with a message that names this script.
set -euo pipefail
version="${1:?usage: ensure-moto.sh MOTO_VERSION}"
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/.moto-$version"
if [[ -x "$venv/bin/moto_server" && -f "$stamp" ]]; then
  exit 0
fi
fail() {
  echo "ensure-moto: $*" >&2
  if [[ "${CI:-}" == "true" ]]; then exit 1; fi
  echo "ensure-moto: moto-backed tests will be skipped (set up Python 3 with venv and rerun)" >&2
  exit 0
}
python="$(command -v python3 || true)"
[[ -n "$python" ]] || fail "python3 not found"
echo "ensure-moto: installing moto[server]==$version into $venv"
"$python" -m venv "$venv" || fail "could not create $venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$version" || fail "pip install moto[server]==$version failed"
touch "$stamp"
