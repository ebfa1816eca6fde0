#!/usr/bin/env python3
"""Writes examples/flux-manifests-sample/: a small stand-in for the files of Flux's release asset
manifests.tar.gz (one file per controller, rbac.yaml, policies.yaml), with the same object kinds,
names and container argument layout that `flux install` patches, but minimal CRD schemas and no
real controller behaviour. It lets the offline demo and the tests run without network. It is
written for this project; it is not Flux's manifests and must not be applied to a real cluster."""
import os
import sys

VERSION_TAGS = {
    "source-controller": "v1.9.4", "kustomize-controller": "v1.9.4", "helm-controller": "v1.5.4",
    "notification-controller": "v1.9.4", "image-reflector-controller": "v1.2.4",
    "image-automation-controller": "v1.2.4", "source-watcher": "v2.1.4",
}
CRDS = {
    "source-controller": [("source.toolkit.fluxcd.io", "GitRepository", "gitrepositories", "v1"),
                          ("source.toolkit.fluxcd.io", "HelmRepository", "helmrepositories", "v1"),
                          ("source.toolkit.fluxcd.io", "HelmChart", "helmcharts", "v1"),
                          ("source.toolkit.fluxcd.io", "Bucket", "buckets", "v1"),
                          ("source.toolkit.fluxcd.io", "OCIRepository", "ocirepositories", "v1")],
    "kustomize-controller": [("kustomize.toolkit.fluxcd.io", "Kustomization", "kustomizations", "v1")],
    "helm-controller": [("helm.toolkit.fluxcd.io", "HelmRelease", "helmreleases", "v2")],
    "notification-controller": [("notification.toolkit.fluxcd.io", "Alert", "alerts", "v1beta3"),
                                ("notification.toolkit.fluxcd.io", "Provider", "providers", "v1beta3"),
                                ("notification.toolkit.fluxcd.io", "Receiver", "receivers", "v1")],
    "image-reflector-controller": [("image.toolkit.fluxcd.io", "ImageRepository", "imagerepositories", "v1"),
                                   ("image.toolkit.fluxcd.io", "ImagePolicy", "imagepolicies", "v1")],
    "image-automation-controller": [("image.toolkit.fluxcd.io", "ImageUpdateAutomation", "imageupdateautomations", "v1")],
    "source-watcher": [("source.extensions.fluxcd.io", "ArtifactGenerator", "artifactgenerators", "v1beta1")],
}
HEADER = ("# Sample stand-in for a Flux release's install manifests, written for flux-codecommit's\n"
          "# offline demo and tests (scripts/make-sample-manifests.py). Not Flux's manifests:\n"
          "# do not apply them to a cluster you care about.\n")


def crd(group, kind, plural, version):
    return f"""---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  labels:
    app.kubernetes.io/component: {group.split('.')[0]}-controller
  name: {plural}.{group}
spec:
  group: {group}
  names:
    kind: {kind}
    listKind: {kind}List
    plural: {plural}
    singular: {kind.lower()}
  scope: Namespaced
  versions:
  - name: {version}
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
    served: true
    storage: true
    subresources:
      status: {{}}
"""


def args_for(name):
    events = "--events-addr=http://notification-controller.$(RUNTIME_NAMESPACE).svc.cluster.local./"
    common = ["--watch-all-namespaces=true", "--log-level=info", "--log-encoding=json", "--enable-leader-election"]
    if name == "notification-controller":
        return common
    if name in ("source-controller", "source-watcher"):
        return [events] + common + ["--storage-path=/data",
                                    f"--storage-adv-addr={name}.$(RUNTIME_NAMESPACE).svc.cluster.local."]
    return [events] + common


def controller(name):
    out = HEADER
    for c in CRDS[name]:
        out += crd(*c)
    out += f"""---
apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    app.kubernetes.io/component: {name}
  name: {name}
"""
    if name in ("source-controller", "notification-controller", "source-watcher"):
        out += f"""---
apiVersion: v1
kind: Service
metadata:
  labels:
    app.kubernetes.io/component: {name}
    control-plane: controller
  name: {name}
spec:
  ports:
  - name: http
    port: 80
    protocol: TCP
    targetPort: http
  selector:
    app: {name}
  type: ClusterIP
"""
    args = "\n".join(f"        - {a}" for a in args_for(name))
    out += f"""---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app.kubernetes.io/component: {name}
    control-plane: controller
  name: {name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - args:
{args}
        env:
        - name: RUNTIME_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        image: fluxcd/{name}:{VERSION_TAGS[name]}
        imagePullPolicy: IfNotPresent
        name: manager
        ports:
        - containerPort: 9090
          name: http
          protocol: TCP
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          runAsNonRoot: true
      serviceAccountName: {name}
      terminationGracePeriodSeconds: 10
"""
    return out


RBAC = HEADER + """---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: crd-controller
rules:
- apiGroups:
  - source.toolkit.fluxcd.io
  - kustomize.toolkit.fluxcd.io
  - helm.toolkit.fluxcd.io
  - notification.toolkit.fluxcd.io
  - image.toolkit.fluxcd.io
  resources:
  - '*'
  verbs:
  - '*'
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: cluster-reconciler
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- kind: ServiceAccount
  name: kustomize-controller
  namespace: flux-system
- kind: ServiceAccount
  name: helm-controller
  namespace: flux-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crd-controller
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: crd-controller
subjects:
- kind: ServiceAccount
  name: source-controller
  namespace: flux-system
- kind: ServiceAccount
  name: notification-controller
  namespace: flux-system
"""

POLICIES = HEADER + """---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-egress
spec:
  egress:
  - {}
  ingress:
  - from:
    - podSelector: {}
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-scraping
spec:
  ingress:
  - from:
    - namespaceSelector: {}
    ports:
    - port: 8080
      protocol: TCP
  podSelector: {}
  policyTypes:
  - Ingress
"""


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name in CRDS:
        with open(os.path.join(out_dir, name + ".yaml"), "w") as f:
            f.write(controller(name))
    with open(os.path.join(out_dir, "rbac.yaml"), "w") as f:
        f.write(RBAC)
    with open(os.path.join(out_dir, "policies.yaml"), "w") as f:
        f.write(POLICIES)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "examples", "flux-manifests-sample"))
