"""With TLS on a public Istio gateway, every host but the API answers plain HTTP only with a redirect
to HTTPS (docs/platform.md "Operator access"; docs/conformance.md).

A host served by a ``Gateway`` that has an HTTPS server may appear on a plain ``HTTP`` server only with
``tls.httpsRedirect: true`` ("If set to true, the load balancer will send a 301 redirect for all http
connections, asking the clients to use HTTPS", istio/api@1.22.8 networking/v1alpha3/gateway.proto
ServerTLSSettings.https_redirect), unless all its routes lead to a self-authenticating backend
(tools/conformance/access.py ``SELF_AUTHENTICATING``: the API, which the in-cluster load tests reach
over port 80; a bearer token is not a password typed into a login form).

Not checked when the render holds an ACME ``ClusterIssuer`` (``spec.acme``): the CA fetches the HTTP-01
token over plain HTTP from every host of the certificate (RFC 8555 section 8.3) before the certificate
exists, so those hosts keep port 80 open (docs/platform.md says so).
"""

from __future__ import annotations

from typing import Optional

from tools.conformance.access import SELF_AUTHENTICATING, front_doors
from tools.system import SystemRender


def _servers(gateway) -> list[dict]:
    return list((gateway.doc.get("spec") or {}).get("servers") or [])


def acme_in_use(system: SystemRender) -> bool:
    return any("acme" in (i.doc.get("spec") or {}) for i in system.of_kind("ClusterIssuer"))


def violations(system: SystemRender) -> list[str]:
    """Hosts a TLS gateway serves in plain HTTP without a redirect that are not the API."""
    if acme_in_use(system):
        return []
    targets: dict[str, set[tuple[Optional[str], str]]] = {}
    for door in front_doors(system):
        for host, leads in door.hosts.items():
            targets.setdefault(host, set()).update(leads)
    problems = []
    for gw in system.of_kind("Gateway"):
        servers = _servers(gw)
        if not any(str((s.get("port") or {}).get("protocol", "")).upper() == "HTTPS" for s in servers):
            continue  # no TLS: nothing to redirect to
        for s in servers:
            port = s.get("port") or {}
            if str(port.get("protocol", "")).upper() != "HTTP" or (s.get("tls") or {}).get("httpsRedirect"):
                continue
            for host in (h.split("/")[-1] for h in s.get("hosts") or []):
                leads = targets.get(host, set())
                if leads and all(t in SELF_AUTHENTICATING for t in leads):
                    continue
                problems.append(f"host {host} is served in plain HTTP on port {port.get('number')} of Gateway "
                                f"{gw.namespace}/{gw.name}, which has HTTPS, without tls.httpsRedirect")
    return sorted(problems)
