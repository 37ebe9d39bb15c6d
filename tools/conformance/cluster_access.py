"""Who a cluster's Kubernetes provider calls the API server as, and what must exist before its first call.

On EKS the kubeconfig the program builds (components/clusters/eks.py ``_kubeconfig``) runs
``aws eks get-token --role-arn <eksKubeconfigRoleArn>``: the API server authenticates that IAM role
only through an access entry, and the entry authorises nothing until an access policy is associated
with it (docs.aws.amazon.com/eks/latest/userguide/access-entries.html, "access-policies.html").
Before that, every request is refused with 401 Unauthorized, which pulumi-kubernetes reports at its
first call (pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/provider/provider.go Configure:
clusterUnreachableReason "unable to load schema information from the API server: %v"; Create:
"configured Kubernetes cluster is unreachable: %s"), the 401 worded by client-go
(kubernetes/apimachinery@v0.32.0 pkg/api/errors/errors.go NewGenericServerResponse, case
http.StatusUnauthorized: reason StatusReasonUnauthorized, "the server has asked for the client to
provide credentials").
"""

from __future__ import annotations

import json
from typing import Any, Optional

import yaml

from tools.conformance.graph import Model, Node

ROLE_ARG = "--role-arn"
GRANTS = ("aws:eks/accessEntry:AccessEntry", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
UNAUTHORIZED = ("configured Kubernetes cluster is unreachable: unable to load schema information from the API "
                "server: the server has asked for the client to provide credentials")


def _kubeconfig(provider: Node) -> dict[str, Any]:
    text = provider.plain.get("kubeconfig")
    if not isinstance(text, str) or not text.strip():
        return {}
    try:
        doc = json.loads(text)
    except ValueError:
        doc = yaml.safe_load(text)
    return doc if isinstance(doc, dict) else {}


def assumed_role(provider: Node) -> Optional[str]:
    """The IAM role the provider's kubeconfig assumes for its token (``--role-arn``), or None."""
    for user in _kubeconfig(provider).get("users") or []:
        args = (((user or {}).get("user") or {}).get("exec") or {}).get("args") or []
        if ROLE_ARG in args and args.index(ROLE_ARG) + 1 < len(args):
            return str(args[args.index(ROLE_ARG) + 1])
    return None


def grants(model: Model, role: str) -> list[Node]:
    """The access entry and policy associations this stack creates for ``role``: what the provider
    must wait for. None when the role is the cluster's creator (EKS grants it at creation)."""
    return [n for n in model.nodes.values() if n.type in GRANTS and n.plain.get("principalArn") == role]
