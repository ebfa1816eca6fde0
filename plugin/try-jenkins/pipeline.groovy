// The Pipeline try-jenkins.sh runs: both steps of the plugin on the agent labelled 'agent'.
// The @NAME@ tokens are filled in by try-jenkins.sh. Adapt the step parameters here when they change;
// the cluster credential 'kube' and the AWS endpoints (global configuration) come from
// init.groovy.d/20-flux-codecommit.groovy.
node('agent') {
  // Export mode: no cluster, so the step pushes the Flux manifests to the repository and applies nothing.
  def b = fluxCodeCommitBootstrap url: '@REPO_URL@', path: 'clusters/demo', manifests: '@MANIFESTS@'
  echo "bootstrap outcome=${b.outcome} node=${env.NODE_NAME}"

  // A dry run reads IAM (moto) and the cluster's secret (kube-apiserver) and only reports the plan.
  // The IAM caller is the agent's default AWS chain (AWS_* in the agent's environment).
  def r = rotateCodeCommitKey kind: 'access-key', user: '@IAM_USER@', dryRun: true, region: 'us-east-1',
      cluster: kubeconfigCredentials(credentialsId: 'kube'),
      targets: [kubernetesSecret(namespace: '@NAMESPACE@', name: 'codecommit',
          keys: 'accessKeyId=AWS_ACCESS_KEY_ID\nsecretAccessKey=AWS_SECRET_ACCESS_KEY')]
  echo "rotate outcome=${r.outcome} node=${env.NODE_NAME}"
}
