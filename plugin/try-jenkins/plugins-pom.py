#!/usr/bin/env python3
"""Writes a throwaway POM whose only job is maven-hpi-plugin's assemble-dependencies goal.

usage: plugins-pom.py PLUGIN_POM OUT_POM PLUGINS_DIR [groupId:artifactId ...]

It keeps the plugin POM's parent, dependencyManagement (the plugin BOM) and repositories, and
its dependencies minus test/provided/optional ones and the bundled engine (a reactor SNAPSHOT
that is not in any repository); the extra groupId:artifactId arguments (Pipeline) are added
with the BOM's versions. assemble-dependencies then copies every plugin in the transitive
compile/runtime closure, without optional ones, as <artifactId>.jpi into PLUGINS_DIR.
"""
import sys
import xml.etree.ElementTree as ET

NS = "http://maven.apache.org/POM/4.0.0"
ET.register_namespace("", NS)
q = lambda tag: "{%s}%s" % (NS, tag)

src, out, plugins_dir, *extra = sys.argv[1:]
pom = ET.parse(src).getroot()
new = ET.Element(q("project"))
ET.SubElement(new, q("modelVersion")).text = "4.0.0"
for tag in ("parent", "dependencyManagement", "repositories", "pluginRepositories"):
    if pom.find(q(tag)) is not None:
        new.append(pom.find(q(tag)))
for tag, text in (("groupId", "local.try-jenkins"), ("artifactId", "try-jenkins-plugins"),
                  ("version", "1"), ("packaging", "pom")):
    ET.SubElement(new, q(tag)).text = text
# The parent's jenkins.version is older than the plugin's; keep the plugin's properties.
if pom.find(q("properties")) is not None:
    new.append(pom.find(q("properties")))

deps = ET.SubElement(new, q("dependencies"))
for d in pom.find(q("dependencies")) or []:
    scope = d.findtext(q("scope"), "compile")
    if scope in ("test", "provided", "system") or d.findtext(q("optional"), "false") == "true":
        continue
    if "${project.version}" in d.findtext(q("version"), ""):
        continue  # the engine, bundled in the .hpi
    deps.append(d)
for ga in extra:
    g, a = ga.split(":")
    d = ET.SubElement(deps, q("dependency"))
    ET.SubElement(d, q("groupId")).text = g
    ET.SubElement(d, q("artifactId")).text = a

build = ET.SubElement(ET.SubElement(new, q("build")), q("plugins"))
p = ET.SubElement(build, q("plugin"))
ET.SubElement(p, q("groupId")).text = "org.jenkins-ci.tools"
ET.SubElement(p, q("artifactId")).text = "maven-hpi-plugin"
conf = ET.SubElement(p, q("configuration"))
for tag, text in (("outputDirectory", plugins_dir), ("useJpiExtension", "true"),
                  ("includesOptional", "false"), ("scopes", "compile,runtime")):
    ET.SubElement(conf, q(tag)).text = text
ET.ElementTree(new).write(out, xml_declaration=True, encoding="UTF-8")
