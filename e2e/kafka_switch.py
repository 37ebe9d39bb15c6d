"""The app's ``DISABLE_KAFKA`` switch: which services read it, which would need it, which have it.

``DISABLE_KAFKA=true`` makes a service skip its Kafka consumers: the shared start-up of
@tartware/fastify-server reads it (red2n/tartware@a2583469 Apps/fastify-server/src/bootstrap.ts:61,
consumers skipped at :99-107), and reservations-command-service's Kafka health check too
(Apps/reservations-command-service/src/lib/health-checks.ts:20). A harness may set it only for a
service whose consumers cannot run against what the harness provides. Here none needs it: every
topic the program creates is on the Kafka stand-in and the stand-in serves the consumer-group
protocol (e2e/kafka_standin.py), so every consumer runs; the harness sets it for no service and
runs each with its rendered env, which has none (the chart never sets it). A rendered env that
sets it would switch consumers off in production: that is a failure.

Which services read it is taken from the built app tree at run time, not written down here: a
service reads it when its own source calls ``bootstrapService`` or names the variable.
"""

from __future__ import annotations

from pathlib import Path

VARIABLE = "DISABLE_KAFKA"
BOOTSTRAP = "bootstrapService("  # @tartware/fastify-server's start-up, which reads the variable


def readers(tree: Path, services: list[str]) -> dict[str, str]:
    """Per service that reads the variable, the first file of its own source that makes it do so."""
    found: dict[str, str] = {}
    for name in services:
        for path in sorted((tree / "Apps" / name / "src").rglob("*.ts")):
            text = path.read_text(errors="replace")
            if VARIABLE in text or BOOTSTRAP in text:
                found[name] = str(path.relative_to(tree))
                break
    return found


def switched_off(envs: dict[str, dict[str, str]]) -> list[str]:
    """The services whose env turns their consumers off (the app compares with "true")."""
    return sorted(name for name, env in envs.items() if env.get(VARIABLE) == "true")


def consumers(joins: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Consumer groups that joined at the stand-in, per Kafka client id."""
    by_client: dict[str, set[str]] = {}
    for group, client in joins:
        by_client.setdefault(client, set()).add(group)
    return {client: sorted(groups) for client, groups in sorted(by_client.items())}
