"""What the API server and the cluster need before an object is accepted or becomes ready, read from
their sources: custom kinds and their CRDs, admission webhooks and who serves them, LoadBalancer
address providers, StorageClasses and their provisioners, and who creates what a pod refers to.

Each function answers from the apply model (tools/conformance/graph.py) only; the rules that use
them, with the errors a real run gives, are in tools/conformance/apply.py.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional

import yaml

from facts import versions
from tools.conformance.graph import Model, Node, Obj
from tools.conformance.netpol import selector_matches
from tools.conformance.pods import PodTemplate, pod_templates
from tools.render import is_builtin

# ------------------------------------------------------------------------------ kinds and CRDs

# Namespaces every cluster has (kubernetes/kubernetes@v1.32.0 pkg/controlplane/controller/systemnamespaces).
BUILTIN_NAMESPACES = {"default", "kube-system", "kube-public", "kube-node-lease"}


@dataclass(frozen=True)
class Crd:
    group: str
    kind: str
    plural: str
    versions: frozenset[str]  # served
    obj: Obj


def crds(model: Model) -> dict[tuple[str, str], list[Crd]]:
    """(group, kind) -> the CRDs of the model that define it (a chart's crds/, templates, the program)."""
    out: dict[tuple[str, str], list[Crd]] = {}
    for o in model.objects:
        if o.kind != "CustomResourceDefinition":
            continue
        spec = o.doc.get("spec") or {}
        names = spec.get("names") or {}
        served = frozenset(v["name"] for v in spec.get("versions") or [] if v.get("served", True))
        crd = Crd(spec.get("group", ""), names.get("kind", ""), names.get("plural", ""), served, o)
        out.setdefault((crd.group, crd.kind), []).append(crd)
    return out


def is_custom(o: Obj) -> bool:
    return bool(o.group) and not is_builtin(o.api_version)


# Plurals of the built-in kinds whose resource name is not lowercase(kind)+"s" (API discovery).
IRREGULAR_PLURALS = {"Ingress": "ingresses", "NetworkPolicy": "networkpolicies", "Endpoints": "endpoints",
                     "PodSecurityPolicy": "podsecuritypolicies", "PriorityClass": "priorityclasses",
                     "StorageClass": "storageclasses", "IngressClass": "ingressclasses",
                     "RuntimeClass": "runtimeclasses"}


def plural(o: Obj, crd_index: dict[tuple[str, str], list[Crd]]) -> str:
    found = crd_index.get((o.group, o.kind))
    if found:
        return found[0].plural
    if o.kind in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[o.kind]
    lower = o.kind.lower()
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return lower[:-1] + "ies"
    if lower.endswith(("s", "x", "ch")):
        return lower + "es"
    return lower + "s"


# ------------------------------------------------------------------------------ pods the objects make


@dataclass(frozen=True)
class Pod:
    """A pod a node makes Kubernetes create: from a workload it sends, or an operator's custom resource."""

    template: PodTemplate
    node: Node
    owner: Obj  # the workload (or custom resource) it comes from
    run_once: bool  # a Job's pod (restartPolicy Never/OnFailure, then done)


def pods(model: Model) -> list[Pod]:
    owners = {(o.node.urn, o.key): o for o in model.objects}
    out = []
    for tpl in pod_templates(model.items):
        node = model.nodes[tpl.origin]
        owner = owners[(tpl.origin, tpl.owner)]
        if owner.kind == "CronJob":  # its pods run at the schedule, not during `pulumi up`
            continue
        out.append(Pod(tpl, node, owner, owner.kind == "Job"))
    return out


def namespace_labels(model: Model, namespace: str) -> dict[str, str]:
    """A namespace's labels as the API server holds them: its object's, plus the
    ``kubernetes.io/metadata.name`` label it always sets (NamespaceDefaultLabelName, k8s >= 1.22)."""
    o = model.namespaces.get(namespace)
    return {**(o.labels if o is not None else {}), "kubernetes.io/metadata.name": namespace}


# ------------------------------------------------------------------------------ admission webhooks


@dataclass(frozen=True)
class Webhook:
    config: Obj  # the Validating/MutatingWebhookConfiguration
    name: str
    mutating: bool
    failure_policy: str  # after the release is installed (a certgen patch Job may change it)
    rendered_policy: str
    rules: tuple[dict[str, Any], ...]
    namespace_selector: Optional[dict[str, Any]]
    object_selector: Optional[dict[str, Any]]
    service: Optional[tuple[str, str, int]]  # namespace, name, port

    @functools.cached_property
    def _rule_answers(self) -> dict[tuple[str, str, str, bool], bool]:
        return {}

    def rules_match(self, group: str, version: str, resource: str, namespaced: bool) -> bool:
        """Whether any of the webhook's rules selects a CREATE of such an object (``_rule_matches``),
        remembered per kind: the apply check asks it for every object of a stack."""
        key = (group, version, resource, namespaced)
        answers = self._rule_answers
        if key not in answers:
            answers[key] = any(_rule_matches(r, group, version, resource, namespaced) for r in self.rules)
        return answers[key]


def _patched_policy(model: Model, config: Obj) -> Optional[str]:
    """``kube-webhook-certgen patch --webhook-name=<config> --patch-failure-policy=<p>`` in a
    post-install hook of the same release sets every webhook of the config to ``p`` when not empty
    (kubernetes/ingress-nginx images/kube-webhook-certgen cmd/patch.go ``--patch-failure-policy``)."""
    for o in config.node.objects:
        if o.kind != "Job" or "post-install" not in o.hooks:
            continue
        for c in ((o.doc.get("spec") or {}).get("template") or {}).get("spec", {}).get("containers") or []:
            args = [str(a) for a in c.get("args") or []]
            if args[:1] == ["patch"] and f"--webhook-name={config.name}" in args:
                for a in args:
                    if a.startswith("--patch-failure-policy=") and a.split("=", 1)[1]:
                        return a.split("=", 1)[1]
    return None


def webhooks(model: Model) -> list[Webhook]:
    out = []
    for o in model.objects:
        if o.kind not in ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"):
            continue
        patched = _patched_policy(model, o)
        for w in o.doc.get("webhooks") or []:
            svc = (w.get("clientConfig") or {}).get("service")
            # admissionregistration.k8s.io/v1: failurePolicy defaults to Fail, service port to 443
            rendered = w.get("failurePolicy") or "Fail"
            out.append(Webhook(o, w.get("name", ""), o.kind.startswith("Mutating"), patched or rendered, rendered,
                               tuple(w.get("rules") or ()), w.get("namespaceSelector"), w.get("objectSelector"),
                               (svc["namespace"], svc["name"], int(svc.get("port") or 443)) if svc else None))
    return out


def _rule_matches(rule: dict[str, Any], group: str, version: str, resource: str, namespaced: bool) -> bool:
    def has(values: Iterable[str], value: str) -> bool:
        values = list(values or [])
        return "*" in values or value in values

    if not has(rule.get("operations") or [], "CREATE"):
        return False
    if not has(rule.get("apiGroups") or [], group) or not has(rule.get("apiVersions") or [], version):
        return False
    resources = [r for r in rule.get("resources") or [] if "/" not in r or r == "*/*"]
    if not (has(resources, resource) or "*/*" in resources):
        return False
    scope = rule.get("scope") or "*"
    return scope == "*" or (scope == "Namespaced") == namespaced


def matches(model: Model, webhook: Webhook, group: str, version: str, resource: str,
            namespace: Optional[str], labels: dict[str, str]) -> bool:
    """Whether the API server calls ``webhook`` on CREATE of such an object
    (kubernetes/kubernetes@v1.32.0 staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook/
    predicates/rules/rules.go, namespace/matcher.go, object/matcher.go: the namespaceSelector is
    matched against the object's namespace's labels and has no effect on cluster-scoped objects).
    ``matchConditions`` (CEL) are not evaluated: a webhook that has them counts as matching."""
    if not webhook.rules_match(group, version, resource, namespace is not None):
        return False
    if namespace is not None and webhook.namespace_selector is not None:
        if not selector_matches(webhook.namespace_selector, namespace_labels(model, namespace)):
            return False
    if webhook.object_selector is not None and not selector_matches(webhook.object_selector, labels):
        return False
    return True


# Where a webhook server's readiness probe does not check the webhook port itself, the upstream
# source that makes the pod's readiness (what Helm's --wait waits for) imply the webhook serves:
# chart name -> (Service name of the webhook, why, source).
SERVING_FACTS: dict[str, tuple[str, str, str]] = {
    "istiod": ("istiod", "istiod's /ready reports ready only once the sidecar injector and the config validation "
               "webhooks are initialised",
               "istio/istio@1.22.8 and @1.29.6 pilot/pkg/bootstrap/server.go initReadinessProbes "
               "(\"sidecar injector\", \"config validation\"), sidecarInjectorReady set after initSidecarInjector"),
    "metallb": ("metallb-webhook-service", "the controller starts its /metrics listener (its readiness probe) only "
                "after the cert rotator injected the CA and the webhooks are registered",
                "metallb/metallb@v0.15.2 internal/k8s/k8s.go 334-371 (\"We start the webhooks and the metric at the "
                "same time so the readiness probe will return success only when we are able to serve webhook "
                "requests\"), commit 9021a97c"),
    "external-secrets": ("external-secrets-webhook", "the webhook waits for valid certificates before it starts "
                         "its manager, and its /readyz checks them (\"certs\")",
                         f"{versions.EXTERNAL_SECRETS.at} (the pinned chart's tag) "
                         "cmd/controller/webhook.go (waitForCerts, "
                         "AddReadyzCheck(\"certs\"))"),
    "ingress-nginx": ("ingress-nginx-controller-admission", "the admission server is started in "
                      "NGINXController.Start before the first sync that /healthz waits for; the post-install "
                      "certgen patch Job sets its caBundle before the release is ready",
                      "kubernetes/ingress-nginx@controller-v1.12.8 internal/ingress/controller/nginx.go 338-343, "
                      "checker.go Check (/is-dynamic-lb-initialized)"),
}
# Post-install hook Jobs that call the API the webhook guards and so prove it serves before Helm
# reports the release ready (hooks are waited for: helm/helm@v3.20.2 pkg/action/hooks.go execHook).
API_CHECK_HOOKS = {("check", "api"): "cert-manager startupapicheck (cmctl check api --wait): "
                                     "cert-manager/cert-manager@v1.19.6 deploy/charts/cert-manager/templates/"
                                     "startupapicheck-job.yaml"}


@dataclass(frozen=True)
class Serving:
    node: Optional[Node]  # whose readiness the webhook's pods belong to
    implied: bool  # that node being ready implies the webhook serves
    why: str


def _probe_ports(spec: dict[str, Any]) -> set[Any]:
    ports = set()
    named: dict[str, int] = {}
    for c in spec.get("containers") or []:
        for p in c.get("ports") or []:
            if p.get("name"):
                named[p["name"]] = p.get("containerPort")
    for c in spec.get("containers") or []:
        probe = c.get("readinessProbe") or {}
        for kind in ("httpGet", "tcpSocket", "grpc"):
            port = (probe.get(kind) or {}).get("port")
            if port is not None:
                ports.add(named.get(port, port) if isinstance(port, str) else port)
    return ports


def serving(model: Model, webhook: Webhook, all_pods: list[Pod]) -> Serving:
    """Whose readiness makes ``webhook`` serve, and whether it does: a readiness probe on the webhook's
    target port, a post-install hook calling its API, or a documented upstream fact (SERVING_FACTS)."""
    if webhook.service is None:
        return Serving(webhook.config.node, False, "the webhook has no in-cluster Service")
    ns, name, port = webhook.service
    svc = next((o for o in model.objects if o.kind == "Service" and o.namespace == ns and o.name == name), None)
    if svc is None:
        return Serving(None, False, f"its Service {ns}/{name} is not created by this stack")
    spec = svc.doc.get("spec") or {}
    target: Any = port
    for p in spec.get("ports") or []:
        if int(p.get("port", 0)) == port:
            target = p.get("targetPort", port)
    backing = [p for p in all_pods if p.template.namespace == ns and spec.get("selector")
               and selector_matches({"matchLabels": spec["selector"]}, (p.template.metadata or {}).get("labels") or {})]
    if not backing:
        return Serving(svc.node, False, f"no pod of this stack backs Service {ns}/{name}")
    pod = backing[0]
    node = pod.node
    named = {p.get("name"): p.get("containerPort") for c in pod.template.spec.get("containers") or []
             for p in c.get("ports") or []}
    target_port = named.get(target, target) if isinstance(target, str) else target
    if target_port in _probe_ports(pod.template.spec):
        return Serving(node, True, f"the readiness probe of {pod.owner.key} checks the webhook port {target_port}")
    for o in node.objects:
        if o.kind == "Job" and "post-install" in o.hooks:
            for c in ((o.doc.get("spec") or {}).get("template") or {}).get("spec", {}).get("containers") or []:
                args = tuple(str(a) for a in (c.get("args") or []))
                for prefix, source in API_CHECK_HOOKS.items():
                    if args[:len(prefix)] == prefix:
                        return Serving(node, True, f"the post-install hook {o.key} checks the API ({source})")
    fact = SERVING_FACTS.get(node.chart or "")
    if fact is not None and fact[0] == name:
        return Serving(node, True, f"{fact[1]} ({fact[2]})")
    return Serving(node, False, f"the readiness probe of {pod.owner.key} does not check the webhook port "
                                f"{target_port} and no upstream fact says its readiness implies serving")


# ------------------------------------------------------------------------------ load balancers


def is_load_balancer(o: Obj) -> bool:
    return o.kind == "Service" and (o.doc.get("spec") or {}).get("type") == "LoadBalancer"


def address_providers(model: Model) -> list[Obj]:
    """MetalLB hands out addresses once an IPAddressPool (autoAssign, the default) is announced by an
    L2Advertisement or BGPAdvertisement (metallb/metallb@v0.15.2 website/content/configuration/_index.md)."""
    return [o for o in model.objects if o.group == "metallb.io"
            and (o.kind in ("L2Advertisement", "BGPAdvertisement")
                 or (o.kind == "IPAddressPool" and (o.doc.get("spec") or {}).get("autoAssign", True)))]


# ------------------------------------------------------------------------------ volumes

# Provisioners this stack can install, and how to recognise the resource that installs them.
# provisioner -> (test on a node, source)
PROVISIONERS: dict[str, tuple[Any, str]] = {
    "ebs.csi.aws.com": (lambda n: n.type == "aws:eks/addon:Addon" and n.plain.get("addonName") == "aws-ebs-csi-driver",
                        "the EKS add-on aws-ebs-csi-driver (docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html)"),
    "driver.longhorn.io": (lambda n: n.chart == "longhorn",
                           "the longhorn release (longhorn/longhorn@v1.12.1 chart/templates/storageclass.yaml)"),
    "rancher.io/local-path": (lambda n: n.type == "kubernetes:yaml/v2:ConfigFile"
                              and str(n.plain.get("file", "")).endswith("local-path-storage.yaml"),
                              "rancher/local-path-provisioner deploy/local-path-storage.yaml"),
    "csi.vsphere.vmware.com": (lambda n: n.type == "rancher2:index/clusterV2:ClusterV2"
                               and "rancher-vsphere-csi" in str(n.plain.get("rkeConfig", {}).get("chartValues", "")),
                               "RKE2's rancher-vsphere-csi chart (rancher/vsphere-charts@9db6d94 "
                               "charts/rancher-vsphere-csi), counted ready with the ClusterV2 — an assumption "
                               "without a source: RKE2's helm-controller "
                               "installs the chart, and nothing read here ties the ClusterV2's Active state to that "
                               "install (docs/conformance.md \"vSphere storage\")"),
}
# StorageClasses a cluster's installer creates outside any rendered object, once the resource that
# installs their provisioner exists. RKE2's rancher-vsphere-csi chart renders its class from the values
# Rancher hands it (ClusterV2 rkeConfig.chartValues, components/clusters/vsphere.py): name, default and
# allowVolumeExpansion as templates/storageclass.yaml 1-10 writes them, the chart's defaults where our
# values say nothing (values.yaml 285-292: enabled true, allowVolumeExpansion false, name vsphere-csi-sc,
# isDefault true); the controller runs the csi-resizer sidecar only with csiController.csiResizer.enabled
# (templates/controller/deployment.yaml 118, default false: values.yaml 32-33), and the driver extends a
# volume in use only with onlineVolumeExtend.enabled (templates/configmap.yaml 6, default false: values.yaml
# 189-190). All at rancher/vsphere-charts@9db6d94 charts/rancher-vsphere-csi (3.7.2-rancher4).
VSPHERE_CSI_CHART = "rancher-vsphere-csi"
VSPHERE_CSI_SOURCE = "rancher/vsphere-charts@9db6d94 charts/rancher-vsphere-csi"
VSPHERE_CSI_DEFAULTS = {"storageClass": {"enabled": True, "allowVolumeExpansion": False, "name": "vsphere-csi-sc",
                                         "isDefault": True},
                        "csiController": {"csiResizer": {"enabled": False}},
                        "onlineVolumeExtend": {"enabled": False}}


def _value(values: dict[str, Any], *path: str) -> Any:
    """``values`` at ``path``, else the chart's default (VSPHERE_CSI_DEFAULTS)."""
    for source in (values, VSPHERE_CSI_DEFAULTS):
        node: Any = source
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if node is not None:
            return node
    return None


def vsphere_csi_values(node: Node) -> Optional[dict[str, Any]]:
    """The rancher-vsphere-csi values a ClusterV2 hands RKE2, or None when it installs no vSphere CSI."""
    if node.type != "rancher2:index/clusterV2:ClusterV2":
        return None
    text = (node.plain.get("rkeConfig") or {}).get("chartValues")
    values = yaml.safe_load(text) if isinstance(text, str) and text.strip() else None
    if not isinstance(values, dict) or VSPHERE_CSI_CHART not in values:
        return None
    return values[VSPHERE_CSI_CHART] or {}


def installer_classes(node: Node) -> list["StorageClass"]:
    """The classes ``node`` makes its cluster's installer create (rancher-vsphere-csi's, from its values)."""
    values = vsphere_csi_values(node)
    if values is None or not _value(values, "storageClass", "enabled"):
        return []
    resizer = None
    if not _value(values, "csiController", "csiResizer", "enabled"):
        resizer = ("csiController.csiResizer.enabled is false: the controller runs no csi-resizer, so the claim's "
                   "new size is never applied (it stays at its old capacity, no error)")
    elif not _value(values, "onlineVolumeExtend", "enabled"):
        resizer = ("onlineVolumeExtend.enabled is false: the driver does not extend a volume in use, so a mounted "
                   "claim keeps its old capacity until its pod goes")
    return [StorageClass(str(_value(values, "storageClass", "name")), "csi.vsphere.vmware.com",
                         bool(_value(values, "storageClass", "isDefault")), "Immediate",
                         bool(_value(values, "storageClass", "allowVolumeExpansion")), None, node,
                         resizer=resizer, source=VSPHERE_CSI_SOURCE)]


@dataclass(frozen=True)
class StorageClass:
    name: str
    provisioner: str
    default: bool
    binding: str
    expansion: bool
    obj: Optional[Obj]  # the StorageClass (or the ConfigMap holding it); None for an installer's class
    node: Node  # the resource that creates it
    resizer: Optional[str] = None  # why the driver would not apply a resize the API accepts; None: no known reason
    source: str = ""  # where an installer's class comes from


def storage_classes(model: Model) -> dict[str, StorageClass]:
    """Classes the stack creates: StorageClass objects, and StorageClass manifests a release ships in
    a ConfigMap for its manager to apply (Longhorn: ConfigMap ``longhorn-storageclass``)."""
    out: dict[str, StorageClass] = {}

    def add(doc: dict[str, Any], obj: Obj) -> None:
        ann = (doc.get("metadata") or {}).get("annotations") or {}
        out[doc["metadata"]["name"]] = StorageClass(
            doc["metadata"]["name"], doc.get("provisioner", ""),
            str(ann.get("storageclass.kubernetes.io/is-default-class", "")).lower() == "true",
            doc.get("volumeBindingMode") or "Immediate", bool(doc.get("allowVolumeExpansion")), obj, obj.node)

    for o in model.objects:
        if o.kind == "StorageClass":
            add(o.doc, o)
        elif o.kind == "ConfigMap":
            for value in (o.doc.get("data") or {}).values():
                if "kind: StorageClass" in str(value):
                    doc = yaml.safe_load(value)
                    if isinstance(doc, dict) and doc.get("kind") == "StorageClass":
                        add(doc, o)
    for node in model.nodes.values():
        for sc in installer_classes(node):
            out.setdefault(sc.name, sc)
    return out


def provisioner_nodes(model: Model, provisioner: str) -> list[Node]:
    test = PROVISIONERS.get(provisioner, (None, ""))[0]
    return [n for n in model.nodes.values() if test is not None and test(n)]


def claims(model: Model) -> list[tuple[Obj, str, Optional[str]]]:
    """(owner, claim name, storageClassName or None) for every PVC the objects make: PVC objects and
    StatefulSet volumeClaimTemplates (kubernetes/kubernetes@v1.32.0 pkg/controller/statefulset)."""
    out = []
    for o in model.objects:
        if o.patch:
            continue  # a claim patch resizes a claim its StatefulSet made
        if o.kind == "PersistentVolumeClaim":
            out.append((o, o.name, (o.doc.get("spec") or {}).get("storageClassName")))
        elif o.kind == "StatefulSet":
            for t in (o.doc.get("spec") or {}).get("volumeClaimTemplates") or []:
                out.append((o, t["metadata"]["name"], (t.get("spec") or {}).get("storageClassName")))
    return out


# ------------------------------------------------------------------------------ who creates what a pod refers to


@dataclass(frozen=True)
class Creator:
    node: Node
    via: str  # "object", "ExternalSecret", "Certificate", "runtime"
    obj: Obj


def creators(model: Model, all_pods: list[Pod]) -> dict[tuple[str, str, str], list[Creator]]:
    """(kind, namespace, name) -> who creates it: objects, an ExternalSecret's target Secret
    (external-secrets.io/latest/api/externalsecret/: ``spec.target.name``, else its own name), a
    Certificate's ``spec.secretName``, a kube-webhook-certgen ``create --secret-name`` Job."""
    out: dict[tuple[str, str, str], list[Creator]] = {}

    def add(kind: str, ns: Optional[str], name: Optional[str], creator: Creator) -> None:
        if name:
            out.setdefault((kind, "" if kind == "Namespace" else ns or "default", name), []).append(creator)

    for o in model.objects:
        if o.kind in ("Secret", "ConfigMap", "ServiceAccount", "PersistentVolumeClaim", "Service", "Namespace") \
                and not o.patch:
            add(o.kind, o.namespace if o.kind != "Namespace" else "", o.name, Creator(o.node, "object", o))
        elif o.kind == "ExternalSecret":
            target = ((o.doc.get("spec") or {}).get("target") or {}).get("name") or o.name
            add("Secret", o.namespace, target, Creator(o.node, "ExternalSecret", o))
        elif o.kind == "Certificate":
            add("Secret", o.namespace, (o.doc.get("spec") or {}).get("secretName"), Creator(o.node, "Certificate", o))
    for pod in all_pods:
        for c in pod.template.containers(init=True):
            args = [str(a) for a in c.get("args") or []]
            if args[:1] == ["create"]:
                opts = dict(a[2:].split("=", 1) for a in args if a.startswith("--") and "=" in a)
                if "secret-name" in opts:
                    ns = (opts.get("namespace", pod.template.namespace)
                          .replace("$(POD_NAMESPACE)", pod.template.namespace))
                    add("Secret", ns, opts["secret-name"], Creator(pod.node, "runtime", pod.owner))
    return out


def pod_references(pod: Pod) -> list[tuple[str, str, bool]]:
    """(kind, name, optional) of what a pod needs to start: ServiceAccount, Secrets and ConfigMaps
    (env, envFrom, volumes, projected), PersistentVolumeClaims, imagePullSecrets."""
    spec = pod.template.spec
    out: list[tuple[str, str, bool]] = []
    if spec.get("serviceAccountName"):
        out.append(("ServiceAccount", spec["serviceAccountName"], False))
    for ips in spec.get("imagePullSecrets") or []:
        if ips.get("name"):
            out.append(("Secret", ips["name"], False))
    for c in pod.template.containers(init=True):
        for env in c.get("env") or []:
            src = env.get("valueFrom") or {}
            for key, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                if (src.get(key) or {}).get("name"):
                    out.append((kind, src[key]["name"], bool(src[key].get("optional"))))
        for ef in c.get("envFrom") or []:
            for key, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                if (ef.get(key) or {}).get("name"):
                    out.append((kind, ef[key]["name"], bool(ef[key].get("optional"))))
    templates = {t["metadata"]["name"] for t in (pod.owner.doc.get("spec") or {}).get("volumeClaimTemplates") or []} \
        if pod.owner.kind == "StatefulSet" else set()
    for v in spec.get("volumes") or []:
        if "secret" in v:
            out.append(("Secret", v["secret"].get("secretName", ""), bool(v["secret"].get("optional"))))
        if "configMap" in v:
            out.append(("ConfigMap", v["configMap"].get("name", ""), bool(v["configMap"].get("optional"))))
        if "persistentVolumeClaim" in v and v["name"] not in templates:
            out.append(("PersistentVolumeClaim", v["persistentVolumeClaim"].get("claimName", ""), False))
        for src in (v.get("projected") or {}).get("sources") or []:
            for kind, key in (("Secret", "secret"), ("ConfigMap", "configMap")):
                if (src.get(key) or {}).get("name"):
                    out.append((kind, src[key]["name"], bool(src[key].get("optional"))))
    return [r for r in out if r[1]]


# ------------------------------------------------------------------------------ in-cluster connections

SERVICE_ADDRESS = re.compile(r"\b([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc\b")


def _import_sources(pod: Pod) -> list[str]:
    """The hosts a CloudNativePG import Job reads from: it is made from a ``Cluster`` whose
    ``bootstrap.initdb.import.source.externalCluster`` names one of its ``externalClusters``, and the
    instance manager connects to that cluster's ``connectionParameters.host`` (cloudnative-pg@v1.30.0
    pkg/management/postgres/initdb.go executeLogicalImport, getConnectionPoolerForExternalCluster);
    the host is in the custom resource, not in the pod."""
    labels = (pod.template.metadata or {}).get("labels") or {}
    if not pod.owner.by_operator or labels.get("cnpg.io/jobRole") != "import":
        return []
    hosts = []
    for o in pod.node.objects:
        if o.kind != "Cluster" or o.name != labels.get("cnpg.io/cluster"):
            continue
        spec = o.doc.get("spec") or {}
        source = (((spec.get("bootstrap") or {}).get("initdb") or {}).get("import") or {}).get("source") or {}
        for ext in spec.get("externalClusters") or []:
            if ext.get("name") == source.get("externalCluster"):
                hosts.append(str((ext.get("connectionParameters") or {}).get("host", "")))
    return hosts


def addresses(pod: Pod) -> set[tuple[str, str]]:
    """(namespace, service) of every ``<service>.<namespace>.svc`` address in the pod's env, command,
    args (and, for a CloudNativePG import Job, the source its Cluster names)."""
    found: set[tuple[str, str]] = set()
    for c in pod.template.containers(init=True):
        texts = [str(e.get("value", "")) for e in c.get("env") or []]
        # ``--host=`` names certificate subjects (kube-webhook-certgen create), not a connection
        texts += [str(a) for a in (c.get("command") or []) + (c.get("args") or []) if not str(a).startswith("--host=")]
        for text in texts + _import_sources(pod):
            for m in SERVICE_ADDRESS.finditer(text):
                found.add((m.group(3), m.group(1)))
    return found


def _peer_matches(model: Model, peer: dict[str, Any], own_ns: str, other_ns: str, other_labels: dict[str, str]) -> bool:
    """Whether a NetworkPolicy peer (``from``/``to`` entry) of a policy in ``own_ns`` selects a pod with
    ``other_labels`` in ``other_ns``; an ``ipBlock`` is taken to select no pod of the cluster (which pod
    addresses it covers is up to the network plugin: networking.k8s.io/v1 NetworkPolicyPeer)."""
    ns_sel, pod_sel = peer.get("namespaceSelector"), peer.get("podSelector")
    if ns_sel is None and pod_sel is None:
        return False
    ns_ok = selector_matches(ns_sel, namespace_labels(model, other_ns)) if ns_sel is not None else other_ns == own_ns
    return ns_ok and (selector_matches(pod_sel, other_labels) if pod_sel is not None else True)


def egress_isolating_and_admitting(model: Model, source: Pod, dest_ns: str, dest_labels: dict[str, str]
                                   ) -> tuple[list[Obj], list[Obj]]:
    """NetworkPolicies that isolate the source pod for egress, and those whose egress rules admit the
    destination pods (networking.k8s.io/v1: a pod selected by a policy with ``Egress`` among its
    policyTypes may only reach what one of those policies' ``egress`` rules allow; ports not considered)."""
    src_ns = source.template.namespace
    src_labels = (source.template.metadata or {}).get("labels") or {}
    isolating, admitting = [], []
    for o in model.objects:
        if o.kind != "NetworkPolicy" or o.namespace != src_ns:
            continue
        spec = o.doc.get("spec") or {}
        if not selector_matches(spec.get("podSelector") or {}, src_labels):
            continue
        if "Egress" not in (spec.get("policyTypes") or ["Ingress"]):
            continue
        isolating.append(o)
        if any(not rule.get("to") or any(_peer_matches(model, peer, src_ns, dest_ns, dest_labels)
                                         for peer in rule["to"])
               for rule in spec.get("egress") or []):
            admitting.append(o)
    return isolating, admitting


def isolating_and_admitting(model: Model, source: Pod, dest_ns: str, dest_labels: dict[str, str]
                            ) -> tuple[list[Obj], list[Obj]]:
    """NetworkPolicies that isolate the destination pods for ingress, and those whose ingress rules
    admit the source pod (networking.k8s.io/v1 semantics, as tools/conformance/netpol.py; ports not
    considered)."""
    src_labels = (source.template.metadata or {}).get("labels") or {}
    src_ns_labels = namespace_labels(model, source.template.namespace)
    isolating, admitting = [], []
    for o in model.objects:
        if o.kind != "NetworkPolicy" or o.namespace != dest_ns:
            continue
        spec = o.doc.get("spec") or {}
        if not selector_matches(spec.get("podSelector") or {}, dest_labels):
            continue
        types = spec.get("policyTypes") or ["Ingress"]
        if "Ingress" not in types:
            continue
        isolating.append(o)
        for rule in spec.get("ingress") or []:
            peers = rule.get("from")
            if not peers:
                admitting.append(o)
                break
            for peer in peers:
                ns_sel, pod_sel = peer.get("namespaceSelector"), peer.get("podSelector")
                if ns_sel is None and pod_sel is None:
                    continue
                ns_ok = (selector_matches(ns_sel, src_ns_labels) if ns_sel is not None
                         else source.template.namespace == dest_ns)
                pod_ok = selector_matches(pod_sel, src_labels) if pod_sel is not None else True
                if ns_ok and pod_ok:
                    admitting.append(o)
                    break
            else:
                continue
            break
    return isolating, admitting
