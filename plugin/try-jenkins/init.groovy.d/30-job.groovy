// The Pipeline job 'try-flux-codecommit' from pipeline.groovy (tokens filled in), queued at once: it
// starts when the agent is online.
import jenkins.model.Jenkins
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition
import org.jenkinsci.plugins.workflow.job.WorkflowJob

def home = Jenkins.get().rootDir
def job = Jenkins.get().createProject(WorkflowJob, 'try-flux-codecommit')
job.definition = new CpsFlowDefinition(new File(home, 'try-jenkins/pipeline.groovy').text, true)
job.save()
job.scheduleBuild2(0)
new File(home, 'try-jenkins/30.done').text = 'ok'
