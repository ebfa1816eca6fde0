#!/usr/bin/env python3
"""Summarizes `jfr print --events jdk.ExecutionSample` output: the share of samples by the library
whose code was running, and by the innermost frame of this project's code on the stack.
Used by scripts/profile.sh and by the side-by-side benchmark's -Dbench.jfr recordings."""
import collections, re, sys
samples, stack = [], None
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("jdk.ExecutionSample"):
        stack = []
    elif stack is not None and re.match(r"^[\w$.<>]+\(", line):
        stack.append(line.split("(")[0])
    elif line == "}" and stack is not None:
        samples.append(stack); stack = None
def library(frame):
    for prefix, name in [("io.jenkins.plugins.fluxcodecommit", "flux-codecommit"), ("org.eclipse.jgit", "JGit"),
                         ("org.apache.sshd", "MINA SSHD"), ("com.fasterxml.jackson", "Jackson"), ("org.yaml.snakeyaml", "SnakeYAML"),
                         ("io.fabric8", "fabric8"), ("software.amazon", "AWS SDK"), ("org.bouncycastle", "Bouncy Castle"),
                         ("picocli", "picocli"), ("okhttp3", "OkHttp"), ("io.vertx", "Vert.x"), ("io.netty", "Netty"),
                         ("sun.security", "JDK security"), ("java.util.zip", "JDK zip"), ("jdk.internal.loader", "JDK class loading"),
                         ("java.lang.ClassLoader", "JDK class loading"), ("java.lang.invoke", "JDK invoke"), ("java.", "JDK"),
                         ("jdk.", "JDK"), ("sun.", "JDK")]:
        if frame.startswith(prefix):
            return name
    return frame.rsplit(".", 2)[0]
total = len(samples) or 1
print(f"{len(samples)} samples of running Java code (10 ms each)")
print("\nby the library running:")
for name, n in collections.Counter(library(s[0]) for s in samples if s).most_common(12):
    print(f"  {100*n/total:5.1f}%  {name}")
print("\nby this project's innermost frame:")
ours = collections.Counter()
for s in samples:
    frame = next((f for f in s if f.startswith("io.jenkins.plugins.fluxcodecommit")), "(outside this project's code)")
    ours[frame.replace("io.jenkins.plugins.fluxcodecommit.", "")] += 1
for name, n in ours.most_common(15):
    print(f"  {100*n/total:5.1f}%  {name}")
