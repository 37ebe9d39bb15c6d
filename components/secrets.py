"""Where the Kubernetes Secrets the workloads read come from: generated values or Vault.

``SecretSource.secret(...)`` is the one way any component creates a credential Secret. With the
generated backend it is a ``v1/Secret`` whose data are Pulumi secrets (from pulumi-random); with the
Vault backend it is an ``ExternalSecret`` that external-secrets keeps in sync from a Vault KV v2
path, producing a Secret with the same name and keys — so charts and pods are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Protocol, Sequence

import pulumi
import pulumi_kubernetes as k8s

from facts import versions

from .base import TartwareComponent
from .kit import ANYWHERE, Allow, NamespacePolicies, helm_release, namespace, NetworkPolicies, NetworkPoliciesArgs

ESO_NAMESPACE = "external-secrets"
STORE_NAME = "vault"
ESO_WEBHOOK_PORT = 10250  # the pinned chart's webhook.port
ESO_RESOURCES = {"requests": {"cpu": "10m", "memory": "64Mi"}, "limits": {"cpu": "200m", "memory": "256Mi"}}
ESO_API = "external-secrets.io/v1"  # v1beta1 is not served: external-secrets/external-secrets@helm-chart-2.9.0
# config/crds/bases/external-secrets.io_externalsecrets.yaml (v1 served: true, v1beta1 served: false)
# pulumi-kubernetes waits for a custom resource only when told what to wait for
# (pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/metadata/overrides.go ReadyCondition): an
# ExternalSecret is done once external-secrets reports it synced (status condition Ready, the
# condition type ExternalSecretReady of external-secrets apis/externalsecrets/v1), so a missing Vault
# path fails here, naming the ExternalSecret, instead of as a Helm time-out of the release using it.
SYNCED = {"pulumi.com/waitFor": "condition=Ready"}


class SecretMaker(Protocol):
    """Where credential Secrets come from (``SecretSource`` below)."""

    @property
    def uses_vault(self) -> bool: ...

    def secret(self, parent: Any, resource_name: str, secret_name: str, namespace_name: str,
               generated: Mapping[str, pulumi.Input[str]], vault_item: str, secret_type: str = "Opaque",
               depends_on: Sequence[pulumi.Resource] = (),
               labels: Optional[Mapping[str, str]] = None) -> pulumi.Resource: ...


@dataclass(frozen=True)
class ExternalSecretsArgs:
    """The external-secrets operator and its ClusterSecretStore for Vault's Kubernetes auth."""

    server: str  # Vault address
    kv_mount: str  # KV v2 mount the store reads
    auth_mount: str  # Kubernetes auth mount
    role: str  # Vault role external-secrets logs in as
    prod: bool
    network_policies: bool = True


@dataclass(frozen=True)
class VaultSecretsArgs:
    """Credential Secrets synced from Vault: the operator, and where each credential set lives."""

    operator: ExternalSecretsArgs
    path_prefix: str  # credential set <item> is the KV key <path_prefix>/<item>
    refresh_interval: str  # ExternalSecret refreshInterval


@dataclass(frozen=True)
class SecretsArgs:
    """``SecretSource``'s args: ``vault`` None generates the Secrets here."""

    vault: Optional[VaultSecretsArgs] = None


class ExternalSecretsOperator(TartwareComponent):
    """external-secrets (CRDs + controller) and a ClusterSecretStore for Vault's Kubernetes auth."""

    AREA = "secrets"

    def __init__(self, name: str, args: ExternalSecretsArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        vault, provider, prod = args, self.provider, args.prod
        # The chart's pods run non-root, read-only, drop ALL, seccomp RuntimeDefault (the pinned chart
        # values.yaml securityContext): restricted.
        ns = namespace(f"{name}-namespace", ESO_NAMESPACE, "restricted", provider, self)
        if args.network_policies:  # only the API server calls in, to the admission webhook
            NetworkPolicies(f"{name}-network", NetworkPoliciesArgs((NamespacePolicies(
                ESO_NAMESPACE, (Allow("allow-webhook", {"app.kubernetes.io/name": "external-secrets-webhook"},
                                      (ANYWHERE,), (ESO_WEBHOOK_PORT,)),), (ns,)),)),
                opts=pulumi.ResourceOptions(parent=self, provider=provider))
        # Keys checked in external-secrets/external-secrets@helm-chart-2.9.0
        # deploy/charts/external-secrets/values.yaml: installCRDs, replicaCount, leaderElect,
        # webhook.replicaCount, serviceMonitor.enabled; resources, webhook.resources and
        # certController.resources (all `{}` by default: requests and limits are ours).
        self.release = helm_release(self, f"{name}-release", versions.EXTERNAL_SECRETS, "external-secrets",
                                    ESO_NAMESPACE, {
                                        "installCRDs": True,
                                        "replicaCount": 2 if prod else 1,
                                        "leaderElect": prod,
                                        "resources": ESO_RESOURCES,
                                        "webhook": {"replicaCount": 2 if prod else 1, "resources": ESO_RESOURCES},
                                        "certController": {"resources": ESO_RESOURCES},
                                    }, provider, [ns])
        # The identity external-secrets presents to Vault's Kubernetes auth (role vault.role).
        self.auth_account = k8s.core.v1.ServiceAccount(
            f"{name}-vault-auth",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="vault-auth", namespace=ESO_NAMESPACE),
            automount_service_account_token=False,
            opts=self.child(provider, depends_on=[ns]),
        )
        self.store = k8s.apiextensions.CustomResource(
            f"{name}-store",
            api_version=ESO_API,
            kind="ClusterSecretStore",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=STORE_NAME),
            spec={
                "provider": {
                    "vault": {
                        "server": vault.server,
                        "path": vault.kv_mount,
                        "version": "v2",
                        "auth": {
                            "kubernetes": {
                                "mountPath": vault.auth_mount,
                                "role": vault.role,
                                "serviceAccountRef": {"name": "vault-auth", "namespace": ESO_NAMESPACE},
                            }
                        },
                    }
                }
            },
            opts=self.child(provider, depends_on=[self.release, self.auth_account]),
        )
        self.register_outputs({"store": STORE_NAME})


class SecretSource:
    """Creates credential Secrets from the configured backend (see module docstring)."""

    def __init__(self, name: str, args: SecretsArgs, opts: pulumi.ResourceOptions):
        """``name`` names the external-secrets operator (Vault backend); ``opts.provider`` is the
        Kubernetes provider every Secret is created with."""
        self.vault = args.vault
        self.provider = opts.provider
        self.operator: Optional[ExternalSecretsOperator] = None
        if self.vault is not None:
            self.operator = ExternalSecretsOperator(name, self.vault.operator,
                                                    opts=pulumi.ResourceOptions(provider=self.provider))

    @property
    def uses_vault(self) -> bool:
        return self.operator is not None

    def secret(
        self,
        parent: TartwareComponent,
        resource_name: str,
        secret_name: str,
        namespace_name: str,
        generated: Mapping[str, pulumi.Input[str]],
        vault_item: str,
        secret_type: str = "Opaque",
        depends_on: Sequence[pulumi.Resource] = (),
        labels: Optional[Mapping[str, str]] = None,
    ) -> pulumi.Resource:
        """A Secret ``secret_name`` in ``namespace_name`` with the keys of ``generated``.

        ``vault_item`` names the Vault KV entry (``<prefix>/<vault_item>``) whose properties carry
        the same keys, used with the Vault backend.
        """
        labels = dict(labels or {})
        if self.operator is None:
            return k8s.core.v1.Secret(
                resource_name,
                metadata=k8s.meta.v1.ObjectMetaArgs(name=secret_name, namespace=namespace_name, labels=labels),
                type=secret_type,
                string_data=generated,
                opts=parent.child(self.provider, depends_on=list(depends_on)),
            )
        vault = self.vault
        assert vault is not None
        keys = list(generated)
        target: dict = {"name": secret_name, "creationPolicy": "Owner", "template": {"type": secret_type,
                                                                                   "metadata": {"labels": labels}}}
        if secret_type == "kubernetes.io/dockerconfigjson":
            # Vault stores the whole docker config JSON under one property.
            data = [{"secretKey": ".dockerconfigjson",
                     "remoteRef": {"key": f"{vault.path_prefix}/{vault_item}", "property": "dockerconfigjson"}}]
        else:
            data = [{"secretKey": k, "remoteRef": {"key": f"{vault.path_prefix}/{vault_item}", "property": k}} for k in keys]
        return k8s.apiextensions.CustomResource(
            resource_name,
            api_version=ESO_API,
            kind="ExternalSecret",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=secret_name, namespace=namespace_name, labels=labels,
                                                annotations=dict(SYNCED)),
            spec={
                "refreshInterval": vault.refresh_interval,
                "secretStoreRef": {"name": STORE_NAME, "kind": "ClusterSecretStore"},
                "target": target,
                "data": data,
            },
            opts=parent.child(self.provider, depends_on=[self.operator.store, *depends_on]),
        )
