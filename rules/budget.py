"""The service budget: totals at min and max scale, computed from the resolved catalog.

One function, used by the stack output, the offline plan and the capacity checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from settings.model import ServiceSpec

GIB = 2**30


@dataclass(frozen=True)
class ScaleTotals:
    pods: int
    cpu_request_millicores: int
    cpu_limit_millicores: int
    memory_request_bytes: int
    memory_limit_bytes: int

    def as_output(self) -> dict[str, float | int]:
        """Stable, documented shape of one side of the ``budget`` stack output."""
        return {
            "pods": self.pods,
            "cpuRequestCores": round(self.cpu_request_millicores / 1000, 3),
            "cpuLimitCores": round(self.cpu_limit_millicores / 1000, 3),
            "memoryRequestGi": round(self.memory_request_bytes / GIB, 3),
            "memoryLimitGi": round(self.memory_limit_bytes / GIB, 3),
        }


def _totals(services: Iterable[ServiceSpec], replicas_of) -> ScaleTotals:
    pods = cpu_req = cpu_lim = mem_req = mem_lim = 0
    for s in services:
        n = replicas_of(s)
        pods += n
        cpu_req += n * s.cpu_request.millicores
        cpu_lim += n * s.cpu_limit.millicores
        mem_req += n * s.memory_request.bytes
        mem_lim += n * s.memory_limit.bytes
    return ScaleTotals(pods, cpu_req, cpu_lim, mem_req, mem_lim)


@dataclass(frozen=True)
class Budget:
    min: ScaleTotals
    max: ScaleTotals
    services: tuple[ServiceSpec, ...]

    @classmethod
    def of(cls, services: Iterable[ServiceSpec]) -> "Budget":
        enabled = tuple(s for s in services if s.enabled)
        return cls(
            min=_totals(enabled, lambda s: s.min_replicas),
            max=_totals(enabled, lambda s: s.max_replicas),
            services=enabled,
        )

    def as_output(self) -> dict:
        return {
            "min": self.min.as_output(),
            "max": self.max.as_output(),
            "services": {
                s.name: {
                    "minReplicas": s.min_replicas,
                    "maxReplicas": s.max_replicas,
                    "cpuRequest": str(s.cpu_request),
                    "cpuLimit": str(s.cpu_limit),
                    "memoryRequest": str(s.memory_request),
                    "memoryLimit": str(s.memory_limit),
                }
                for s in self.services
            },
        }
