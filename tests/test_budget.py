"""The prod budget is the guide's table, per service and in total; dev is small."""

import pytest

from settings.quantities import Cpu, Memory
from tests import guide

RELEASE = "kubernetes:helm.sh/v3:Release"


def release_values(run):
    return run.one(RELEASE, "tartware-release").plain["values"]


@pytest.mark.parametrize("service", sorted(guide.ROW_OF))
def test_prod_service_matches_guide_row(prod_run, service):
    lo, hi, cpu_req, cpu_lim, mem_req, mem_lim = guide.TABLE[guide.ROW_OF[service]]
    v = release_values(prod_run)["services"][service]
    assert v["enabled"] is True
    assert (v["replicas"]["min"], v["replicas"]["max"]) == (lo, hi)
    assert Cpu.parse(v["resources"]["requests"]["cpu"]).millicores == cpu_req
    assert Cpu.parse(v["resources"]["limits"]["cpu"]).millicores == cpu_lim
    assert Memory.parse(v["resources"]["requests"]["memory"]).bytes == mem_req
    assert Memory.parse(v["resources"]["limits"]["memory"]).bytes == mem_lim
    assert v["autoscaling"]["cpuUtilization"] == guide.HPA_CPU
    assert v["autoscaling"]["memoryUtilization"] == guide.HPA_MEMORY
    assert v["port"] == guide.PORTS[service]


def test_prod_deploys_exactly_the_catalogued_services(prod_run):
    assert set(release_values(prod_run)["services"]) == set(guide.ROW_OF)


def test_prod_budget_output_totals(prod_run):
    expected = guide.expected_totals()
    budget = prod_run.outputs["budget"]
    assert budget["min"] == expected["min"]
    assert budget["max"] == expected["max"]
    # docs/budget.md works the same totals out by hand: tests/test_stated_totals.py checks its table
    # and prose against guide.expected_totals(). Here the output's totals are the per-service sums.
    for side, idx in (("min", 0), ("max", 1)):
        assert budget[side]["pods"] == sum(guide.TABLE[row][idx] for row in guide.ROW_OF.values())


def test_prod_totals_against_guide_rounding(prod_run):
    """The guide rounds its totals; pods and memory agree within 10 %, CPU does not (documented)."""
    top = prod_run.outputs["budget"]["max"]
    assert abs(top["pods"] - guide.STATED_MAX["pods"]) / guide.STATED_MAX["pods"] <= 0.10
    memory_tb = top["memoryLimitGi"] * guide.GI / 1e12
    assert abs(memory_tb - guide.STATED_MAX["memory_tb"]) / guide.STATED_MAX["memory_tb"] <= 0.10
    # the table's own CPU limits sum to more than the guide's ~600 cores (docs/budget.md).
    assert top["cpuLimitCores"] > guide.STATED_MAX["cpu_cores"]


def test_dev_is_same_services_small(dev_run):
    values = release_values(dev_run)["services"]
    assert set(values) == set(guide.ROW_OF)
    for name, v in values.items():
        assert guide.DEV_REPLICAS[0] <= v["replicas"]["min"] <= v["replicas"]["max"] <= guide.DEV_REPLICAS[1], name
        assert Cpu.parse(v["resources"]["requests"]["cpu"]).millicores <= 100, name
        assert Memory.parse(v["resources"]["requests"]["memory"]).bytes <= 256 * guide.MI, name
    budget = dev_run.outputs["budget"]
    assert budget["max"]["pods"] == guide.DEV_REPLICAS[1] * len(guide.ROW_OF)
    assert budget["min"]["pods"] == guide.DEV_REPLICAS[0] * len(guide.ROW_OF)
