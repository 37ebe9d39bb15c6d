"""The cluster targets, one module each (settings/targets/base.py says what a target gives).

Adding a target: write its module (its ``TARGET``, settings, args, key family and mocks, and its
component in components/clusters/), register it here and in components/cluster.py.
"""

from __future__ import annotations

import dataclasses
from typing import Mapping

from . import baremetal, eks, existing, vsphere
from .base import ClusterArgs, ClusterSettings, Family, Target

# clusterTarget's allowed values, in this order (the first is the default)
TARGETS: Mapping[str, Target] = {t.name: t for t in (existing.TARGET, eks.TARGET, vsphere.TARGET, baremetal.TARGET)}

# Every key family once, in the order of the targets that read it.
FAMILIES: tuple[Family, ...] = tuple(dict.fromkeys(f for t in TARGETS.values() for f in t.families))

# The args class of each target (components/cluster.py dispatches on ``ClusterArgs.TARGET``).
CLUSTER_ARGS: Mapping[str, type[ClusterArgs]] = {
    a.TARGET: a for a in (existing.ExistingClusterArgs, eks.EksClusterArgs, vsphere.VsphereClusterArgs,
                          baremetal.BareMetalClusterArgs)}


def target(name: str) -> Target:
    """The target called ``name`` (a validated clusterTarget)."""
    return TARGETS[name]


def owners(family: Family) -> tuple[str, ...]:
    """The targets that read ``family``'s keys."""
    return tuple(t.name for t in TARGETS.values() if family in t.families)


def having(trait: str) -> tuple[str, ...]:
    """The targets whose ``trait`` is true."""
    return tuple(t.name for t in TARGETS.values() if getattr(t, trait))


def reading(arg: str) -> tuple[str, ...]:
    """The targets whose cluster args (``CLUSTER_ARGS``) hold the field ``arg``: those whose cluster
    component reads that setting."""
    return tuple(name for name, args in CLUSTER_ARGS.items() if arg in {f.name for f in dataclasses.fields(args)})


__all__ = ["CLUSTER_ARGS", "FAMILIES", "TARGETS", "ClusterSettings", "Family", "Target", "having", "owners", "reading",
           "target"]
