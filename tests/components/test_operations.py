"""components/operations/ alone (backups, VPA, load test composed by Operations)."""

from components.operations import OperationsArgs
from components.secrets import SecretsArgs
from components.handles import PlatformHandle

from components.operations import Operations
from components.secrets import SecretSource
from tests.components.helpers import build, credentials, deps_names, on, provider, settings, stand_in, wired


def test_backups_and_vpas_wait_for_the_release_and_protect_the_claim():
    s = settings(environment="prod", backupEnabled=True, backupOffsiteOptOut=True, vpaEnabled=True)

    def b():
        p = provider()
        release = stand_in("tartware-release", p)
        source = SecretSource("external-secrets", SecretsArgs(), on(p))
        args = OperationsArgs(ops=s.ops, dump_host="postgres-ro.database.svc.cluster.local",
                              domain="tartware.local", protect=True, network_policies=True,
                              tartware_namespace="tartware-system", vpa_services=tuple(svc.name for svc in s.tartware.enabled_services),
                              platform=PlatformHandle(), release=release, credentials=credentials(), secrets=source)
        return Operations("operations", args, on(p))

    run, ops = build(b)
    comp = wired(run, "tartware:ops:Operations", "operations", stand_ins=("tartware-release",))
    claim = run.one("kubernetes:core/v1:PersistentVolumeClaim")
    assert claim.protect and claim.parent == comp.urn
    assert ops.namespace_name == "tartware-ops" and ops.backup_claim_name
    cron = run.one("kubernetes:batch/v1:CronJob")
    assert cron.plain["spec"]["schedule"] == "0 2 * * *"
    vpas = [r for r in run.resources if r.plain.get("kind") == "VerticalPodAutoscaler"]
    assert len(vpas) == len(s.tartware.enabled_services)
    assert all("tartware-release" in deps_names(run, v) for v in vpas)
    assert run.one("tartware:platform:NetworkPolicies", "operations-network").parent == comp.urn
