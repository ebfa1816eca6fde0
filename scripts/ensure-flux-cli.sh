#!/usr/bin/env bash
# Builds the real flux CLI (v$FLUX_VERSION) once from the Go module proxy, for the side-by-side
# benchmark (scripts/bench.sh --side-by-side), and prints its path. Neither the tests nor the
# product run it.
#
# The flux2 module holds cmd/flux but not the install manifests the CLI embeds
# (cmd/flux/manifests/*.yaml): its release generates them with manifests/scripts/bundle.sh before
# building. scripts/ensure-flux.sh makes those same files from the controllers' modules at the
# versions flux2 pins (see its header); they are copied into a writable copy of the module, which
# is then built as the release builds it (the module's own go.mod and go.sum, -X main.VERSION).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
FLUX_VERSION="${FLUX_VERSION:-2.9.4}"
fail() { echo "ensure-flux-cli: $*" >&2; exit 1; }
command -v go >/dev/null || fail "go not found"
flux_dir="$(CI=true bash "$root/scripts/ensure-flux.sh")" || fail "the install manifests could not be built"
binary="$flux_dir/bin/flux"
if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi
exec 9>"$flux_dir.cli.lock"
flock 9
if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi
echo "ensure-flux-cli: building the flux CLI v$FLUX_VERSION once (several minutes)" >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
module="$(go mod download -json "github.com/fluxcd/flux2/v2@v$FLUX_VERSION" | sed -n 's/.*"Dir": "\(.*\)",*/\1/p')"
[[ -n "$module" ]] || fail "the module proxy does not serve github.com/fluxcd/flux2/v2@v$FLUX_VERSION"
cp -r "$module" "$work/flux2"
chmod -R u+w "$work/flux2"
mkdir -p "$work/flux2/cmd/flux/manifests"
cp "$flux_dir"/manifests/*.yaml "$work/flux2/cmd/flux/manifests/"
(cd "$work/flux2" && go build -trimpath -ldflags "-s -w -X main.VERSION=$FLUX_VERSION" -o "$binary.tmp" ./cmd/flux) >&2
mv "$binary.tmp" "$binary"
echo "flux-cli v$FLUX_VERSION" >> "$flux_dir/versions.txt"
echo "$binary"
