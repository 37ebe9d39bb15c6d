"""components/clusters/ alone: each target from its example stack's cluster settings."""

import dataclasses
from pathlib import Path

import pytest

from program import compose
from settings import targets
from program.load import load_settings

from components.base import TartwareComponent, type_token
from components.cluster import TARGETS, build_cluster
from tests.components.helpers import build, descendants, provider_name
from tools.offline import stack_config

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples" / "stacks"
ARGS = targets.CLUSTER_ARGS  # the registry (settings/targets/)
# each target's component type token, from its class (components/base.py: tartware:<area>:<Class>)
TOKENS = {name: type_token(cls.AREA, cls.__name__) for name, cls in TARGETS.items()
          if issubclass(cls, TartwareComponent)}


def _target(target: str, protect: bool):
    config, secret_keys = stack_config(target, path=EXAMPLES / f"Pulumi.{target}.yaml")

    def b():
        s = load_settings()  # the example's settings, validated
        args = compose.cluster_args(dataclasses.replace(s, protect=protect, domain="example.com"))
        assert type(args) is ARGS[target]
        return build_cluster("c", args)
    return build(b, config=config, secret_keys=secret_keys)


@pytest.mark.parametrize("target", sorted(ARGS))
def test_target_hands_up_a_kubernetes_provider(target):
    run, handle = _target(target, protect=True)
    comp = run.one(TOKENS[target], "c")
    assert handle.target == target
    below = descendants(run, comp.urn)
    assert [r for r in below if r.type == "pulumi:providers:kubernetes"]  # the provider everything above uses
    outside = [r.name for r in run.resources if r.urn != comp.urn and r not in below]
    assert outside == []
    assert ARGS[target].TARGET == target and target in TARGETS  # build_cluster dispatches on the args class


@pytest.mark.parametrize("target", ["vsphere", "baremetal"])
def test_metallb_runs_on_the_workload_cluster(target):
    run, handle = _target(target, protect=True)
    comp = run.one(TOKENS[target], "c")
    metallb = run.one("tartware:cluster:MetalLb", "c-metallb")
    assert metallb.parent == comp.urn
    workload = [r for r in descendants(run, comp.urn) if r.type == "pulumi:providers:kubernetes"
                and r.parent == comp.urn]
    releases = [r for r in descendants(run, metallb.urn) if r.type == "kubernetes:helm.sh/v3:Release"]
    assert releases and all(provider_name(r) in {w.name for w in workload} for r in releases)


@pytest.mark.parametrize("target", ["eks", "vsphere", "baremetal"])
def test_stateful_cluster_resources_follow_protect(target):
    run, handle = _target(target, protect=True)
    assert any(r.protect for r in run.resources)
    run, handle = _target(target, protect=False)
    assert not any(r.protect for r in run.resources)


def test_bare_metal_storage_keeps_volumes_when_protected():
    def reclaim(run):
        storage = run.one("tartware:cluster:BareMetalStorage", "c-storage")
        values = [r.plain["values"] for r in descendants(run, storage.urn) if r.type == "kubernetes:helm.sh/v3:Release"]
        classes = [r.plain for r in descendants(run, storage.urn)
                   if r.type == "kubernetes:storage.k8s.io/v1:StorageClass"]
        return ({v["persistence"]["reclaimPolicy"] for v in values if "persistence" in v}
                | {c.get("reclaimPolicy") for c in classes if c.get("reclaimPolicy")})

    assert reclaim(_target("baremetal", protect=True)[0]) == {"Retain"}
    assert reclaim(_target("baremetal", protect=False)[0]) == {"Delete"}


def test_cluster_args_hold_only_their_targets_fields():
    """Each target's args class declares its own fields: no EKS field on a Rancher target, no
    vSphere field on bare metal (program/compose.py picks the class and fills it)."""
    fields = {t: {f.name for f in dataclasses.fields(a)} for t, a in ARGS.items()}
    assert fields["existing"] == {"kubeconfig", "context"}
    assert "vpc_cidr" in fields["eks"] and not fields["eks"] & {"vsphere", "rancher", "etcd_offsite"}
    assert "vsphere" in fields["vsphere"] and "vsphere" not in fields["baremetal"]
    assert "bare_metal_storage" in fields["baremetal"] and "vpc_cidr" not in fields["baremetal"]


def test_rancher_server_installed_on_the_management_cluster_when_asked():
    run, handle = _target("baremetal", protect=True)  # the example installs Rancher (rancherInstall)
    comp = run.one(TOKENS["baremetal"], "c")
    server = run.one("tartware:cluster:RancherServer", "c-rancher")
    assert server.parent == comp.urn
    releases = {r.plain["name"]: r for r in descendants(run, server.urn) if r.type == "kubernetes:helm.sh/v3:Release"}
    assert "rancher" in releases
    assert releases["rancher"].protect  # protect follows the args
    # the example names its host (rancherHostname); the stack domain is only the fallback
    assert releases["rancher"].plain["values"]["hostname"] == "rancher.tartware.local"
    assert handle.rancher_hostname == "rancher.tartware.local"
