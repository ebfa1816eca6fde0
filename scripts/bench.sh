#!/usr/bin/env bash
# Reruns the benchmarks and rewrites docs/performance.md. Needs what the tests need
# (kube-apiserver/etcd are built once by scripts/ensure-kube-apiserver.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -q -B -ntp -DskipTests -Dspotless.check.skip=true install
bash scripts/ensure-kube-apiserver.sh core/target/kube-binaries.txt >/dev/null
bash scripts/ensure-moto.sh "$(sed -n 's:.*<moto.version>\(.*\)</moto.version>.*:\1:p' pom.xml)"
# exec:java runs in Maven's JVM, so the -D properties below reach the benchmark. skipTests also
# skips the test-resource scripts (moto is not needed here).
./mvnw -q -B -ntp -pl core -Dspotless.check.skip=true -DskipTests test-compile exec:java \
  -Dexec.classpathScope=test \
  -Dexec.mainClass=io.jenkins.plugins.fluxcodecommit.bench.BootstrapBenchmark \
  -Dbench.out="$root/docs/performance.md" -Dbench.cli="$root/cli/target/flux-codecommit.jar" \
  -Dkube.binaries.file="$root/core/target/kube-binaries.txt" \
  -Dflux.sample.manifests="$root/examples/flux-manifests-sample" \
  -Dmoto.server="$root/.venv/bin/moto_server"
