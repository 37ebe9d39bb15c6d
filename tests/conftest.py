import gc
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.offline import recorded_run  # noqa: E402

# The suite allocates many short-lived objects (mock-engine runs, chart renders, YAML): collect the
# young generation less often (CPython's default threshold is 700). Memory stays far below the
# machine's; this only trades a little peak memory for fewer collections.
gc.set_threshold(50_000, 20, 20)


def program_run(stack: str):
    """The real stack run once per test session (the mock engine is not free)."""
    return recorded_run(stack)


@pytest.fixture(scope="session")
def dev_run():
    return program_run("dev")


@pytest.fixture(scope="session")
def prod_run():
    return program_run("prod")


def system_render(stack: str):
    """The whole system of a stack (every release from its chart + the program's own objects),
    rendered once per test session from the cached program run (tools/system.py)."""
    from tools.system import system_of

    return system_of(stack)


@pytest.fixture(scope="session", params=["dev", "prod"])
def system(request):
    return system_render(request.param)
