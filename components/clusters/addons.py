"""What an RKE2 cluster on vSphere or bare metal lacks and the platform needs: load balancers, volumes.

* ``MetalLb``: MetalLB (chart pinned in facts/versions.py) with one ``IPAddressPool`` =
  ``loadBalancerAddresses`` and an ``L2Advertisement``, so the Istio gateway and ingress-nginx
  ``LoadBalancer`` Services get an address (metallb/metallb@v0.15.2 website/content/configuration).
* ``BareMetalStorage``: the ``bareMetalStorage`` choice — Longhorn (replicated, default) or
  local-path-provisioner (node-local) — with a default StorageClass, so the data tier's,
  Prometheus' and Loki's PVCs bind.

vSphere gets its volumes from the vSphere CSI driver RKE2 deploys itself (components/clusters/vsphere.py).
DaemonSets that must run on every worker (MetalLB speaker, Longhorn manager/CSI plugin) tolerate the
taints of the stack's node pools (the memory pool's ``tartware.io/pool=memory:NoSchedule``).
"""

from __future__ import annotations

from typing import Sequence

import pulumi
import pulumi_kubernetes as k8s

from facts import versions
from settings.targets.baremetal import BareMetalClusterArgs
from settings.targets.rancher import RancherClusterArgs
from settings.nodes import tolerations_for

from ..base import TartwareComponent
from ..kit import chart_args, namespace

METALLB_NAMESPACE = "metallb-system"
METALLB_POOL = "tartware"
LONGHORN_NAMESPACE = "longhorn-system"
LONGHORN_STORAGE_CLASS = "longhorn"  # the chart's default class name (values.yaml persistence)
LOCAL_PATH_STORAGE_CLASS = "tartware-local-path"
LOCAL_PATH_PROVISIONER = "rancher.io/local-path"  # deploy/local-path-storage.yaml StorageClass provisioner
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"


def pool_tolerations(args: RancherClusterArgs) -> list[dict[str, str]]:
    """Kubernetes tolerations for every taint our worker pools carry (the memory pool's), once each."""
    out: list[dict[str, str]] = []
    for pool in args.worker_pools:
        out += [t for t in tolerations_for(pool) if t not in out]
    return out


def _release(owner: TartwareComponent, name: str, chart: versions.ChartRef, namespace_name: str, values: dict,
             provider: k8s.Provider, depends_on: Sequence[pulumi.Resource],
             protect: bool = False) -> k8s.helm.v3.Release:
    return k8s.helm.v3.Release(
        name, name=chart.chart, namespace=namespace_name, create_namespace=False, values=values,
        timeout=900, cleanup_on_fail=True, max_history=10, **chart_args(chart),
        opts=owner.child(provider, depends_on=list(depends_on), protect=protect))


class MetalLb(TartwareComponent):
    """MetalLB in layer-2 mode with the stack's address pool."""

    AREA = "cluster"

    def __init__(self, name: str, args: RancherClusterArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        provider = self.provider
        # The speaker needs NET_RAW and host networking: MetalLB's installation docs label its
        # namespace privileged (metallb/metallb@v0.15.2 website/content/installation/_index.md).
        ns = namespace(f"{name}-namespace", METALLB_NAMESPACE, "privileged", provider, self)
        tolerations = pool_tolerations(args)
        self.release = _release(self, f"{name}-metallb", versions.METALLB, METALLB_NAMESPACE, {
            # values.yaml at the pin: speaker.tolerations, speaker.frr.enabled (BGP only: off for L2)
            "speaker": {"tolerations": tolerations, "frr": {"enabled": False}},
            "crds": {"enabled": True},
        }, provider, [ns])
        meta = lambda n: k8s.meta.v1.ObjectMetaArgs(name=n, namespace=METALLB_NAMESPACE)  # noqa: E731
        self.pool = k8s.apiextensions.CustomResource(
            f"{name}-pool", api_version="metallb.io/v1beta1", kind="IPAddressPool", metadata=meta(METALLB_POOL),
            spec={"addresses": [args.load_balancer_addresses], "autoAssign": True},
            opts=self.child(provider, depends_on=[self.release]))
        self.advertisement = k8s.apiextensions.CustomResource(
            f"{name}-l2", api_version="metallb.io/v1beta1", kind="L2Advertisement", metadata=meta(METALLB_POOL),
            spec={"ipAddressPools": [METALLB_POOL]},
            opts=self.child(provider, depends_on=[self.pool]))
        # A LoadBalancer Service gets an address once the pool is announced; the pool itself was
        # admitted by the controller's webhook, which serves once the release is ready
        # (metallb/metallb@v0.15.2 internal/k8s/k8s.go 334-371).
        self.ready: tuple[pulumi.Resource, ...] = (self.pool, self.advertisement)
        self.register_outputs({"addresses": args.load_balancer_addresses})


class BareMetalStorage(TartwareComponent):
    """The bare-metal volume provisioner and its default StorageClass (``bareMetalStorage``)."""

    AREA = "cluster"

    def __init__(self, name: str, args: BareMetalClusterArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        provider = self.provider
        self.kind = args.bare_metal_storage
        reclaim = "Retain" if args.protect else "Delete"
        if self.kind == "longhorn":
            # Longhorn's instance managers need privileged pods (host paths, iSCSI).
            ns = namespace(f"{name}-namespace", LONGHORN_NAMESPACE, "privileged", provider, self)
            taints = ";".join(pool_taints(args))
            nodes = sum(p.min_nodes for p in args.worker_pools)
            self.release = _release(self, f"{name}-longhorn", versions.LONGHORN, LONGHORN_NAMESPACE, {
                # longhorn/longhorn@v1.12.1 chart/values.yaml
                "persistence": {"defaultClass": True, "reclaimPolicy": reclaim,
                                # 3 replicas (the chart's default) on 3 different nodes; dev has fewer
                                "defaultClassReplicaCount": max(1, min(3, nodes))},
                # deletingConfirmationFlag: the chart's pre-delete hook (longhorn-manager uninstall) refuses
                # unless it is true (chart/templates/uninstall-job.yaml, README "Uninstallation"). True only
                # where the stack may be destroyed: protected stacks keep Longhorn's guard, and Pulumi
                # refuses to delete the protected release before Helm's hook would run.
                "defaultSettings": {"taintToleration": taints or None, "deletingConfirmationFlag": not args.protect},
                "longhornManager": {"tolerations": pool_tolerations(args)},
                "longhornDriver": {"tolerations": pool_tolerations(args)},
            }, provider, [ns], protect=args.protect)
            self.storage_class = LONGHORN_STORAGE_CLASS
            # its manager creates the class and the CSI driver once the release is ready
            self.ready: tuple[pulumi.Resource, ...] = (self.release,)
        else:
            self.manifest = k8s.yaml.v2.ConfigFile(
                f"{name}-local-path", file=versions.LOCAL_PATH_MANIFEST, opts=self.child(provider))
            self.default_class = k8s.storage.v1.StorageClass(
                f"{name}-local-path-default",
                metadata=k8s.meta.v1.ObjectMetaArgs(name=LOCAL_PATH_STORAGE_CLASS,
                                                    annotations={DEFAULT_CLASS_ANNOTATION: "true"}),
                provisioner=LOCAL_PATH_PROVISIONER,
                # a local volume exists on one node only: bind where the pod is scheduled
                volume_binding_mode="WaitForFirstConsumer",
                reclaim_policy=reclaim,
                opts=self.child(provider, depends_on=[self.manifest]))
            self.storage_class = LOCAL_PATH_STORAGE_CLASS
            self.ready = (self.manifest, self.default_class)
        self.register_outputs({"storage": self.kind, "defaultStorageClass": self.storage_class})


def pool_taints(args: RancherClusterArgs) -> list[str]:
    """'key=value:Effect' taints of the worker pools, once each (Longhorn's taintToleration syntax)."""
    out: list[str] = []
    for pool in args.worker_pools:
        out += [t for t in pool.taints if t not in out]
    return out
