"""Every bad input stops the program with one clear message, before any resource is registered."""

import pytest

from settings.declared import all_declared
from program.load import build_settings
from tests import guide
from tests.helpers import NS, assert_refused, run_with

# (config overrides, the key the message must name, fragments it must contain)
CASES = [
    ({"environment": "staging"}, f"{NS}:environment", ["'staging'", "'dev' or 'prod'"]),
    ({"hpaCpuTarget": "seventy"}, f"{NS}:hpaCpuTarget", ["'seventy'", "valid integer"]),
    ({"hpaCpuTarget": 0}, f"{NS}:hpaCpuTarget", ["1 to 100"]),
    ({"hpaMemoryTarget": 101}, f"{NS}:hpaMemoryTarget", ["101", "1 to 100"]),
    ({"services": {"api-gateway": {"minReplicas": 0}}}, f"{NS}:services.api-gateway.minReplicas",
     ["greater than or equal to 1"]),
    ({"services": {"api-gateway": {"minReplicas": -3}}}, f"{NS}:services.api-gateway.minReplicas",
     ["-3", "greater than or equal to 1"]),
    ({"services": {"api-gateway": {"maxReplicas": 5}}}, f"{NS}:services.api-gateway.maxReplicas",
     ["= 5", "minReplicas (10) must not exceed maxReplicas (5)"]),
    ({"services": {"core-service": {"minReplicas": 90}}}, f"{NS}:services.core-service.minReplicas",
     ["= 90", "must not exceed maxReplicas (80)"]),
    ({"services": {"billing-service": {"cpuLimit": "500mm"}}}, f"{NS}:services.billing-service.cpuLimit",
     ["'500mm'", "'500m' (millicores)"]),
    ({"services": {"billing-service": {"memoryLimit": "2Gb"}}}, f"{NS}:services.billing-service.memoryLimit",
     ["'2Gb'", "Ki Mi Gi Ti"]),
    ({"services": {"rooms-service": {"cpuRequest": "3"}}}, f"{NS}:services.rooms-service.cpuRequest",
     ["cpu request (3000m) must not exceed its limit (1500m)"]),
    ({"services": {"rooms-service": {"memoryRequest": "4Gi"}}}, f"{NS}:services.rooms-service.memoryRequest",
     ["memory request (4Gi) must not exceed its limit (2Gi)"]),
    ({"services": {"guests-service": {"cpuTarget": 150}}}, f"{NS}:services.guests-service.cpuTarget",
     ["150", "1 to 100"]),
    ({"services": {"guests-service": {"memoryTarget": 0}}}, f"{NS}:services.guests-service.memoryTarget",
     ["1 to 100"]),
    ({"services": {"payments-service": {"maxReplicas": 3}}}, f"{NS}:services.payments-service",
     ["unknown service", "api-gateway", "revenue-service"]),
    ({"services": {"api-gateway": {"replicas": 3}}}, f"{NS}:services.api-gateway.replicas",
     ["unknown setting", "minReplicas", "maxReplicas"]),
    ({"services": {"api-gateway": {"enabled": "perhaps"}}}, f"{NS}:services.api-gateway.enabled",
     ["'perhaps'", "valid boolean"]),
    ({"imagePullPolicy": "Sometimes"}, f"{NS}:imagePullPolicy", ["'Always', 'IfNotPresent' or 'Never'"]),
    ({"zoneSpread": "Maybe"}, f"{NS}:zoneSpread", ["'ScheduleAnyway' or 'DoNotSchedule'"]),
    ({"pdbMaxUnavailable": "0"}, f"{NS}:pdbMaxUnavailable", ["'0'", "positive count"]),
    ({"domain": "Tartware_Local"}, f"{NS}:domain", ["lower-case DNS name"]),
    ({"imageTag": "v1.0.0 beta"}, f"{NS}:imageTag", ["Docker tag"]),
    ({"clusterTarget": "openshift"}, f"{NS}:clusterTarget", ["'openshift'", "'existing'"]),
    ({"helmTimeoutSeconds": 5}, f"{NS}:helmTimeoutSeconds", ["greater than or equal to 60"]),
    ({"registryServer": "registry.example.com", "registryUsername": "ci"}, f"{NS}:registryPassword",
     ["missing required secret", "pulumi config set --secret registryPassword"]),
    ({"services": {name: {"enabled": False} for name in guide.ROW_OF}}, f"{NS}:services",
     ["every service is disabled"]),
]


@pytest.mark.parametrize("overrides,key,fragments", CASES,
                         ids=[c[1].split(":", 1)[1] + f"#{i}" for i, c in enumerate(CASES)])
def test_bad_input_is_rejected_before_any_resource(overrides, key, fragments):
    assert "nothing was deployed" in assert_refused(overrides, key, fragments)


def test_plaintext_secret_is_refused():
    message = run_with({f"{NS}:registryServer": "registry.example.com", f"{NS}:registryUsername": "ci",
                        f"{NS}:registryPassword": "not-encrypted"})
    assert f"{NS}:registryPassword" in message and "must be stored encrypted" in message
    assert "not-encrypted" not in message


def test_all_problems_reported_at_once():
    message = run_with({f"{NS}:hpaCpuTarget": 0, f"{NS}:zoneSpread": "Maybe"})
    assert "2 problems" in message
    assert f"{NS}:hpaCpuTarget" in message and f"{NS}:zoneSpread" in message


def test_cross_field_problems_in_several_services_reported_together():
    message = run_with({f"{NS}:services": {"api-gateway": {"maxReplicas": 5},
                                           "core-service": {"cpuRequest": "4"}}})
    assert f"{NS}:services.api-gateway.maxReplicas" in message
    assert f"{NS}:services.core-service.cpuRequest" in message


def test_valid_overrides_are_applied():
    s = build_settings({"environment": "prod", "services": {"api-gateway": {"maxReplicas": 150, "cpuLimit": "3"}}})
    gw = next(x for x in s.tartware.services if x.name == "api-gateway")
    assert (gw.min_replicas, gw.max_replicas, str(gw.cpu_limit)) == (10, 150, "3000m")


def test_pulumi_yaml_declares_every_setting():
    import yaml
    from tools.project_file import PROJECT_FILE, render

    assert PROJECT_FILE.read_text() == render(), "run python -m tools.project_file"
    text = PROJECT_FILE.read_text()
    declared = yaml.load(text, Loader=yaml.CSafeLoader)["config"]
    settings = {s.name: s for s in all_declared()}
    # Declared (with a default) or listed in the header as an optional, undeclared setting.
    for name, s in settings.items():
        assert name in declared or f"#   {name} (" in text, name
    for name, entry in declared.items():
        assert entry["type"] in ("string", "integer", "boolean", "array"), name
        assert "default" in entry and not entry.get("secret"), name
        assert not settings[name].secret, name
    for stack in ("dev", "prod"):
        doc = yaml.load((PROJECT_FILE.parent / f"Pulumi.{stack}.yaml").read_text(), Loader=yaml.CSafeLoader)
        for k in doc["config"]:
            ns, name = k.split(":", 1)
            assert ns == NS and (name in settings or name == "services"), k


def test_chart_values_file_is_generated_from_the_catalog():
    from tools.chart_values import README_FILE, VALUES_FILE, render, render_readme

    assert VALUES_FILE.read_text() == render(), "run python -m tools.chart_values"
    assert README_FILE.read_text() == render_readme(), "run python -m tools.chart_values"


def test_misspelt_setting_is_refused():
    message = run_with({f"{NS}:hpaCpuTaret": 60})
    assert f"{NS}:hpaCpuTaret" in message and "unknown setting" in message and "hpaCpuTarget" in message
