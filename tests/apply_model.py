"""The apply simulation's models of dev, prod, every example of docs/examples/stacks and a few
variants, built once per process (tests/test_apply.py, tests/test_cluster_access.py)."""

from __future__ import annotations

from typing import Any

from tests.helpers import EXAMPLE_STACKS, program_run
from tools.conformance.graph import Model, build
from tools.offline import run_program, stack_config

EXAMPLES = EXAMPLE_STACKS
NS = "tartware-infra"
_MODELS: dict[str, Model] = {}


def model(name: str) -> Model:
    """dev, prod (the session's runs), an example of docs/examples/stacks, or a variant below."""
    if name not in _MODELS:
        if name in ("dev", "prod"):
            run = program_run(name)
        elif name in VARIANTS:
            base, overrides = VARIANTS[name]
            config, keys = (stack_config(base, path=EXAMPLES[base], overrides=overrides) if base in EXAMPLES
                            else stack_config(base, overrides=overrides))
            run = run_program(base, config, keys)
        else:
            config, keys = stack_config(name, path=EXAMPLES[name])
            run = run_program(name, config, keys)
        _MODELS[name] = build(run)
    return _MODELS[name]


# A restore into the dev stack; bare metal with protection off (what `pulumi destroy` then deletes);
# the moves of the database: from the bitnami release (import) and a point-in-time recovery.
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {"dev-restore": ("dev", {f"{NS}:backupRestoreFrom": "latest"}),
            "baremetal-unprotected": ("baremetal", {f"{NS}:protect": False}),
            "existing-import": ("existing", {f"{NS}:postgresMigration": "import"}),
            "existing-recovery": ("existing", {f"{NS}:postgresCluster": "postgres-pitr1",
                                               f"{NS}:postgresRecoverySource": "postgres",
                                               f"{NS}:postgresRecoveryTarget": "2026-08-01T10:15:00Z"})}
STACKS = ["dev", "prod", *EXAMPLES]


def violations(report, rule: str) -> list:
    return [v for v in report.violations if v.rule.id == rule]
