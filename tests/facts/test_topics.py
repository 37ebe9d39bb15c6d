"""Every Kafka topic the Tartware app uses is created by the data tier (the brokers do not create
topics on first use). The app's topics are read from its source (facts/app_source.py, generated);
the names and lines asserted here are read by hand from red2n/tartware@a2583469."""

from __future__ import annotations

import pytest

from facts.app_source import APP_TOPICS
from facts.topics import PLATFORM_PARTITIONS
from tools.app_contract import created_topics, missing_topics

JOB = "kubernetes:batch/v1:Job"


def topic_script(run) -> str:
    (job,) = [j for j in run.of_type(JOB) if j.plain["metadata"]["name"] == "redpanda-topics"]
    return job.plain["spec"]["template"]["spec"]["containers"][0]["command"][-1]


@pytest.fixture(params=["dev", "prod"])
def script(request, dev_run, prod_run):
    return topic_script({"dev": dev_run, "prod": prod_run}[request.param])


def test_every_topic_the_app_uses_is_created(script):
    assert missing_topics(created_topics(script)) == []


def test_the_topics_the_published_platform_forgot_are_in_the_list():
    """Read by hand: availability-guard-service/src/config.ts:29,30,82 (inventory.events.shadow,
    inventory.events.dlq, availability-guard.notifications), notification-service/src/config.ts:39
    (notifications.events), billing-service/src/plugins/business-calendar-settings.ts:44 (settings.events);
    and the four the platform's helmfile created."""
    assert set(APP_TOPICS) == {
        "notifications.events", "availability-guard.notifications", "settings.events", "inventory.events.shadow",
        "inventory.events.dlq", "commands.primary", "commands.primary.dlq", "reservations.events",
        "reservations.events.dlq"}
    assert "Apps/billing-service/src/plugins/business-calendar-settings.ts:44" in APP_TOPICS["settings.events"]


def test_a_planted_missing_topic_names_it_and_where_the_app_uses_it(script):
    planted = "\n".join(line for line in script.splitlines() if not line.startswith("create settings.events "))
    (problem,) = missing_topics(created_topics(planted))
    assert problem == ("topic settings.events is not created; the app uses it at "
                       "Apps/billing-service/src/plugins/business-calendar-settings.ts:44")


def test_sized_topics_are_topics_of_the_app(prod_run):
    """A topic the platform sized that the app no longer uses would be sized for nothing."""
    assert set(PLATFORM_PARTITIONS) <= set(APP_TOPICS)
    script = topic_script(prod_run)
    # red2n/tartware@a2583469 platform/helmfile.yaml: 64 partitions for the event log, 16 for its DLQ
    assert "create reservations.events -p 64 -r 3 -c compression.type=zstd" in script
    assert "create reservations.events.dlq -p 16 -r 3 -c retention.ms=604800000 -c compression.type=zstd" in script
    # a topic the platform did not size gets the brokers' own default partition count; a DLQ keeps a week
    (redpanda,) = [r for r in prod_run.of_type("kubernetes:helm.sh/v3:Release") if r.plain["name"] == "redpanda"]
    default = redpanda.plain["values"]["config"]["cluster"]["default_topic_partitions"]
    assert f"create inventory.events.dlq -p {default} -r 3 -c retention.ms=604800000 -c compression.type=zstd" in script
