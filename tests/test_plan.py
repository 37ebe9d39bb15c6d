"""The offline plan (the program's main job without a cloud) runs and agrees with the budget."""

import json

from tools import plan
from tests import guide


def test_plan_prod_json(capsys):
    assert plan.main(["--stack", "prod", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["budget"]["max"]["pods"] == guide.expected_totals()["max"]["pods"]
    assert any("tartware:app:TartwareRelease" in line for line in result["tree"])


def test_plan_dev_text(capsys):
    assert plan.main(["--stack", "dev"]) == 0
    out = capsys.readouterr().out
    assert "total at max: 20 pods" in out
    assert "kubernetes:helm.sh/v3:Release" in out


def test_plan_unknown_stack_fails(capsys):
    assert plan.main(["--stack", "staging"]) == 2
    assert "unknown stack 'staging'" in capsys.readouterr().err
