#!/usr/bin/env bash
# Where a flux-codecommit run spends its CPU: runs bin/flux-codecommit with the given arguments
# under Java Flight Recorder (execution samples every 10 ms) and prints the share of samples
# (1) by the library whose code was running and (2) by the innermost frame of this project's code
# on the stack, i.e. which of its steps the time belongs to. docs/performance.md cites its output.
#   scripts/profile.sh bootstrap --url ... (any flux-codecommit arguments)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/profile.jfc" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">10 ms</setting></event>
</configuration>
XML
FLUX_CODECOMMIT_JAVA_OPTS="${FLUX_CODECOMMIT_JAVA_OPTS:-} -XX:StartFlightRecording=filename=$work/run.jfr,settings=$work/profile.jfc" \
  "$root/bin/flux-codecommit" "$@" >&2
jfr print --events jdk.ExecutionSample --stack-depth 200 "$work/run.jfr" > "$work/samples.txt"
python3 "$root/scripts/jfr-summary.py" "$work/samples.txt"
