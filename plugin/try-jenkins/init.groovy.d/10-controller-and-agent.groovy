// Plain Jenkins setup, no plugin classes: an admin user (REST calls of try-jenkins.sh), no executor on
// the controller (so the Pipeline can only run on the agent), and a permanent agent 'try-agent'
// labelled 'agent' that Jenkins launches as a child process over stdin/stdout, as CommandLauncher
// does ("java -jar agent.jar"). The command-launcher plugin is not in the Jenkins mirror, so the
// launcher is this script's own class.
import hudson.model.Node
import hudson.model.TaskListener
import hudson.remoting.Channel
import hudson.security.FullControlOnceLoggedInAuthorizationStrategy
import hudson.security.HudsonPrivateSecurityRealm
import hudson.slaves.ComputerLauncher
import hudson.slaves.DumbSlave
import hudson.slaves.RetentionStrategy
import hudson.slaves.SlaveComputer
import jenkins.model.Jenkins
import jenkins.model.JenkinsLocationConfiguration

class StdioLauncher extends ComputerLauncher {
  List<String> command; Map<String, String> env; String dir
  @Override
  void launch(SlaveComputer computer, TaskListener listener) {
    def pb = new ProcessBuilder(command).directory(new File(dir)).redirectError(new File(dir, 'agent.err'))
    pb.environment().putAll(env)
    Process p = pb.start()
    new File(dir, 'agent.pid').text = String.valueOf(p.pid())
    computer.setChannel(p.inputStream, p.outputStream, listener.logger, new Channel.Listener() {
      @Override void onClosed(Channel c, IOException cause) { p.destroy() }
    })
  }
}

def home = Jenkins.get().rootDir
def conf = new Properties()
new File(home, 'try-jenkins/settings.properties').withInputStream { conf.load(it) }
def j = Jenkins.get()
def realm = new HudsonPrivateSecurityRealm(false)
realm.createAccount('admin', conf.adminPassword)
j.securityRealm = realm
def authz = new FullControlOnceLoggedInAuthorizationStrategy()
authz.allowAnonymousRead = false
j.authorizationStrategy = authz
j.numExecutors = 0
JenkinsLocationConfiguration.get().url = conf.url

def agentEnv = conf.stringPropertyNames().findAll { it.startsWith('agentEnv.') }
    .collectEntries { [(it - 'agentEnv.'): conf.getProperty(it)] }
def launcher = new StdioLauncher(command: [conf.java, '-jar', conf.agentJar], env: agentEnv, dir: conf.agentDir)
def agent = new DumbSlave('try-agent', conf.agentDir + '/fs', launcher)
agent.labelString = 'agent'
agent.numExecutors = 1
agent.mode = Node.Mode.EXCLUSIVE
agent.retentionStrategy = new RetentionStrategy.Always()
j.addNode(agent)
j.save()
new File(home, 'try-jenkins/10.done').text = 'ok'
