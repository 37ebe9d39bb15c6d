"""tools/extract_app.py: the rules that read the app's needs from its source, on a small synthetic app
written here (no app code), and the generated facts/app_source.py against the real checkout when one
is given (TARTWARE_APP_SRC: a git directory of red2n/tartware holding APP_COMMIT)."""

from __future__ import annotations

import os

import pytest

from facts.app_source import APP_COMMIT
from facts.catalog import SERVICE_NAMES
from tools import extract_app as app_source

INDEX = """\
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(["development", "production"]).default("development"),
  PORT: z.coerce.number().default(3000),
  HOST: z.string().default("0.0.0.0"),
});

export const databaseSchema = z.object({
  DB_HOST: z.string().default("127.0.0.1"),
  DB_PASSWORD: z
    .string()
    .refine((v) => v.length > 0),
  DB_SSL: flag,
  DB_POOL_MAX: z.coerce.number().int().default(15),
});

const flag = z.boolean().default(false);
const INSECURE_LITERALS = new Set<string>([
  "placeholder-key",
]);
"""
HELPERS = """\
export function ensureAuthDefaults(overrides?: { issuer?: string; audience?: string }): void {
  if (!process.env.AUTH_JWT_SECRET) { requireInProduction("AUTH_JWT_SECRET"); }
  process.env.AUTH_JWT_ISSUER = process.env.AUTH_JWT_ISSUER ?? overrides?.issuer ?? "issuer-a";
  process.env.AUTH_JWT_AUDIENCE =
    process.env.AUTH_JWT_AUDIENCE ?? overrides?.audience ?? "audience-a";
}
export function ensureServiceAuthPassword(): void {
  if (!process.env.SERVICE_AUTH_PASSWORD) { requireInProduction("SERVICE_AUTH_PASSWORD"); }
}
"""
KAFKA = 'throw new Error("Production requires explicit KAFKA_BROKERS; no default");\n'
TELEMETRY = "const traceEndpoint =\n  process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT;\n"
TABLE = "    default_topic VARCHAR(150) NOT NULL DEFAULT 'commands.main',\n"


def synthetic(**services: str) -> dict[str, str]:
    """The shared files plus one config.ts per service (a plain one unless given)."""
    texts = {app_source.CONFIG_INDEX: INDEX, app_source.CONFIG_HELPERS: HELPERS, app_source.CONFIG_KAFKA: KAFKA,
             app_source.TELEMETRY: TELEMETRY, app_source.COMMAND_TABLE: TABLE}
    for name in SERVICE_NAMES:
        texts[f"Apps/{name}/src/config.ts"] = services.get(name.replace("-", "_"), "const c = loadServiceConfig(baseConfigSchema);\n")
    return texts


GUESTS = """\
ensureAuthDefaults();
ensureServiceAuthPassword();
const configValues = loadServiceConfig(databaseSchema);
const key = process.env.GUEST_KEY ?? "placeholder-key";
const urls = { roomsUrl: process.env.ROOMS_URL ?? "http://localhost:3015", unusedUrl: process.env.UNUSED_URL ?? "http://localhost:5000" };
fetch(config.urls.roomsUrl);
const topic = process.env.GUEST_TOPIC ?? "guests.events";
"""
CORE = 'ensureAuthDefaults({ issuer: "issuer-b", audience: "audience-b" });\njwt.sign(payload, secret);\n'


def test_each_rule_reads_its_variable_and_line():
    env = app_source.required_env(synthetic(guests_service=GUESTS, core_service=CORE))
    guests = env["guests-service"]
    site = "Apps/guests-service/src/config.ts"
    assert guests["SERVICE_AUTH_PASSWORD"][:3] == (f"{site}:2", "throws-in-production",
                                                   f"{app_source.CONFIG_HELPERS}:8")
    assert guests["AUTH_JWT_SECRET"][1] == "throws-in-production"
    assert guests["DB_PASSWORD"][:3] == (f"{site}:3", "schema-required", f"{app_source.CONFIG_INDEX}:9")
    assert guests["DB_HOST"][1] == "connection" and "DB_SSL" not in guests  # its named schema has a default
    assert "DB_POOL_MAX" not in guests and "HOST" not in guests
    assert guests["NODE_ENV"][1:] == ("node-env", f"{app_source.CONFIG_INDEX}:2", "production")
    assert guests["GUEST_KEY"][:2] == (f"{site}:4", "placeholder-refused")
    assert guests["ROOMS_URL"][1] == "loopback-default"
    assert "UNUSED_URL" not in guests  # read into a field no code reads
    # the two services default to different issuers: both must be told the same one
    assert guests["AUTH_JWT_ISSUER"][1] == env["core-service"]["AUTH_JWT_AUDIENCE"][1] == "jwt-agreement"
    jwt, signer = app_source.jwt_defaults(synthetic(guests_service=GUESTS, core_service=CORE))
    assert jwt["guests-service"][:2] == ("issuer-a", "audience-a") and jwt["core-service"][:2] == ("issuer-b", "audience-b")
    assert signer == ("core-service", "Apps/core-service/src/config.ts:2")


def test_a_planted_removal_drops_the_requirement():
    without = GUESTS.replace("ensureServiceAuthPassword();\n", "\n")
    assert "SERVICE_AUTH_PASSWORD" not in app_source.required_env(synthetic(guests_service=without, core_service=CORE))["guests-service"]


def test_no_jwt_agreement_needed_when_every_default_agrees():
    same = CORE.replace('{ issuer: "issuer-b", audience: "audience-b" }', "")
    env = app_source.required_env(synthetic(guests_service=GUESTS, core_service=same))
    assert "AUTH_JWT_ISSUER" not in env["guests-service"]


def test_a_missing_anchor_stops_the_generator():
    texts = synthetic(guests_service=GUESTS, core_service=CORE)
    texts[app_source.TELEMETRY] = "nothing here\n"
    with pytest.raises(SystemExit, match="Apps/telemetry/src/index.ts: no line matches"):
        app_source.required_env(texts)


def test_topics_from_defaults_literals_and_the_command_table():
    topics = app_source.topics(synthetic(guests_service=GUESTS, core_service=CORE))
    assert topics == {"commands.main": (f"{app_source.COMMAND_TABLE}:1",),
                      "guests.events": ("Apps/guests-service/src/config.ts:7",)}


@pytest.mark.skipif(not os.environ.get("TARTWARE_APP_SRC"), reason="TARTWARE_APP_SRC (a red2n/tartware git checkout) not set")
def test_generated_file_is_current():
    assert app_source.main(["--repo", os.environ["TARTWARE_APP_SRC"], "--commit", APP_COMMIT, "--check"]) == 0
