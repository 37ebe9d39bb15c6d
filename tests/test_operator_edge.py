"""The operator surfaces at the edge: an allowlist needs each client's address on every target, the
operator hosts redirect plain HTTP to HTTPS, and the public API host does not serve the gateway's
unauthenticated paths (docs/platform.md "Operator access")."""

from __future__ import annotations

import pytest

from tests.test_settings import assert_refused

ALLOW = {"operatorAccess": "allowlist", "operatorAllowedCidrs": ["203.0.113.0/24"], "loadBalancer": "cloud"}


@pytest.mark.parametrize("edge_rate_limit, key", [(0, "existingClusterCloud"), (1000, "existingClusterCloud")])
def test_an_allowlist_behind_an_unknown_cloud_load_balancer_is_refused_naming_the_cloud(edge_rate_limit, key):
    """existing + loadBalancer=cloud: an AWS load balancer hides the client's address, so the allowlist
    would match the load balancer's; the stack must say which cloud, whatever edgeRateLimit is."""
    message = assert_refused({**ALLOW, "edgeRateLimit": edge_rate_limit}, key, ["allowed: aws", "other"])
    assert ("operatorAccess=allowlist" in message) == (edge_rate_limit == 0), message


def test_an_allowlist_that_says_its_cloud_is_accepted():
    from stacks.settings import build_settings

    for cloud in ("aws", "other"):
        assert build_settings({"environment": "prod", **ALLOW, "edgeRateLimit": 0, "existingClusterCloud": cloud})
    # a proxy in front that appends X-Forwarded-For carries the address: nothing to ask
    assert build_settings({"environment": "prod", **ALLOW, "edgeRateLimit": 0, "edgeTrustedProxies": 1})
