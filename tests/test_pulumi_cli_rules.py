"""The Pulumi CLI's checks before the program starts, applied to Pulumi.yaml, every stack file and
each documented target example (docs/examples/stacks). The rules are re-implemented in
tools/pulumi_cli.py from pulumi/pulumi@v3.259.0 (pkg/workspace/config.go mergeConfig 255-366,
validateStackConfigValue 119-157; sdk/go/common/workspace/project.go ValidateConfigValue 771-831,
Project.Validate 837-889, ValidateProject 569-647 with the embedded project.json schema, vendored in
tests/data/pulumi/). The cases below are the CLI's own messages, written out.
"""

from pathlib import Path

import pytest
import yaml

import pulumi
from pulumi.runtime import mocks as pulumi_mocks

from settings import targets
from settings.errors import SettingsError
from settings.declared import all_declared
from program.load import load_settings
from tools import pulumi_cli as cli
from tools.offline import DefaultMocks

ROOT = Path(__file__).resolve().parent.parent
NS = "tartware-infra"
PROJECT = (ROOT / "Pulumi.yaml").read_text()
OLD_PROJECT = (ROOT / "tests" / "data" / "pulumi" / "Pulumi.yaml.before").read_text()
STACK_FILES = {"dev": ROOT / "Pulumi.dev.yaml", "prod": ROOT / "Pulumi.prod.yaml"}
EXAMPLES = {p.name.split(".")[1]: p for p in sorted((ROOT / "docs" / "examples" / "stacks").glob("Pulumi.*.yaml"))}
ALL_STACKS = {**STACK_FILES, **EXAMPLES}


def test_the_documented_target_examples_exist():
    # one per cluster target (the registry's): eks; vsphere with its Rancher and vCenter settings;
    # baremetal with rancherInstall; an existing cluster given by its kubeconfig; and secretsBackend=vault.
    assert set(EXAMPLES) == {*targets.TARGETS, "vault"}
    docs = {name: yaml.load(p.read_text(), Loader=yaml.CSafeLoader)["config"] for name, p in EXAMPLES.items()}
    assert docs["eks"][f"{NS}:clusterTarget"] == "eks"
    assert ({f"{NS}:rancherApiUrl", f"{NS}:rancherToken", f"{NS}:vsphereVcenter", f"{NS}:vspherePassword"}
            <= set(docs["vsphere"]))
    assert docs["baremetal"][f"{NS}:rancherInstall"] is True
    assert docs["vault"][f"{NS}:secretsBackend"] == "vault"


def test_pulumi_yaml_passes_the_project_schema_and_project_validate():
    project = cli.load_project(PROJECT)
    assert project["name"] == NS
    for key, decl in project["config"].items():
        assert decl.get("default") is not None, f"{key}: a declared key without default is required on every stack"
        assert not decl.get("secret"), f"{key}: a secret with a default fails 'must be encrypted'"


@pytest.mark.parametrize("stack", sorted(ALL_STACKS))
def test_the_cli_accepts_every_stack_file_and_target_example(stack):
    merged = cli.preflight(PROJECT, ALL_STACKS[stack].read_text(), stack)
    # Every declared key reaches the program (its stack value or the declared default).
    declared = yaml.load(PROJECT, Loader=yaml.CSafeLoader)["config"]
    assert {f"{NS}:{k}" for k in declared} <= set(merged)


def _load_settings(stack, config, secret_keys):
    pulumi.runtime.set_all_config(dict(config), list(secret_keys))
    pulumi_mocks.set_mocks(DefaultMocks(), project=NS, stack=stack, preview=False)
    return load_settings(pulumi.Config(NS))


@pytest.mark.parametrize("stack", sorted(ALL_STACKS))
def test_the_program_accepts_what_the_cli_hands_it(stack):
    """The CLI writes every declared default onto the stack config in plaintext (config.go 327-348),
    empty strings included: the program reads those as unset and refuses none of them."""
    config, secret_keys = cli.wire_config(cli.preflight(PROJECT, ALL_STACKS[stack].read_text(), stack))
    settings = _load_settings(stack, config, secret_keys)
    target = yaml.load(ALL_STACKS[stack].read_text(), Loader=yaml.CSafeLoader)["config"][f"{NS}:clusterTarget"]
    assert settings.cluster.target == target


def test_empty_defaults_mean_unset():
    """Dev with the CLI's defaults applied resolves exactly as dev without them."""
    config, _ = cli.wire_config(cli.preflight(PROJECT, STACK_FILES["dev"].read_text(), "dev"))
    bare = {k: v.text for k, v in cli.load_stack(cli.load_project(PROJECT), STACK_FILES["dev"].read_text()).items()}
    empty = [k for k, v in config.items() if v == "" and k not in bare]
    assert f"{NS}:istioVersion" in empty and f"{NS}:postgresStorageSize" in empty
    with_defaults = _load_settings("dev", config, [])
    without = _load_settings("dev", bare, [])
    for area in ("tartware", "cluster", "platform", "data", "observability", "ops", "security"):
        assert getattr(with_defaults, area) == getattr(without, area), area


@pytest.mark.parametrize("stack,missing", [("dev", 39), ("prod", 38)])
def test_the_rules_fail_on_the_previous_project_file(stack, missing):
    """The project file as generated before: 39 declared keys without default (dev sets none of
    them, prod sets `protect`) -> config.go 319-325 + missingStackConfigurationKeysError."""
    with pytest.raises(cli.CliError) as info:
        cli.preflight(OLD_PROJECT, STACK_FILES[stack].read_text(), stack)
    message = str(info.value)
    assert message.startswith(f"Stack '{stack}' is missing configuration values 'alertmanagerReplicas', 'apiRoute', ")
    assert message.count("'") // 2 - 1 == missing
    for key in ("registryPassword", "kubeconfig", "istioVersion", "postgresStorageSize"):
        assert f"'{key}'" in message


def test_the_previous_project_file_also_fails_on_its_secrets():
    """With every missing key set in plaintext, `secret: true` keys still fail (config.go 128-134)."""
    old = cli.load_project(OLD_PROJECT)
    typed = {"integer": cli.Value("1"), "boolean": cli.Value("true"), "array": cli.Value("[]", object=True),
             "string": cli.Value("x")}
    stack = {f"{NS}:{k}": typed[d["type"]] for k, d in old["config"].items() if d.get("default") is None}
    with pytest.raises(cli.CliError,
                       match=r"^Stack 'dev' with configuration key 'kubeconfig' must be encrypted as it's secret$"):
        cli.merge_config(old, "dev", stack)


# ---------------------------------------------------------------- the rules themselves

def project(config):
    return yaml.safe_dump({"name": "p", "runtime": "python", "config": config})


def run(config, stack_values):
    return cli.preflight(project(config), yaml.safe_dump({"config": stack_values}), "s")


def test_a_declared_key_without_default_is_required():
    with pytest.raises(cli.CliError, match=r"^Stack 's' is missing configuration value 'a'$"):
        run({"a": {"type": "string"}}, {})
    with pytest.raises(cli.CliError, match=r"^Stack 's' is missing configuration values 'a' and 'b'$"):
        run({"b": {"type": "string"}, "a": {"type": "integer"}}, {})
    with pytest.raises(cli.CliError, match=r"'a', 'b' and 'c'$"):
        run({"c": {"type": "string"}, "b": {"type": "string"}, "a": {"type": "string"}}, {})
    assert run({"a": {"type": "string"}}, {"a": "x"})["p:a"].text == "x"
    # keys of other namespaces are never required
    assert run({"aws:region": {"value": "eu-west-1"}}, {})["aws:region"].text == "eu-west-1"


def test_a_default_is_written_in_plaintext_and_a_secret_default_then_fails():
    merged = run({"n": {"type": "integer", "default": 3}, "b": {"type": "boolean", "default": True},
                  "e": {"type": "string", "default": ""}}, {})
    assert (merged["p:n"], merged["p:b"], merged["p:e"]) == (cli.Value("3"), cli.Value("true"), cli.Value(""))
    with pytest.raises(cli.CliError, match=r"^Stack 's' with configuration key 'pw' must be encrypted as it's secret$"):
        run({"pw": {"type": "string", "secret": True, "default": ""}}, {})
    with pytest.raises(cli.CliError, match="must be encrypted"):
        run({"pw": {"type": "string", "secret": True}}, {"pw": "plain"})
    assert run({"pw": {"type": "string", "secret": True}}, {"pw": {"secure": "v1:abc:def"}})["p:pw"].secure


@pytest.mark.parametrize("decl,value,ok", [
    ({"type": "integer"}, 5, True),
    ({"type": "integer"}, "12", True),
    ({"type": "integer"}, "-3", True),
    ({"type": "integer"}, "1.5", False),
    ({"type": "integer"}, "ten", False),
    ({"type": "integer"}, True, False),
    ({"type": "boolean"}, True, True),
    ({"type": "boolean"}, "false", True),
    ({"type": "boolean"}, "yes", False),
    ({"type": "boolean"}, 1, False),
    ({"type": "string"}, "x", True),
    ({"type": "string"}, 7, True),            # the stack file's 7 reaches the check as the text "7"
    ({"type": "string"}, ["x"], False),
    ({"type": "array", "items": {"type": "string"}}, ["a", "b"], True),
    ({"type": "array", "items": {"type": "string"}}, ["a", 1], False),
    ({"type": "array", "items": {"type": "integer"}}, [1, 2], True),
    ({"type": "array", "items": {"type": "string"}}, "a", False),
    ({"type": "array", "items": {"type": "array", "items": {"type": "boolean"}}}, [[True], [False]], True),
])
def test_stack_values_must_match_the_declared_type(decl, value, ok):
    if ok:
        run({"k": decl}, {"k": value})
        return
    with pytest.raises(cli.CliError, match=r"^Stack 's' with configuration key 'k' must be of type '"):
        run({"k": decl}, {"k": value})


def test_array_type_names_in_messages():
    with pytest.raises(cli.CliError, match=r"must be of type 'array<array<boolean>>'$"):
        run({"k": {"type": "array", "items": {"type": "array", "items": {"type": "boolean"}}}}, {"k": [["x"]]})


@pytest.mark.parametrize("config,fragment", [
    ({"k": {"type": "array"}}, "declares an array but does not specify the underlying type"),
    ({"k": {"type": "integer", "default": "ten"}}, "is not of the expected type 'integer'"),
    ({"k": {"type": "string", "default": "a", "value": "b"}}, "cannot have both a 'default' and 'value'"),
    ({"aws:region": {"type": "string", "value": "x"}}, "is not namespaced by the project and should not define a type"),
    ({"k": {"type": "string", "required": True}}, "#/config/k: {'required': True"),
    ({"k": {"type": "map"}}, "#/config/k"),
])
def test_project_validation(config, fragment):
    with pytest.raises(cli.CliError) as info:
        cli.load_project(project(config))
    assert fragment in str(info.value)


def test_the_vendored_schema_is_pulumis():
    import json

    schema = json.loads(cli.PROJECT_SCHEMA.read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$defs"]["simpleConfigType"]["enum"] == ["string", "integer", "boolean", "array", "object"]
    assert schema["$defs"]["configTypeDeclaration"]["additionalProperties"] is False
    assert "SOURCE" in {p.stem for p in cli.PROJECT_SCHEMA.parent.iterdir()}


def test_every_secret_setting_is_left_undeclared():
    declared = yaml.load(PROJECT, Loader=yaml.CSafeLoader)["config"]
    secrets = {s.name for s in all_declared() if s.secret}
    assert secrets == {"registryPassword", "kubeconfig", "rancherToken", "rancherKubeconfig", "vspherePassword",
                       "loadTestPassword", "backupOffsiteAccessKeyId", "backupOffsiteSecretAccessKey",
                       "operatorSsoClientSecret"}
    assert not secrets & set(declared)


def test_a_plaintext_secret_in_an_example_passes_the_cli_but_not_the_program():
    text = EXAMPLES["vsphere"].read_text().replace(
        "tartware-infra:vspherePassword:\n    secure:", "tartware-infra:vspherePassword: plain #")
    config, secret_keys = cli.wire_config(cli.preflight(PROJECT, text, "vsphere"))
    with pytest.raises(SettingsError) as info:
        _load_settings("vsphere", config, secret_keys)
    assert f"{NS}:vspherePassword" in str(info.value) and "must be stored encrypted" in str(info.value)


def test_keys_the_project_does_not_declare_pass_unchecked():
    """config.go validateStackConfigValues iterates project.Config only (82-114)."""
    merged = run({"a": {"type": "string", "default": ""}}, {"extra": 5, "token": {"secure": "v1:x:y"}})
    assert merged["p:extra"].text == "5" and merged["p:token"].secure
