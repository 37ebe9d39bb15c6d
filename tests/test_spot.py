"""The spot pool (EKS): a separate Spot node group for the non-critical services, which tolerate its
taint and prefer (not require) it, falling back to on-demand compute.

Sources: docs/spec/deployment-guide.md "Spot Instances" ("use spot instances for non-critical workloads";
"AWS: Configure node groups with spot instances"); docs.aws.amazon.com/eks/latest/userguide/
managed-node-groups.html "Capacity types" (capacityType SPOT, several instance types, Capacity
Rebalancing); kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/ (preferred node
affinity, weight 1-100).
"""

import pytest

from components.tartware_values import chart_values
from settings.errors import SettingsError
from program.load import build_settings
from tests import guide
from tests.helpers import APP_RELEASE, RELEASE

NS = "tartware-infra"
GI = 2**30
MI = 2**20
EKS_PROD = {"environment": "prod", "clusterTarget": "eks", "eksPublicAccessCidrs": ["203.0.113.0/24"]}
# The guide's "non-critical workloads", chosen in docs/clusters.md ("Spot pool"): the services outside
# the booking path. Everything else stays on demand.
NON_CRITICAL = {"housekeeping-service", "notification-service", "revenue-service"}


def test_dev_has_no_spot_pool(dev_run):
    dev = build_settings({"environment": "dev", "clusterTarget": "eks"})
    assert [p.name for p in dev.cluster.worker_pools] == ["compute", "memory"]
    assert all(not v["scheduling"]["tolerations"] for v in chart_values(dev.tartware)["services"].values())
    values = dev_run.one(RELEASE, APP_RELEASE).plain["values"]
    assert all(not v["scheduling"]["tolerations"] and not v["scheduling"]["preferredNodes"]
               for v in values["services"].values())


def test_dev_may_declare_a_spot_pool():
    dev = build_settings({"environment": "dev", "clusterTarget": "eks", "nodePools": {"spot": {"maxNodes": 2}}})
    spot = dev.cluster.pool("spot")
    assert spot.spot and (spot.min_nodes, spot.max_nodes) == (1, 2)
    assert spot.taints == ("tartware.io/pool=spot:NoSchedule",)


def test_spot_services_setting_chooses_the_services():
    s = build_settings({**EKS_PROD, "spotServices": ["revenue-service"]})
    scheduled = {n for n, v in chart_values(s.tartware)["services"].items() if v["scheduling"]["tolerations"]}
    assert scheduled == {"revenue-service"}
    # JSON text, as `pulumi config set spotServices '[...]'` stores it
    s = build_settings({**EKS_PROD, "spotServices": '["notification-service"]'})
    assert s.cluster.spot_services == ("notification-service",)


def test_empty_spot_services_means_no_spot_pool():
    s = build_settings({**EKS_PROD, "spotServices": []})
    assert s.cluster.pool("spot") is None
    assert all(not v["scheduling"]["tolerations"] for v in chart_values(s.tartware)["services"].values())


def test_other_targets_have_no_spot_pool():
    s = build_settings({"environment": "prod"})  # existing: the default spotServices place nothing
    assert s.cluster.pool("spot") is None
    assert all(not v["scheduling"]["preferredNodes"] for v in chart_values(s.tartware)["services"].values())


def test_spot_pool_holds_the_spot_services_at_max_replicas():
    s = build_settings(EKS_PROD)
    spot = s.cluster.pool("spot")
    # the guide's "Others" row: 15 replicas x 200m / 256Mi each, 3 services, plus a 100m / 128Mi
    # Istio sidecar per pod (istio.io global.proxy.resources.requests)
    replicas, cpu, mem = guide.TABLE["Others"][1], guide.TABLE["Others"][2], guide.TABLE["Others"][4]
    pods = 3 * replicas
    need_cpu, need_mem = pods * (cpu + 100), pods * (mem + 128 * MI)
    assert (need_cpu, need_mem) == (13_500, 16.875 * GI)
    assert spot.cpu_millicores * spot.max_nodes > need_cpu and spot.memory_bytes * spot.max_nodes > need_mem


def test_too_small_spot_pool_is_refused_with_the_numbers():
    with pytest.raises(SettingsError) as info:
        build_settings({**EKS_PROD, "nodePools": {"spot": {"minNodes": 1, "maxNodes": 1}}})
    message = str(info.value)
    assert f"{NS}:nodePools.spot.maxNodes = 1" in message
    # 45 pods x (200m + 100m) = 13.5 cores; 45 x (256Mi + 128Mi) = 16.9 GiB (guide "Others" row)
    assert "13.5 cores / 16.9 GiB" in message
    assert "on-demand compute" in message and "spotServices" in message


def test_spot_services_still_count_on_compute_for_the_fallback():
    # the compute pool too small for every service stays refused although some prefer the spot pool
    with pytest.raises(SettingsError) as info:
        build_settings({**EKS_PROD, "nodePools": {"compute": {"maxNodes": 10}}})
    assert f"{NS}:nodePools.compute.maxNodes = 10" in str(info.value)
