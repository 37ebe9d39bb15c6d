"""Day-2 changes (tools/conformance/day2.py): what the engine does with each routine change, taken
from the providers' own sources, and docs/day2.md generated from it. None drains a whole pool,
replaces a stateful resource or fails on a provider's own validation; what must not happen is refused
before anything changes. Each rule also fails on the defect it exists for."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tools.conformance import day2

_RESULTS: dict[str, day2.Result] = {}


def results() -> list[day2.Result]:
    if not _RESULTS:
        for s in day2.SCENARIOS:
            _RESULTS[s.id] = day2.run_scenario(s)
    return [_RESULTS[s.id] for s in day2.SCENARIOS]


def result(scenario: str) -> day2.Result:
    results()
    return _RESULTS[scenario]


def actions(scenario: str) -> dict[str, str]:
    return {c.name: c.action for c, _ in result(scenario).changes}


def outcome(scenario: str, name: str) -> day2.Outcome:
    (found,) = [o for c, o in result(scenario).changes if c.name == name]
    return found


def test_the_table_in_docs_is_generated_from_the_scenarios():
    assert day2.DOC.read_text() == day2.document(results()), "stale: python -m tools.conformance.day2 --write"


def test_no_whole_pool_drain_no_stateful_replacement_no_provider_refusal():
    outs = [o for r in results() for o in r.outcomes]
    assert [o.text for o in outs if o.drained_pool] == []
    assert [o.text for o in outs if o.stateful_replaced] == []
    assert [o.provider_refused for o in outs if o.provider_refused] == []
    assert "0 whole-pool drains, 0 stateful replacements,\n0 changes a provider refuses" in day2.DOC.read_text()


def test_raising_min_nodes_updates_in_place_from_the_live_size():
    assert actions("min-up") == {"eks-cluster-compute": "update"}
    change = result("min-up").changes[0][0]
    scaling = change.new.plain["scalingConfig"]
    assert (scaling["minSize"], scaling["desiredSize"]) == (8, 8)  # EKS: min <= desired
    assert outcome("min-up", "eks-cluster-compute").text.endswith("+3 nodes (5 -> 8)")


def test_lowering_min_or_moving_max_keeps_the_nodes_the_autoscaler_made():
    for scenario in ("min-down", "max-up"):
        assert actions(scenario) == {"eks-cluster-compute": "update"}
        assert outcome(scenario, "eks-cluster-compute").text.endswith("nodes unchanged")
    # below the live size: only what the new maximum forces goes
    assert outcome("max-down", "eks-cluster-compute").text.endswith("-20 nodes (60 -> 40)")


def test_new_instance_types_replace_the_group_after_a_new_one_of_the_same_size():
    assert actions("instance-types") == {"eks-cluster-compute": "replace (create-before-delete)"}
    assert outcome("instance-types", "eks-cluster-compute").text.startswith(
        "a new group of 60 nodes is Active before the old one (60 nodes)")


def test_a_kubernetes_bump_upgrades_in_place_and_an_unsupported_one_is_refused():
    got = actions("kubernetes")
    assert got["eks-cluster-eks"] == "update" and all(
        a == "update" for n, a in got.items() if n.startswith("eks-cluster-") and n != "eks-cluster-autoscaler")
    assert "rolling update" in outcome("kubernetes", "eks-cluster-memory-0").text
    assert "Istio" in result("kubernetes-next").refused and "1.36" in result("kubernetes-next").refused


def test_a_chart_bump_is_a_helm_upgrade_and_says_what_helm_leaves_out():
    assert actions("chart") == {"platform-certs-release": "update",
                                "platform-observability-kube-prometheus-stack": "update"}
    assert "never on upgrade" in outcome("chart", "platform-observability-kube-prometheus-stack").text


CLUSTER = "platform-data-postgresql-cluster"


def test_a_volume_resize_updates_the_cluster_and_the_operator_grows_the_claims():
    """CloudNativePG patches its claims itself when spec.storage.size grows (cloudnative-pg@v1.30.0
    pkg/reconciler/persistentvolumeclaim/existing.go reconcilePVCQuantity): an update in place, no
    replacement, no StatefulSet (the operator runs the instance pods itself)."""
    for scenario, size in (("resize", "16Gi"), ("resize-prod", "1Ti")):
        assert actions(scenario) == {CLUSTER: "update"}
        change = result(scenario).changes[0][0]
        assert change.paths == ("spec.storage.size",) and change.new.plain["spec"]["storage"]["size"] == size
        text = outcome(scenario, CLUSTER).text
        assert "reconcilePVCQuantity" in text and "can't shrink existing storage" in text
    # while moving from the bitnami release, that release keeps the size it was installed with
    assert actions("resize-import") == {CLUSTER: "update"}


# scenario -> (release, guard, the StatefulSet its chart renders: redis-ha templates/redis-ha-statefulset.yaml
# "<release>-redis-ha-server", redpanda templates/_statefulset.go.tpl "<fullname>", consul
# templates/server-statefulset.yaml "<fullname>-server")
STATEFULSET_RESIZES = {
    "resize-redis": ("platform-data-redis", "platform-data-redis-volume-size", "redis-redis-ha-server"),
    "resize-redpanda": ("platform-data-redpanda", "platform-data-redpanda-volume-size", "redpanda"),
    "resize-consul": ("platform-data-consul", "platform-data-consul-volume-size", "consul-server"),
}
# kubernetes/kubernetes@v1.32.0 pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate, as the
# API server reports it for a StatefulSet of that name
FORBIDDEN = ('StatefulSet.apps "{sts}" is invalid: spec: Forbidden: updates to statefulset spec for fields other '
             "than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' "
             "and 'minReadySeconds' are forbidden")


@pytest.mark.parametrize("scenario", sorted(STATEFULSET_RESIZES))
def test_a_statefulset_volume_resize_stops_at_preview_on_its_guard(scenario):
    """A new claim size of redis-ha, Redpanda or Consul replaces the release's protected guard, which
    the engine refuses at preview (pulumi/pulumi@v3.259.0 step_generator.go: "unable to replace resource
    ... as it is currently marked for protection"): the helm upgrade never starts, wherever the stack
    protects its data (prod; in dev, which protects nothing, the upgrade fails as without the guard:
    the planted test below)."""
    release, guard, sts = STATEFULSET_RESIZES[scenario]
    assert actions(scenario) == {release: "update", guard: "refused"}
    change = next(c for c, _ in result(scenario).changes if c.name == guard)
    assert change.paths == ("keepers.storage",) and change.old.protect and change.new.protect
    # the keepers hold the sizes the chart renders into the StatefulSet's claim template, before and after
    rel = next(c for c, _ in result(scenario).changes if c.name == release)
    for side in ("old", "new"):
        (claim,) = day2.statefulset_claims(getattr(rel, side))[sts]
        assert getattr(change, side).plain["keepers"]["storage"] == claim["spec"]["resources"]["requests"]["storage"]
    assert change.old.plain["keepers"] != change.new.plain["keepers"]
    assert outcome(scenario, guard).text.startswith("refused at preview, nothing changes")
    assert "Resizing the Redis, Redpanda and Consul volumes" in outcome(scenario, guard).text
    assert outcome(scenario, release).text.startswith("not applied") and not outcome(scenario, release).provider_refused


def test_a_storage_class_for_the_data_tier_stops_at_preview_on_the_guards():
    """dataStorageClass reaches the same immutable claim templates as the sizes: all three guards are
    refused on ``keepers.storageClass`` and nothing else is applied."""
    guards = {g for _, g, _ in STATEFULSET_RESIZES.values()}
    changes = {c.name: c for c, _ in result("storage-class").changes}
    assert {n for n, c in changes.items() if c.action == "refused"} == guards
    assert all(changes[g].paths == ("keepers.storageClass",) for g in guards)
    assert all(outcome("storage-class", n).text.startswith("not applied") for n, c in changes.items()
               if c.action != "refused")


def test_instance_changes_update_the_cluster_in_place():
    """A standby more, or a parameter that needs a restart: the Cluster is updated, the operator adds
    an instance or restarts them one at a time; nothing is replaced."""
    assert actions("standby")[CLUSTER] == "update"
    assert "instances 3 -> 4" in outcome("standby", CLUSTER).text
    dev = actions("standby-dev")
    assert dev[CLUSTER] == "update" and "instances 1 -> 2" in outcome("standby-dev", CLUSTER).text
    # the first standby needs the allow it streams through, made before the Cluster that waits for it
    assert dev["platform-network-database-allow-replication"] == "create"
    change = next(c for c, _ in result("standby-dev").changes if c.name == CLUSTER)
    policy = next(c for c, _ in result("standby-dev").changes
                  if c.name == "platform-network-database-allow-replication")
    assert policy.new.urn in change.new.dependencies
    assert actions("max-connections") == {CLUSTER: "update"}
    assert "rolling restart" in outcome("max-connections", CLUSTER).text


def test_turning_components_off():
    assert set(actions("jaeger-off").values()) <= {"delete", "update"}
    consul = actions("consul-off")
    assert consul["platform-data-consul"] == consul["platform-data-consul-namespace"] == "refused"
    assert outcome("consul-off", "platform-data-consul-limits").text.startswith("not applied")


def test_rotating_a_password():
    assert actions("rotate")["credentials-database"] == "replace (create-before-delete)"
    assert "reconcileUser" in outcome("rotate", "platform-data-postgres-credentials").text
    assert actions("rotate-prod") == {"credentials-database": "refused"}


# ------------------------------------------------------------------------------ planted defects


def test_planted_min_nodes_as_a_replacement_is_refused_by_eks():
    """The program before: replaceOnChanges on minSize, desiredSize ignored (so the new group gets the
    old desired size): CreateNodegroup refuses it."""
    change = result("min-up").changes[0][0]
    old_desired = change.old.plain["scalingConfig"]["desiredSize"]
    new = dataclasses.replace(change.new, replace_on_changes=["scalingConfig.minSize"],
                              ignore_changes=["scalingConfig.desiredSize"])
    planted = day2.classify(change.old, new)
    assert planted.action == "replace (create-before-delete)" and "replaceOnChanges" in planted.why
    out = day2.outcome(planted, {g.prefix: g for g in day2.SCENARIOS[0].live})
    assert out.provider_refused == f"Minimum capacity 8 can't be greater than desired size {old_desired}"


def test_planted_ignored_desired_size_on_an_update_is_refused_by_eks():
    change = result("min-up").changes[0][0]
    new = dataclasses.replace(change.new, ignore_changes=["scalingConfig.desiredSize"])
    out = day2.outcome(day2.classify(change.old, new), {g.prefix: g for g in day2.SCENARIOS[0].live})
    assert out.provider_refused == "Minimum capacity 8 can't be greater than desired size 5"


def test_planted_resize_through_the_chart_fails_on_the_statefulset():
    """While moving from the bitnami release (postgresMigration=import), without that release's
    ignoreChanges the size would reach its StatefulSet's claim template."""
    from tests.helpers import variant_run

    run = variant_run("prod", {"tartware-infra:postgresMigration": "import"})
    base = next(r for r in run.resources if r.name == "platform-data-postgres")
    assert set(base.ignore_changes) == {"values.primary.persistence.size", "values.readReplicas.persistence.size"}
    values = dict(base.plain["values"], primary=dict(base.plain["values"]["primary"], persistence=dict(
        base.plain["values"]["primary"]["persistence"], size="16Gi")))
    new = dataclasses.replace(base, inputs=dict(base.plain, values=values), ignore_changes=[])
    planted = day2.classify(base, new)
    assert planted.action == "update"
    out = day2.outcome(planted, {})
    assert out.provider_refused.startswith('StatefulSet.apps "postgres-postgresql" is invalid: spec: Forbidden')


@pytest.mark.parametrize("scenario", ["resize-redis", "resize-redpanda", "resize-consul"])
@pytest.mark.parametrize("defect", ["guard unprotected", "guard dropped"])
def test_planted_resize_without_the_guard_fails_half_way_on_the_statefulset(scenario, defect):
    """The program before the guards: the same resize is a helm upgrade the API server refuses on the
    StatefulSet's volumeClaimTemplates, after the preview said it would work. With the guard unprotected
    (`pulumi state unprotect` alone, the runbook's other steps skipped) the guard is replaced and the
    upgrade fails the same way."""
    release, guard, sts = STATEFULSET_RESIZES[scenario]
    changes = [c for c, _ in result(scenario).changes]
    if defect == "guard dropped":
        planted = [c for c in changes if c.name != guard]
    else:
        planted = [day2.classify(dataclasses.replace(c.old, protect=False), c.new) if c.name == guard else c
                   for c in changes]
        assert {c.name: c.action for c in planted}[guard] == "replace (create-before-delete)"
    outs = {c.name: o for c, o in day2.assess(planted, {})}
    assert outs[release].provider_refused == FORBIDDEN.format(sts=sts)
    assert outs[release].text.startswith("helm upgrade fails: ")


@pytest.mark.parametrize("type_, path, action", [
    ("kubernetes:helm.sh/v3:Release", "namespace", "replace (create-before-delete)"),
    ("kubernetes:batch/v1:Job", "spec.template", "replace (delete-before-replace)"),
    ("aws:eks/cluster:Cluster", "roleArn", "replace (create-before-delete)"),
    ("aws:eks/cluster:Cluster", "version", "update"),
])
def test_provider_replacement_rules(type_, path, action):
    from tools.offline import Registered

    def reg(value: Any) -> Registered:
        inputs = {"metadata": {"name": "x"}}
        node: dict = inputs
        *parents, leaf = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
        return Registered("urn:x", type_, "x", "", True, False, False, "", [], inputs)

    assert day2.classify(reg("a"), reg("b")).action == action
