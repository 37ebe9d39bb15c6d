"""Day-2 operations: PostgreSQL backups and restores, VPA right-sizing advice, in-cluster load tests.

``Operations`` is the one ComponentResource of the area (type ``tartware:ops:Operations``); it holds the
namespace ``tartware-ops`` (PSA ``restricted``) and composes:

* ``backups.py``: the nightly verified ``pg_dump`` CronJob, its off-site upload, the restore Job and the
  backup alerts;
* ``vpa.py``: one ``VerticalPodAutoscaler`` per enabled service (advice only) and the recommender;
* ``loadtest.py``: the ``LoadTest`` component (k6 or Locust) when ``loadTest`` is not ``off``.

Everything runs in its own namespace except the VPA objects, which must live next to their Deployments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pulumi

from components.credentials import CredentialOutputs
from components.handles import PlatformHandle
from components.secrets import SecretMaker
from facts.endpoints import OPS_NAMESPACE
from settings.ops import EdgePath, OpsSettings

from ..base import TartwareComponent
from ..kit import NamespacePolicies, NetworkPolicies, NetworkPoliciesArgs, namespace
from ..platform.mesh import GATEWAY_POD_LABELS
from ..platform.mesh import NAMESPACE as MESH_NAMESPACE
from .backups import Backups, backup_alert_rules, backup_scripts
from .loadtest import LoadTest, LoadTestArgs, network_allows
from .vpa import Vpas

__all__ = ["Operations", "backup_alert_rules", "backup_scripts"]


@dataclass(frozen=True)
class OperationsArgs:
    ops: OpsSettings
    dump_host: str  # where the nightly pg_dump connects: a replica's Service when there is one
    domain: str
    protect: bool
    network_policies: bool
    tartware_namespace: str
    vpa_services: tuple[str, ...]  # the enabled Tartware services: one VerticalPodAutoscaler each
    platform: PlatformHandle
    release: pulumi.Resource  # the Tartware release
    credentials: CredentialOutputs
    secrets: SecretMaker
    load_test_edge: Optional[EdgePath] = None  # the edge path the load test may take (load_test_edge)


@dataclass(frozen=True)
class OperationsOutputs:
    namespace: Optional[str]
    backup_claim: Optional[str]
    backup_schedule: Optional[str]
    backup_offsite: Optional[str]
    restore_job: Optional[str]
    load_test_job: Optional[str]
    load_test_summary: Optional[str]
    vpa_names: tuple[str, ...]


class Operations(TartwareComponent):
    AREA = "ops"

    def __init__(self, name: str, args: OperationsArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        platform, release, credentials, secrets = args.platform, args.release, args.credentials, args.secrets
        ops = args.ops
        self.namespace = None
        self.namespace_name: Optional[str] = None
        self.backup_claim_name: Optional[str] = None
        self.backup_schedule: Optional[str] = None
        self.backup_offsite: Optional[str] = None
        self.restore_job_name: Optional[str] = None
        self.load_test_job_name: Optional[str] = None
        self.vpa_names: list[str] = []

        if ops.backup is not None or ops.load_test is not None:
            # Holds the backup claim: deleting the namespace would delete the dumps (the namespace
            # controller deletes everything in it), so it is protected in prod and, when backups are
            # on, kept by `pulumi destroy` like the claim (retainOnDelete) in every environment.
            self.namespace = namespace(f"{name}-namespace", OPS_NAMESPACE, "restricted", self.provider, self,
                                       protect=args.protect, retain_on_delete=ops.backup is not None)
            self.namespace_name = OPS_NAMESPACE
            if args.network_policies:  # deny all ingress but what the load test needs
                NetworkPolicies(f"{name}-network", NetworkPoliciesArgs((NamespacePolicies(
                    OPS_NAMESPACE, tuple(network_allows(ops.load_test, GATEWAY_POD_LABELS, MESH_NAMESPACE,
                                                        ui_routed="locust" in platform.hosts)),
                    (self.namespace,)),)), opts=pulumi.ResourceOptions(parent=self, provider=self.provider))
        if ops.backup is not None:
            assert self.namespace is not None
            backups = Backups(self, name, self.namespace)
            backups.build(ops.backup, args.protect, args.dump_host, platform, credentials, secrets)
            self.backup_claim_name, self.backup_schedule = backups.backup_claim_name, backups.backup_schedule
            self.backup_offsite, self.restore_job_name = backups.backup_offsite, backups.restore_job_name
        if ops.vpa_enabled:
            vpas = Vpas(self, name)
            vpas.build(args.vpa_services, args.tartware_namespace, args.network_policies, release,
                       install_recommender=ops.vpa_install_recommender)
            self.vpa_names = vpas.vpa_names
        self.load_test = None
        if ops.load_test is not None:
            self.load_test = LoadTest(f"{name}-load-test", LoadTestArgs(ops.load_test, args.domain, self.namespace,
                                                                        release, platform.hosts.get("locust"),
                                                                        args.load_test_edge, platform.edge),
                                      opts=pulumi.ResourceOptions(parent=self, provider=self.provider))
            self.load_test_job_name = self.load_test.job_name

        self.register_outputs({
            "namespace": OPS_NAMESPACE if self.namespace is not None else None,
            "backupClaim": self.backup_claim_name,
            "backupSchedule": self.backup_schedule,
            "backupOffsite": self.backup_offsite,
            "restoreJob": self.restore_job_name,
            "loadTestJob": self.load_test_job_name,
            "loadTestSummary": self.load_test.summary if self.load_test is not None else None,
            "verticalPodAutoscalers": self.vpa_names,
        })
