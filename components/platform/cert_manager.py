"""cert-manager (with its CRDs), the ClusterIssuers, and the certificate the Istio Gateway serves.

Values keys: cert-manager/cert-manager@v1.19.6 deploy/charts/cert-manager/values.yaml
(``crds.enabled``/``crds.keep`` replace the deprecated ``installCRDs``; ``replicaCount``,
``webhook.replicaCount``, ``cainjector.replicaCount``, ``podDisruptionBudget.enabled``).

Issuers: a self-signed ClusterIssuer signs one CA Certificate (secret in cert-manager's namespace,
the ClusterIssuers' "cluster resource namespace"), which backs the CA ClusterIssuer that signs
``.local``/private names; ACME (Let's Encrypt, http01) only for public domains.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence

import pulumi
import pulumi_kubernetes as k8s

from facts import versions
from settings.platform import ACME_ISSUER, CA_ISSUER, SELF_SIGNED_ISSUER

from ..base import TartwareComponent
from ..kit import ANYWHERE, Allow, NamespacePolicies, Peer, custom_resource, helm_release, namespace

NAMESPACE = "cert-manager"
CERT_MANAGER = "cert-manager.io/v1"
CA_SECRET = "tartware-root-ca"
ACME_ACCOUNT_SECRET = "letsencrypt-account-key"
WEBHOOK_POD_LABELS = {"app.kubernetes.io/name": "webhook", "app.kubernetes.io/instance": "cert-manager",
                      "app.kubernetes.io/component": "webhook"}
WEBHOOK_PORT = 10250  # webhook.securePort
SOLVER_POD_LABELS = {"acme.cert-manager.io/http01-solver": "true"}
SOLVER_PORT = 8089


CONTROLLER_RESOURCES = {"requests": {"cpu": "50m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}}
SMALL_RESOURCES = {"requests": {"cpu": "10m", "memory": "64Mi"}, "limits": {"cpu": "200m", "memory": "128Mi"}}


@dataclass(frozen=True)
class CertManagerArgs:
    prod: bool
    domain: str
    issuer: str  # the ClusterIssuer the routes use: selfsigned/CA, or ACME for a public domain
    acme_server: str = ""
    acme_email: str = ""
    acme_solver: str = "istio"  # which ingress answers the HTTP-01 challenge: istio or nginx
    # what the release waits for besides its namespace: the monitoring CRDs for its ServiceMonitor
    # (filled by the platform)
    waits_for: tuple[pulumi.Resource, ...] = ()


def cert_manager_values(prod: bool) -> dict[str, Any]:
    return {
        "crds": {"enabled": True, "keep": True},
        "replicaCount": 2 if prod else 1,
        "podDisruptionBudget": {"enabled": prod},
        # resources / webhook.resources / cainjector.resources / startupapicheck.resources: the chart
        # sets none (values.yaml at the pin: `resources: {}` for each); requests and limits are ours
        "resources": CONTROLLER_RESOURCES,
        "webhook": {"replicaCount": 3 if prod else 1, "podDisruptionBudget": {"enabled": prod},
                    "resources": SMALL_RESOURCES},
        "cainjector": {"replicaCount": 2 if prod else 1, "podDisruptionBudget": {"enabled": prod},
                       "resources": CONTROLLER_RESOURCES},
        "startupapicheck": {"resources": SMALL_RESOURCES},
        # prometheus.servicemonitor.enabled: a ServiceMonitor for the controller's :9402 metrics
        "prometheus": {"enabled": True, "servicemonitor": {"enabled": True}},
    }


def issuer_ref(name: str) -> dict[str, str]:
    return {"name": name, "kind": "ClusterIssuer", "group": "cert-manager.io"}


class CertManager(TartwareComponent):
    AREA = "platform"

    def __init__(self, name: str, args: CertManagerArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        provider, domain = self.provider, args.domain
        self.res_name = name
        self.namespace = namespace(f"{name}-namespace", NAMESPACE, "restricted", provider, self)
        # the chart renders a ServiceMonitor (prometheus.servicemonitor.enabled): Helm refuses the whole
        # release until its CRD exists, so it waits for what installs it (args.waits_for)
        self.release = helm_release(self, f"{name}-release", versions.CERT_MANAGER, "cert-manager", NAMESPACE,
                                    cert_manager_values(args.prod), provider, [self.namespace, *args.waits_for])
        crds = [self.release]  # the CRDs are templates of this release (crds.enabled)

        def cr(res: str, kind: str, obj: str, ns: Optional[str], spec: dict, deps: Sequence[pulumi.Resource] = ()):
            return custom_resource(self, f"{name}-{res}", CERT_MANAGER, kind, obj, ns, spec, provider,
                                   [*crds, *deps])

        self.self_signed = cr("selfsigned", "ClusterIssuer", SELF_SIGNED_ISSUER, None, {"selfSigned": {}})
        self.ca_certificate = cr("root-ca", "Certificate", CA_SECRET, NAMESPACE, {
            "isCA": True,
            "commonName": f"Tartware {domain} root CA",
            "secretName": CA_SECRET,
            "duration": "87600h",
            "privateKey": {"algorithm": "ECDSA", "size": 256},
            "issuerRef": issuer_ref(SELF_SIGNED_ISSUER),
        }, [self.self_signed])
        self.ca = cr("ca", "ClusterIssuer", CA_ISSUER, None, {"ca": {"secretName": CA_SECRET}}, [self.ca_certificate])
        self.issuers = {SELF_SIGNED_ISSUER: self.self_signed, CA_ISSUER: self.ca}
        self.issuer = args.issuer
        if self.issuer == ACME_ISSUER:
            solver = ({"ingress": {"class": "istio"}} if args.acme_solver == "istio"
                      else {"ingress": {"ingressClassName": "nginx"}})
            self.issuers[ACME_ISSUER] = cr("acme", "ClusterIssuer", ACME_ISSUER, None, {"acme": {
                "server": args.acme_server,
                "email": args.acme_email,
                "privateKeySecretRef": {"name": ACME_ACCOUNT_SECRET},
                "solvers": [{"http01": solver}],
            }})
        self.register_outputs({"issuer": self.issuer, "namespace": NAMESPACE})

    def certificate(self, res: str, secret: str, namespace_: str, hosts: list[str],
                    depends_on: Sequence[pulumi.Resource]) -> k8s.apiextensions.CustomResource:
        """A Certificate from the stack's issuer (``depends_on``: the target namespace)."""
        return custom_resource(self, f"{self.res_name}-{res}", CERT_MANAGER, "Certificate", secret, namespace_, {
            "secretName": secret,
            "dnsNames": hosts,
            "issuerRef": issuer_ref(self.issuer),
            "privateKey": {"rotationPolicy": "Always"},
        }, self.provider, [self.release, self.issuers[self.issuer], *depends_on])

    def network_policies(self, prometheus: Sequence[Peer]) -> NamespacePolicies:
        """cert-manager's allows: the API server to its webhook, Prometheus."""
        return NamespacePolicies(NAMESPACE, (
            Allow("allow-webhook", WEBHOOK_POD_LABELS, [ANYWHERE], (WEBHOOK_PORT,)),
            Allow("allow-prometheus", {}, prometheus),
        ), (self.namespace,))

    def acme_solver_allows(self, solver_from: Sequence[Peer]) -> list[Allow]:
        """The HTTP-01 solver pods (created in the namespace of what routes the challenge, ``solver_from``)
        exist only while an ACME issuer answers a challenge: an allow only with that issuer."""
        if not solver_from or self.issuer != ACME_ISSUER:
            return []
        return [Allow("allow-acme-solver", SOLVER_POD_LABELS, solver_from, (SOLVER_PORT,))]
