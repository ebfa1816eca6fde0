package io.jenkins.plugins.fluxcodecommit.aws;

import java.io.Serializable;

/**
 * Who the engine acts as towards AWS. Plain data: it crosses to Jenkins agents, where
 * {@link AwsClients} turns it into a credentials provider.
 */
public sealed interface AwsIdentity extends Serializable permits AwsKeys, AssumeRole, DefaultChain {
    /** A description for logs: key IDs and ARNs, never a secret. */
    String describe();
}
