import gc
import os
import sys
from pathlib import Path

import pytest
from xdist.scheduler import LoadFileScheduling

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The runs against a real PostgreSQL server are steps of .ci/run of their own, outside the timed suite
# (README "Tests"): tests/pooler (a PostgreSQL behind a PgBouncer) and tests/postgres (the backup
# scripts' round trips and the migration script; mostly waiting on the server's processes).
REAL_STEPS = {"pooler": "TARTWARE_REAL_POOLER", "postgres": "TARTWARE_REAL_POSTGRES"}
collect_ignore = [directory for directory, variable in REAL_STEPS.items() if not os.environ.get(variable)]

# The suite allocates many short-lived objects (mock-engine runs, chart renders, YAML): collect the
# young generation less often (CPython's default threshold is 700). A worker peaks near 0.5 GB;
# this only trades a little peak memory for fewer collections (about 1 s less per run, measured).
gc.set_threshold(200_000, 50, 50)

# Scheduling on the two xdist workers (pytest.ini: --dist loadfile --no-loadscope-reorder). Files go
# to workers in collection order, so the files that take longest start first and the workers finish
# together. Files that read the same expensive per-process caches share one work unit, so each cache
# is built once rather than once per worker: the whole-system renders (tools/system.py), and the
# target runs of tests/test_audits.py that tests/test_vendored_charts.py reuses.
SAME_UNIT = {"tests/test_scan.py": "tests/test_conformance.py", "tests/test_ops.py": "tests/test_conformance.py",
             "tests/test_data.py": "tests/test_conformance.py",
             "tests/test_postgres_migration.py": "tests/test_conformance.py",
             # the apply simulation and the day-2 runs read the same dev/prod runs and release renders
             "tests/test_apply.py": "tests/test_conformance.py", "tests/test_day2.py": "tests/test_conformance.py",
             "tests/test_access.py": "tests/test_conformance.py",
             "tests/test_cluster_access.py": "tests/test_conformance.py",
             # the example stacks' runs (tests/helpers.py example_run), which the apply models are built from
             "tests/test_outputs.py": "tests/test_conformance.py",
             "tests/test_audits.py": "tests/test_vendored_charts.py"}
SLOW_FIRST = ("tests/test_conformance.py", "tests/test_vendored_charts.py", "tests/test_diff.py",
              "tests/test_cluster.py",
              "tests/test_budget_properties.py",
              "tests/components/test_args_exact.py", "tests/test_loadtest.py")


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_collection_finish(session):
    """Everything imported and collected so far lives to the end of the worker: out of the
    collector's reach (gc.freeze), so the collections the tests trigger do not walk it again."""
    gc.freeze()


def pytest_collection_modifyitems(items):
    def rank(item):
        path = SAME_UNIT.get(_file_of(item.nodeid), _file_of(item.nodeid))
        return SLOW_FIRST.index(path) if path in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the order inside a file, and of the other files, is kept


class SharedRenderScheduling(LoadFileScheduling):
    """xdist's --dist loadfile, with the files of SAME_UNIT in one work unit."""

    def _split_scope(self, nodeid: str) -> str:
        path = _file_of(nodeid)
        return SAME_UNIT.get(path, path)


def pytest_xdist_make_scheduler(config, log):
    return SharedRenderScheduling(config, log)


# The fixtures import tests.helpers when first used: pytest-xdist's controller process loads this
# file too, and never runs a test, so it need not import the Pulumi SDK and the chart tools (about
# a second of CPU on the two cores the workers are starting on). Not a dependency cycle.

@pytest.fixture(scope="session")
def dev_run():
    from tests.helpers import program_run

    return program_run("dev")


@pytest.fixture(scope="session")
def prod_run():
    from tests.helpers import program_run

    return program_run("prod")


@pytest.fixture(scope="session", params=["dev", "prod"])
def system(request):
    from tests.helpers import system_render

    return system_render(request.param)
