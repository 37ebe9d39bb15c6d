import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.offline import run_program  # noqa: E402

_RUNS = {}


def program_run(stack: str):
    """The real stack run once per test session (the mock engine is not free)."""
    if stack not in _RUNS:
        _RUNS[stack] = run_program(stack)
    return _RUNS[stack]


@pytest.fixture(scope="session")
def dev_run():
    return program_run("dev")


@pytest.fixture(scope="session")
def prod_run():
    return program_run("prod")
