"""The bad-input suite across every component: each malformed setting stops the whole program with
a message naming the key and what is allowed, and nothing is registered (run_with checks that).
"""

import pytest

from tests.test_cluster import VSPHERE
from tests.test_settings import NS, run_with

# (area, settings, the key the message names, fragments it must contain)
CASES = [
    # core: types, ranges, enums, cross-field
    ("core", {"environment": "staging"}, "environment", ["'dev' or 'prod'"]),
    ("core", {"hpaCpuTarget": "high"}, "hpaCpuTarget", ["valid integer"]),
    ("core", {"hpaMemoryTarget": 0}, "hpaMemoryTarget", ["1 to 100"]),
    ("core", {"services": {"api-gateway": {"minReplicas": 0}}}, "services.api-gateway.minReplicas", ["greater than or equal to 1"]),
    ("core", {"services": {"api-gateway": {"maxReplicas": 4}}}, "services.api-gateway.maxReplicas", ["must not exceed"]),
    ("core", {"services": {"core-service": {"cpuLimit": "2000mm"}}}, "services.core-service.cpuLimit", ["'500m' (millicores)"]),
    ("core", {"services": {"core-service": {"memoryLimit": "4GB"}}}, "services.core-service.memoryLimit", ["Ki Mi Gi Ti"]),
    ("core", {"services": {"core-service": {"memoryRequest": "8Gi"}}}, "services.core-service.memoryRequest", ["must not exceed its limit"]),
    ("core", {"services": {"spa-service": {}}}, "services.spa-service", ["unknown service", "api-gateway"]),
    ("core", {"registryServer": "registry.example.com", "registryUsername": "ci"}, "registryPassword", ["missing required secret"]),
    ("core", {"imageTag": "latest please"}, "imageTag", ["Docker tag"]),
    ("core", {"services": {"api-gateway": {"imageDigest": "sha256:abc"}}}, "services.api-gateway.imageDigest",
     ["'sha256:' followed by 64 lower-case hex digits"]),
    ("core", {"hpaCpuTaret": 70}, "hpaCpuTaret", ["unknown setting"]),
    # cluster
    ("cluster", {"clusterTarget": "openshift"}, "clusterTarget", ["'existing', 'eks', 'vsphere' or 'baremetal'"]),
    ("cluster", {"clusterTarget": "eks", "kubernetesVersion": "1.27"}, "kubernetesVersion", ["1.28"]),
    ("cluster", {**VSPHERE, "vsphereDatacenter": ""}, "vsphereDatacenter", ["required for clusterTarget=vsphere"]),
    ("cluster", {"clusterTarget": "baremetal"}, "rancherApiUrl", ["required for clusterTarget=baremetal"]),
    ("cluster", {"clusterTarget": "eks", "nodePools": {"compute": {"minNodes": 10, "maxNodes": 5}}},
     "nodePools.compute.maxNodes", ["must not exceed maxNodes"]),
    ("cluster", {"clusterTarget": "baremetal", "rancherInstall": True, "nodePools": {"controlPlane": {"count": 1}}},
     "nodePools.controlPlane.count", ["at least 3 nodes"]),
    ("cluster", {"capacityHeadroomPercent": 95}, "capacityHeadroomPercent", ["less than or equal to 50"]),
    # the budget cannot fit the cluster
    ("capacity", {"clusterTarget": "eks", "nodePools": {"compute": {"maxNodes": 6}, "memory": {"maxNodes": 3}}},
     "nodePools", ["does not fit"]),
    # platform
    ("platform", {"platformComponents": {"linkerd": True}}, "platformComponents.linkerd", ["unknown setting", "istio"]),
    ("platform", {"domain": "localhost"}, "domain", ["lower-case DNS name"]),
    ("platform", {"certIssuer": "acme"}, "acmeEmail", ["required when certIssuer=acme"]),
    ("platform", {"istioVersion": "1.15.0"}, "istioVersion", ["'1.22.8'"]),
    ("platform", {"apiRoute": "gateway-api"}, "apiRoute", ["'istio' or 'ingress'"]),
    ("platform", {"tlsClusterIssuer": "letsencrypt-prod"}, "tlsClusterIssuer", ["no such ClusterIssuer"]),
    ("platform", {"hpaRequestsPerSecondTarget": 300, "observabilityComponents": {"prometheusAdapter": False}},
     "hpaRequestsPerSecondTarget", ["no metrics adapter serves it"]),
    ("platform", {"services": {"api-gateway": {"customMetrics": [{"name": "queue_depth", "averageValue": "10"}]}}},
     "services.api-gateway.customMetrics", ["no metrics adapter serves queue_depth", "http_requests_per_second"]),
    # data tier
    ("data", {"postgresStorageSize": "10GB"}, "postgresStorageSize", ["'10GB'"]),
    ("data", {"postgresStorageSize": "100Ti"}, "postgresStorageSize", ["1Gi to 16Ti"]),
    ("data", {"redisNodes": 2}, "redisNodes", ["allowed: 1 (standalone) or 3-9"]),
    ("data", {"consulServers": 2}, "consulServers", ["odd number"]),
    ("data", {"redpandaBrokers": 1}, "redpandaBrokers", ["at least 3 brokers"]),
    ("data", {"dataComponents": {"mysql": True}}, "dataComponents.mysql", ["unknown setting", "postgres"]),
    # observability
    ("observability", {"observabilityComponents": {"tempo": True}}, "observabilityComponents.tempo", ["unknown setting"]),
    ("observability", {"prometheusRetention": "forever"}, "prometheusRetention", ["'15d'"]),
    # operations
    ("ops", {"loadTest": "stress"}, "loadTest", ["'off', 'smoke' or 'load'"]),
    ("ops", {"backupRetentionDays": 0}, "backupRetentionDays", ["greater than or equal to 1"]),
    ("ops", {"backupSchedule": "every day"}, "backupSchedule", ["cron expression"]),
    ("ops", {"loadTestRate": -5}, "loadTestRate", ["greater than or equal to 1"]),
    # security
    ("security", {"secretsBackend": "vault"}, "vaultServer", ["required when secretsBackend is vault"]),
    ("security", {"secretsBackend": "vault", "vaultServer": "ftp://vault"}, "vaultServer", ["http(s) URL"]),
    ("security", {"secretsBackend": "sops"}, "secretsBackend", ["'generated' or 'vault'"]),
]


@pytest.mark.parametrize("area,settings,key,fragments", CASES,
                         ids=[f"{c[0]}:{c[2]}#{i}" for i, c in enumerate(CASES)])
def test_malformed_setting_is_refused_before_anything_is_registered(area, settings, key, fragments):
    message = run_with({f"{NS}:{k}": v for k, v in settings.items()})
    assert f"{NS}:{key}" in message, message
    for fragment in fragments:
        assert fragment in message, message


def test_the_suite_covers_every_area_with_at_least_30_cases():
    assert len(CASES) >= 30
    assert {c[0] for c in CASES} == {"core", "cluster", "capacity", "platform", "data", "observability", "ops", "security"}
