"""components/outputs.py alone: every stack output from a hand-made OutputsArgs."""

from components.operations import OperationsOutputs
from components.outputs import OutputsArgs
from rules.budget import Budget
from components.handles import ClusterHandle, PlatformHandle

from components.outputs import export_outputs
from tests.components.helpers import build, provider, settings


def test_outputs_from_the_handles():
    s = settings(environment="prod")

    def b():
        cluster = ClusterHandle(provider=provider(), name="tartware-prod", target="existing", kubeconfig=None,
                                rancher_hostname="rancher.example.com", exports={"joinToken": "t"})
        platform = PlatformHandle(hosts={"api": "api.example.com", "grafana": "grafana.example.com"}, tls=True,
                                  ingress_address=None)
        ops = OperationsOutputs(namespace="tartware-ops", backup_claim="postgres-backups", backup_schedule="0 2 * * *",
                                backup_offsite=None, restore_job=None, load_test_job=None, load_test_summary=None,
                                vpa_names=("api-gateway",))
        export_outputs(OutputsArgs(environment="prod", domain="example.com", tartware_namespace="tartware-system",
                                   release_name="tartware", tls_cluster_issuer="",
                                   budget=Budget.of(s.tartware.services).as_output(), cluster=cluster,
                                   platform=platform, api_url="https://api.example.com",
                                   secret_names={"database": "database-credentials"}, operations=ops,
                                   database={"address": "postgres-postgresql.database.svc.cluster.local:5432"}))

    run, _ = build(b)
    out = run.outputs
    assert out["environment"] == "prod" and out["clusterTarget"] == "existing"
    assert out["namespace"] == "tartware-system" and out["releaseName"] == "tartware"
    assert out["rancherUrl"] == "https://rancher.example.com" and out["joinToken"] == "t"
    assert out["ingressAddress"] == ""  # unknown address: an empty string, the key stays
    assert out["namespaces"]["operations"] == "tartware-ops"
    assert out["operations"]["backupClaim"] == "postgres-backups"
    assert out["operations"]["verticalPodAutoscalers"] == ["api-gateway"]
    assert type(out["kubeconfig"]).__name__ == "Secret"
    assert out["database"] == {"address": "postgres-postgresql.database.svc.cluster.local:5432"}
