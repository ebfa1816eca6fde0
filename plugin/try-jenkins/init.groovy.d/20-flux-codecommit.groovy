// The plugin's side of the setup: the kubeconfig of the local kube-apiserver as a secret text
// credential 'kube' (plain-credentials), and moto as the IAM and STS endpoints in the plugin's
// global configuration. Adapt the class and setter names here when they change.
import com.cloudbees.plugins.credentials.CredentialsScope
import com.cloudbees.plugins.credentials.SystemCredentialsProvider
import hudson.util.Secret
import io.jenkins.plugins.fluxcodecommit.plugin.config.FluxCodeCommitConfiguration
import jenkins.model.Jenkins
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl

def home = Jenkins.get().rootDir
def conf = new Properties()
new File(home, 'try-jenkins/settings.properties').withInputStream { conf.load(it) }
def store = SystemCredentialsProvider.getInstance()
store.credentials.add(new StringCredentialsImpl(CredentialsScope.GLOBAL, 'kube', 'local kube-apiserver',
    Secret.fromString(new File(conf.kubeconfig).text)))
store.save()
def aws = FluxCodeCommitConfiguration.get()
aws.iamEndpoint = conf.motoUrl
aws.stsEndpoint = conf.motoUrl
new File(home, 'try-jenkins/20.done').text = 'ok'
