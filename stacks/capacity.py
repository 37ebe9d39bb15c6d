"""Cross-section check: does the service budget fit the cluster's node pools?

Owned by the cluster area (issue 3). Runs after every section is valid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ProblemCollector

if TYPE_CHECKING:
    from .settings import StackSettings


def check(settings: "StackSettings", problems: ProblemCollector) -> None:
    """Record a problem if the budget at max scale cannot fit the max pool capacity."""
    return None
