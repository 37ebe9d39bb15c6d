"""Every args object holds exactly what its component reads.

Each component is built alone under the recording mocks, from the args ``program/compose.py``
makes of validated settings (or, for the parts the platform makes itself, the args the platform
would hand them), with every field of the args, and of the frozen dataclasses it holds, recorded
when read (tests/components/reads.py). A field no build reads is a field the component does not
need: the test fails and names it. The configurations switch every optional part on at least
once, so a field read only on one branch is read by some build.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

import pulumi
import pytest

from program import compose
from settings import targets
from components.platform.edge_rate_limit import EdgeRateLimitArgs, RateLimitServiceArgs
from components.operations.loadtest import LoadTestArgs
from components.kit import NetworkPoliciesArgs
from components.secrets import SecretsArgs
from components.handles import ClusterHandle, PlatformHandle
from settings.platform import CpuMemory
from facts.ratelimit import Exemption
from components.network import ALL_PODS, ANYWHERE, Allow, NamespacePolicies, Peer, PolicyHome
from program.load import load_settings

from components.cluster import build_cluster
from components.credentials import Credentials
from components.kit import NetworkPolicies
from components.operations.loadtest import LoadTest
from components.operations import Operations
from components.outputs import export_outputs
from components.platform import Platform
from components.platform import cert_manager, edge_rate_limit, ingress_nginx, mesh, metrics_server, operator_access
from components.platform.cert_manager import CertManagerArgs
from components.platform.data_tier import DataArgs, DataTier, postgres_args
from components.platform.ingress_nginx import IngressNginxArgs
from components.platform.mesh import MeshArgs
from components.platform.metrics_server import MetricsServerArgs
from components.platform.observability import Observability
from components.platform.observability_values import ObservabilityArgs
from components.platform.operator_access import OperatorAccessArgs
from components.platform.postgres import Postgres, PostgresArgs
from components.secrets import ExternalSecretsOperator, SecretSource
from components.tartware import TartwareRelease
from tests.components.helpers import Owner, credentials, on, provider, stand_in
from tests.components.reads import ReadRecorder
from tools.offline import PROJECT, run_components, stack_config
from tools.scan import SSO_EXAMPLE

ARGS_OF_TARGET = {t: a.__name__ for t, a in targets.CLUSTER_ARGS.items()}
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "stacks"

# Every optional part on at least once: backups with an off-site copy (access keys, then IRSA and
# KMS) and a restore, the k6 load profile (Prometheus remote write) and Locust (its route), an ACME
# issuer, a private registry, Vault, the Spot pool. A configuration builds only the args whose
# fields it reads and the others do not (``only``), so the test stays quick.
# (base stack, overrides, secrets, the args built: None for all)
OFFSITE = dict(backupOffsiteOptOut=None, backupOffsiteBucket="tartware-backups", backupOffsiteRegion="us-east-1")
CONFIGS = {
    "prod-full": ("prod", dict(OFFSITE, backupRestoreFrom="latest", loadTest="load", loadTestUsername="admin",
                               domain="example.com", acmeEmail="ops@example.com",
                               registryServer="registry.example.com", registryUsername="ci",
                               hpaRequestsPerSecondTarget=300, edgeRateLimitExemptCidrs=["10.244.0.0/16"]),
                  dict(registryPassword="pw", loadTestPassword="pw", backupOffsiteAccessKeyId="id",
                       backupOffsiteSecretAccessKey="key"), None),
    "prod-locust-irsa": ("prod", dict(OFFSITE, loadTest="locust", loadTestUsername="admin",
                                      backupOffsiteRoleArn="arn:aws:iam::123456789012:role/backup",
                                      backupOffsiteEncryption="aws:kms",
                                      backupOffsiteKmsKeyId="arn:aws:kms:us-east-1:123456789012:key/abc",
                                      backupRestoreFrom="offsite:latest"),
                         dict(loadTestPassword="pw"), {"OperationsArgs", "LoadTestArgs", "PostgresArgs"}),
    "vault": ("prod", dict(secretsBackend="vault", vaultServer="https://vault.example.com:8200"), {},
              {"SecretsArgs", "ExternalSecretsArgs"}),
    # PostgreSQL: a point-in-time recovery into a new cluster with zero-loss commits (archive through
    # IRSA, a MinIO endpoint), and a stack moving from the bitnami release
    "postgres-pitr": ("prod", dict(OFFSITE, backupOffsiteRoleArn="arn:aws:iam::123456789012:role/backup",
                                   backupOffsiteEndpoint="https://minio.example.com:9000",
                                   postgresCluster="postgres-pitr1", postgresRecoverySource="postgres",
                                   postgresRecoveryTarget="2026-08-01T10:15:00Z", postgresSynchronous="required"),
                      {}, {"DataArgs", "PostgresArgs"}),
    "postgres-import": ("prod", dict(postgresMigration="import"), {}, {"PostgresArgs"}),
    # the example's Spot pool: the services in spotServices tolerate and prefer it
    "eks": ("eks", {}, {}, {"TartwareArgs"}),
    # operatorAccess: the SSO gate with Grafana's OAuth (and a locust route to guard), the allowlist
    "sso": ("prod", dict({k.split(":", 1)[1]: v for k, v in SSO_EXAMPLE.items()}, loadTest="locust",
                         loadTestUsername="admin"),
            dict(operatorSsoClientSecret="pw", loadTestPassword="pw"),
            {"PlatformArgs", "OperatorAccessArgs", "ObservabilityArgs", "MeshArgs"}),
    "allowlist": ("prod", dict(operatorAccess="allowlist", operatorAllowedCidrs=["203.0.113.0/24"]), {},
                  {"OperatorAccessArgs"}),
}


# The args of the parts the platform builds: each part's own build below checks them.
PLATFORM_PARTS = (DataArgs, ObservabilityArgs, MeshArgs, CertManagerArgs, IngressNginxArgs, MetricsServerArgs,
                  OperatorAccessArgs)


class Reads:
    """The union over builds: a path is needed when some build reads it."""

    def __init__(self) -> None:
        self.expected: set[str] = set()
        self.read: set[str] = set()
        self.built: set[str] = set()
        self.types: set[type] = set()

    def run(self, label: str, make: Callable[[], Any], build: Callable[[Any], Any],
            own_builds: tuple[type, ...] = (), **kwargs: Any) -> Any:
        recorder = ReadRecorder()

        def b():
            args = make()
            if args is None:  # the part is off in this configuration
                return None
            recorder.track(label, args, own_builds)
            self.built.add(label)
            return build(args)

        with recorder:
            _, out = run_components(b, **kwargs)
        self.expected |= recorder.expected
        self.read |= recorder.read
        self.types |= recorder.types
        return out

    def unread(self) -> list[str]:
        return sorted(self.expected - self.read)


def _cluster_handle(s, k8s) -> ClusterHandle:
    return ClusterHandle(provider=k8s, name=pulumi.Output.from_input("c"), target=s.cluster.target,
                         kubeconfig=None, kubernetes_version=s.cluster.kubernetes_minor)


def _source(s, k8s) -> SecretSource:
    return SecretSource("external-secrets", compose.secrets_args(s), on(k8s))


def _platform_args(s, k8s):
    return compose.platform_args(s, _cluster_handle(s, k8s), credentials(), _source(s, k8s))


def _handle(k8s, tls: bool = True) -> PlatformHandle:
    return PlatformHandle(hosts={"api": "api.example.com", "grafana": "grafana.example.com"}, tls=tls,
                          monitoring_crds=stand_in("monitoring-crds", k8s))


def _use_source(source: SecretSource) -> SecretSource:
    source.secret(Owner(), "probe", "probe", "tartware-system", {"v": pulumi.Output.secret("x")}, "probe")
    return source


def _use_mesh(m):
    m.route("api", "api.example.com", "api-gateway", "tartware-system", 8080)
    m.gateway_resource(["api.example.com"])
    return m


def _use_access(a):
    a.guard(["grafana.example.com"], True, [])
    return a


def _access_args(s, k8s):
    """What the platform hands OperatorAccess: compose's args with the gateway and the CRDs filled in."""
    made = _platform_args(s, k8s).operator_access
    return made and dataclasses.replace(made, gateway_namespace="istio-system",
                                        gateway_selector={"istio": "ingressgateway"},
                                        monitoring_crds=stand_in("monitoring-crds", k8s))


def _built_tartware() -> SimpleNamespace:
    """What compose.outputs_args reads of the TartwareRelease and the Operations."""
    return SimpleNamespace(api_url="https://api.example.com", secret_names={"database": "database-credentials"})


def _built_operations(s) -> SimpleNamespace:
    return SimpleNamespace(namespace_name="tartware-ops", backup_claim_name="postgres-backups",
                           backup_schedule="0 2 * * *", backup_offsite="s3://b/p", restore_job_name="restore",
                           load_test_job_name="load", load_test=SimpleNamespace(summary="summary"),
                           vpa_names=("api-gateway",))


def _stack_builds(reads: Reads, name: str) -> None:
    base, overrides, secrets, only = CONFIGS[name]
    example = EXAMPLES / f"Pulumi.{base}.yaml"
    config, secret_keys = stack_config(base, overrides={f"{PROJECT}:{k}": v for k, v in overrides.items()},
                                       secrets={f"{PROJECT}:{k}": v for k, v in secrets.items()},
                                       path=example if example.exists() else None)
    env: dict[str, Any] = {}

    def run(label: str, make: Callable[[Any, Any], Any], build: Callable[[Any, Any], Any],
            own_builds: tuple[type, ...] = ()) -> None:
        if only is not None and label not in only:
            return

        def m():
            env["k8s"] = k8s = provider()
            return make(load_settings(), k8s)
        reads.run(label, m, lambda a: build(a, env["k8s"]), own_builds, config=config, secret_keys=secret_keys)

    def part(attr: str) -> Callable[[Any, Any], Any]:
        return lambda s, k8s: getattr(_platform_args(s, k8s), attr)

    run("CredentialsArgs", lambda s, k8s: compose.credentials_args(s), lambda a, k8s: Credentials("credentials", a))
    run("SecretsArgs", lambda s, k8s: compose.secrets_args(s),
        lambda a, k8s: _use_source(SecretSource("external-secrets", a, on(k8s))))
    run("ExternalSecretsArgs", lambda s, k8s: compose.external_secrets_args(s),
        lambda a, k8s: ExternalSecretsOperator("external-secrets", a, on(k8s)))
    run("PlatformArgs", _platform_args, lambda a, k8s: Platform("platform", a, on(k8s)), own_builds=PLATFORM_PARTS)
    def data(s, k8s):  # as the platform hands it over: its siblings' releases and its policies' home filled in
        return dataclasses.replace(part("data")(s, k8s), cert_manager=stand_in("cert-manager", k8s),
                                   monitoring_crds=stand_in("kps", k8s),
                                   policies=PolicyHome("network", pulumi.Output.from_input("urn:network")))

    run("DataArgs", data, lambda a, k8s: DataTier("data", a, on(k8s)), own_builds=(PostgresArgs,))
    run("PostgresArgs", lambda s, k8s: postgres_args(  # as the DataTier makes it
        data(s, k8s), stand_in("database-namespace", k8s), stand_in("postgres-credentials", k8s), "tartware", "tartware",
        waits_for=(stand_in("bitnami", k8s),) if s.data.pg.migration == "import" else (),
        allows=tuple(DataTier._postgres_policies(s.data, s.data.pg.migration, s.ops.offsite is not None)["database"])),
        lambda a, k8s: Postgres("postgres", a, on(k8s)))
    run("ObservabilityArgs", part("observability"), lambda a, k8s: Observability("observability", a, on(k8s)))
    run("MeshArgs", lambda s, k8s: dataclasses.replace(part("mesh")(s, k8s), tls=True,
                                                       tracing=("jaeger-collector.observability", 4317)),
        lambda a, k8s: _use_mesh(mesh.Mesh("mesh", a, on(k8s))))
    run("CertManagerArgs", part("certs"), lambda a, k8s: cert_manager.CertManager("certs", a, on(k8s)))
    run("OperatorAccessArgs", _access_args, lambda a, k8s: _use_access(operator_access.OperatorAccess("access", a, on(k8s))))
    run("IngressNginxArgs", part("edge"), lambda a, k8s: ingress_nginx.IngressNginx("edge", a, on(k8s)))
    run("MetricsServerArgs", part("metrics_server"), lambda a, k8s: metrics_server.MetricsServer("metrics", a, on(k8s)))
    run("TartwareArgs", lambda s, k8s: compose.tartware_args(s, credentials(), _handle(k8s), _source(s, k8s)),
        lambda a, k8s: TartwareRelease("tartware", a, on(k8s)))
    run("OperationsArgs",
        lambda s, k8s: compose.operations_args(s, _handle(k8s), stand_in("tartware-release", k8s), credentials(),
                                               _source(s, k8s)),
        lambda a, k8s: Operations("operations", a, on(k8s)))
    run("LoadTestArgs",
        lambda s, k8s: s.ops.load_test and LoadTestArgs(s.ops.load_test, s.domain, stand_in("ops-namespace", k8s),
                                                        stand_in("tartware-release", k8s),  # as Operations makes it
                                                        ui_host=f"locust.{s.domain}",
                                                        edge=s.platform.load_test_edge(s.cluster.target, s.domain),
                                                        edge_ready=(stand_in("gateway", k8s),)),
        lambda a, k8s: LoadTest("load-test", a, on(k8s)))
    run("OutputsArgs",
        lambda s, k8s: compose.outputs_args(s, _cluster_handle(s, k8s), _handle(k8s, tls=False), _built_tartware(),
                                            _built_operations(s)),
        lambda a, k8s: export_outputs(a))


# Each target from its example stack; the Rancher targets also with the other kind of Rancher
# (the vSphere example uses an existing Rancher, the bare-metal one installs it).
CLUSTER_BUILDS = [(t, {}, {}) for t in targets.TARGETS] + [
    ("vsphere", dict(rancherInstall=True, rancherApiUrl=None, rancherKubeContext="mgmt"), {}),
    ("baremetal", dict(rancherInstall=False, rancherApiUrl="https://rancher.example.com"),
     dict(rancherToken="token")),
]


def _cluster_builds(reads: Reads, target: str, overrides: dict, secrets: dict) -> None:
    config, secret_keys = stack_config(target, path=EXAMPLES / f"Pulumi.{target}.yaml",
                                       overrides={f"{PROJECT}:{k}": v for k, v in overrides.items()},
                                       secrets={f"{PROJECT}:{k}": v for k, v in secrets.items()})
    reads.run(ARGS_OF_TARGET[target], lambda: compose.cluster_args(load_settings()),
              lambda a: build_cluster("c", a), config=config, secret_keys=secret_keys)


def _kit_builds(reads: Reads) -> None:
    def make():
        k8s = provider()
        ns = stand_in("ns", k8s)
        return NetworkPoliciesArgs((NamespacePolicies("apps", (
            Allow("allow-web", {"app": "web"}, (ANYWHERE,), (8080,)),
            Allow("allow-app", {"app": "api"}, (Peer("tartware-system", {"app": "web"}),), (8080,)),
            Allow("allow-xds", {"app": "istiod"}, (ALL_PODS,))), (ns,)),))
    reads.run("NetworkPoliciesArgs", make, lambda a: NetworkPolicies("net", a, on(provider())))


def _edge_rate_limit(reads: Reads) -> None:
    """The Platform makes these from its siblings (the Redis address, release and password, the
    monitoring CRDs): built here by hand, with the service and an exempt network."""
    def make():
        k8s = provider()
        service = RateLimitServiceArgs(
            replicas=3, request=CpuMemory("250m", "128Mi"), limit=CpuMemory("1000m", "256Mi"),
            exempt=Exemption(("10.42.0.0/16",), 16), redis_host="redis-master.cache.svc.cluster.local",
            redis_port=6379, redis_password=credentials().redis_password,
            secrets=SecretSource("external-secrets", SecretsArgs(), on(k8s)), redis=(stand_in("redis", k8s),),
            monitoring_crds=stand_in("kps", k8s))
        return EdgeRateLimitArgs("istio-system", 100, 200, {"istio": "ingressgateway"},
                                 depends_on=(stand_in("base", k8s),), service=service)
    reads.run("EdgeRateLimitArgs", make, lambda a: edge_rate_limit.EdgeRateLimit("ratelimit", a, on(provider())))


def all_reads() -> Reads:
    r = Reads()
    for name in CONFIGS:
        _stack_builds(r, name)
    for target, overrides, secrets in CLUSTER_BUILDS:
        _cluster_builds(r, target, overrides, secrets)
    _kit_builds(r)
    _edge_rate_limit(r)
    return r


@pytest.fixture(scope="module")
def reads() -> Reads:
    return all_reads()


def test_every_args_field_is_read_by_its_component(reads):
    assert reads.unread() == []


def test_every_args_type_is_covered(reads):
    """Every frozen args dataclass of the components (``*Args``, each in its component's module, and
    the operations' outputs) and of the cluster targets (settings/targets/) was checked: built as a
    component's args, or held by one (a pool, the Rancher server, the etcd off-site target, the
    operations' outputs). The two bases only share fields with their targets."""
    modules = [m for name, m in sorted(sys.modules.items())
               if name.startswith((f"{targets.__name__}.", "components.")) and m is not None]
    declared = {name for m in modules for name, obj in vars(m).items()
                if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == m.__name__
                and name.endswith(("Args", "Outputs"))}
    assert declared - {t.__name__ for t in reads.types} == {"ClusterArgs", "RancherClusterArgs"}
    assert {"PlatformArgs", "MeshArgs", "NetworkPoliciesArgs", "EksClusterArgs", "OutputsArgs"} <= reads.built

