#!/usr/bin/env bash
# Builds a real kube-apiserver and etcd from their Go modules, once, into a cache outside the
# repository, and prints the directory holding them. Tests that need real server-side apply
# semantics (which fabric8's mock server lacks) start these on loopback, as envtest does.
# Nothing built here is committed or shipped; the product never runs it.
set -euo pipefail
out="${1:-}"
report() {
  echo "$1"
  if [[ -n "$out" ]]; then mkdir -p "$(dirname "$out")"; echo "$1" > "$out"; fi
}
fail() {
  echo "ensure-kube-apiserver: $*" >&2
  [[ -n "$out" ]] && rm -f "$out"
  if [[ "${CI:-}" == "true" ]]; then exit 1; fi
  echo "ensure-kube-apiserver: the tests that need a real API server will be skipped" >&2
  exit 0
}
K8S_VERSION="${K8S_VERSION:-1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
# "stamped": the build writes the release's version into the binary, as Kubernetes' release does
# (hack/lib/version.sh); without it /version says v0.0.0-master+$Format:%H$ and version-aware
# tools (flux check --pre) cannot judge the cluster.
cache="${FLUX_CODECOMMIT_CACHE:-$HOME/.cache/flux-codecommit}/kube-$K8S_VERSION-stamped-etcd-$ETCD_VERSION"
if [[ -x "$cache/kube-apiserver" && -x "$cache/etcd" ]]; then
  report "$cache"
  exit 0
fi
command -v go >/dev/null || fail "go not found"
# Several builds (parallel CI jobs, worktrees) may start at once: one builds, the others wait.
mkdir -p "$cache"
exec 9>"$cache.lock"
flock 9
if [[ -x "$cache/kube-apiserver" && -x "$cache/etcd" ]]; then
  report "$cache"
  exit 0
fi
echo "ensure-kube-apiserver: building kube-apiserver v$K8S_VERSION and etcd v$ETCD_VERSION once (several minutes)" >&2
trap 'fail "build failed"' ERR
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0

# kube-apiserver: k8s.io/kubernetes replaces its staging modules with local paths, which a
# dependency cannot do; a throwaway main module pins them to the matching published versions.
staging_version="v0.${K8S_VERSION#1.}"
mkdir "$work/kube" && cd "$work/kube"
gomod="$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')"
{
  echo "module build/kube"
  echo "go $(go env GOVERSION | sed 's/^go//; s/\([0-9]*\.[0-9]*\).*/\1/')"
  echo "require k8s.io/kubernetes v$K8S_VERSION"
  grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$gomod" | awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}'
} > go.mod
echo 'package main' > main.go
go get "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION" >&2
stamp=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  stamp+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=${K8S_VERSION%%.*}"
  stamp+=" -X $pkg.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2) -X $pkg.gitTreeState=clean"
  stamp+=" -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
go build -trimpath -ldflags "-s -w$stamp" -o "$cache/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver >&2
mv "$cache/kube-apiserver.tmp" "$cache/kube-apiserver"

mkdir "$work/etcd" && cd "$work/etcd"
printf 'module build/etcd\ngo %s\n' "$(go env GOVERSION | sed 's/^go//; s/\([0-9]*\.[0-9]*\).*/\1/')" > go.mod
echo 'package main' > main.go
go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" >&2
go build -trimpath -ldflags '-s -w' -o "$cache/etcd.tmp" go.etcd.io/etcd/server/v3 >&2
mv "$cache/etcd.tmp" "$cache/etcd"
trap - ERR
report "$cache"
