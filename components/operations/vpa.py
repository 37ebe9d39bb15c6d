"""VPA right-sizing advice, built into the Operations component (components/operations/).

One ``VerticalPodAutoscaler`` per enabled Tartware service with ``updateMode: "Off"``, so ``kubectl
describe vpa -n tartware-system`` gives advice while the HPAs keep scaling (VPA in Auto mode would fight
them on CPU/memory, as in red2n/tartware@a2583469 platform/kubernetes/). The VPA CRDs and recommender
come from the fairwinds ``vpa`` chart, recommender only, in ``vpa-system``. The VPA objects live next to
their Deployments. Every resource is a child of the Operations component (``owner``), under the names it
always had.
"""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from facts import catalog, versions

from ..base import TartwareComponent
from ..kit import NamespacePolicies, NetworkPolicies, NetworkPoliciesArgs, helm_release, namespace

VPA_NAMESPACE = "vpa-system"
LABELS = {"app.kubernetes.io/part-of": catalog.PART_OF, "app.kubernetes.io/managed-by": "pulumi"}


class Vpas:
    """Builds the recommender (when asked) and one VPA per service as children of ``owner``."""

    def __init__(self, owner: TartwareComponent, name: str):
        self.owner = owner
        self._name = name
        self._provider = owner.provider
        self.vpa_names: list[str] = []

    def build(self, services: tuple[str, ...], tartware_namespace: str, network_policies: bool,
              release: pulumi.Resource, install_recommender: bool) -> None:
        """One VPA per service of ``services`` in ``tartware_namespace``; the recommender (with its
        namespace's NetworkPolicies when ``network_policies``) when ``install_recommender``."""
        name, provider = self._name, self._provider
        waits_for: list[pulumi.Resource] = [release]  # the namespace and the Deployments it targets
        if install_recommender:
            vpa_ns = namespace(f"{name}-vpa-namespace", VPA_NAMESPACE, "restricted", provider, self.owner)
            if network_policies:  # the recommender only calls out (API server, metrics)
                NetworkPolicies(f"{name}-vpa-network",
                                NetworkPoliciesArgs((NamespacePolicies(VPA_NAMESPACE, (), (vpa_ns,)),)),
                                opts=pulumi.ResourceOptions(parent=self.owner, provider=provider))
            # Recommendation only: no updater (evictions) and no admission controller (no webhook
            # rewriting pod requests under the HPAs). metrics-server is a cluster prerequisite the
            # HPAs need as well.
            self.vpa_release = helm_release(self.owner, f"{name}-vpa", versions.VPA, "vpa", VPA_NAMESPACE, {
                # recommender.resources: the chart's requests (50m/500Mi, values.yaml) plus limits
                "recommender": {"enabled": True, "resources": {"requests": {"cpu": "50m", "memory": "500Mi"},
                                                               "limits": {"cpu": "200m", "memory": "1000Mi"}}},
                "updater": {"enabled": False},
                "admissionController": {"enabled": False},
                "metrics-server": {"enabled": False},
            }, provider, [vpa_ns])
            waits_for.append(self.vpa_release)  # the CRDs
        for service in services:
            vpa_name = f"{service}-vpa"
            k8s.apiextensions.CustomResource(
                f"{name}-vpa-{service}",
                api_version="autoscaling.k8s.io/v1",
                kind="VerticalPodAutoscaler",
                metadata=k8s.meta.v1.ObjectMetaArgs(
                    name=vpa_name, namespace=tartware_namespace,
                    labels={**LABELS, "app": service, "app.kubernetes.io/name": service},
                ),
                spec={
                    "targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": service},
                    "updatePolicy": {"updateMode": "Off"},
                    "resourcePolicy": {"containerPolicies": [
                        {"containerName": "istio-proxy", "mode": "Off"},  # the mesh sidecar, if injected
                        {"containerName": "*", "controlledResources": ["cpu", "memory"],
                         "controlledValues": "RequestsAndLimits"},
                    ]},
                },
                opts=self.owner.child(provider, depends_on=waits_for),
            )
            self.vpa_names.append(vpa_name)
