#!/usr/bin/env bash
# Builds the real Flux parts the tests run, once, into a cache outside the repository, and prints
# the directory holding them:
#   bin/source-controller, bin/kustomize-controller  the versions Flux $FLUX_VERSION pins, from
#                                                    their Go modules
#   bin/kustomize                                    the kustomize Flux's release builds with
#   manifests/                                       Flux's install manifests (the release's
#                                                    manifests.tar.gz), generated from the
#                                                    controllers' modules as the release does
#   versions.txt                                     what was built, one "name version" a line
# Nothing built here is committed or shipped; the product never runs it.
#
# How the manifests are made, step by step as Flux's release makes them:
#   1. each controller's release publishes NAME.crds.yaml (kustomize build config/crd) and
#      NAME.deployment.yaml (kustomize build config/manager) from its module's config/;
#   2. flux2's manifests/bases/NAME kustomizations reference those two assets by URL: here the
#      URL is replaced by the locally built file;
#   3. flux2's manifests/scripts/bundle.sh builds each base, rbac and policies into NAME.yaml,
#      rbac.yaml and policies.yaml: here the same kustomize builds.
# A controller whose module this proxy does not serve (source-watcher) is left out, and said.
#
# Known facts of the module proxy, handled in the throwaway main modules:
#   - each controller's go.mod replaces its ./api submodule with a local path, which a dependency
#     cannot do: the published .../api module at the same version is used instead;
#   - github.com/fluxcd/pkg/artifact v0.18.2 is refused (403); v0.18.0 is served. Between the two
#     tags only artifact/go.mod changed (apis/meta v1.30.0->v1.30.1, oci v0.68.0->v0.68.1,
#     apimachinery v0.36.1->v0.36.2), and source-controller requires those newer versions itself,
#     so v0.18.0 builds the same code: it is pinned with a replace.
set -euo pipefail
out="${1:-}"
report() {
  echo "$1"
  if [[ -n "$out" ]]; then mkdir -p "$(dirname "$out")"; echo "$1" > "$out"; fi
}
fail() {
  echo "ensure-flux: $*" >&2
  [[ -n "$out" ]] && rm -f "$out"
  if [[ "${CI:-}" == "true" ]]; then exit 1; fi
  echo "ensure-flux: the tests that need the real Flux controllers will be skipped" >&2
  exit 0
}
FLUX_VERSION="${FLUX_VERSION:-2.9.4}"
KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-5.8.1}"
cache="${FLUX_CODECOMMIT_CACHE:-$HOME/.cache/flux-codecommit}/flux-$FLUX_VERSION-kustomize-$KUSTOMIZE_VERSION"
done_marker="$cache/versions.txt"
if [[ -f "$done_marker" ]]; then
  report "$cache"
  exit 0
fi
command -v go >/dev/null || fail "go not found"
mkdir -p "$cache"
exec 9>"$cache.lock"
flock 9
if [[ -f "$done_marker" ]]; then
  report "$cache"
  exit 0
fi
echo "ensure-flux: building Flux v$FLUX_VERSION's source-controller and kustomize-controller and kustomize" \
  "v$KUSTOMIZE_VERSION once (several minutes)" >&2
trap 'fail "build failed"' ERR
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
go_version="$(go env GOVERSION | sed 's/^go//; s/\([0-9]*\.[0-9]*\).*/\1/')"
mkdir -p "$cache/bin" "$cache/manifests.tmp"
: > "$cache/versions.tmp"

module_dir() { go mod download -json "$1" | sed -n 's/.*"Dir": "\(.*\)",*/\1/p'; }
module_gomod() { go mod download -json "$1" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p'; }

# build MODULE VERSION PACKAGE NAME: a throwaway main module requiring MODULE@VERSION, with the
# module's own replace directives (local paths mapped to the published module at VERSION).
build() {
  local module="$1" version="$2" package="$3" name="$4"
  local dir="$work/build-$name"
  mkdir -p "$dir" && cd "$dir"
  printf 'module build/%s\ngo %s\nrequire %s %s\n' "$name" "$go_version" "$module" "$version" > go.mod
  echo 'package main' > main.go
  local gomod
  gomod="$(module_gomod "$module@$version")"
  while IFS=$'\t' read -r old new newversion; do
    if [[ "$new" == ./* ]]; then
      go mod edit -replace="$old=$module/${new#./}@$version"
    elif [[ -n "$newversion" ]]; then
      go mod edit -replace="$old=$new@$newversion"
    fi
  done < <(go mod edit -json "$gomod" | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []:
    old = r["Old"]["Path"] + ("@" + r["Old"]["Version"] if r["Old"].get("Version") else "")
    print(old, r["New"]["Path"], r["New"].get("Version", ""), sep="\t")')
  go mod edit -replace=github.com/fluxcd/pkg/artifact@v0.18.2=github.com/fluxcd/pkg/artifact@v0.18.0
  go get "$package@$version" >&2
  go build -trimpath -ldflags '-s -w' -o "$cache/bin/$name.tmp" "$package" >&2
  mv "$cache/bin/$name.tmp" "$cache/bin/$name"
  echo "$name $version" >> "$cache/versions.tmp"
}

build sigs.k8s.io/kustomize/kustomize/v5 "v$KUSTOMIZE_VERSION" sigs.k8s.io/kustomize/kustomize/v5 kustomize
kustomize="$cache/bin/kustomize"

flux2="$(module_dir "github.com/fluxcd/flux2/v2@v$FLUX_VERSION")"
cp -r "$flux2/manifests" "$work/manifests"
chmod -R u+w "$work/manifests"
for base in "$work"/manifests/bases/*/; do
  name="$(basename "$base")"
  version="$(sed -n "s|.*/fluxcd/$name/releases/download/\(v[^/]*\)/$name.crds.yaml|\1|p" "$base/kustomization.yaml")"
  [[ -n "$version" ]] || fail "no release version for $name in flux2's manifests/bases/$name"
  if ! controller="$(module_dir "github.com/fluxcd/$name@$version" 2>/dev/null)" || [[ -z "$controller" ]]; then
    echo "ensure-flux: the module proxy does not serve github.com/fluxcd/$name@$version: $name is left out" >&2
    continue
  fi
  "$kustomize" build "$controller/config/crd" > "$base/$name.crds.yaml"
  "$kustomize" build "$controller/config/manager" > "$base/$name.deployment.yaml"
  sed -i "s|https://github.com/fluxcd/$name/releases/download/$version/||" "$base/kustomization.yaml"
  "$kustomize" build "$base" > "$cache/manifests.tmp/$name.yaml"
  echo "$name-manifests $version" >> "$cache/versions.tmp"
done
"$kustomize" build "$work/manifests/rbac" > "$cache/manifests.tmp/rbac.yaml"
"$kustomize" build "$work/manifests/policies" > "$cache/manifests.tmp/policies.yaml"
rm -rf "$cache/manifests" && mv "$cache/manifests.tmp" "$cache/manifests"

for name in source-controller kustomize-controller; do
  version="$(sed -n "s|^$name-manifests ||p" "$cache/versions.tmp")"
  build "github.com/fluxcd/$name" "$version" "github.com/fluxcd/$name" "$name"
done
echo "flux v$FLUX_VERSION" >> "$cache/versions.tmp"
mv "$cache/versions.tmp" "$done_marker"
trap - ERR
report "$cache"
