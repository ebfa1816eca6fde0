#!/usr/bin/env bash
# A real start of the plugin, by hand (not part of the test command): a real Jenkins 2.541.3 from the
# Jenkins mirror with the built .hpi and every plugin it needs, a permanent agent, and a Pipeline that
# runs fluxCodeCommitBootstrap (export mode, into a local bare repository) and rotateCodeCommitKey
# (dry run, against moto's IAM and a real kube-apiserver). Exit 0 only if every plugin loaded,
# the build is SUCCESS and both steps ran on the agent. Everything listens on 127.0.0.1 only.
#
# usage: scripts/try-jenkins.sh [--hpi PATH] [--no-build] [--keep]
#   --hpi PATH   use this .hpi instead of plugin/target/flux-codecommit.hpi (implies --no-build)
#   --no-build   do not run Maven's package, use the .hpi already built
#   --keep       keep the temporary directory (JENKINS_HOME, logs) at the end
# env: JENKINS_MIRROR (default <checkout>/../shared/jenkins-mirror), BUILD_TIMEOUT seconds (600)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
here="$root/plugin/try-jenkins"  # Jenkins-side files (init scripts, Pipeline) live with the plugin
hpi="" build=true keep=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --hpi) hpi="$(realpath "${2:?--hpi needs a path}")"; build=false; shift 2 ;;
    --no-build) build=false; shift ;;
    --keep) keep=true; shift ;;
    *) echo "usage: $0 [--hpi PATH] [--no-build] [--keep]" >&2; exit 2 ;;
  esac
done
say() { echo "try-jenkins: $*" >&2; }
die() { say "FAILED: $*"; exit 1; }
JENKINS_VERSION=2.541.3
PIPELINE_PLUGINS="org.jenkins-ci.plugins.workflow:workflow-job org.jenkins-ci.plugins.workflow:workflow-cps
  org.jenkins-ci.plugins.workflow:workflow-basic-steps org.jenkins-ci.plugins.workflow:workflow-durable-task-step"
mirror="${JENKINS_MIRROR:-$root/../shared/jenkins-mirror}"
[[ -x "$mirror/prepare.sh" ]] || die "no Jenkins mirror at $mirror (set JENKINS_MIRROR)"

work="$(mktemp -d "${TMPDIR:-/tmp}/try-jenkins.XXXXXX")"
home="$work/home"
pids=()
cleanup() {
  local rc=$?
  # The agent is Jenkins' child; its pid file is written by the launcher (10-controller-and-agent.groovy).
  [[ -f "$work/agent/agent.pid" ]] && pids+=("$(cat "$work/agent/agent.pid")")
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do timeout 20 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true; done
  if $keep; then say "kept $work"; else rm -rf "$work"; fi
  exit $rc
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM
trap 'say "FAILED: command at line $LINENO exited with $?"' ERR
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # wait_for SECONDS WHAT COMMAND...: polls until COMMAND succeeds
  local deadline=$((SECONDS + $1)) what="$2"; shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$what did not come up in time"
    sleep 1
  done
}

# 1. The .hpi, and the mirror's Maven settings (the Jenkins repository is not reachable).
cd "$root"
settings="$(MVN="$root/mvnw" "$mirror/prepare.sh")"
mvn=("$root/mvnw" -B -ntp -q -s "$settings")
if $build; then
  say "building the plugin (mvnw -Pjenkins -pl plugin -am package -DskipTests)"
  "${mvn[@]}" -Pjenkins -pl plugin -am package -DskipTests
fi
hpi="${hpi:-$root/plugin/target/flux-codecommit.hpi}"
[[ -f "$hpi" ]] || die "no $hpi (build it, or drop --no-build)"

# 2. Jenkins war from the prepared mirror repository (the URL in settings.xml).
repo="$(sed -n 's:.*<url>file\://\(.*\)</url>.*:\1:p' "$settings")"
war="$repo/org/jenkins-ci/main/jenkins-war/$JENKINS_VERSION/jenkins-war-$JENKINS_VERSION.war"
[[ -f "$war" ]] || die "org.jenkins-ci.main:jenkins-war:$JENKINS_VERSION:war is not in $repo"

# 3. Plugins: the .hpi's own POM (the one it was built from) minus test/optional dependencies, plus
# Pipeline, through maven-hpi-plugin's assemble-dependencies: the transitive plugin closure as .jpi.
# The mirror's war bundles no detached plugins, so everything Jenkins needs must be here.
mkdir -p "$home/plugins" "$home/try-jenkins" "$work/agent" "$work/plugins-pom"
unzip -p "$hpi" 'META-INF/maven/*/pom.xml' > "$work/plugins-pom/plugin-pom.xml"
# shellcheck disable=SC2086 # PIPELINE_PLUGINS is a word list
python3 "$here/plugins-pom.py" "$work/plugins-pom/plugin-pom.xml" "$work/plugins-pom/pom.xml" "$home/plugins" $PIPELINE_PLUGINS
say "resolving plugin dependencies (hpi:assemble-dependencies)"
"${mvn[@]}" -f "$work/plugins-pom/pom.xml" hpi:assemble-dependencies
cp "$hpi" "$home/plugins/flux-codecommit.jpi"
say "$(find "$home/plugins" -name '*.jpi' | wc -l) plugins in JENKINS_HOME/plugins"

# 4. moto (IAM, STS) and a real kube-apiserver with etcd, as core's MotoServer and KubeApiServer start them.
moto_version="$(sed -n 's:.*<moto.version>\(.*\)</moto.version>.*:\1:p' "$root/pom.xml")"
bash "$root/scripts/ensure-moto.sh" "$moto_version" >&2
[[ -x "$root/.venv/bin/moto_server" ]] || die "moto is not installed (scripts/ensure-moto.sh $moto_version)"
kube_bin="$(bash "$root/scripts/ensure-kube-apiserver.sh" | tail -n 1)"
[[ -x "$kube_bin/kube-apiserver" && -x "$kube_bin/etcd" ]] || die "no kube-apiserver/etcd (scripts/ensure-kube-apiserver.sh)"
moto_port="$(free_port)" etcd_port="$(free_port)" peer_port="$(free_port)" api_port="$(free_port)" http_port="$(free_port)"
moto="http://127.0.0.1:$moto_port"
"$root/.venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" > "$work/moto.log" 2>&1 & pids+=($!)

k="$work/kube"; mkdir -p "$k"
token="$(python3 -c 'import uuid; print(uuid.uuid4())')"
echo "$token,admin,admin-uid,system:masters" > "$k/tokens.csv"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$k/tls.key" -out "$k/tls.crt" 2>/dev/null
openssl genrsa -out "$k/sa.key" 2048 2>/dev/null && openssl rsa -in "$k/sa.key" -pubout -out "$k/sa.pub" 2>/dev/null
"$kube_bin/etcd" --name=try --data-dir="$k/etcd" --unsafe-no-fsync --log-level=error \
  --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
  --listen-peer-urls="http://127.0.0.1:$peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$peer_port" \
  --initial-cluster="try=http://127.0.0.1:$peer_port" > "$k/etcd.log" 2>&1 & pids+=($!)
"$kube_bin/kube-apiserver" --etcd-servers="http://127.0.0.1:$etcd_port" --bind-address=127.0.0.1 \
  --advertise-address=127.0.0.1 --secure-port="$api_port" --cert-dir="$k/certs" \
  --tls-cert-file="$k/tls.crt" --tls-private-key-file="$k/tls.key" --token-auth-file="$k/tokens.csv" \
  --authorization-mode=RBAC --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$k/sa.pub" --service-account-signing-key-file="$k/sa.key" \
  --service-cluster-ip-range=10.0.0.0/24 --disable-admission-plugins=ServiceAccount \
  --enable-priority-and-fairness=false --profiling=false > "$k/apiserver.log" 2>&1 & pids+=($!)
kcurl() { curl -sf --cacert "$k/tls.crt" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
wait_for 60 moto curl -s -o /dev/null "$moto/moto-api/"
wait_for 90 kube-apiserver kcurl "https://127.0.0.1:$api_port/readyz"

# The cluster's state before a rotation: an IAM user with one access key (moto accepts any caller
# keys), and that key in secret try-jenkins/codecommit, as Flux or an app would hold it.
iam_user=try-cluster-user ns=try-jenkins
read -r key_id key_secret < <("$root/.venv/bin/python" - "$moto" "$iam_user" <<'EOF'
import sys, boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="AKIAADMINADMINADMIN1", aws_secret_access_key="admin")
iam.create_user(UserName=sys.argv[2])
k = iam.create_access_key(UserName=sys.argv[2])["AccessKey"]
print(k["AccessKeyId"], k["SecretAccessKey"])
EOF
)
[[ -n "${key_secret:-}" ]] || die "could not create IAM user $iam_user in moto (log: $work/moto.log)"
kcurl -o /dev/null -X POST "https://127.0.0.1:$api_port/api/v1/namespaces" -d "{\"metadata\":{\"name\":\"$ns\"}}"
kcurl -o /dev/null -X POST "https://127.0.0.1:$api_port/api/v1/namespaces/$ns/secrets" -d "{\"metadata\":{\"name\":\"codecommit\"},
  \"stringData\":{\"AWS_ACCESS_KEY_ID\":\"$key_id\",\"AWS_SECRET_ACCESS_KEY\":\"$key_secret\"}}"
cat > "$k/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: try, cluster: {server: "https://127.0.0.1:$api_port", certificate-authority-data: $(base64 -w0 "$k/tls.crt")}}]
users: [{name: admin, user: {token: "$token"}}]
contexts: [{name: try, context: {cluster: try, user: admin}}]
current-context: try
EOF

# 5. JENKINS_HOME: settings for the init scripts, the init scripts, the Pipeline with its tokens filled.
git init -q --bare --initial-branch=main "$work/fleet.git"
password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
unzip -p "$war" 'WEB-INF/lib/remoting-*.jar' > "$work/agent/agent.jar"
cat > "$home/try-jenkins/settings.properties" <<EOF
adminPassword=$password
url=http://127.0.0.1:$http_port/
java=$(command -v java)
agentJar=$work/agent/agent.jar
agentDir=$work/agent
kubeconfig=$k/kubeconfig
motoUrl=$moto
agentEnv.AWS_ACCESS_KEY_ID=AKIAADMINADMINADMIN1
agentEnv.AWS_SECRET_ACCESS_KEY=admin
agentEnv.AWS_REGION=us-east-1
agentEnv.AWS_EC2_METADATA_DISABLED=true
EOF
cp -r "$here/init.groovy.d" "$home/"
sed -e "s|@REPO_URL@|file://$work/fleet.git|" -e "s|@MANIFESTS@|$root/examples/flux-manifests-sample|" \
  -e "s|@IAM_USER@|$iam_user|" -e "s|@NAMESPACE@|$ns|" "$here/pipeline.groovy" > "$home/try-jenkins/pipeline.groovy"

# 6. Jenkins, then its plugins: the log must show no load failure, and every .jpi must be active.
say "starting Jenkins $JENKINS_VERSION on http://127.0.0.1:$http_port/ (JENKINS_HOME=$home)"
# No update-site downloads (there is no network: they would log SEVERE); the launcher class of
# 10-controller-and-agent.groovy is allowed through the XStream class filter, to save the agent.
JENKINS_HOME="$home" java -Djenkins.install.runSetupWizard=false -Djava.awt.headless=true \
  -Dhudson.model.UpdateCenter.never=true -Dhudson.model.DownloadService.never=true \
  -Dhudson.remoting.ClassFilter=StdioLauncher -jar "$war" --httpPort="$http_port" --httpListenAddress=127.0.0.1 > "$work/jenkins.log" 2>&1 & pids+=($!)
jurl="http://127.0.0.1:$http_port"
jget() { curl -gsf -u "admin:$password" "$jurl$1"; }
wait_for 300 Jenkins jget /api/json
if grep -nE 'SEVERE|Failed Loading plugin|Failed to load|Failed to (execute|run script)|Plugin is missing|[Dd]ependency errors|[Dd]ependencies? (is|are) missing' "$work/jenkins.log" >&2; then
  die "Jenkins reports plugin or init failures (lines above; --keep keeps $work/jenkins.log)"
fi
for n in 10 20 30; do
  [[ -f "$home/try-jenkins/$n.done" ]] || { tail -n 60 "$work/jenkins.log" >&2; die "init script $n-*.groovy did not finish (log above)"; }
done
jget '/pluginManager/api/json?depth=1&tree=plugins[shortName,version,active,enabled]' > "$work/plugins.json"
python3 - "$work/plugins.json" "$home/plugins" <<'EOF' || die "not every plugin is active"
import json, os, sys
active = {p["shortName"]: p["version"] for p in json.load(open(sys.argv[1]))["plugins"] if p["active"] and p["enabled"]}
placed = {f[:-4] for f in os.listdir(sys.argv[2]) if f.endswith(".jpi")}
missing = sorted(placed - set(active))
print(f"try-jenkins: {len(active)} plugins active; flux-codecommit {active.get('flux-codecommit', 'NOT ACTIVE')}", file=sys.stderr)
if missing:
    print("try-jenkins: not active: " + ", ".join(missing), file=sys.stderr)
sys.exit(1 if missing or "flux-codecommit" not in active else 0)
EOF

# 7. The build: poll until it is done, print its log, judge it.
job=try-flux-codecommit deadline=$((SECONDS + ${BUILD_TIMEOUT:-600})) result=""
until [[ -n "$result" && "$result" != null ]]; do
  ((SECONDS < deadline)) || { jget "/job/$job/lastBuild/consoleText" || true; die "build not finished in ${BUILD_TIMEOUT:-600}s"; }
  sleep 2
  result="$(jget "/job/$job/lastBuild/api/json?tree=result,building" | python3 -c \
    'import json,sys; b=json.load(sys.stdin); print("" if b["building"] else b["result"])' 2>/dev/null || true)"
done
jget "/job/$job/lastBuild/consoleText" > "$work/console.txt"
echo "----- console of $job #1 -----"; cat "$work/console.txt"; echo "----- end of console -----"
[[ "$result" == SUCCESS ]] || die "build result $result"
# Pipeline only warns about a parameter a step does not have (e.g. one renamed): that is a failure here.
! grep -n 'Unknown parameter' "$work/console.txt" >&2 || die "a step ignored parameters (line above): adapt $here/pipeline.groovy"
grep -q 'Running on try-agent' "$work/console.txt" || die "the Pipeline did not run on the agent"
grep -q 'Bootstrapping .* from the agent' "$work/console.txt" || die "fluxCodeCommitBootstrap did not run on the agent"
grep -q 'bootstrap outcome=.* node=try-agent' "$work/console.txt" || die "no bootstrap outcome on try-agent"
grep -q 'rotate outcome=PLANNED node=try-agent' "$work/console.txt" || die "rotateCodeCommitKey did not plan a rotation on try-agent"
for f in gotk-components.yaml gotk-sync.yaml kustomization.yaml; do
  git --git-dir="$work/fleet.git" cat-file -e "main:clusters/demo/flux-system/$f" 2>/dev/null ||
    die "the bootstrap did not commit clusters/demo/flux-system/$f to branch main"
done
say "OK: Jenkins $JENKINS_VERSION loaded every plugin, build SUCCESS, both steps ran on the agent"
