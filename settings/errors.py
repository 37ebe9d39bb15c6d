"""Settings errors: one message naming every bad config key, its value and what is allowed."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

CONFIG_NAMESPACE = "tartware-infra"  # the project name: `pulumi config set <key>` writes here

_MISSING = object()


@dataclass(frozen=True)
class Problem:
    key: str  # full config key, e.g. "tartware:services.api-gateway.maxReplicas"
    message: str  # what is wrong and what is allowed
    value: object = _MISSING

    def render(self) -> str:
        if self.value is _MISSING:
            return f"{self.key}: {self.message}"
        return f"{self.key} = {self.value!r}: {self.message}"


def key(*path: str) -> str:
    """Full config key for a path below the project namespace."""
    head, *rest = path
    return f"{CONFIG_NAMESPACE}:{head}" + "".join(f".{p}" for p in rest)


class SettingsError(pulumi.RunError):
    """Invalid stack settings. Raised before any resource is registered.

    Subclasses ``pulumi.RunError`` so ``pulumi up`` prints the message without a traceback.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p.render()}" for p in self.problems)
        noun = "problem" if len(self.problems) == 1 else "problems"
        super().__init__(
            f"Invalid stack configuration ({len(self.problems)} {noun}); nothing was deployed:\n{lines}"
        )


class ProblemCollector:
    """Collects problems so one run reports all of them, then raises once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, config_key: str, message: str, value: object = _MISSING) -> None:
        self.problems.append(Problem(config_key, message, value))

    def raise_if_any(self) -> None:
        if self.problems:
            raise SettingsError(self.problems)
