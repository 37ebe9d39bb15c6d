"""The offline plan (the program's main job without a cloud) runs and agrees with the budget."""

import dataclasses
from types import SimpleNamespace
import json

import pytest

from settings.nodes import NodePool
from program.load import build_settings
from tools import plan
from tools.offline import Registered
from tests import guide

GI = 2**30


@pytest.fixture(scope="module")
def prod_plan():
    return plan.plan("prod")


def test_plan_prod_json(capsys, monkeypatch, prod_plan):
    monkeypatch.setattr(plan, "plan", lambda stack, *_: prod_plan)  # one program run for the module
    assert plan.main(["--stack", "prod", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    expected = guide.expected_totals()
    assert result["budget"]["max"]["pods"] == expected["max"]["pods"]
    for side in ("min", "max"):
        for k, v in expected[side].items():
            assert result["budget"][side][k] == pytest.approx(v), (side, k)
    assert any("tartware:app:TartwareRelease" in line for line in result["tree"])
    assert {"nodePoolFit", "connections", "dnsRecords", "timeToReady", "etcdSnapshots", "edge", "redis"} <= set(result)
    # the data tier's Redis budget (rules/redis_load.py; its numbers: tests/test_edge_plan.py)
    assert result["redis"]["connectionsAtMax"] <= result["redis"]["maxClients"] == 10000
    # the database connection budget: every pod at max scale with the app's own pool (15,
    # red2n/tartware@a2583469 Apps/config/src/index.ts:43) against the Pooler's clients, and the
    # pooler's server connections plus the reserve against max_connections
    c = result["connections"]
    assert c["max"] == expected["max"]["pods"] * 15 <= c["limit"]
    assert c["variable"] == "DB_POOL_MAX" and c["server"] == "pooler"
    assert c["poolerServerConnections"] + c["reserved"] <= c["maxConnections"]
    assert c["reserved"] == sum(c["reservedFor"].values())
    # the committed prod stack keeps the operator tools off the public gateway (operatorAccess: internal):
    # only the API is published
    assert {r["name"] for r in result["dnsRecords"]} == {"api.tartware.local"}
    assert result["outputs"]["kubeconfig"] == "[secret]"
    # the database: the guide's address (through the Pooler), the RPO of the committed stack (no
    # bucket: the nightly dump's 24 h), and the guide's runbook commands mapped to this deployment
    db = result["outputs"]["database"]
    assert db["address"] == "postgres-postgresql.database.svc.cluster.local:5432"
    assert db["instances"] == 3 and db["pooler"]["poolMode"] == "transaction"
    assert db["walArchive"] == "" and db["rpo"].startswith("up to 24 h")
    assert "postgres-postgresql.database.svc.cluster.local -U tartware -d tartware" in db["runbook"]["psql"]
    assert "cnpg.io/instanceRole=primary" in db["runbook"]["pgDump"] and "pg_dump -d tartware" in db["runbook"]["pgDump"]


def test_plan_states_the_rpo_with_a_wal_archive():
    """With the bucket the archive bounds the RPO at archive_timeout: <= 5 minutes
    (docs/data-and-observability.md, "Continuous archiving, base backups, recovery objectives")."""
    from program.compose import database_output
    from components.handles import PlatformHandle

    s = build_settings({"environment": "prod", "backupOffsiteBucket": "tartware-prod-backups",
                        "backupOffsiteRegion": "eu-west-1",
                        "backupOffsiteRoleArn": "arn:aws:iam::123456789012:role/b"}, stack="prod")
    db = database_output(s, PlatformHandle())
    # (backupOffsitePrefix's default holds the stack: tartware/<stack>)
    assert db["walArchive"] == "s3://tartware-prod-backups/tartware/prod/pitr/postgres"
    assert db["rpo"].startswith("<= 5 min") and db["baseBackupSchedule"] == "0 0 3 * * *"
    required = build_settings({"environment": "prod", "backupOffsiteBucket": "b-1", "backupOffsiteRegion": "x",
                               "backupOffsiteRoleArn": "arn:aws:iam::123456789012:role/b",
                               "postgresSynchronous": "required"}, stack="prod")
    assert "a failover loses nothing" in database_output(required, PlatformHandle())["rpo"]


def test_plan_dev_text(capsys):
    assert plan.main(["--stack", "dev"]) == 0
    out = capsys.readouterr().out
    assert f"total at max: {guide.DEV_REPLICAS[1] * len(guide.ROW_OF)} pods" in out  # every service at dev's max
    assert "kubernetes:helm.sh/v3:Release" in out
    for section in ("Node-pool fit", "Database connections", "DNS records:", "Time to ready:", "critical path:",
                    "Database (PostgreSQL", "RPO: ", "runbook (the guide's commands here):"):
        assert section in out
    assert "api.tartware.local" in out


def test_plan_unknown_stack_fails(capsys):
    assert plan.main(["--stack", "staging"]) == 2
    assert "unknown stack 'staging'" in capsys.readouterr().err


def test_time_to_ready_follows_the_dependency_graph(prod_plan):
    ttr = prod_plan["timeToReady"]
    path = ttr["criticalPath"]
    assert ttr["seconds"] == path[-1]["finishSeconds"] > 0
    # the Tartware release waits for its namespace and secrets, so it is on the path, after them
    names = [s["name"] for s in path]
    assert "tartware-release" in names
    finishes = [s["finishSeconds"] for s in path]
    assert finishes == sorted(finishes)
    for prev, step in zip(path, path[1:]):
        assert step["finishSeconds"] == prev["finishSeconds"] + step["seconds"]


def _r(urn, parent="", deps=(), custom=True, type_="kubernetes:core/v1:ConfigMap", inputs=None):
    return Registered(urn=urn, type=type_, name=urn, parent=parent, custom=custom, protect=False,
                      retain_on_delete=False, provider="", dependencies=list(deps), inputs=inputs or {})


def test_critical_path_on_a_hand_built_graph():
    # cluster (600 s) -> component C depends on it; C's child release (istiod, 90 s) inherits that;
    # an unrelated secret (1 s) runs in parallel.
    eks = _r("eks", type_="aws:eks/cluster:Cluster")
    comp = _r("C", custom=False, deps=["eks"], type_="tartware:platform:Mesh")
    rel = _r("istiod", parent="C", type_="kubernetes:helm.sh/v3:Release", inputs={"chart": "istiod"})
    app = _r("app", deps=["C"], type_="kubernetes:helm.sh/v3:Release", inputs={"chart": "./charts/tartware"})
    other = _r("secret", type_="kubernetes:core/v1:Secret")
    run = SimpleNamespace(resources=[eks, comp, rel, app, other])
    graph = plan.dependency_graph(run)
    assert graph["istiod"] == {"eks"}  # inherited from the parent component
    assert graph["app"] == {"istiod"}  # a dependency on a component = its resources
    ttr = plan.time_to_ready(run)
    assert [s["name"] for s in ttr["criticalPath"]] == ["eks", "istiod", "app"]
    assert ttr["seconds"] == 600 + 90 + 300


def test_node_pool_fit_with_the_published_pools():
    # red2n/tartware@a2583469 platform/rancher/cluster-config.yaml: worker-compute 16 vCPU / 32 GiB, worker-memory 12 vCPU / 64 GiB
    # (fixed 5 and 3 nodes; the guide says 5-100 and 3-50), control plane tainted.
    pools = (
        NodePool(name="compute", min_nodes=5, max_nodes=100, cpu_millicores=16000, memory_bytes=32 * GI, labels={}),
        NodePool(name="memory", min_nodes=3, max_nodes=50, cpu_millicores=12000, memory_bytes=64 * GI, labels={}),
        NodePool(name="cp", min_nodes=3, max_nodes=3, cpu_millicores=8000, memory_bytes=16 * GI, labels={},
                 taints=("node-role.kubernetes.io/control-plane=true:NoSchedule",), role="control-plane"),
    )
    base = build_settings({"environment": "prod"})
    settings = dataclasses.replace(base, cluster=dataclasses.replace(base.cluster, node_pools=pools,
                                                                      headroom_percent=0))
    budget = {"max": guide.expected_totals()["max"]}
    fit = plan.node_pool_fit(settings, budget)
    assert fit["known"] and fit["fits"]
    assert [p["schedulable"] for p in fit["pools"]] == [True, True, False]
    assert fit["budgetAtMax"]["pods"] == budget["max"]["pods"]
    assert 0 < fit["percentUsedAtMax"]["cpu"] < 100
    # the fixed published capacity (5 + 3 workers, 116 vCPU) cannot hold the table's requested cores
    assert 5 * 16 + 3 * 12 < budget["max"]["cpuRequestCores"]
    small = tuple(dataclasses.replace(p, max_nodes=p.min_nodes) for p in pools)
    settings = dataclasses.replace(settings, cluster=dataclasses.replace(settings.cluster, node_pools=small))
    assert not plan.node_pool_fit(settings, budget)["fits"]


def test_node_pool_fit_unknown_for_an_existing_cluster(prod_plan):
    fit = prod_plan["nodePoolFit"]
    assert fit["known"] is False and "existing" in fit["reason"]
