"""Namespaces we create, with Pod Security Admission labels. One helper, used by every component."""

from __future__ import annotations

from typing import Literal, Mapping, Optional

import pulumi
import pulumi_kubernetes as k8s

from stacks import catalog

PsaLevel = Literal["restricted", "baseline", "privileged"]


def psa_labels(level: PsaLevel) -> dict[str, str]:
    """Enforce ``level``; always audit and warn at ``restricted`` so gaps stay visible."""
    return {
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
    }


def namespace(
    resource_name: str,
    name: str,
    psa: PsaLevel,
    provider: k8s.Provider,
    parent: pulumi.Resource,
    protect: bool = False,
    extra_labels: Optional[Mapping[str, str]] = None,
) -> k8s.core.v1.Namespace:
    labels = {
        "kubernetes.io/metadata.name": name,
        "app.kubernetes.io/part-of": catalog.PART_OF,
        "app.kubernetes.io/managed-by": "pulumi",
        **psa_labels(psa),
        **(extra_labels or {}),
    }
    return k8s.core.v1.Namespace(
        resource_name,
        metadata=k8s.meta.v1.ObjectMetaArgs(name=name, labels=labels),
        opts=pulumi.ResourceOptions(parent=parent, provider=provider, protect=protect),
    )
