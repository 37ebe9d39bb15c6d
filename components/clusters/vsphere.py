"""clusterTarget=vsphere: a Rancher ClusterV2 (RKE2) with vSphere machine pools.

vCenter objects are looked up by name (pulumi-vsphere data sources, so a typo fails the preview
with vCenter's own message) and handed to Rancher's vSphere node driver as inventory paths.
Argument names: the generated pulumi-rancher2 13.0.1 and pulumi-vsphere 4.18.2 SDKs (requirements.txt).
"""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_rancher2 as rancher2
import pulumi_vsphere as vsphere
import yaml

from settings.targets.base import VmPoolArgs
from settings.targets.vsphere import VsphereClusterArgs

from ..base import TartwareComponent
from .addons import MetalLb, pool_tolerations
from .common import cluster_identifier, timeouts, workload_provider
from .rancher import (
    autoscaler_annotations,
    etcd_args,
    machine_global_config,
    machine_taints,
    rancher_autoscaler,
    rancher_ca,
    rancher_cluster_handle,
    rancher_provider,
)

GIB_MB = 1024  # the node driver takes MB
CLOUD_CONFIG = "#cloud-config\npackage_update: true\n"
# RKE2 deploys its packaged rancher-vsphere-cpi and rancher-vsphere-csi charts when
# cloud-provider-name is rancher-vsphere (rancher/rke2-docs docs/install/airgap.md,
# docs/reference/server_config.md `cloud-provider-name`); Rancher hands each chart its values from
# ClusterV2 rkeConfig.chartValues, keyed by chart name.
CLOUD_PROVIDER = "rancher-vsphere"
CPI_CHART, CSI_CHART = "rancher-vsphere-cpi", "rancher-vsphere-csi"
CSI_STORAGE_CLASS = "vsphere-csi-sc"  # charts/rancher-vsphere-csi/values.yaml storageClass.name


def vsphere_chart_values(args: VsphereClusterArgs, password: str) -> str:
    """chartValues for the CPI and CSI charts (keys: rancher/vsphere-charts@9db6d94 values.yaml)."""
    vs = args.vsphere
    vcenter = {"host": vs.vcenter, "port": 443, "datacenters": vs.datacenter, "username": vs.username,
               "password": password}
    return yaml.safe_dump({
        CPI_CHART: {"vCenter": {**vcenter, "insecureFlag": vs.insecure,
                                "credentialsSecret": {"generate": True}}},
        CSI_CHART: {
            # the CSI chart's insecureFlag is a string ("1"/"0") in its INI config template
            "vCenter": {**vcenter, "insecureFlag": "1" if vs.insecure else "0", "configSecret": {"generate": True}},
            # the node plugin must run where the data tier's volumes are mounted (memory pool)
            "csiNode": {"tolerations": pool_tolerations(args)},
            # a claim's resize (allowVolumeExpansion below) needs the controller's csi-resizer sidecar,
            # off by default, and the driver's online-volume-extend feature state for a volume in use
            # (rancher/vsphere-charts charts/rancher-vsphere-csi/values.yaml csiController.csiResizer.enabled
            # false, onlineVolumeExtend.enabled false; templates/configmap.yaml internal-feature-states)
            "csiController": {"csiResizer": {"enabled": True}},
            "onlineVolumeExtend": {"enabled": True},
            "storageClass": {"enabled": True, "isDefault": True, "name": CSI_STORAGE_CLASS,
                             "allowVolumeExpansion": True,
                             "reclaimPolicy": "Retain" if args.protect else "Delete"},
        },
    }, sort_keys=False)


class VsphereRancherCluster(TartwareComponent):
    AREA = "cluster"

    def __init__(self, name: str, args: VsphereClusterArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        vs = args.vsphere
        self.rancher, self.server, api_url, _ = rancher_provider(self, name, args)

        # --- vCenter objects, looked up by name ------------------------------------------------
        self.vcenter = vsphere.Provider(f"{name}-vcenter", vsphere_server=vs.vcenter, user=vs.username,
                                        password=vs.password, allow_unverified_ssl=vs.insecure, opts=self.child())
        lookup = pulumi.InvokeOutputOptions(parent=self, provider=self.vcenter)
        dc = vsphere.get_datacenter_output(name=vs.datacenter, opts=lookup)
        datastore = vsphere.get_datastore_output(name=vs.datastore, datacenter_id=dc.id, opts=lookup)
        network = vsphere.get_network_output(name=vs.network, datacenter_id=dc.id, opts=lookup)
        pool = vsphere.get_resource_pool_output(name=vs.resource_pool, datacenter_id=dc.id, opts=lookup)
        folder_path = f"/{vs.datacenter}/vm" + (f"/{vs.folder}" if vs.folder else "")
        folder = vsphere.get_folder_output(path=folder_path, opts=lookup)
        template = vsphere.get_virtual_machine_output(name=vs.template, datacenter_id=dc.id, opts=lookup)
        # inventory paths for the node driver, built from the looked-up objects (so they must exist)
        dc_path = dc.name.apply(lambda n: f"/{n}")
        self.inventory = {
            "datacenter": dc_path,
            "datastore": pulumi.Output.all(dc.name, datastore.name).apply(lambda a: f"/{a[0]}/datastore/{a[1]}"),
            "network": pulumi.Output.all(dc.name, network.name).apply(lambda a: f"/{a[0]}/network/{a[1]}"),
            "pool": pulumi.Output.all(dc.name, pool.name).apply(lambda a: f"/{a[0]}/host/{a[1]}"),
            "folder": folder.path,
            "template": pulumi.Output.all(dc.name, template.name).apply(lambda a: f"/{a[0]}/vm/{a[1]}"),
        }

        # --- Rancher: credential, one machine config per pool, the cluster ---------------------
        self.credential = rancher2.CloudCredential(
            f"{name}-vsphere", name=f"{args.name}-vsphere",
            vsphere_credential_config=rancher2.CloudCredentialVsphereCredentialConfigArgs(
                vcenter=vs.vcenter, username=vs.username, password=vs.password, vcenter_port="443"),
            opts=self.child(self.rancher))
        self.machine_configs = {p.name: self._machine_config(name, args, p) for p in args.node_pools}
        pools = [self._machine_pool(args, p) for p in args.node_pools]
        # the autoscaler owns the quantity of autoscaled pools (indexes are stable: pool order is fixed)
        ignore = [f"rkeConfig.machinePools[{i}].quantity" for i, p in enumerate(args.node_pools)
                  if args.autoscaler and p.autoscaled]
        self.cluster = rancher2.ClusterV2(
            f"{name}-rke2",
            name=args.name,
            kubernetes_version=args.rke2_version,
            enable_network_policy=True,
            cloud_credential_secret_name=self.credential.id,
            rke_config=rancher2.ClusterV2RkeConfigArgs(
                machine_pools=pools,
                machine_global_config=machine_global_config(CLOUD_PROVIDER),
                # vCenter password inside: a secret Output, so the whole rkeConfig is stored encrypted
                chart_values=pulumi.Output.secret(vs.password).apply(lambda pw: vsphere_chart_values(args, pw)),
                etcd=etcd_args(args, self, self.rancher, name),
                upgrade_strategy=rancher2.ClusterV2RkeConfigUpgradeStrategyArgs(
                    control_plane_concurrency="1", worker_concurrency="10%"),
            ),
            opts=self.child(self.rancher, protect=args.protect, custom_timeouts=timeouts(args),
                            ignore_changes=ignore))
        self.kubeconfig = pulumi.Output.secret(self.cluster.kube_config)
        self.provider = workload_provider(self, name, self.kubeconfig, cluster_identifier("rancher", args.name))

        self.storage_class = CSI_STORAGE_CLASS
        self.load_balancer = MetalLb(f"{name}-metallb", args,
                                     opts=pulumi.ResourceOptions(parent=self, provider=self.provider))
        self.autoscaler = None
        if args.autoscaler and any(p.autoscaled for p in args.node_pools):
            self.autoscaler = rancher_autoscaler(self, name, args, self.rancher, api_url, self.cluster.name,
                                                 self.provider, depends_on=[],
                                                 ca_pem=rancher_ca(self, self.rancher))

        # volumes: the vSphere CSI driver and its default class come with the cluster (RKE2's
        # rancher-vsphere-csi chart), so claims wait for nothing else
        self.handle = rancher_cluster_handle("vsphere", args, self.cluster, self.provider, self.kubeconfig,
                                             self.server, {}, load_balancers=self.load_balancer.ready)
        self.register_outputs({"clusterName": self.cluster.name, "clusterId": self.cluster.cluster_v1_id,
                               "kubeconfig": self.kubeconfig})

    def _machine_config(self, name: str, args: VsphereClusterArgs, pool: VmPoolArgs) -> rancher2.MachineConfigV2:
        inv = self.inventory
        return rancher2.MachineConfigV2(
            f"{name}-{pool.name}",
            generate_name=f"{args.name}-{pool.name.lower()}",
            vsphere_config=rancher2.MachineConfigV2VsphereConfigArgs(
                vcenter=args.vsphere.vcenter,
                vcenter_port="443",
                datacenter=inv["datacenter"],
                datastore=inv["datastore"],
                pool=inv["pool"],
                folder=inv["folder"],
                networks=[inv["network"]],
                creation_type="template",
                clone_from=inv["template"],
                cpu_count=str(pool.cpus),  # strings; memory and disk in MB (pulumi-rancher2 MachineConfigV2VsphereConfigArgs)
                memory_size=str(pool.memory_gib * GIB_MB),
                disk_size=str(pool.disk_gib * GIB_MB),
                cloud_config=CLOUD_CONFIG,
                cfgparams=["disk.enableUUID=TRUE"],  # stable disk ids for the vSphere CSI driver
            ),
            opts=self.child(self.rancher))

    def _machine_pool(self, args: VsphereClusterArgs, pool: VmPoolArgs) -> rancher2.ClusterV2RkeConfigMachinePoolArgs:
        mc = self.machine_configs[pool.name]
        cp = pool.role == "control-plane"
        return rancher2.ClusterV2RkeConfigMachinePoolArgs(
            name=pool.name.lower(),
            cloud_credential_secret_name=self.credential.id,
            control_plane_role=cp,
            etcd_role=cp,
            worker_role=not cp,
            quantity=pool.min_nodes,
            machine_labels=dict(pool.labels),  # node labels
            taints=machine_taints(pool),
            annotations=autoscaler_annotations(pool, args.autoscaler),  # machineDeploymentAnnotations
            drain_before_delete=not cp,
            machine_config=rancher2.ClusterV2RkeConfigMachinePoolMachineConfigArgs(kind=mc.kind, name=mc.name),
        )
