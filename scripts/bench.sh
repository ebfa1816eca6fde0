#!/usr/bin/env bash
# Reruns the benchmarks and rewrites their sections of docs/performance.md. Needs what the tests
# need (kube-apiserver/etcd are built once by scripts/ensure-kube-apiserver.sh).
#
#   scripts/bench.sh                 the engine in a warm JVM, the CLI's export, a fleet rotation
#   scripts/bench.sh --side-by-side  the real flux CLI and this project's CLI, alternately on the
#                                    same local servers with the real controllers; also builds
#                                    flux v2.9.4 once (scripts/ensure-flux-cli.sh). RUNS=5 by default;
#                                    BENCH_LAUNCHER measures another build (e.g. an older commit's
#                                    bin/flux-codecommit), BENCH_OUT writes elsewhere.
#   scripts/bench.sh --class-list    rewrites cli/src/main/cds/classes.lst, the classes the CLI's
#                                    class-data-sharing archive holds, from the same real runs
# Neither runs in the test command: the figures are for reading, not for asserting.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mode="${1:-}"
./mvnw -q -B -ntp -DskipTests -Dspotless.check.skip=true install
bash scripts/ensure-kube-apiserver.sh core/target/kube-binaries.txt >/dev/null
if [[ "$mode" == "--side-by-side" || "$mode" == "--class-list" ]]; then
  class_list=""
  [[ "$mode" == "--class-list" ]] && class_list="$root/cli/src/main/cds/classes.lst"
  flux="$(bash scripts/ensure-flux-cli.sh)"
  flux_dir="$(dirname "$(dirname "$flux")")"
  echo "$flux_dir" > core/target/flux-dir.txt
  ./mvnw -q -B -ntp -pl core -Dspotless.check.skip=true -DskipTests test-compile exec:java \
    -Dexec.classpathScope=test \
    -Dexec.mainClass=io.jenkins.plugins.fluxcodecommit.bench.SideBySideBenchmark \
    -Dbench.out="${BENCH_OUT:-$root/docs/performance.md}" -Dbench.runs="${RUNS:-5}" \
    ${class_list:+"-Dbench.classlist=$class_list"} \
    -Dbench.flux="$flux" -Dbench.launcher="${BENCH_LAUNCHER:-$root/bin/flux-codecommit}" -Dbench.manifests="$flux_dir/manifests" \
    -Dkube.binaries.file="$root/core/target/kube-binaries.txt" -Dflux.dir.file="$root/core/target/flux-dir.txt"
  exit 0
fi
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
