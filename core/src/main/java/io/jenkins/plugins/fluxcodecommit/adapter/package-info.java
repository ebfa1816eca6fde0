/**
 * What a front end (the Jenkins plugin, the CLI) needs to turn user input into engine requests and
 * results into reports: a CodeCommit identity as plain data, form checks, and result summaries.
 * Kept here, free of Jenkins types, so that it is tested on every build.
 */
package io.jenkins.plugins.fluxcodecommit.adapter;
