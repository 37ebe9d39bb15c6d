"""The flows the platform needs, as DATA: derived from what the render declares (webhooks,
APIServices, LoadBalancer Services, ServiceMonitors/PodMonitors and scrape annotations, VirtualService
destinations, in-cluster addresses in env/args/ConfigMaps, sidecars to istiod and the tracing
endpoint, DNS), never from the policies themselves; ``violations`` checks them with the NetworkPolicy
evaluator (tools/conformance/netpol.py).
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Optional

from tools.conformance.netpol import (
    EXTERNAL,
    KUBE_DNS,
    Flow,
    Network,
    Pod,
    Port,
    RUNBOOK_DEBUG,
    build_network,
    check_flows,
    empty_policies,
    selector_matches,
)
from tools.conformance.pods import pod_templates
from tools.system import Item, SystemRender

# <service>.<namespace>.svc[.cluster.local][:port], optionally behind a pod's name on a headless
# Service (redpanda-0.redpanda.messaging.svc...): groups "service", "namespace", "port"
ADDRESS = re.compile(r"(?<![\w.-])(?:[a-z0-9][-a-z0-9]*\.)?(?P<service>[a-z0-9][-a-z0-9]*)"
                     r"\.(?P<namespace>[a-z0-9][-a-z0-9]*)\.svc(?:\.cluster\.local)?(?![\w-])(?::(?P<port>\d+))?")
SCHEME_PORTS = {"http": 80, "https": 443, "grpc": 80, "redis": 6379, "postgres": 5432, "postgresql": 5432}


def services(system: SystemRender) -> dict[tuple[str, str], Item]:
    return {(i.namespace or "default", i.name): i for i in system.of_kind("Service")}


# Pod labels a chart's own scripts set at run time, so no template carries them, by (namespace, key):
# none now (the bitnami Redis chart labelled its master isMaster=true; redis-ha routes through
# HAProxy, and CloudNativePG's cnpg.io/instanceRole is modelled on the instance pods, tools/cnpg.py).
RUNTIME_POD_LABELS: dict[tuple[str, str], str] = {}


def service_pods(net: Network, svc: Item) -> list[Pod]:
    sel = dict((svc.doc.get("spec") or {}).get("selector") or {})
    if not sel:
        return []
    for (ns, key), value in RUNTIME_POD_LABELS.items():
        if ns == svc.namespace and sel.get(key) == value:
            del sel[key]
    return [p for p in net.pods if p.namespace == svc.namespace and p.long_running
            and all(p.labels.get(k) == v for k, v in sel.items())]


def service_target(svc: Item, port: Optional[Port]) -> Optional[Port]:
    """The targetPort behind a Service port (number or name); None if the Service has no such port."""
    for sp in (svc.doc.get("spec") or {}).get("ports") or []:
        if sp.get("port") == port or (isinstance(port, str) and sp.get("name") == port):
            return sp.get("targetPort", sp.get("port"))
    return None


def _to_service(net: Network, svcs, src: str, ns: Optional[str], name: str, port: Optional[Port], why: str,
                problems: list[str], protocol: str = "TCP") -> list[Flow]:
    svc = svcs.get((ns, name))
    if svc is None:
        problems.append(f"{why}: Service {ns}/{name} does not exist")
        return []
    target = service_target(svc, port)
    if target is None:
        problems.append(f"{why}: Service {ns}/{name} has no port {port}")
        return []
    pods = service_pods(net, svc)
    if not pods and ns in net.namespaces:
        problems.append(f"{why}: Service {ns}/{name} selects no pod")
    return [Flow(src, p.owner, target, protocol, why) for p in pods if p.owner != src]


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def addresses_in(text: str) -> list[tuple[str, str, Optional[int], str]]:
    """(service, namespace, port or None, scheme) of every in-cluster address in ``text``."""
    out = []
    for m in ADDRESS.finditer(text):
        before = text[:m.start()]
        scheme = (before[-12:].rsplit("://", 1)[0].split("/")[-1].split("=")[-1].strip('"\' ')
                  if before.endswith("://") else "")
        out.append((m["service"], m["namespace"], int(m["port"]) if m["port"] else None, scheme))
    return out


ENVOY_CLUSTER = re.compile(r"outbound\|(?P<port>\d+)\|[^|]*\|"
                           r"(?P<service>[a-z0-9-]+)\.(?P<namespace>[a-z0-9-]+)\.svc\.cluster\.local")


def platform_flows(system: SystemRender, net: Optional[Network] = None) -> tuple[list[Flow], list[str]]:
    """The traffic the platform needs, and the problems found deriving it (missing targets)."""
    net = net or build_network(system)
    svcs = services(system)
    flows: list[Flow] = []
    problems: list[str] = []
    by_owner_tpl = {t.owner: t for t in pod_templates(system)}

    # 1. the API server calls every webhook and aggregated API
    for item in system.of_kind("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"):
        for hook in (item.doc.get("webhooks") or []):
            svc = (hook.get("clientConfig") or {}).get("service")
            if svc:
                flows += _to_service(net, svcs, EXTERNAL, svc["namespace"], svc["name"], svc.get("port", 443),
                                     f"API server -> webhook {hook.get('name')}", problems)
    for item in system.of_kind("APIService"):
        svc = (item.doc.get("spec") or {}).get("service")
        if svc:
            flows += _to_service(net, svcs, EXTERNAL, svc["namespace"], svc["name"], svc.get("port", 443),
                                 f"API server -> APIService {item.name}", problems)

    # 2. load balancer clients -> every LoadBalancer Service port (gateway, nginx); where no load
    # balancer exists (loadBalancer=none) those Services are NodePort, reached from outside the same way
    for svc in svcs.values():
        spec = svc.doc.get("spec") or {}
        if spec.get("type") in ("LoadBalancer", "NodePort"):
            for sp in spec.get("ports") or []:
                flows += _to_service(net, svcs, EXTERNAL, svc.namespace, svc.name, sp["port"],
                                     f"load balancer -> {svc.namespace}/{svc.name}:{sp['port']}", problems)

    # 3. Prometheus -> every scrape target
    prometheus = [p for p in net.pods if p.labels.get("app.kubernetes.io/name") == "prometheus"
                  and p.labels.get("app.kubernetes.io/managed-by") == "prometheus-operator"]
    for prom in prometheus:
        for mon in system.of_kind("ServiceMonitor"):
            spec = mon.doc.get("spec") or {}
            ns_sel = spec.get("namespaceSelector") or {}
            namespaces = ns_sel.get("matchNames") or ([mon.namespace] if not ns_sel.get("any") else None)
            for (ns, _), svc in svcs.items():
                if namespaces is not None and ns not in namespaces:
                    continue
                labels = (svc.doc.get("metadata") or {}).get("labels") or {}
                if not selector_matches(spec.get("selector") or {}, labels):
                    continue
                for ep in spec.get("endpoints") or []:
                    port = ep.get("port") or ep.get("targetPort")
                    if port is None or service_target(svc, port) is None:
                        continue  # Prometheus finds no endpoint of that port name here: no target
                    flows += _to_service(net, svcs, prom.owner, svc.namespace, svc.name, port,
                                         f"Prometheus -> ServiceMonitor {mon.namespace}/{mon.name}", problems)
        for mon in system.of_kind("PodMonitor"):
            spec = mon.doc.get("spec") or {}
            ns_sel = spec.get("namespaceSelector") or {}
            namespaces = ns_sel.get("matchNames") or ([mon.namespace] if not ns_sel.get("any") else None)
            for pod in net.pods:
                if (namespaces is not None and pod.namespace not in namespaces) or pod.host_network:
                    continue
                if not selector_matches(spec.get("selector") or {}, pod.labels):
                    continue
                for ep in spec.get("podMetricsEndpoints") or []:
                    port = ep.get("port") or ep.get("targetPort")
                    if port is not None:
                        flows.append(Flow(prom.owner, pod.owner, port, "TCP",
                                          f"Prometheus -> PodMonitor {mon.namespace}/{mon.name}"))
        # prometheus.io/scrape annotations: prometheus-operator has no built-in job for them; they are
        # scraped only through additionalScrapeConfigs (Prometheus CR), so they are flows only then
        annotated = any((i.doc.get("spec") or {}).get("additionalScrapeConfigs") for i in system.of_kind("Prometheus"))
        for pod in (net.pods if annotated else []):
            ann = (by_owner_tpl[pod.owner].metadata.get("annotations") or {}) if pod.owner in by_owner_tpl else {}
            if ann.get("prometheus.io/scrape") == "true" and ann.get("prometheus.io/port") and not pod.host_network:
                flows.append(Flow(prom.owner, pod.owner, int(ann["prometheus.io/port"]), "TCP",
                                  f"Prometheus -> {pod.owner} (prometheus.io/scrape)"))

    # 4. the gateway -> every route target
    gateway_pods = [p for p in net.pods if p.labels.get("istio") == "ingressgateway"]
    for vs in system.of_kind("VirtualService"):
        for section in ("http", "tcp", "tls"):
            for route in (vs.doc.get("spec") or {}).get(section) or []:
                for dest in route.get("route") or []:
                    d = dest.get("destination") or {}
                    host = d.get("host", "")
                    parts = host.split(".")
                    name, dest_ns = parts[0], parts[1] if len(parts) > 1 else vs.namespace
                    port = (d.get("port") or {}).get("number")
                    for gw in gateway_pods:
                        flows += _to_service(net, svcs, gw.owner, dest_ns, name, port, f"gateway -> VirtualService "
                                             f"{vs.namespace}/{vs.name} destination {host}:{port}", problems)

    # ... and every EnvoyFilter's upstream cluster (outbound|<port>||<service>.<ns>.svc.cluster.local,
    # istiod's name for a Service port: the gateway's rate limit service) from the pods it selects
    for ef in system.of_kind("EnvoyFilter"):
        spec = ef.doc.get("spec") or {}
        selector = (spec.get("workloadSelector") or {}).get("labels") or {}
        selected = [p for p in net.pods if (p.namespace == ef.namespace or ef.namespace == "istio-system")
                    and selector_matches({"matchLabels": selector}, p.labels)]
        for text in _strings(spec.get("configPatches") or []):
            m = ENVOY_CLUSTER.fullmatch(text)
            if not m:
                continue
            for pod in selected:
                flows += _to_service(net, svcs, pod.owner, m["namespace"], m["service"], int(m["port"]),
                                     f"EnvoyFilter {ef.namespace}/{ef.name} cluster {text}", problems)

    # ... and the external authorizer of every AuthorizationPolicy with action CUSTOM (the SSO gate): the
    # pods it selects ask the provider's Service (meshConfig.extensionProviders envoyExtAuthzHttp/Grpc
    # service and port; istio/istio@1.22.8 pilot/pkg/security/authz/builder/extauthz.go)
    for pol, pod, service, port in ext_authz_calls(system, net):
        ns, name = service.split(".")[1], service.split(".")[0]
        flows += _to_service(net, svcs, pod.owner, ns, name, port,
                             f"AuthorizationPolicy {pol.namespace}/{pol.name} (CUSTOM) -> {service}:{port}", problems)

    # ... and the NGINX controller -> every Ingress backend (networking.k8s.io/v1 Ingress rules)
    nginx = [p for p in net.pods if p.labels.get("app.kubernetes.io/name") == "ingress-nginx"
             and p.labels.get("app.kubernetes.io/component") == "controller"]
    for ing, svc_name, port in ingress_backends(system):
        for ctl in nginx:
            flows += _to_service(net, svcs, ctl.owner, ing.namespace or "default", svc_name, port,
                                 f"ingress-nginx -> Ingress {ing.namespace}/{ing.name} backend {svc_name}:{port}",
                                 problems)

    # 5. every pod -> each in-cluster address in its env, args and the ConfigMaps it reads
    configmaps = {(i.namespace, i.name): i for i in system.of_kind("ConfigMap")}
    for tpl in by_owner_tpl.values():
        pod = net.by_owner[tpl.owner]
        texts = []
        for c in tpl.containers(init=True):
            texts += list(_strings([c.get("args") or [], c.get("command") or [], c.get("env") or []]))
            for ef in c.get("envFrom") or []:
                ref = (ef.get("configMapRef") or {}).get("name")
                if ref and (tpl.namespace, ref) in configmaps:
                    texts += list(_strings(configmaps[(tpl.namespace, ref)].doc.get("data") or {}))
        for v in tpl.spec.get("volumes") or []:
            ref = (v.get("configMap") or {}).get("name")
            if ref and (tpl.namespace, ref) in configmaps:
                texts += list(_strings(configmaps[(tpl.namespace, ref)].doc.get("data") or {}))
        seen = set()
        for text in texts:
            for name, ns, port, scheme in addresses_in(text):
                if (ns, name) not in svcs:
                    continue  # a name in a template string, not a Service of the render: references check
                if port is None:
                    ports = [sp["port"] for sp in (svcs[(ns, name)].doc.get("spec") or {}).get("ports") or []]
                    port = (SCHEME_PORTS.get(scheme) if SCHEME_PORTS.get(scheme) in ports
                            else (ports[0] if len(ports) == 1 else None))
                if port is None or (ns, name, port) in seen:
                    continue
                seen.add((ns, name, port))
                flows += _to_service(net, svcs, pod.owner, ns, name, port,
                                     f"{pod.owner} -> {name}.{ns}:{port} (its configuration)", problems)

    # 6. sidecars -> istiod (xDS 15012) and the tracing endpoint; 7. every pod -> DNS
    istiod = [p for p in net.pods if p.labels.get("app") == "istiod"]
    injected_ns = {ns for ns, labels in net.namespaces.items() if labels.get("istio-injection") == "enabled"}
    tracing = tracing_endpoints(system)
    for pod in net.pods:
        own_tpl = by_owner_tpl.get(pod.owner)
        if own_tpl is None:
            continue
        inject = (own_tpl.metadata.get("annotations") or {}).get("sidecar.istio.io/inject",
                                                             pod.labels.get("sidecar.istio.io/inject"))
        if pod.namespace in injected_ns and inject != "false" and not pod.host_network:
            for d in istiod:
                flows.append(Flow(pod.owner, d.owner, 15012, "TCP", f"sidecar of {pod.owner} -> istiod xDS"))
            for trace_ns, name, port in tracing:
                flows += _to_service(net, svcs, pod.owner, trace_ns, name, port,
                                     f"sidecar of {pod.owner} -> tracing {name}.{trace_ns}:{port}", problems)
    # 8. members of one clustered release talk to each other; 9. calls to the public internet
    for ns, owners, peer_ports, why in CLUSTER_PEERS:
        members = [p for p in net.pods if p.namespace == ns and p.owner in owners]
        for src in members:
            for dst in members:
                if src.owner == dst.owner and resources_replicas(system, src.owner) < 2:
                    continue
                flows += [Flow(src.owner, dst.owner, port, "TCP", f"{why} ({src.owner} -> {dst.owner})")
                          for port in peer_ports]
    for client, server, client_ports, why in RELEASE_CLIENTS:
        if net.by_owner.get(client) and net.by_owner.get(server):
            flows += [Flow(client, server, port, "TCP", why) for port in client_ports]
    flows += cnpg_flows(system, net, svcs, problems)
    for pod, ns, name, port, why in RUNBOOK:
        flows += _to_service(net, svcs, pod.owner, ns, name, port, why, problems)
    for ns, name, port, why in INTERNET:
        if net.by_owner.get(f"Deployment {ns}/{name}"):
            flows.append(Flow(f"Deployment {ns}/{name}", EXTERNAL, port, "TCP", why))
    for tpl in by_owner_tpl.values():  # ... and the identity providers pods sign people in with
        for flag, port in identity_providers(tpl):
            flows.append(Flow(tpl.owner, EXTERNAL, port, "TCP", f"{tpl.owner} -> its identity provider ({flag})"))
    for pod in net.pods:
        if not pod.host_network and pod.owner != KUBE_DNS.owner:
            flows += [Flow(pod.owner, KUBE_DNS.owner, 53, proto, f"{pod.owner} -> DNS") for proto in ("UDP", "TCP")]
    return flows, problems


# Traffic inside a clustered release (replication, consensus, gossip), as each product documents it:
# (namespace, workloads, ports, why). PostgreSQL's is derived from its custom resources (cnpg_flows).
CLUSTER_PEERS = [
    ("database", {"StatefulSet database/postgres-postgresql", "StatefulSet database/postgres-postgresql-read"}, (5432,),
     "PostgreSQL streaming replication of the bitnami release (only while a stack moves from it): read "
     "replicas connect to the primary (bitnami postgresql POSTGRES_MASTER_HOST)"),
    ("cache", {"StatefulSet cache/redis-redis-ha-server"}, (6379, 26379),
     "Redis replication and Sentinel between the redis-ha nodes (redis.io/docs/latest/operate/oss_and_stack/"
     "management/sentinel/; redis-ha templates/_configs.tpl at the pin: each node's init script asks the "
     "Sentinels for the master through the announce Services)"),
    ("messaging", {"StatefulSet messaging/redpanda"}, (33145, 9644),
     "Redpanda internal RPC and admin API between brokers (chart listeners.rpc.port 33145, admin 9644)"),
    ("consul", {"StatefulSet consul/consul-server"}, (8300, 8301, 8302),
     "Consul server RPC/Raft 8300 and Serf LAN/WAN gossip 8301/8302 "
     "(developer.hashicorp.com/consul/docs/install/ports)"),
]
# One workload of a release calling another through names its config holds in short form (no
# namespace, so the address scan above does not see them): (source, destination, ports, why)
RELEASE_CLIENTS = [
    ("Deployment cache/redis-redis-ha-haproxy", "StatefulSet cache/redis-redis-ha-server", (6379, 26379),
     "HAProxy checks every Redis node's role and Sentinel, then proxies to the master (redis-ha at the pin "
     "templates/_configs.tpl haproxy.cfg: server R<i> <fullname>-announce-<i>:6379 and :26379)"),
]
# Pods a person starts from the guide's runbook: (pod, namespace, Service, port, why). "Database
# Connection Issues": `kubectl run -it --rm debug --image=postgres:16 --restart=Never -- psql -h
# postgres-postgresql.database.svc.cluster.local ...` runs in `default`, labelled run=debug by kubectl run.
RUNBOOK = [
    (RUNBOOK_DEBUG, "database", "postgres-postgresql", 5432,
     "the guide's runbook debug pod -> PostgreSQL"),
]
# Calls to addresses outside the cluster (red2n/tartware@a2583469 Apps/config/src/index.ts):
# (namespace, Deployment, port, why)
INTERNET = [
    ("tartware-system", "availability-guard-service", 443,
     "availability guard -> the notification webhooks/APIs of its six secret-sourced keys"),
    ("tartware-system", "notification-service", 443, "notification service -> NOTIFICATION_WEBHOOK_URL"),
]


def _port_of(url: str, default: int = 443) -> int:
    rest = url.split("://", 1)[-1].split("/", 1)[0]
    return int(rest.rsplit(":", 1)[1]) if ":" in rest else (80 if url.startswith("http://") else default)


def cnpg_flows(system: SystemRender, net: Network, svcs, problems: list[str]) -> list[Flow]:
    """The traffic CloudNativePG needs, from the Clusters, Poolers and plugin Services of the render
    (cloudnative-pg/cloudnative-pg@v1.30.0):

    * the operator polls every instance's status endpoint (pkg/management/url StatusPort 8000; the
      instance manager's webserver, pkg/management/postgres/webserver/remote.go);
    * standbys stream from the primary through the ``-rw`` Service (pkg/postgres/replication: the
      standby's primary_conninfo names ``<cluster>-rw``);
    * a Pooler's PgBouncer pods connect to the Service of its type (``-rw`` for ``type: rw``,
      pkg/management/pgbouncer/config: the ``[databases]`` host);
    * the operator calls each CNPG-I plugin it finds by its Service label ``cnpg.io/pluginName`` on
      the port of its ``cnpg.io/pluginPort`` annotation (internal/cnpi/plugin/connection);
    * instances archive to, and a full-recovery Job restores from, the ObjectStore's bucket (outside
      the cluster: HTTPS, or the endpoint's port) through the Barman Cloud plugin's sidecar;
    * an import Job reads the external cluster's host (api/v1 ExternalCluster connectionParameters)."""
    flows: list[Flow] = []
    operator = [p for p in net.pods if p.labels.get("app.kubernetes.io/name") == "cloudnative-pg"]
    stores: dict[tuple[Optional[str], Optional[str]], dict[str, Any]] = {
        (i.namespace, i.name): i.doc for i in system.of_kind("ObjectStore")}
    for item in system.of_kind("Cluster"):
        if not str(item.doc.get("apiVersion", "")).startswith("postgresql.cnpg.io/"):
            continue
        spec, name, ns = item.doc.get("spec") or {}, item.name, item.namespace or "default"
        instances = [p for p in net.pods if p.namespace == ns and p.labels.get("cnpg.io/cluster") == name
                     and p.labels.get("cnpg.io/podRole") == "instance"]
        why = f"Cluster {ns}/{name}"
        for op in operator:
            flows += [Flow(op.owner, i.owner, "status", "TCP", f"CloudNativePG operator -> {why} instance status")
                      for i in instances]
        for i in instances:
            if i.labels.get("cnpg.io/instanceRole") == "replica":
                flows += _to_service(net, svcs, i.owner, ns, f"{name}-rw", 5432,
                                     f"{why}: streaming replication from the primary", problems)
        archive = [stores.get((ns, (p.get("parameters") or {}).get("barmanObjectName")))
                   for p in spec.get("plugins") or [] if p.get("isWALArchiver")]
        for store in archive:
            if store is None:
                problems.append(f"{why}: its archiving plugin names an ObjectStore that does not exist")
                continue
            port = _port_of(((store.get("spec") or {}).get("configuration") or {}).get("endpointURL", ""))
            flows += [Flow(i.owner, EXTERNAL, port, "TCP", f"{why}: WAL archive and base backups -> the bucket")
                      for i in instances]
        for ext in spec.get("externalClusters") or []:
            host = (ext.get("connectionParameters") or {}).get("host", "")
            jobs = [p for p in net.pods if p.namespace == ns and p.labels.get("cnpg.io/cluster") == name
                    and p.labels.get("cnpg.io/jobRole")]
            for name_, ns_, addr_port, _ in addresses_in(host + ":5432" if host and ":" not in host else host):
                for job in jobs:
                    flows += _to_service(net, svcs, job.owner, ns_, name_, addr_port or 5432,
                                         f"{why}: bootstrap from external cluster {ext.get('name')}", problems)
            plugin = (ext.get("plugin") or {}).get("parameters") or {}
            store = stores.get((ns, plugin.get("barmanObjectName")))
            if store is not None:
                port = _port_of(((store.get("spec") or {}).get("configuration") or {}).get("endpointURL", ""))
                flows += [Flow(j.owner, EXTERNAL, port, "TCP", f"{why}: recovery from the bucket")
                          for j in jobs]
    for item in system.of_kind("Pooler"):
        spec, ns = item.doc.get("spec") or {}, item.namespace or "default"
        cluster = (spec.get("cluster") or {}).get("name", "")
        for pod in net.pods:
            if pod.namespace == ns and pod.labels.get("cnpg.io/poolerName") == item.name:
                flows += _to_service(net, svcs, pod.owner, ns, f"{cluster}-{spec.get('type', 'rw')}", 5432,
                                     f"Pooler {ns}/{item.name} -> cluster {cluster}", problems)
    for svc in svcs.values():
        meta = svc.doc.get("metadata") or {}
        if "cnpg.io/pluginName" in (meta.get("labels") or {}):
            port = int((meta.get("annotations") or {}).get("cnpg.io/pluginPort", 0) or 0)
            for op in operator:
                flows += _to_service(net, svcs, op.owner, svc.namespace or "default", svc.name, port,
                                     f"CloudNativePG operator -> plugin {meta['labels']['cnpg.io/pluginName']}",
                                     problems)
    return flows


# Flags that name an identity provider outside the cluster a pod signs people in with (the SSO gate:
# oauth2-proxy/oauth2-proxy@v7.15.3 pkg/apis/options/legacy_options.go ``oidc-issuer-url``; it fetches
# the provider's discovery document and keys, and exchanges codes for tokens there).
IDENTITY_PROVIDER_FLAGS = ("--oidc-issuer-url",)


def identity_providers(tpl: Any) -> list[tuple[str, int]]:
    """(flag, port) of every https identity provider outside the cluster in a pod's arguments."""
    from urllib.parse import urlsplit

    out = []
    for c in tpl.containers(init=True):
        for arg in [*(c.get("command") or []), *(c.get("args") or [])]:
            flag, _, url = str(arg).partition("=")
            if flag in IDENTITY_PROVIDER_FLAGS and url:
                parts = urlsplit(url)
                if parts.hostname and not ADDRESS.search(parts.hostname):
                    out.append((flag, parts.port or (443 if parts.scheme == "https" else 80)))
    return out


def ext_authz_calls(system: SystemRender, net: Network) -> list[tuple[Item, Pod, str, int]]:
    """(policy, pod, provider Service host, port) for every CUSTOM AuthorizationPolicy and pod it selects."""
    import yaml

    mesh: dict[str, Any] = {}
    for cm in system.of_kind("ConfigMap"):
        if cm.name == "istio" and "mesh" in (cm.doc.get("data") or {}):
            mesh = yaml.safe_load(cm.doc["data"]["mesh"]) or {}
    root = mesh.get("rootNamespace") or "istio-system"
    providers = {p.get("name"): p for p in mesh.get("extensionProviders") or []}
    out = []
    for pol in system.of_kind("AuthorizationPolicy"):
        spec = pol.doc.get("spec") or {}
        if spec.get("action") != "CUSTOM":
            continue
        provider = providers.get((spec.get("provider") or {}).get("name"), {})
        config = provider.get("envoyExtAuthzHttp") or provider.get("envoyExtAuthzGrpc")
        if not config:
            continue
        selector = spec.get("selector")
        for pod in net.pods:
            # a policy of the root namespace applies mesh-wide (pilot/pkg/model/authorization.go)
            in_scope = pod.namespace == pol.namespace or pol.namespace == root
            if in_scope and (selector is None or selector_matches(selector, pod.labels)) and not pod.external:
                out.append((pol, pod, config["service"], int(config["port"])))
    return out


def ingress_backends(system: SystemRender) -> list[tuple[Item, str, Optional[Port]]]:
    """(Ingress, Service name, port number or name) of every backend of every Ingress."""
    out = []
    for ing in system.of_kind("Ingress"):
        spec = ing.doc.get("spec") or {}
        backends = [spec["defaultBackend"]] if spec.get("defaultBackend") else []
        for rule in spec.get("rules") or []:
            backends += [p.get("backend") or {} for p in (rule.get("http") or {}).get("paths") or []]
        for b in backends:
            svc = b.get("service") or {}
            if svc.get("name"):
                port = svc.get("port") or {}
                out.append((ing, svc["name"], port.get("number") or port.get("name")))
    return out


def resources_replicas(system: SystemRender, owner: str) -> int:
    kind, _, rest = owner.partition(" ")
    ns, _, name = rest.partition("/")
    item = system.find(kind, name, ns)
    if item is None:
        return 1
    replicas = (item.doc.get("spec") or {}).get("replicas")
    return 1 if replicas is None else int(replicas)


def tracing_endpoints(system: SystemRender) -> list[tuple[Optional[str], str, int]]:
    """(namespace, service, port) of the tracing providers in the mesh config (istiod's ConfigMap
    ``istio``, key ``mesh``: ``extensionProviders[].{opentelemetry,zipkin}.service/port``)."""
    import yaml

    out = []
    for cm in system.of_kind("ConfigMap"):
        if cm.name != "istio" or "mesh" not in (cm.doc.get("data") or {}):
            continue
        mesh = yaml.safe_load(cm.doc["data"]["mesh"]) or {}
        for prov in mesh.get("extensionProviders") or []:
            for kind in ("opentelemetry", "zipkin"):
                if kind in prov:
                    host = prov[kind]["service"].split(".")
                    out.append((host[1] if len(host) > 1 else cm.namespace, host[0], int(prov[kind]["port"])))
    return out


def violations(system: SystemRender) -> list[str]:
    net = build_network(system)
    flows, problems = platform_flows(system, net)
    blocked, used = check_flows(net, flows)
    return problems + blocked + empty_policies(net)
