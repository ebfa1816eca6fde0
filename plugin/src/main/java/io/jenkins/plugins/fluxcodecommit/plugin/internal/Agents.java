package io.jenkins.plugins.fluxcodecommit.plugin.internal;

import hudson.AbortException;
import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/** The node a workspace is on, as the steps reach it. */
@Restricted(NoExternalUse.class)
public final class Agents {
    private Agents() {}

    /** The workspace's channel; an offline agent is an error that names the workspace. */
    public static VirtualChannel channel(FilePath workspace) throws AbortException {
        VirtualChannel channel = workspace.getChannel();
        if (channel == null) {
            throw new AbortException("The agent of workspace " + workspace.getRemote() + " is offline.");
        }
        return channel;
    }

    /** A path on the workspace's node: relative ones are taken from the workspace. */
    public static String path(FilePath workspace, String path) {
        return new FilePath(workspace, path).getRemote();
    }

    /** For the log: where the engine runs. */
    public static String describe(FilePath workspace) {
        return workspace.getChannel() == FilePath.localChannel ? "the controller" : "the agent";
    }
}
