"""References: every name one rendered object uses to reach another resolves in the render.

* pods: ``serviceAccountName``, ``secretKeyRef``/``configMapKeyRef`` (the key too, unless
  ``optional``), ``envFrom``, ``secret``/``configMap``/``projected`` volumes, ``persistentVolumeClaim``
  volumes (StatefulSet ``volumeClaimTemplates`` create their claims), ``imagePullSecrets``;
* Services named in VirtualService destinations (with the port), ServiceMonitors (selector and
  named port), webhook ``clientConfig.service``, APIService ``spec.service``, in-cluster
  addresses (``<service>.<namespace>.svc[.cluster.local][:port]``) in container env/args, in
  ConfigMaps (adapter URLs, Grafana datasources, the mesh config's tracing provider), and in the
  values of ``datasources``;
* RoleBinding/ClusterRoleBinding subjects that are ServiceAccounts.

Secrets that exist without being rendered count: Secrets the program creates (in the render as
objects of origin ``program``), Secrets an ``ExternalSecret`` creates (``spec.target.name`` or its
own name: external-secrets.io/latest/api/externalsecret/), a cert-manager ``Certificate``'s
``spec.secretName``, the ServiceAccount token and ``kube-root-ca.crt`` that Kubernetes creates in
every namespace, and Secrets a chart's own Jobs or controllers write (listed in ``RUNTIME_SECRETS``
with the source that creates them).
"""

from __future__ import annotations

import base64
from typing import Any, Iterable, Optional

from tools.conformance.flows import ADDRESS, _strings, ingress_backends
from tools.conformance.netpol import selector_matches
from tools.conformance.pods import pod_templates
from tools.system import Item, SystemRender

# Objects Kubernetes creates in every namespace (kube-controller-manager root-ca-cert-publisher)
ALWAYS_CONFIGMAPS = {"kube-root-ca.crt"}


def runtime_objects(system: SystemRender) -> list[dict[str, Any]]:
    """Objects that exist at run time without being rendered, derived from what creates them:

    * Service ``default/kubernetes`` (labels component=apiserver, provider=kubernetes), which the API
      server maintains (kubernetes/kubernetes@v1.32.0 pkg/controlplane/controller/kubernetesservice);
    * the kubelet Service prometheus-operator maintains for ``--kubelet-service=<ns>/<name>``
      (prometheus-operator@v0.88.0 pkg/kubelet/controller.go: labels k8s-app/app.kubernetes.io/name
      kubelet, ports https-metrics 10250, http-metrics 10255, cadvisor 4194);
    * the Secret a kube-webhook-certgen ``create --secret-name=<name> --namespace=<ns>`` hook Job
      writes (kubernetes/ingress-nginx images/kube-webhook-certgen, ``create`` command).
    """
    out: list[dict[str, Any]] = [{"apiVersion": "v1", "kind": "Service",
                                  "metadata": {"name": "kubernetes", "namespace": "default",
                                               "labels": {"component": "apiserver", "provider": "kubernetes"}},
                                  "spec": {"ports": [{"name": "https", "port": 443}]}}]
    for pod in pod_templates(system):
        for c in pod.containers(init=True):
            args = [str(a) for a in (c.get("args") or [])]
            for a in args:
                if a.startswith("--kubelet-service="):
                    ns, _, name = a.split("=", 1)[1].partition("/")
                    out.append({"apiVersion": "v1", "kind": "Service",
                                "metadata": {"name": name, "namespace": ns,
                                             "labels": {"k8s-app": "kubelet", "app.kubernetes.io/name": "kubelet"}},
                                "spec": {"ports": [{"name": "https-metrics", "port": 10250},
                                                   {"name": "http-metrics", "port": 10255},
                                                   {"name": "cadvisor", "port": 4194}]}})
            if args[:1] == ["create"]:
                opts = dict(a[2:].split("=", 1) for a in args if a.startswith("--") and "=" in a)
                if "secret-name" in opts:
                    ns = opts.get("namespace", pod.namespace).replace("$(POD_NAMESPACE)", pod.namespace)
                    out.append({"apiVersion": "v1", "kind": "Secret",
                                "metadata": {"name": opts["secret-name"], "namespace": ns},
                                "data": {"ca": "", "cert": "", "key": ""}})
    return out


def _ns(item_ns: Optional[str]) -> str:
    return item_ns or "default"


def existing(system: SystemRender) -> dict[str, dict[tuple[str, Optional[str]], Any]]:
    out: dict[str, dict[tuple[str, Optional[str]], Any]] = {  # a Certificate may lack secretName
        k: {} for k in ("Secret", "ConfigMap", "ServiceAccount", "PersistentVolumeClaim", "Service")}
    for i in list(system.items) + [Item(d, "runtime") for d in runtime_objects(system)]:
        if i.kind in out:
            data = {}
            if i.kind in ("Secret", "ConfigMap"):
                data = {**(i.doc.get("data") or {}), **(i.doc.get("stringData") or {}),
                        **(i.doc.get("binaryData") or {})}
            out[i.kind][(_ns(i.namespace), i.name)] = data
        if i.kind == "ExternalSecret":
            spec = i.doc.get("spec") or {}
            name = (spec.get("target") or {}).get("name") or i.name
            keys = {d.get("secretKey"): "" for d in spec.get("data") or []}
            tmpl = ((spec.get("target") or {}).get("template") or {}).get("data") or {}
            keys.update({k: "" for k in tmpl})
            out["Secret"][(_ns(i.namespace), name)] = keys or None  # None: keys unknown (dataFrom)
            if spec.get("dataFrom"):
                out["Secret"][(_ns(i.namespace), name)] = None
        if i.kind == "Certificate":
            spec = i.doc.get("spec") or {}
            out["Secret"][(_ns(i.namespace), spec.get("secretName"))] = {"tls.crt": "", "tls.key": "", "ca.crt": ""}
        if i.kind == "StatefulSet":
            spec = i.doc.get("spec") or {}
            for tpl in spec.get("volumeClaimTemplates") or []:
                out["PersistentVolumeClaim"][(_ns(i.namespace), f"{tpl['metadata']['name']}-*")] = {}
    for ns in {_ns(i.namespace) for i in system.items} | {i.name for i in system.of_kind("Namespace")}:
        out["ServiceAccount"][(ns, "default")] = {}
        out["ConfigMap"][(ns, "kube-root-ca.crt")] = {"ca.crt": ""}
    return out


def _has(table: dict, ns: str, name: str) -> bool:
    if (ns, name) in table:
        return True
    return any(n.endswith("-*") and k == ns and name.startswith(n[:-1]) for (k, n) in table)


def _key_ok(table: dict, ns: str, name: str, key: str) -> bool:
    data = table.get((ns, name))
    return data is None or key in data


def pod_references(system: SystemRender, have: dict) -> list[str]:
    out = []
    for pod in pod_templates(system):
        ns, spec, who = pod.namespace, pod.spec, pod.owner
        # a StatefulSet's claim templates replace its pod volumes of the same name
        # (kubernetes/kubernetes@v1.32.0 pkg/controller/statefulset/stateful_set_utils.go updateStorage)
        kind, _, rest = who.partition(" ")
        owner = system.find(kind, rest.partition("/")[2], ns) if kind == "StatefulSet" else None
        templates = {t["metadata"]["name"] for t in ((owner.doc.get("spec") or {}).get("volumeClaimTemplates") or [])} \
            if owner is not None else set()

        def need(kind: str, name: Optional[str], key: Optional[str] = None, optional: bool = False, what: str = ""):
            if not name or optional:
                return
            table = have[kind]
            if not _has(table, ns, name):
                out.append(f"{who}: {what or kind} {ns}/{name} does not exist")
            elif key is not None and not _key_ok(table, ns, name, key):
                out.append(f"{who}: {kind} {ns}/{name} has no key {key!r}")

        sa = spec.get("serviceAccountName") or spec.get("serviceAccount")
        if sa:
            need("ServiceAccount", sa)
        for ips in spec.get("imagePullSecrets") or []:
            need("Secret", ips.get("name"), what="imagePullSecret")
        for c in pod.containers(init=True):
            for env in c.get("env") or []:
                src = env.get("valueFrom") or {}
                if src.get("secretKeyRef"):
                    r = src["secretKeyRef"]
                    need("Secret", r.get("name"), r.get("key"), bool(r.get("optional")))
                if src.get("configMapKeyRef"):
                    r = src["configMapKeyRef"]
                    need("ConfigMap", r.get("name"), r.get("key"), bool(r.get("optional")))
            for ef in c.get("envFrom") or []:
                if "secretRef" in ef:
                    need("Secret", ef["secretRef"].get("name"), optional=bool(ef["secretRef"].get("optional")))
                if "configMapRef" in ef:
                    need("ConfigMap", ef["configMapRef"].get("name"), optional=bool(ef["configMapRef"].get("optional")))
        for v in spec.get("volumes") or []:
            if "secret" in v:
                s = v["secret"]
                need("Secret", s.get("secretName"), optional=bool(s.get("optional")))
                for item in s.get("items") or []:
                    if not s.get("optional"):
                        need("Secret", s.get("secretName"), item["key"])
            if "configMap" in v:
                s = v["configMap"]
                need("ConfigMap", s.get("name"), optional=bool(s.get("optional")))
                for item in s.get("items") or []:
                    if not s.get("optional"):
                        need("ConfigMap", s.get("name"), item["key"])
            if "persistentVolumeClaim" in v and v["name"] not in templates:
                need("PersistentVolumeClaim", v["persistentVolumeClaim"].get("claimName"))
            for src in (v.get("projected") or {}).get("sources") or []:
                if "secret" in src:
                    need("Secret", src["secret"].get("name"), optional=bool(src["secret"].get("optional")))
                if "configMap" in src:
                    need("ConfigMap", src["configMap"].get("name"), optional=bool(src["configMap"].get("optional")))
    return out


def _service(have: dict, system: SystemRender, ns: str, name: str, port: Any, who: str) -> list[str]:
    if (ns, name) not in have["Service"]:
        return [f"{who}: Service {ns}/{name} does not exist"]
    if port is None:
        return []
    svc = next(i for i in system.of_kind("Service") if _ns(i.namespace) == ns and i.name == name)
    ports = (svc.doc.get("spec") or {}).get("ports") or []
    if not any(p.get("port") == port or p.get("name") == port for p in ports):
        return [f"{who}: Service {ns}/{name} has no port {port} (has {[p.get('port') for p in ports]})"]
    return []


def _texts(doc: dict[str, Any]) -> Iterable[str]:
    if doc.get("kind") == "Secret":
        for v in (doc.get("data") or {}).values():
            try:
                yield base64.b64decode(v).decode()
            except Exception:  # binary data
                continue
        yield from _strings(doc.get("stringData") or {})
    else:
        yield from _strings(doc.get("data") or {})


def service_references(system: SystemRender, have: dict) -> list[str]:
    out = []
    runtime = runtime_objects(system)
    for vs in system.of_kind("VirtualService"):
        for section in ("http", "tcp", "tls"):
            for route in (vs.doc.get("spec") or {}).get(section) or []:
                for dest in route.get("route") or []:
                    d = dest.get("destination") or {}
                    parts = d.get("host", "").split(".")
                    out += _service(have, system, parts[1] if len(parts) > 1 else _ns(vs.namespace), parts[0],
                                    (d.get("port") or {}).get("number"), f"VirtualService {vs.namespace}/{vs.name}")
    for ing, svc_name, port in ingress_backends(system):
        out += _service(have, system, _ns(ing.namespace), svc_name, port, f"Ingress {ing.namespace}/{ing.name}")
    for mon in system.of_kind("ServiceMonitor"):
        spec = mon.doc.get("spec") or {}
        ns_sel = spec.get("namespaceSelector") or {}
        namespaces = ns_sel.get("matchNames") or [_ns(mon.namespace)]
        services = system.of_kind("Service") + [Item(d, "runtime") for d in runtime if d["kind"] == "Service"]
        targets = [s for s in services if (ns_sel.get("any") or _ns(s.namespace) in namespaces)
                   and selector_matches(spec.get("selector") or {}, (s.doc.get("metadata") or {}).get("labels") or {})]
        if not targets:
            out.append(f"ServiceMonitor {mon.namespace}/{mon.name}: selects no Service")
        names = {p.get("name") for s in targets for p in (s.doc.get("spec") or {}).get("ports") or []}
        for ep in spec.get("endpoints") or []:
            if targets and ep.get("port") and ep["port"] not in names:
                out.append(f"ServiceMonitor {mon.namespace}/{mon.name}: no selected Service has a port named "
                           f"{ep['port']!r}")
    for item in system.of_kind("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"):
        for hook in item.doc.get("webhooks") or []:
            svc = (hook.get("clientConfig") or {}).get("service")
            if svc:
                out += _service(have, system, svc["namespace"], svc["name"], svc.get("port", 443),
                                f"{item.kind} {item.name} webhook {hook.get('name')}")
    for item in system.of_kind("APIService"):
        svc = (item.doc.get("spec") or {}).get("service")
        if svc:
            out += _service(have, system, svc["namespace"], svc["name"], svc.get("port", 443),
                            f"APIService {item.name}")
    # in-cluster addresses in containers, ConfigMaps and Secrets (datasources, adapter URLs, mesh config)
    sources: list[tuple[str, Iterable[str]]] = []
    for pod in pod_templates(system):
        for c in pod.containers(init=True):
            sources.append((f"{pod.owner} container {c['name']}",
                            list(_strings([c.get("args") or [], c.get("command") or [], c.get("env") or []]))))
    for i in system.of_kind("ConfigMap", "Secret"):
        sources.append((f"{i.kind} {i.namespace}/{i.name}", list(_texts(i.doc))))
    known_ns = {i.name for i in system.of_kind("Namespace")}
    for who, texts in sources:
        for text in texts:
            for m in ADDRESS.finditer(text):
                name, ns, port = m["service"], m["namespace"], m["port"]
                if ns not in known_ns or "{" in name:
                    continue  # a namespace this stack does not create (kube-system, ...), or a template
                out += _service(have, system, ns, name, int(port) if port else None, who)
    return out


def binding_references(system: SystemRender, have: dict) -> list[str]:
    out = []
    for b in system.of_kind("RoleBinding", "ClusterRoleBinding"):
        for s in b.doc.get("subjects") or []:
            if s.get("kind") == "ServiceAccount":
                ns = s.get("namespace") or _ns(b.namespace)
                if (not _has(have["ServiceAccount"], ns, s["name"])
                        and ns in {i.name for i in system.of_kind("Namespace")}):
                    out.append(f"{b.kind} {b.name}: ServiceAccount {ns}/{s['name']} does not exist")
    return out


def violations(system: SystemRender) -> list[str]:
    have = existing(system)
    return sorted(set(pod_references(system, have) + service_references(system, have)
                      + binding_references(system, have)))
