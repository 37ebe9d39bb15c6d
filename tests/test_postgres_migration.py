"""Moving a stack from the bitnami PostgreSQL release to CloudNativePG, as the Pulumi engine would
run it (tools/engine.py: the engine's and the Kubernetes provider's rules), from the state main at
56325f6 left (tests/data/state/), through the documented phases (docs/data-and-observability.md,
"Moving from the bitnami release"): import, cutover, none.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import variant_run
from tests.helpers import CUTOVER, IMPORT, IRSA, PITR
from tools import engine

STATES = Path(__file__).resolve().parent / "data" / "state"
NS = "tartware-infra"
BITNAMI = "platform-data-postgres"  # the bitnami release's resource (main: components/platform/data_tier.py)
REDIS = "platform-data-redis"
CLUSTER = "platform-data-postgresql-cluster"
POOLER = "platform-data-postgresql-pooler"
PHASES = {"none": {}, "import": IMPORT, "cutover": CUTOVER}


def program(stack: str, phase: str = "none"):
    """The program's registrations in a phase (the runs tests/test_data.py makes too)."""
    return variant_run(stack, PHASES[phase])


def plan(old, run):
    return engine.steps(old, engine.state_of_run(run).values())


def main_state(stack: str):
    return engine.load_state(STATES / f"main-56325f6-{stack}.json")


def test_upgrading_prod_without_the_procedure_is_refused_and_loses_nothing():
    """Pulling this code into a prod stack and running `pulumi up`: the engine creates the new
    cluster, switches Redis' chart in place, then refuses to delete the protected bitnami release
    (deletes come last), so the old database keeps serving; the message says how to proceed."""
    steps = plan(main_state("prod"), program("prod"))
    (refusal,) = engine.refused(steps)
    assert refusal.op == "delete" and refusal.name == BITNAMI
    assert "cannot be deleted\nbecause it is protected" in refusal.error and "pulumi state unprotect" in refusal.error
    assert steps.index(refusal) > max(i for i, s in enumerate(steps) if s.op in ("create", "update"))
    assert CLUSTER in engine.by_op(steps, "create")
    assert REDIS in engine.by_op(steps, "update")  # a helm upgrade to redis-ha, not a replace


def test_upgrading_dev_without_the_procedure_uninstalls_the_old_release():
    """dev protects nothing: the bitnami release is uninstalled at the end of the same `pulumi up`
    (its claim data-postgres-postgresql-0 stays, Helm does not delete StatefulSet claims) and the new
    cluster starts empty. The procedure below avoids this; docs say so."""
    steps = plan(main_state("dev"), program("dev"))
    assert not engine.refused(steps)
    assert BITNAMI in engine.by_op(steps, "delete") and CLUSTER in engine.by_op(steps, "create")


def test_phase_import_leaves_the_bitnami_release_exactly_as_it_was():
    """postgresMigration=import registers the bitnami release with main's inputs: Pulumi has nothing
    to do to it (same), the app keeps using it, and the new cluster is created beside it (prod; the
    bitnami values of dev differ only by the settings' dev defaults)."""
    steps = plan(main_state("prod"), program("prod", "import"))
    assert not engine.refused(steps)
    assert BITNAMI in engine.by_op(steps, "same")
    # nothing of main's state goes but a NetworkPolicy the new ones replace (created first)
    assert all(n.startswith("platform-network-") for n in engine.by_op(steps, "delete"))
    assert CLUSTER in engine.by_op(steps, "create") and POOLER not in engine.by_op(steps, "create")
    # the app's Secret gains the key CloudNativePG reads (username): an update, not a replace
    assert "platform-data-postgres-credentials" in engine.by_op(steps, "update")


def test_phase_cutover_removes_the_old_release_once_unprotected():
    after_import = engine.state_of_run(program("prod", "import"))
    cutover = program("prod", "cutover")
    steps = plan(after_import, cutover)
    (refusal,) = engine.refused(steps)
    assert refusal.name == BITNAMI  # prod: the runbook's `pulumi state unprotect` comes first
    steps = plan(engine.unprotect(after_import, BITNAMI), cutover)
    assert not engine.refused(steps)
    assert sorted(engine.by_op(steps, "delete")) == [BITNAMI, "platform-network-database-allow-import",
                                                     "platform-network-database-allow-legacy-replication"]
    # the import leaves the Cluster's bootstrap: an update in place, which CloudNativePG accepts (its
    # update webhook checks no bootstrap change: cluster_webhook.go validateClusterChanges at v1.30.0)
    # and ignores (bootstrap runs once, when the cluster is created)
    assert CLUSTER in engine.by_op(steps, "update")
    assert POOLER not in engine.by_op(steps, "create")  # the name is free only after this up


def test_phase_none_gives_the_guides_address_to_the_pooler():
    steps = plan(engine.state_of_run(program("prod", "cutover")), program("prod"))
    assert not engine.refused(steps)
    assert POOLER in engine.by_op(steps, "create") and engine.by_op(steps, "delete") == []


def test_a_point_in_time_recovery_keeps_the_old_cluster_running():
    """A new cluster name replaces the Cluster resource: refused while protected; after
    `pulumi state unprotect`, the new cluster is created and the old one is retained (retainOnDelete:
    the engine drops it from the state and leaves it in Kubernetes)."""
    before = engine.state_of_run(variant_run("prod", IRSA))
    pitr = variant_run("prod", PITR)
    (refusal,) = engine.refused(plan(before, pitr))
    assert refusal.name == CLUSTER and "unable to replace resource" in refusal.error
    steps = plan(engine.unprotect(before, CLUSTER), pitr)
    assert not engine.refused(steps) and CLUSTER in engine.by_op(steps, "replace")
    assert engine.state_of_run(pitr)[next(u for u in before if u.endswith("::" + CLUSTER))].retain_on_delete
    assert POOLER in engine.by_op(steps, "update")  # the app follows to the new cluster


def test_the_engine_model_refuses_what_the_engine_refuses():
    """Planted: the same move with protect off in the state, and a renamed Helm release."""
    old = main_state("prod")
    assert not engine.refused(engine.steps(engine.unprotect(old, BITNAMI),
                                           engine.state_of_run(program("prod")).values()))
    redis = next(e for e in engine.state_of_run(program("prod")).values() if e.urn.endswith("::" + REDIS))
    renamed = engine.StateEntry(redis.urn, redis.type, ("redis-ha", "cache"), redis.inputs, True, False)
    (step,) = [s for s in engine.steps(old, [renamed]) if s.name == REDIS]
    assert step.op == "replace" and "currently marked for protection" in step.error
