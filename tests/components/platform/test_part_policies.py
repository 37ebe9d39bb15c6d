"""Each platform part declares its own namespace's NetworkPolicies; the Platform only gathers them.

The policies themselves (names, specs, reachability of every flow) are checked on the whole program
by tests/test_network.py and tests/test_conformance.py; this keeps the allows next to their part.
"""

import ast
from pathlib import Path

from components.platform import Platform
from components.platform.cert_manager import CertManager
from components.platform.data_tier import DataTier
from components.platform.edge_rate_limit import EdgeRateLimit
from components.platform.ingress_nginx import IngressNginx
from components.platform.mesh import Mesh
from components.platform.observability import Observability
from components.platform.operator_access import OperatorAccess

PLATFORM = Path(__file__).resolve().parents[3] / "components" / "platform" / "__init__.py"


def called(source: str) -> set[str]:
    """The names a module calls directly (``Allow(...)``)."""
    return {node.func.id for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}


def test_every_part_that_makes_a_namespace_declares_its_allows():
    for part in (Mesh, IngressNginx, CertManager, OperatorAccess, EdgeRateLimit, DataTier, Observability):
        assert callable(getattr(part, "network_policies", None)), part.__name__


def test_the_platform_writes_no_allow_of_its_own():
    assert not {"Allow", "NamespacePolicies"} & called(PLATFORM.read_text())
    assert Platform._policies.__doc__ and "network_policies" in Platform._policies.__doc__


def test_the_check_finds_a_planted_allow():
    planted = 'def f():\n    return Allow("allow-x", {}, [])\n'
    assert "Allow" in called(planted)
