"""rules/cross_section.py alone: the cross-section rules take the settings model, nothing else."""

import dataclasses

from rules import cross_section as rules
from settings.errors import ProblemCollector
from program.load import build_settings

NS = "tartware-infra"


def _problems(settings) -> dict[str, str]:
    problems = ProblemCollector()
    rules.check_platform(settings, problems)
    rules.check_ops(settings, problems)
    return {p.key: p.message for p in problems.problems}


def test_requests_per_second_target_is_a_real_field():
    valid = build_settings({"environment": "prod"})
    assert valid.requests_per_second_target == 0
    assert _problems(valid) == {}
    # the model alone decides: a target with no adapter serving http_requests_per_second
    no_adapter = dataclasses.replace(valid.observability, prometheus_adapter=False)
    with_target = dataclasses.replace(valid, observability=no_adapter, requests_per_second_target=300)
    problems = _problems(with_target)
    assert "no metrics adapter serves it" in problems[f"{NS}:hpaRequestsPerSecondTarget"]
    assert _problems(dataclasses.replace(valid, observability=no_adapter)) == {}


def test_the_loader_fills_the_field_from_the_key():
    assert build_settings({"hpaRequestsPerSecondTarget": 250}).requests_per_second_target == 250


def test_acme_on_a_private_domain_is_refused():
    valid = build_settings({"environment": "prod"})
    acme = dataclasses.replace(valid, platform=dataclasses.replace(valid.platform, cert_issuer="acme"))
    assert f"{NS}:certIssuer" in _problems(acme)
