"""The capacity check: the guide's budget fits the default prod pools; a budget that does not fit stops."""

import pytest

from settings.nodes import kube_reserved_bytes, kube_reserved_millicores
from settings.errors import SettingsError
from program.load import build_settings
from tests import guide
from tests.helpers import run_with

NS = "tartware-infra"
GI = 2**30
MI = 2**20

RANCHER = {"rancherApiUrl": "https://rancher.example.com", "loadBalancerAddresses": "192.168.10.224/28"}
VSPHERE = {**RANCHER, "vsphereVcenter": "vc.example.com", "vsphereUsername": "u", "vsphereDatacenter": "DC1",
           "vsphereDatastore": "ds", "vsphereNetwork": "net", "vsphereResourcePool": "Cluster1/Resources/t"}
TARGETS = {"eks": {"eksPublicAccessCidrs": ["203.0.113.0/24"]}, "vsphere": VSPHERE, "baremetal": RANCHER}


def any_secret(name, required, problems, why=""):
    return object()  # stands in for a secret Output: the check never reads it


def settings_for(target, **extra):
    return build_settings({"environment": "prod", "clusterTarget": target, **TARGETS[target], **extra}, any_secret)


def test_kube_reserved_formula_by_hand():
    # 16 CPU: 6% of 1 core + 1% of 1 + 0.5% of 2 + 0.25% of 12 = 60 + 10 + 10 + 30 = 110m
    assert kube_reserved_millicores(16) == 110
    # 32 GiB: 25% of 4 + 20% of 4 + 10% of 8 + 6% of 16 = 1 + 0.8 + 0.8 + 0.96 = 3.56 GiB, + 100Mi eviction
    assert kube_reserved_bytes(32) == int(3.56 * GI) + 100 * MI


# Istio's default sidecar request (global.proxy.resources.requests.cpu = 100m, istio.io).
ISTIO_PROXY_REQUEST_MILLICORES = 100


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_guides_budget_fits_the_default_prod_pools(target):
    s = settings_for(target)  # raises SettingsError if it did not fit
    budget = guide.expected_totals()["max"]
    pools = {p.name: p for p in s.cluster.worker_pools}
    need_cpu = budget["cpuRequestCores"] * 1000 + budget["pods"] * ISTIO_PROXY_REQUEST_MILLICORES
    have_cpu = sum(p.cpu_millicores * p.max_nodes for p in pools.values() if p.schedulable_for_any_pod)
    assert need_cpu < have_cpu
    if target in ("eks", "vsphere"):
        assert (pools["compute"].min_nodes, pools["compute"].max_nodes) == (5, 100)
        assert (pools["memory"].min_nodes, pools["memory"].max_nodes) == (3, 50)


def test_huge_max_replicas_does_not_fit():
    with pytest.raises(SettingsError) as info:
        settings_for("eks", services={"api-gateway": {"maxReplicas": 1000, "cpuRequest": "2"}})
    message = str(info.value)
    assert f"{NS}:nodePools.compute.maxNodes = 100" in message
    assert "the budget does not fit the node pools" in message and "CPU" in message
    assert f"{NS}:services.api-gateway.maxReplicas (1000 x 2000m/512Mi)" in message
    assert "capacityHeadroomPercent" in message


def test_tiny_pools_do_not_fit():
    with pytest.raises(SettingsError) as info:
        settings_for("vsphere", nodePools={"compute": {"maxNodes": 6}, "memory": {"maxNodes": 3}})
    message = str(info.value)
    assert f"{NS}:nodePools.compute.maxNodes = 6" in message
    assert "memory" in message and "GiB" in message


def test_the_guides_eight_bare_metal_workers_hold_only_the_min_scale():
    # 8 x 16 CPU = 128 cores < the guide's requested cores at maxReplicas (docs/clusters.md)
    assert guide.expected_totals()["max"]["cpuRequestCores"] > 8 * 16
    with pytest.raises(SettingsError) as info:
        settings_for("baremetal", nodePools={"compute": {"count": 8}})
    assert f"{NS}:nodePools.compute.maxNodes = 8" in str(info.value)


def test_headroom_is_a_setting():
    # 19 workers fit with 15 % headroom kept free but not with 40 %
    settings_for("baremetal", nodePools={"compute": {"minNodes": 8, "maxNodes": 20}})
    with pytest.raises(SettingsError) as info:
        settings_for("baremetal", nodePools={"compute": {"minNodes": 8, "maxNodes": 20}}, capacityHeadroomPercent=40)
    assert "40% headroom" in str(info.value)


def test_tainted_pools_alone_cannot_hold_the_services():
    with pytest.raises(SettingsError) as info:
        settings_for("eks", nodePools={"compute": {"taints": ["dedicated=batch:NoSchedule"]}})
    assert f"{NS}:nodePools" in str(info.value) and "no worker pool without a NoSchedule" in str(info.value)


def test_existing_cluster_is_checked_only_when_pools_are_declared():
    assert settings_for_existing().cluster.node_pools == ()
    with pytest.raises(SettingsError) as info:
        settings_for_existing(nodePools={"compute": {"count": 4, "cpus": 8, "memoryGb": 32}})
    assert f"{NS}:nodePools.compute.maxNodes = 4" in str(info.value)


def settings_for_existing(**extra):
    return build_settings({"environment": "prod", "clusterTarget": "existing", **extra}, any_secret)


def test_a_budget_that_does_not_fit_stops_the_program_before_any_resource():
    message = run_with({f"{NS}:clusterTarget": "eks", f"{NS}:eksPublicAccessCidrs": ["203.0.113.0/24"],
                        f"{NS}:services": {"api-gateway": {"maxReplicas": 1000, "cpuRequest": "2"}}})
    assert f"{NS}:nodePools.compute.maxNodes" in message
    assert f"{NS}:services.api-gateway.maxReplicas" in message


# ------------------------------------------------------------------ the memory pool holds the data tier
# Guide: memory pool 3-50 nodes; vSphere memory workers 12 vCPU / 64 GB. Data tier in prod
# (docs/data-and-observability.md): 3 PostgreSQL pods (primary + 2 read replicas), 3 Redis nodes,
# 3 Redpanda brokers of 4 cores / 10 GiB (the chart's production minimum, redpanda values.yaml 25.3.2).
REDPANDA_BROKER_CORES, REDPANDA_BROKER_GIB = 4, 10


def test_the_data_tier_is_placed_on_the_memory_pool_and_fits_it():
    s = settings_for("vsphere")
    pinned = {what: (n, cpu, mem) for what, n, cpu, mem in
              s.data.memory_pool_pods() + s.observability.memory_pool_pods()}
    # Consul, the pooler, Grafana, Jaeger and the Jobs stay on compute; the HAProxy pods in front of
    # Redis follow redis-ha's top-level nodeSelector (templates/redis-haproxy-deployment.yaml at the pin)
    assert set(pinned) == {"postgres", "redis", "redis haproxy", "redpanda", "prometheus", "loki"}
    assert pinned["redpanda"][0] == 3 and pinned["redpanda"][1] >= REDPANDA_BROKER_CORES * 1000
    assert pinned["redpanda"][2] >= REDPANDA_BROKER_GIB * GI
    assert pinned["postgres"][0] == 3 and pinned["redis"][0] == 3


def test_a_memory_pool_too_small_for_the_data_tier_stops():
    # 3 brokers need 3 memory nodes (one per node); 2 nodes cannot hold them
    with pytest.raises(SettingsError) as info:
        settings_for("vsphere", nodePools={"memory": {"minNodes": 1, "maxNodes": 2}})
    message = str(info.value)
    assert f"{NS}:nodePools.memory.maxNodes = 2" in message
    assert "3 Redpanda brokers need 3 memory-pool nodes" in message


def test_a_memory_node_smaller_than_one_broker_stops():
    # a 4 vCPU / 8 GB node cannot hold one 4-core / 10 GiB broker
    with pytest.raises(SettingsError) as info:
        settings_for("vsphere", nodePools={"memory": {"cpus": 4, "memoryGb": 8}})
    message = str(info.value)
    assert f"{NS}:nodePools.memory.memoryGb = 8" in message and "one redpanda pod requests" in message


def test_the_memory_pool_capacity_is_not_counted_for_the_services():
    # the services tolerate no taint: a compute pool too small for them fails however big memory is
    with pytest.raises(SettingsError) as info:
        settings_for("eks", nodePools={"compute": {"maxNodes": 10}, "memory": {"maxNodes": 50}})
    assert f"{NS}:nodePools.compute.maxNodes = 10" in str(info.value)
