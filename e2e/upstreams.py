"""Which service the gateway really sent each request to, read from the gateway's own spans.

A label in the harness ("this GET reaches reservations-command-service") is only a claim: the
gateway decides where a route goes (red2n/tartware@a2583469 Apps/api-gateway/src/routes/*.ts, each
route's ``proxyRequest(..., serviceTargets.<x>ServiceUrl)``), and ``GET /v1/reservations`` turned
out to be core's. The gateway's telemetry says where each proxied call went: its undici
instrumentation records a CLIENT span per outgoing request with the full URL (``url.full``), and
the app exports spans as OTLP/HTTP JSON (``@opentelemetry/exporter-trace-otlp-http``,
Apps/telemetry/src/index.ts:569-574) to the harness's OTLP sink. Each service has its own port
here (the chart's ports), so the port of the call names the service that answered.

Sources: the OTLP JSON encoding (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding),
``SPAN_KIND_CLIENT = 3`` (open-telemetry/opentelemetry-proto@v1.5.0
opentelemetry/proto/trace/v1/trace.proto), ``url.full`` (OpenTelemetry semantic conventions,
https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-client-span).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

SPAN_KIND_CLIENT = 3


def _value(attribute: dict) -> object:
    value = attribute.get("value", {})
    return next(iter(value.values()), None) if isinstance(value, dict) else None


def client_calls(bodies: list[bytes], service: str) -> set[tuple[int, str]]:
    """(port, path) of every outgoing HTTP call in ``service``'s CLIENT spans. Bodies that are not
    OTLP/JSON (an exporter switched to protobuf) are skipped: then no call is found, which the
    caller reports."""
    calls: set[tuple[int, str]] = set()
    for body in bodies:
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            continue
        for resource_spans in data.get("resourceSpans", []):
            attributes = resource_spans.get("resource", {}).get("attributes", [])
            if not any(a.get("key") == "service.name" and _value(a) == service for a in attributes):
                continue
            for scope_spans in resource_spans.get("scopeSpans", []):
                for span in scope_spans.get("spans", []):
                    if span.get("kind") != SPAN_KIND_CLIENT:
                        continue
                    url = next((_value(a) for a in span.get("attributes", []) if a.get("key") == "url.full"), None)
                    if isinstance(url, str):
                        parts = urlsplit(url)
                        if parts.port is not None:
                            calls.add((parts.port, parts.path))
    return calls


def misrouted(expected: list[tuple[str, str, int]], calls: set[tuple[int, str]],
              port_owner: dict[int, str]) -> list[str]:
    """For each (service, path, port) the harness claims, what is wrong: the call went to another
    service's port, or no call of that path was recorded at all."""
    problems: list[str] = []
    for service, path, port in expected:
        path = urlsplit(path).path
        if (port, path) in calls:
            continue
        elsewhere = sorted(p for p, q in calls if q == path)
        if elsewhere:
            went = ", ".join(f":{p} ({port_owner.get(p, 'not a service')})" for p in elsewhere)
            problems.append(f"{service}: the gateway sent GET {path} to {went}, not to {service} on :{port}")
        else:
            problems.append(f"{service}: no span of the gateway's call of GET {path} (expected to :{port})")
    return problems
