"""clusterTarget=baremetal: a Rancher custom ClusterV2 (RKE2); machines join with a command.

A ClusterV2 without machine pools is a *custom* cluster: Rancher creates it and hands out a
registration command (``cluster_registration_token.node_command``) that each machine runs with
its roles. The commands (one per pool, with roles, labels and taints appended, verifying Rancher's
private CA when it has one) are secret stack outputs for the node provisioning (Ansible,
PXE/cloud-init, ...). Machines join through Rancher's system agent only: RKE2's own join token is
Rancher's business (it provisions the servers), so this stack generates none.
``rancher2.ClusterSync`` then waits until the registered machines made the cluster Active before
anything is deployed into it; its kubeconfig (secret) builds the Kubernetes provider handed upward.
See docs/clusters.md, "Bare metal", for the two-step first run.
"""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_rancher2 as rancher2

from settings.targets.base import PoolArgs
from settings.targets.baremetal import BareMetalClusterArgs

from ..base import TartwareComponent
from .addons import BareMetalStorage, MetalLb
from .common import cluster_identifier, timeouts, workload_provider
from .rancher import (
    command_with_ca,
    etcd_args,
    machine_global_config,
    rancher_ca,
    rancher_cluster_handle,
    rancher_provider,
)


def role_flags(pool: PoolArgs) -> str:
    """Flags for Rancher's system-agent-install.sh: roles, node labels and taints."""
    flags = ["--etcd", "--controlplane"] if pool.role == "control-plane" else ["--worker"]
    flags += [f"--label '{k}={v}'" for k, v in pool.labels.items()]
    flags += [f"--taint '{t}'" for t in pool.taints]
    return " ".join(flags)


class BareMetalRke2Cluster(TartwareComponent):
    AREA = "cluster"

    def __init__(self, name: str, args: BareMetalClusterArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        self.rancher, self.server, _, _ = rancher_provider(self, name, args)
        self.cluster = rancher2.ClusterV2(
            f"{name}-rke2",
            name=args.name,
            kubernetes_version=args.rke2_version,
            enable_network_policy=True,
            rke_config=rancher2.ClusterV2RkeConfigArgs(
                machine_global_config=machine_global_config(),
                etcd=etcd_args(args, self, self.rancher, name),
                upgrade_strategy=rancher2.ClusterV2RkeConfigUpgradeStrategyArgs(
                    control_plane_concurrency="1", worker_concurrency="1"),
            ),
            opts=self.child(self.rancher, protect=args.protect))
        token = self.cluster.cluster_registration_token
        self.ca = rancher_ca(self, self.rancher)
        plain_command = token.apply(lambda t: t.node_command)
        node_command = pulumi.Output.secret(pulumi.Output.all(plain_command, self.ca).apply(
            lambda a: command_with_ca(a[0], a[1])))
        insecure_command = pulumi.Output.secret(token.apply(lambda t: t.insecure_node_command))
        self.registration_commands = {
            p.name: pulumi.Output.secret(node_command.apply(lambda c, p=p: f"{c} {role_flags(p)}"))
            for p in args.node_pools
        }
        # waits for the registered machines to make the cluster Active (not during the first run:
        # docs/clusters.md), then its kubeconfig reaches the cluster
        self.sync = rancher2.ClusterSync(
            f"{name}-active", cluster_id=self.cluster.cluster_v1_id, state_confirm=2, wait_catalogs=False,
            opts=self.child(self.rancher, custom_timeouts=timeouts(args)))
        self.kubeconfig = pulumi.Output.secret(self.sync.kube_config)
        self.provider = workload_provider(self, name, self.kubeconfig, cluster_identifier("rancher", args.name))
        child = pulumi.ResourceOptions(parent=self, provider=self.provider)
        self.load_balancer = MetalLb(f"{name}-metallb", args, opts=child)
        self.storage = BareMetalStorage(f"{name}-storage", args, opts=child)

        self.handle = rancher_cluster_handle("baremetal", args, self.cluster, self.provider, self.kubeconfig,
                                             self.server, {
            "registrationCommand": node_command,
            "registrationCommandInsecure": insecure_command,
            "registrationCommands": self.registration_commands,
        }, load_balancers=self.load_balancer.ready, volumes=self.storage.ready)
        self.register_outputs({"clusterName": self.cluster.name, "clusterId": self.cluster.cluster_v1_id,
                               "registrationCommand": node_command})
