"""The bad-input suite across every component: each malformed setting stops the whole program with
a message naming the key and what is allowed, and nothing is registered (run_with checks that).
"""

import pytest

from tests.helpers import VSPHERE
from tests.helpers import ALLOWED_TARGETS, NS, assert_refused, run_with

# (area, settings, the key the message names, fragments it must contain)
CASES = [
    # core: types, ranges, enums, cross-field
    ("core", {"environment": "staging"}, "environment", ["'dev' or 'prod'"]),
    ("core", {"hpaCpuTarget": "high"}, "hpaCpuTarget", ["valid integer"]),
    ("core", {"hpaMemoryTarget": 0}, "hpaMemoryTarget", ["1 to 100"]),
    ("core", {"services": {"api-gateway": {"minReplicas": 0}}}, "services.api-gateway.minReplicas",
     ["greater than or equal to 1"]),
    ("core", {"services": {"api-gateway": {"maxReplicas": 4}}}, "services.api-gateway.maxReplicas",
     ["must not exceed"]),
    ("core", {"services": {"core-service": {"cpuLimit": "2000mm"}}}, "services.core-service.cpuLimit",
     ["'500m' (millicores)"]),
    ("core", {"services": {"core-service": {"memoryLimit": "4GB"}}}, "services.core-service.memoryLimit",
     ["Ki Mi Gi Ti"]),
    ("core", {"services": {"core-service": {"memoryRequest": "8Gi"}}}, "services.core-service.memoryRequest",
     ["must not exceed its limit"]),
    ("core", {"services": {"spa-service": {}}}, "services.spa-service", ["unknown service", "api-gateway"]),
    ("core", {"registryServer": "registry.example.com", "registryUsername": "ci"}, "registryPassword",
     ["missing required secret"]),
    ("core", {"imageTag": "latest please"}, "imageTag", ["Docker tag"]),
    ("core", {"services": {"api-gateway": {"imageDigest": "sha256:abc"}}}, "services.api-gateway.imageDigest",
     ["'sha256:' followed by 64 lower-case hex digits"]),
    ("core", {"hpaCpuTaret": 70}, "hpaCpuTaret", ["unknown setting"]),
    # cluster
    ("cluster", {"clusterTarget": "openshift"}, "clusterTarget", [ALLOWED_TARGETS]),
    ("cluster", {"clusterTarget": "eks", "kubernetesVersion": "1.27"}, "kubernetesVersion", ["1.28"]),
    ("cluster", {**VSPHERE, "vsphereDatacenter": ""}, "vsphereDatacenter", ["required for clusterTarget=vsphere"]),
    ("cluster", {"clusterTarget": "baremetal"}, "rancherApiUrl", ["required for clusterTarget=baremetal"]),
    ("cluster", {"clusterTarget": "eks", "nodePools": {"compute": {"minNodes": 10, "maxNodes": 5}}},
     "nodePools.compute.maxNodes", ["must not exceed maxNodes"]),
    ("cluster", {"clusterTarget": "baremetal", "rancherInstall": True, "nodePools": {"controlPlane": {"count": 1}}},
     "nodePools.controlPlane.count", ["at least 3 nodes"]),
    ("cluster", {"capacityHeadroomPercent": 95}, "capacityHeadroomPercent", ["less than or equal to 50"]),
    # the budget cannot fit the cluster
    ("cluster", {"clusterTarget": "eks"}, "eksPublicAccessCidrs", ["required in prod"]),
    ("cluster", {"clusterTarget": "eks", "eksPublicAccessCidrs": ["203.0.113.7/24"]}, "eksPublicAccessCidrs",
     ["not an IPv4 network", "host bits set"]),
    ("cluster", {"clusterTarget": "eks", "eksPublicAccessCidrs": ["999.0.0.0/8"]}, "eksPublicAccessCidrs",
     ["not an IPv4 network"]),
    ("cluster", {"clusterTarget": "eks", "eksAdminRoleArns": ["platform-admin"]}, "eksAdminRoleArns.0",
     ["IAM role ARNs such as 'arn:aws:iam::123456789012:role/platform-admin'"]),
    ("cluster", {"clusterTarget": "eks", "eksCiRoleArns": ["arn:aws:iam::1234:role/ci"]}, "eksCiRoleArns.0",
     ["IAM role ARNs"]),
    ("cluster", {"clusterTarget": "eks", "eksKubeconfigRoleArn": "arn:aws:iam::123456789012:user/alice"},
     "eksKubeconfigRoleArn", ["an IAM role ARN"]),
    ("cluster", {"eksAdminRoleArns": ["arn:aws:iam::123456789012:role/platform-admin"]}, "eksAdminRoleArns",
     ["applies to clusterTarget=eks only"]),
    ("cluster", {"clusterTarget": "baremetal", "rancherInstall": True}, "loadBalancerAddresses",
     ["required for clusterTarget=baremetal", "192.168.10.240/28"]),
    ("cluster", {**VSPHERE, "loadBalancerAddresses": "192.168.10.300/28"}, "loadBalancerAddresses",
     ["not an address pool"]),
    ("cluster", {**VSPHERE, "loadBalancerAddresses": "192.168.10.250-192.168.10.240"}, "loadBalancerAddresses",
     ["starts after it ends"]),
    ("cluster", {**VSPHERE, "loadBalancerAddresses": "10.0.0.0/28", "nodeNetworkCidr": "192.168.10.0/24"},
     "loadBalancerAddresses", ["outside nodeNetworkCidr 192.168.10.0/24"]),
    ("cluster", {**VSPHERE, "nodeNetworkCidr": "192.168.10.0/33"}, "nodeNetworkCidr", ["not an IPv4 network"]),
    ("cluster", {"loadBalancerAddresses": "192.168.10.224/28"}, "loadBalancerAddresses",
     ["applies to clusterTarget=vsphere or baremetal only"]),
    ("cluster", {"clusterTarget": "baremetal", "rancherInstall": True, "bareMetalStorage": "ceph"},
     "bareMetalStorage", ["'longhorn' or 'local-path'"]),
    ("cluster", {**VSPHERE, "nodePools": {"controlPlane": {"spot": True}}}, "nodePools.controlPlane.spot",
     ["not used for the control plane"]),
    # the spot pool (EKS only) and the services placed on it
    ("cluster", {"clusterTarget": "eks", "spotServices": ["notification-service", "email-service"]}, "spotServices",
     ["unknown service email-service", "allowed: api-gateway", "revenue-service"]),
    ("cluster", {**VSPHERE, "nodePools": {"spot": {"maxNodes": 3}}}, "nodePools.spot",
     ["needs clusterTarget=eks", "allowed: controlPlane, compute, memory"]),
    ("cluster", {"clusterTarget": "baremetal", "rancherInstall": True, "loadBalancerAddresses": "192.168.10.224/28",
                 "nodePools": {"spot": {"maxNodes": 3}}}, "nodePools.spot", ["needs clusterTarget=eks"]),
    ("cluster", {"nodePools": {"spot": {"maxNodes": 3}}}, "nodePools.spot",
     ["clusterTarget=existing", "needs clusterTarget=eks", "allowed: compute, memory"]),
    ("cluster", {"clusterTarget": "eks", "nodePools": {"spot": {"spot": False}}}, "nodePools.spot.spot",
     ["always Spot capacity", "spotServices"]),
    ("cluster", {"clusterTarget": "eks", "spotServices": [], "nodePools": {"spot": {"maxNodes": 3}}}, "spotServices",
     ["nothing would run on the declared nodePools.spot"]),
    ("capacity", {"clusterTarget": "eks", "eksPublicAccessCidrs": ["203.0.113.0/24"],
                  "nodePools": {"spot": {"minNodes": 1, "maxNodes": 1}}},
     "nodePools.spot.maxNodes", ["does not fit", "spotServices", "on-demand compute"]),
    ("capacity", {"clusterTarget": "eks", "eksPublicAccessCidrs": ["203.0.113.0/24"],
                  "nodePools": {"compute": {"maxNodes": 6}, "memory": {"maxNodes": 3}}},
     "nodePools", ["does not fit"]),
    # platform
    ("platform", {"platformComponents": {"linkerd": True}}, "platformComponents.linkerd", ["unknown setting", "istio"]),
    ("platform", {"domain": "localhost"}, "domain", ["lower-case DNS name"]),
    ("platform", {"certIssuer": "acme"}, "acmeEmail", ["required when certIssuer=acme"]),
    ("platform", {"istioVersion": "1.15.0"}, "istioVersion", ["'1.22.8'"]),
    ("platform", {"apiRoute": "gateway-api"}, "apiRoute", ["'istio' or 'ingress'"]),
    ("platform", {"loadBalancer": "f5"}, "loadBalancer", ["'none', 'cloud', 'metallb' or 'cloud-provider-kind'"]),
    ("platform", {"loadBalancer": "cloud-provider-kind", "clusterTarget": "eks",
                  "eksPublicAccessCidrs": ["203.0.113.0/24"]}, "loadBalancer", ["kind clusters"]),
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
    ("observability", {"observabilityComponents": {"tempo": True}}, "observabilityComponents.tempo",
     ["unknown setting"]),
    ("observability", {"prometheusRetention": "forever"}, "prometheusRetention", ["'15d'"]),
    # operations
    ("ops", {"loadTest": "stress"}, "loadTest", ["'off', 'smoke', 'load' or 'locust'"]),
    ("ops", {"loadTest": "locust"}, "loadTestUsername", ["required when loadTest is locust"]),
    ("ops", {"locustSpawnRate": "fast"}, "locustSpawnRate", ["valid integer"]),
    # rate limits (facts/ratelimit.py)
    ("core", {"environment": "prod", "gatewayRateMax": 200}, "gatewayRateMax",
     ["caps the whole platform below the guide's 20000 req/s", "at least 1200000 per '1 minute'"]),
    ("core", {"gatewayRateWindow": "1 fortnight"}, "gatewayRateWindow", ["'1 minute'"]),
    ("core", {"gatewayRateAuthMax": 0}, "gatewayRateAuthMax", ["greater than or equal to 1"]),
    ("platform", {"edgeRateLimit": 100, "edgeRateLimitBurst": 10}, "edgeRateLimitBurst", ["at least edgeRateLimit"]),
    ("platform", {"edgeExternalTrafficPolicy": "Nearest"}, "edgeExternalTrafficPolicy", ["'Local' or 'Cluster'"]),
    ("platform", {"edgeRateLimit": -1}, "edgeRateLimit", ["greater than or equal to 0"]),
    ("platform", {"edgeRateLimitExemptCidrs": ["10.42.0.1/16"]}, "edgeRateLimitExemptCidrs",
     ["host bits set", "'10.42.0.0/16'"]),
    ("platform", {"edgeRateLimitExemptCidrs": ["10.42.0.0/16", "192.168.10.0/24"]}, "edgeRateLimitExemptCidrs",
     ["prefix lengths differ (/16, /24)", "networks of one prefix length"]),
    ("platform", {"edgeRateLimitExemptCidrs": ["0.0.0.0/0"]}, "edgeRateLimitExemptCidrs", ["prefix length 8-32"]),
    ("platform", {"edgeRateLimitExemptCidrs": ["fd00::/8"]}, "edgeRateLimitExemptCidrs",
     ["IPv4 networks such as '10.42.0.0/16'"]),
    ("platform", {"edgeRateLimitExemptCidrs": ["10.300.0.0/16"]}, "edgeRateLimitExemptCidrs", ["not an IPv4 network"]),
    ("platform", {"edgeTrustedProxies": 11}, "edgeTrustedProxies", ["less than or equal to 10"]),
    ("platform", {"edgeExternalTrafficPolicy": "Cluster"}, "edgeExternalTrafficPolicy",
     ["hides the client's address behind a node's (SNAT)", "allowed: Local"]),
    ("ops", {"backupRetentionDays": 0}, "backupRetentionDays", ["greater than or equal to 1"]),
    ("ops", {"backupSchedule": "every day"}, "backupSchedule", ["cron expression"]),
    ("ops", {"loadTestRate": -5}, "loadTestRate", ["greater than or equal to 1"]),
    ("ops", {"backupSchedule": "0 0 31 2 *"}, "backupSchedule", ["never fires"]),
    ("ops", {"backupOffsiteEndpoint": "https://minio.example.com"}, "backupOffsiteBucket",
     ["required when backupOffsiteEndpoint is set"]),
    ("ops", {"backupOffsiteOptOut": False, "backupOffsiteBucket": "tartware-backups",
             "backupOffsiteRegion": "eu-west-1", "backupOffsiteAccessKeyId": "AKIAEXAMPLE",
             "backupOffsiteSecretAccessKey": "plain-text"},
     "backupOffsiteSecretAccessKey", ["must be stored encrypted"]),
    ("ops", {"backupOffsiteOptOut": False}, "backupOffsiteBucket", ["backupOffsiteOptOut=true"]),
    # security
    ("security", {"secretsBackend": "vault"}, "vaultServer", ["required when secretsBackend is vault"]),
    ("security", {"secretsBackend": "vault", "vaultServer": "ftp://vault"}, "vaultServer", ["http(s) URL"]),
    ("security", {"secretsBackend": "sops"}, "secretsBackend", ["'generated' or 'vault'"]),
]


@pytest.mark.parametrize("area,settings,key,fragments", CASES,
                         ids=[f"{c[0]}:{c[2]}#{i}" for i, c in enumerate(CASES)])
def test_malformed_setting_is_refused_before_anything_is_registered(area, settings, key, fragments):
    assert_refused(settings, key, fragments)


def test_the_suite_covers_every_area_with_at_least_30_cases():
    assert len(CASES) >= 30
    assert {c[0] for c in CASES} == {"core", "cluster", "capacity", "platform", "data", "observability", "ops",
                                     "security"}


# Secrets are not declared `secret: true` in Pulumi.yaml (the CLI would then require them on every
# stack, see tests/test_pulumi_cli_rules.py), so the program refuses any given in plaintext itself,
# whether or not the stack's other settings need it.
PLAINTEXT_SECRETS = [
    ("registryPassword", {"registryServer": "registry.example.com", "registryUsername": "ci"}),
    ("registryPassword", {}),
    ("kubeconfig", {}),
    ("rancherToken", {**VSPHERE}),
    ("rancherToken", {}),
    ("rancherKubeconfig", {"clusterTarget": "baremetal", "rancherInstall": True}),
    ("vspherePassword", {**VSPHERE}),
    ("loadTestPassword", {"loadTest": "smoke", "loadTestUsername": "k6-bot"}),
    ("backupOffsiteAccessKeyId", {"backupOffsiteBucket": "tartware-backups", "backupOffsiteRegion": "eu-west-1"}),
    ("backupOffsiteAccessKeyId", {}),
    ("backupOffsiteSecretAccessKey", {"backupOffsiteBucket": "tartware-backups", "backupOffsiteRegion": "eu-west-1"}),
    ("backupOffsiteSecretAccessKey", {}),
    ("operatorSsoClientSecret", {}),
]


@pytest.mark.parametrize("secret,context", PLAINTEXT_SECRETS,
                         ids=[f"{s}#{i}" for i, (s, _) in enumerate(PLAINTEXT_SECRETS)])
def test_a_secret_stored_in_plaintext_is_refused_naming_the_key(secret, context):
    message = run_with({f"{NS}:{k}": v for k, v in {**context, secret: "plaintext-value"}.items()})
    assert f"{NS}:{secret}" in message and "must be stored encrypted" in message, message
    assert "plaintext-value" not in message


def test_every_secret_setting_is_covered_by_the_plaintext_cases():
    from settings.declared import all_declared

    assert {s.name for s in all_declared() if s.secret} == {s for s, _ in PLAINTEXT_SECRETS}


def test_an_empty_plaintext_secret_is_unset_not_refused():
    message = run_with({f"{NS}:registryServer": "registry.example.com", f"{NS}:registryUsername": "ci",
                        f"{NS}:registryPassword": ""})
    assert f"{NS}:registryPassword" in message and "missing required secret" in message, message
