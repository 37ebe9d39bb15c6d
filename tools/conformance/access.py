"""Every host a public front door serves is the API or guarded (docs/conformance.md, docs/platform.md
"Operator access").

A *front door* is a proxy whose pods sit behind a Service reachable from outside the cluster (type
LoadBalancer or NodePort): the Istio ingress gateway and the NGINX ingress controller. The hosts it
serves are read from the render:

* Istio gateway: the hosts of every VirtualService bound to a ``Gateway`` whose selector matches its
  pods, and of every ``Ingress`` Istio serves on it (class annotation ``istio``, or an IngressClass
  with controller ``istio.io/ingress-controller``; istio/istio@1.22.8
  pilot/pkg/config/kube/ingress/conversion.go ``shouldProcessIngressWithClass``; selector
  ``istio: ingressgateway``, ``getIngressGatewaySelector``);
* NGINX: the hosts of every Ingress of class ``nginx``.

The rule, as data:

* ``SELF_AUTHENTICATING``: backends that authenticate every request themselves. A host all of whose
  routes lead only there passes (the Tartware API gateway), provided every path such a backend
  serves without a token (``UNAUTHENTICATED_PATHS``: the gateway's ``/metrics`` and ``/docs``) is
  refused on that host, itself and below it, by a DENY policy from any source.
* otherwise the host must be guarded, on an Istio gateway, by an ``AuthorizationPolicy`` that applies
  to the gateway's pods (its namespace or the mesh root namespace, selector matching; not dry-run:
  istio/istio@1.22.8 pilot/pkg/model/authorization.go ``ListAuthorizationPolicies``,
  pilot/pkg/security/authz/builder/builder.go ``isDryRun``) and whose rule covers every request to the
  host (``GUARDS``):
  - ``sso``: ``action: CUSTOM`` naming an ``envoyExtAuthzHttp``/``envoyExtAuthzGrpc`` extension
    provider of the mesh config that does not fail open (extauthz.go: ``FailureModeAllow`` =
    ``failOpen``);
  - ``source``: ``action: DENY`` with ``notRemoteIpBlocks`` as the rule's only source condition, none of
    them every address, on a gateway that keeps the client's address (``CLIENT_ADDRESS``).
  A rule covers a host when its ``to`` matches the host for every method, port and path but
  ``EXEMPT_PATHS``, and it has no ``when``. Host patterns follow Istio's ``HostMatcher``
  (pilot/pkg/security/authz/matcher/header.go: exact, ``*suffix``, ``prefix*``, ``*``; case-insensitive).

NGINX has no AuthorizationPolicy: a host there must lead to a self-authenticating backend.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

import yaml

from facts.api_paths import UNAUTHENTICATED_API_PATHS
from tools.conformance.netpol import selector_matches
from tools.conformance.pods import PodTemplate, pod_templates
from tools.system import Item, SystemRender

# Backends that authenticate every request themselves: (namespace, Service) -> why.
SELF_AUTHENTICATING = {
    ("tartware-system", "api-gateway"):
        "the Tartware API gateway verifies a bearer JWT on its /v1 routes (red2n/tartware@a2583469 "
        "Apps/api-gateway/src/plugins/auth-context.ts, lib/jwt.ts verifyAccessToken)",
}
# ... but some of their paths answer without a token: on a public host each must be refused at the
# edge by a DENY AuthorizationPolicy from any source (facts/api_paths.py, with the app's files).
UNAUTHENTICATED_PATHS = {("tartware-system", "api-gateway"): tuple(UNAUTHENTICATED_API_PATHS)}
# Paths a guard may leave out: RFC 8555 section 8.3, the CA fetches the HTTP-01 token from every host
# of the certificate, and cert-manager's solver answers it.
EXEMPT_PATHS = ("/.well-known/acme-challenge/*",)
# How a policy guards a host: action -> what else it must satisfy (implemented in ``_guard``).
GUARDS = {
    "CUSTOM": "sso: the request is sent to an external authorizer (envoyExtAuthzHttp/Grpc) that does not fail open",
    "DENY": "source: requests from outside notRemoteIpBlocks are refused, on a gateway that keeps the client address",
}
EXT_AUTHZ_KINDS = ("envoyExtAuthzHttp", "envoyExtAuthzGrpc")
# The gateway keeps the client's address (the premise of remoteIpBlocks): externalTrafficPolicy Local
# on its Service (no SNAT: kubernetes.io/docs/tutorials/services/source-ip), or a gatewayTopology in the
# pod's proxy.istio.io/config that takes it from X-Forwarded-For (numTrustedProxies) or the PROXY
# protocol (proxyProtocol; istio/istio@1.22.8 pilot/pkg/networking/core/gateway.go), which the load
# balancer must then send (AWS: service.beta.kubernetes.io/aws-load-balancer-proxy-protocol).
PROXY_CONFIG = "proxy.istio.io/config"
AWS_PROXY_PROTOCOL = "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol"
DRY_RUN = "istio.io/dry-run"
ISTIO_INGRESS_CONTROLLER = "istio.io/ingress-controller"
ISTIO_INGRESS_SELECTOR = {"istio": "ingressgateway"}
NGINX_CONTROLLER = "k8s.io/ingress-nginx"
NGINX_POD_LABELS = {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"}


@dataclass
class Door:
    """A front door: its pods, the public Services in front of them, and whether it is an Istio gateway."""

    name: str
    pods: list[PodTemplate]
    services: list[Item]
    istio: bool
    hosts: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # host -> {(namespace, Service)}


def mesh_config(system: SystemRender) -> dict[str, Any]:
    """istiod's mesh config: the rendered ConfigMap ``istio`` (key ``mesh``), else the istiod release's
    ``meshConfig`` values (a render of the program's objects only)."""
    for cm in system.of_kind("ConfigMap"):
        if cm.name == "istio" and "mesh" in (cm.doc.get("data") or {}):
            return yaml.safe_load(cm.doc["data"]["mesh"]) or {}
    for release in system.releases:
        if release.name == "istiod":
            return dict(release.values.get("meshConfig") or {})
    return {}


def public_services(system: SystemRender) -> list[Item]:
    return [s for s in system.of_kind("Service")
            if (s.doc.get("spec") or {}).get("type") in ("LoadBalancer", "NodePort")
            or (s.doc.get("spec") or {}).get("externalIPs")]


def _selected(service: Item, pods: Iterable[PodTemplate]) -> list[PodTemplate]:
    sel = (service.doc.get("spec") or {}).get("selector") or {}
    return [p for p in pods if sel and p.namespace == service.namespace and p.long_running
            and all(((p.metadata or {}).get("labels") or {}).get(k) == v for k, v in sel.items())]


def _labels(pod: PodTemplate) -> dict[str, str]:
    return dict((pod.metadata or {}).get("labels") or {})


def _backend(host: str, default_ns: str) -> tuple[str, str]:
    parts = host.split(".")
    return (parts[1] if len(parts) > 1 else default_ns, parts[0])


def front_doors(system: SystemRender) -> list[Door]:
    """Every proxy reachable from outside, with the hosts it serves and where each host leads."""
    public = public_services(system)
    # only the pods a public Service can select: those of the public Services' namespaces
    scope = {s.namespace for s in public}
    pods = pod_templates(SystemRender(system.stack, [i for i in system.items if i.namespace in scope]))
    doors: dict[str, Door] = {}
    for svc in public:
        for pod in _selected(svc, pods):
            # an Istio gateway: injected with the gateway template (istio.io docs/setup/additional-setup/gateway)
            templates = ((pod.metadata or {}).get("annotations") or {}).get("inject.istio.io/templates", "")
            door = doors.setdefault(pod.owner, Door(pod.owner, [pod], [], "gateway" in templates.split(",")))
            if svc not in door.services:
                door.services.append(svc)
    gateways = system.of_kind("Gateway")
    classes = {i.name: (i.doc.get("spec") or {}).get("controller", "") for i in system.of_kind("IngressClass")}
    for door in doors.values():
        labels = _labels(door.pods[0])
        bound = [g for g in gateways
                 if selector_matches({"matchLabels": (g.doc.get("spec") or {}).get("selector") or {}}, labels)]
        names = {f"{g.namespace}/{g.name}" for g in bound}
        for vs in system.of_kind("VirtualService"):
            spec = vs.doc.get("spec") or {}
            refs = {r if "/" in r else f"{vs.namespace}/{r}" for r in spec.get("gateways") or []}
            if not refs & names:
                continue
            targets = {_backend((d.get("destination") or {}).get("host", ""), vs.namespace)
                       for section in ("http", "tcp", "tls") for route in spec.get(section) or []
                       for d in route.get("route") or []}
            for host in spec.get("hosts") or []:
                door.hosts.setdefault(host.split("/")[-1], set()).update(targets)
        for ing in system.of_kind("Ingress"):
            spec = ing.doc.get("spec") or {}
            annotated = ((ing.doc.get("metadata") or {}).get("annotations") or {}).get("kubernetes.io/ingress.class")
            controller = classes.get(spec.get("ingressClassName") or "", "")
            if door.istio:
                served = annotated == "istio" or (annotated is None and controller == ISTIO_INGRESS_CONTROLLER)
                served = served and all(labels.get(k) == v for k, v in ISTIO_INGRESS_SELECTOR.items())
            else:
                served = all(labels.get(k) == v for k, v in NGINX_POD_LABELS.items()) and (
                    annotated == "nginx" or (annotated is None and controller == NGINX_CONTROLLER))
            if not served:
                continue
            for rule in spec.get("rules") or []:
                targets = {(ing.namespace or "default", ((p.get("backend") or {}).get("service") or {}).get("name", ""))
                           for p in (rule.get("http") or {}).get("paths") or []}
                door.hosts.setdefault(rule.get("host") or "*", set()).update(targets)
    return list(doors.values())


# ------------------------------------------------------------------------------ policies


def host_covers(pattern: str, host: str) -> bool:
    """Whether Istio's host matcher for ``pattern`` matches every request for ``host`` (which may itself
    be a wildcard the gateway serves)."""
    p, h = pattern.lower(), host.lower()
    if p == "*":
        return True
    if h.startswith("*"):  # a wildcard host: only a suffix pattern at least as wide covers it
        return p.startswith("*") and h[1:].endswith(p[1:])
    if p.startswith("*"):
        return h.endswith(p[1:])
    if p.endswith("*"):
        return h.startswith(p[:-1])
    return p == h


def _operation_covers(op: Mapping[str, Any], host: str) -> bool:
    hosts = op.get("hosts")
    if hosts is not None and not any(host_covers(p, host) for p in hosts):
        return False
    if any(host_covers(p, host) or host_covers(host, p) for p in op.get("notHosts") or []):
        return False
    if any(op.get(k) for k in ("ports", "methods", "paths", "notPorts", "notMethods")):
        return False
    return all(p in EXEMPT_PATHS for p in op.get("notPaths") or [])


def rule_covers(rule: Mapping[str, Any], host: str) -> bool:
    """Whether ``rule`` matches every request to ``host`` (sources aside): ``to`` and no ``when``."""
    if rule.get("when"):
        return False
    to = rule.get("to")
    if not to:
        return True
    return any(_operation_covers((t.get("operation") or {}), host) for t in to)


def _only_outside_allowlist(rule: Mapping[str, Any]) -> Optional[list[str]]:
    """The allowlist of a DENY rule whose one source condition is ``notRemoteIpBlocks`` (else None)."""
    sources = rule.get("from") or []
    if len(sources) != 1:
        return None
    source = sources[0].get("source") or {}
    blocks = source.get("notRemoteIpBlocks") or []
    if set(source) != {"notRemoteIpBlocks"} or not blocks:
        return None
    for block in blocks:
        try:
            if ipaddress.ip_network(block, strict=False).prefixlen == 0:
                return None  # "outside every address": nobody is refused
        except ValueError:
            return None
    return list(blocks)


def keeps_client_address(door: Door) -> bool:
    if any((s.doc.get("spec") or {}).get("externalTrafficPolicy") == "Local" for s in door.services):
        return True
    annotations = (door.pods[0].metadata or {}).get("annotations") or {}
    topology = (json.loads(annotations[PROXY_CONFIG]) if PROXY_CONFIG in annotations else {}).get("gatewayTopology") or {}
    if topology.get("numTrustedProxies"):
        return True
    lb_sends = any(((s.doc.get("metadata") or {}).get("annotations") or {}).get(AWS_PROXY_PROTOCOL) for s in door.services)
    return "proxyProtocol" in topology and lb_sends


def policies_for(system: SystemRender, door: Door, root_namespace: str) -> list[Item]:
    pod = door.pods[0]
    labels = _labels(pod)
    out = []
    for pol in system.of_kind("AuthorizationPolicy"):
        if pol.namespace not in (pod.namespace, root_namespace):
            continue
        if str(((pol.doc.get("metadata") or {}).get("annotations") or {}).get(DRY_RUN, "")).lower() == "true":
            continue  # logged, not enforced
        spec = pol.doc.get("spec") or {}
        if spec.get("targetRef") or spec.get("targetRefs"):
            continue  # not a selector policy: not modelled, so not counted as a guard
        selector = spec.get("selector")
        if selector is None or selector_matches(selector, labels):
            out.append(pol)
    return out


def _guard(pol: Item, host: str, door: Door, providers: Mapping[str, Mapping[str, Any]]) -> Optional[str]:
    """How ``pol`` guards ``host`` on ``door`` ("sso", "source"), or None."""
    spec = pol.doc.get("spec") or {}
    action = spec.get("action", "ALLOW")
    rules = spec.get("rules") or []
    if action == "CUSTOM":
        provider = providers.get((spec.get("provider") or {}).get("name", ""))
        if provider is None or not any(k in provider for k in EXT_AUTHZ_KINDS):
            return None
        if any((provider.get(k) or {}).get("failOpen") for k in EXT_AUTHZ_KINDS):
            return None
        if any(not r.get("from") and rule_covers(r, host) for r in rules):
            return "sso"
    if action == "DENY" and keeps_client_address(door):
        if any(_only_outside_allowlist(r) is not None and rule_covers(r, host) for r in rules):
            return "source"
    return None


def _path_denied(pol: Item, host: str, path: str) -> bool:
    """Whether ``pol`` refuses, from every source, every request to ``host`` at ``path`` and below it
    (Istio ``paths``: exact, ``prefix*``, ``*suffix``, ``*``: istio/istio@1.22.8
    pilot/pkg/security/authz/matcher/header.go StringMatcher)."""
    spec = pol.doc.get("spec") or {}
    if spec.get("action") != "DENY":
        return False

    def covers(patterns: list[str], p: str) -> bool:
        return any(x == p or x == "*" or (x.endswith("*") and p.startswith(x[:-1])) for x in patterns)

    for rule in spec.get("rules") or []:
        if rule.get("from") or rule.get("when"):
            continue
        for t in rule.get("to") or [{}]:
            op = t.get("operation") or {}
            if not any(host_covers(p, host) for p in op.get("hosts") or ["*"]):
                continue
            if any(op.get(k) for k in ("notHosts", "ports", "methods", "notPorts", "notMethods", "notPaths")):
                continue
            paths = op.get("paths") or ["*"]
            if covers(paths, path) and covers(paths, f"{path}/x"):
                return True
    return False


def open_paths(system: SystemRender, door: Door, host: str, targets: set[tuple[str, str]], root: str) -> list[str]:
    """The token-less paths of ``host``'s self-authenticating backends that no policy refuses on ``door``."""
    policies = policies_for(system, door, root) if door.istio else []
    wanted = sorted({p for t in targets for p in UNAUTHENTICATED_PATHS.get(t, ())})
    return [p for p in wanted if not any(_path_denied(pol, host, p) for pol in policies)]


def violations(system: SystemRender) -> list[str]:
    """Hosts a front door serves that are neither self-authenticating nor guarded."""
    mesh = mesh_config(system)
    root = mesh.get("rootNamespace") or "istio-system"
    providers = {p.get("name", ""): p for p in mesh.get("extensionProviders") or []}
    problems = []
    for door in front_doors(system):
        public = ", ".join(f"Service {s.namespace}/{s.name} ({(s.doc.get('spec') or {}).get('type')})"
                           for s in door.services)
        policies = policies_for(system, door, root) if door.istio else []
        for host, targets in sorted(door.hosts.items()):
            if targets and all(t in SELF_AUTHENTICATING for t in targets):
                for path in open_paths(system, door, host, targets, root):
                    problems.append(f"host {host} on {door.name} (public through {public}) serves {path} without a "
                                    "token and no DENY AuthorizationPolicy refuses it there (facts/api_paths.py)")
                continue
            if any(_guard(pol, host, door, providers) for pol in policies):
                continue
            leads = ", ".join(f"{ns}/{name}" for ns, name in sorted(targets)) or "nothing"
            problems.append(f"host {host} on {door.name} (public through {public}) leads to {leads} and is "
                            "neither the API nor guarded by an AuthorizationPolicy that requires the SSO check "
                            "or restricts the source")
    return problems


def guards(system: SystemRender) -> dict[str, str]:
    """Host -> how it passes ("api", "sso", "source"), for every host of every front door."""
    mesh = mesh_config(system)
    root = mesh.get("rootNamespace") or "istio-system"
    providers = {p.get("name", ""): p for p in mesh.get("extensionProviders") or []}
    out = {}
    for door in front_doors(system):
        policies = policies_for(system, door, root) if door.istio else []
        for host, targets in door.hosts.items():
            if targets and all(t in SELF_AUTHENTICATING for t in targets):
                out[host] = "api" if not open_paths(system, door, host, targets, root) else "api, token-less paths open"
                continue
            found = [g for g in (_guard(p, host, door, providers) for p in policies) if g]
            out[host] = found[0] if found else "unguarded"
    return out
