"""Regenerate facts/app_source.py: what the Tartware app is and needs, read from a git checkout of
github.com/red2n/tartware at one commit.

    git clone https://github.com/red2n/tartware /tmp/tartware
    python -m tools.extract_app --repo /tmp/tartware --commit a25834694cd695210b5302079471edbea490b31f

Only names, paths and line numbers are extracted (no app code is copied):

* metrics: every ``new Counter|Gauge|Histogram|Summary({ name: "..." })`` under ``Apps/*/src``
  (tests excluded), and the names built by ``createCommandConsumerMetrics("<prefix>")``
  (Apps/command-consumer-utils/src/metrics.ts) for each prefix a service passes;
* routes: every ``app.<method>("<path>"`` in ``Apps/api-gateway/src/routes``;
* required environment: per service, every variable that makes it exit, refuse or silently
  misbehave under ``NODE_ENV=production`` when unset, by the rules of ``REQUIRED_RULES`` below,
  each with the file and line where the service needs it;
* topics: every Kafka topic a service produces to or consumes from (topic defaults in the
  services' configuration, topic literals, and the command registry's default topic in the
  schema's ``command_templates`` table);
* the JWT issuer/audience each service defaults to, and which service signs tokens;
* the database pool variable and its default (``databaseSchema`` in Apps/config/src/index.ts).
"""

from __future__ import annotations

import argparse
import functools
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from facts.catalog import SERVICE_NAMES

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "facts" / "app_source.py"

METRIC = re.compile(r"new\s+(?:client\.)?(Counter|Gauge|Histogram|Summary)\s*\(\s*\{\s*name:\s*([\"'`])([^\"'`]+)\2")
CONSUMER_CALL = re.compile(r"createCommandConsumerMetrics\(\s*\"([a-z_]+)\"\s*\)")
CONSUMER_FILE = "Apps/command-consumer-utils/src/metrics.ts"
ROUTE = re.compile(r"app\.(get|post|put|patch|delete|all)\(\s*\"([^\"]+)\"")

CONFIG_INDEX = "Apps/config/src/index.ts"
CONFIG_HELPERS = "Apps/config/src/service-config-helpers.ts"
CONFIG_KAFKA = "Apps/config/src/kafka.ts"
TELEMETRY = "Apps/telemetry/src/index.ts"
COMMAND_TABLE = "scripts/tables/01-core/10_command_center.sql"

# Why a variable is required, by rule (the rule names are the second item of each
# APP_REQUIRED_ENV entry; the third names the shared line the rule rests on).
REQUIRED_RULES: dict[str, str] = {
    "node-env": "defaults to development, which switches every production check off",
    "port": "the service listens on the schema's default port, not its own",
    "throws-in-production": "the service throws at start in production when it is unset",
    "schema-required": "the configuration schema has no default: the service exits at start",
    "connection": "connection setting of a data-tier system; the default is a developer machine's",
    "production-kafka": "the service throws at start in production without explicit brokers",
    "loopback-default": "defaults to an address on the pod itself (localhost)",
    "login-password": "a password read without a default: the server refuses the login",
    "placeholder-refused": "defaults to a development placeholder the service refuses in production",
    "refused-when-true": "defaults to true, which the service refuses in production: must be false",
    "jwt-agreement": "services default to different JWT issuers/audiences: tokens core signs are refused",
    "telemetry": "unset: no traces are exported; the URL is used as given, so it carries /v1/traces",
    "cors": "unset in production: the gateway answers no cross-origin request (CORS off)",
}
# baseConfigSchema fields every service needs set (Apps/config/src/index.ts): NODE_ENV defaults to
# "development", PORT to 3000 (only core's own port).
BASE_REQUIRED = {"NODE_ENV": ("node-env", "production"), "PORT": ("port", "")}
CONNECTION_FIELD = re.compile(r"^[A-Z]+_(HOST|PORT|NAME|USER|PASSWORD)$")  # DB_HOST, REDIS_PASSWORD, ...
LOOPBACK = re.compile(r"localhost|127\.0\.0\.1")
ENV_DEFAULT = re.compile(r"(?:(\w+)\s*[:=]\s*)?(?:process\.)?env\.([A-Z][A-Z0-9_]+)\s*\?\?\s*\"([^\"]*)\"")
LOGIN_PASSWORD = re.compile(r"\bpassword:\s*(?:process\.)?env\.([A-Z][A-Z0-9_]*)\b(?!\s*\?\?)")
REFUSED_TRUE = re.compile(r"([A-Z][A-Z0-9_]+)=true is not allowed outside NODE_ENV=development")
CORS = re.compile(r"parseCorsOrigin\(\s*(?:process\.)?env\.([A-Z][A-Z0-9_]+)")
TELEMETRY_CALL = re.compile(r"\b(initTelemetry|bootstrapService)\(")
LOAD_CONFIG = re.compile(r"\bloadServiceConfig\(([^;]*)\)")
KAFKA_CALL = re.compile(r"\bresolveKafkaConfig\(")
TOPIC = re.compile(
    r"(?:[Tt]opic\w*\s*[:=(,]\s*(?:(?:process\.)?env\.\w+\s*\?\?\s*|env\(\"\w+\",\s*)?"
    r"|process\.env\.\w*TOPIC\w*\s*\?\?\s*)\"([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+)\"")
SQL_TOPIC = re.compile(r"default_topic\s+VARCHAR\(\d+\)\s+NOT NULL\s+DEFAULT\s+'([^']+)'")


def git(repo: str, *args: str) -> str:
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True).stdout


def read_files(repo: str, commit: str, paths: list[str]) -> dict[str, str]:
    """The text of every path at ``commit``, in one ``git cat-file --batch``."""
    request = "".join(f"{commit}:{p}\n" for p in paths).encode()
    out = subprocess.run(["git", "-C", repo, "cat-file", "--batch"], input=request, check=True,
                         capture_output=True).stdout
    texts: dict[str, str] = {}
    pos = 0
    for path in paths:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        texts[path] = out[header_end + 1:header_end + 1 + size].decode()
        pos = header_end + 1 + size + 1
    return texts


def source_files(repo: str, commit: str) -> dict[str, str]:
    """Every TypeScript source under Apps/*/src (tests excluded), plus the command table's SQL."""
    files = [f for f in git(repo, "ls-tree", "-r", "--name-only", commit, "Apps").splitlines()
             if f.endswith(".ts") and "/src/" in f and ".test." not in f and "__tests__" not in f and "/tests/" not in f]
    return read_files(repo, commit, files + [COMMAND_TABLE])


@functools.lru_cache(maxsize=None)
def code_lines(text: str) -> tuple[tuple[int, str], ...]:
    """(line number, line) of every line that is not a comment."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s.startswith(("//", "*", "/*")):
            out.append((n, line))
    return tuple(out)


def line_of(texts: dict[str, str], path: str, pattern: str) -> int:
    """The first line of ``path`` matching ``pattern``; a missing anchor is an error, not a guess."""
    for n, line in code_lines(texts[path]):
        if re.search(pattern, line):
            return n
    raise SystemExit(f"{path}: no line matches {pattern!r}: the app changed; revisit tools/extract_app.py")


def first_group(pattern: str, text: str, path: str) -> str:
    """The first group of ``pattern`` in ``text`` (of ``path``); a missing anchor is an error."""
    m = re.search(pattern, text)
    if m is None:
        raise SystemExit(f"{path}: nothing matches {pattern!r}: the app changed; revisit tools/extract_app.py")
    return m.group(1)


def service_of(path: str) -> str | None:
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "Apps" and parts[2] == "src" and parts[1] in SERVICE_NAMES else None


def extract(texts: dict[str, str]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    metrics: dict[str, str] = {}
    routes: dict[str, str] = {}
    kinds: dict[str, str] = {}
    consumer_templates: list[tuple[str, str]] = []
    for path, text in texts.items():
        if not path.endswith(".ts"):
            continue
        for kind, _q, name in METRIC.findall(text):
            if "${prefix}" in name:
                consumer_templates.append((kind, name))
            else:
                metrics.setdefault(name, path)
                kinds.setdefault(name, kind.lower())
        for prefix in CONSUMER_CALL.findall(text):
            metrics.setdefault(f"@{prefix}", path)
        if path.startswith("Apps/api-gateway/src/routes/"):
            for method, route in ROUTE.findall(" ".join(text.split())):
                routes.setdefault(f"{method.upper()} {route}", path)
    for marker in [m for m in metrics if m.startswith("@")]:
        prefix, caller = marker[1:], metrics.pop(marker)
        for kind, template in consumer_templates:
            name = template.replace("${prefix}", prefix)
            metrics.setdefault(name, f"{caller} via {CONSUMER_FILE}")
            kinds.setdefault(name, kind.lower())
    return dict(sorted(metrics.items())), dict(sorted(kinds.items())), dict(sorted(routes.items()))


@dataclass(frozen=True)
class Field:
    name: str
    line: int
    text: str
    required: bool  # no default and not optional: the schema refuses the environment without it


def schemas(texts: dict[str, str]) -> dict[str, list[Field]]:
    """``export const <name> = z.object({ FIELD: ... })`` blocks of Apps/config/src/index.ts.

    A field has a default when its own text or the named schema it uses (``booleanString``) has one.
    """
    text = texts[CONFIG_INDEX]
    defaulted = {m.group(1) for m in re.finditer(r"const (\w+) = z\b([^;]*);", text) if ".default(" in m.group(2)}
    raw: dict[str, list[tuple[str, int, str]]] = {}
    current: str | None = None
    fields: list[tuple[str, int, str]] = []
    for n, line in enumerate(text.splitlines(), 1):
        m = re.match(r"export const (\w+) = z\.object\(\{", line)
        if m:
            current, fields = m.group(1), []
            raw[current] = fields
            continue
        if current and line.startswith("});"):
            current = None
            continue
        if current:
            f = re.match(r"\s+([A-Z][A-Z0-9_]+):", line)
            if f:
                fields.append((f.group(1), n, line))
            elif fields:
                fields[-1] = (fields[-1][0], fields[-1][1], fields[-1][2] + line)

    def required(body: str) -> bool:
        return (".default(" not in body and ".optional()" not in body
                and not any(re.search(rf"\b{d}\b", body) for d in defaulted))

    return {name: [Field(f, n, body, required(body)) for f, n, body in fs] for name, fs in raw.items()}


def helper_requirements(texts: dict[str, str]) -> dict[str, list[tuple[str, int]]]:
    """Exported helper function -> the variables it throws for in production, with the line."""
    out: dict[str, list[tuple[str, int]]] = {}
    current = None
    for n, line in code_lines(texts[CONFIG_HELPERS]):
        m = re.match(r"export function (\w+)\(", line)
        if m:
            current = m.group(1)
        for var in re.findall(r"requireInProduction\(\"([A-Z][A-Z0-9_]+)\"\)", line):
            if current:
                out.setdefault(current, []).append((var, n))
    return out


def insecure_literals(texts: dict[str, str]) -> set[str]:
    """The strings Apps/config/src/index.ts refuses in production (``INSECURE_LITERALS``)."""
    return set(re.findall(r"\"([^\"]+)\"", first_group(r"INSECURE_LITERALS = new Set[^(]*\(\[(.*?)\]\);",
                                                 texts[CONFIG_INDEX].replace("\n", " "), CONFIG_INDEX)))


def jwt_defaults(texts: dict[str, str]) -> tuple[dict[str, tuple[str, str, str]], tuple[str, str]]:
    """Per service calling ensureAuthDefaults: (issuer, audience, call site); and the signer."""
    helper = texts[CONFIG_HELPERS]
    issuer = first_group(r"AUTH_JWT_ISSUER \?\? overrides\?\.issuer \?\? \"([^\"]+)\"", helper, CONFIG_HELPERS)
    audience = first_group(r"AUTH_JWT_AUDIENCE \?\?\s*overrides\?\.audience \?\? \"([^\"]+)\"", helper, CONFIG_HELPERS)
    out: dict[str, tuple[str, str, str]] = {}
    signer: tuple[str, str] | None = None
    for path, text in sorted(texts.items()):
        svc = service_of(path)
        if svc is None:
            continue
        for n, line in code_lines(text):
            if "ensureAuthDefaults(" in line and svc not in out:
                i = re.search(r"issuer:\s*\"([^\"]+)\"", line)
                a = re.search(r"audience:\s*\"([^\"]+)\"", line)
                out[svc] = (i.group(1) if i else issuer, a.group(1) if a else audience, f"{path}:{n}")
            if signer is None and "jwt.sign(" in line and re.search(r"\bjwt\.sign\(", line):
                signer = (svc, f"{path}:{n}")
    if signer is None:
        raise SystemExit("no service signs JWTs (jwt.sign): the app changed; revisit tools/extract_app.py")
    return dict(sorted(out.items())), signer


def required_env(texts: dict[str, str]) -> dict[str, dict[str, tuple[str, str, str, str]]]:
    """service -> variable -> (file:line where the service needs it, rule, shared line the rule rests
    on, value it must have or "" for any)."""
    found: dict[str, dict[str, tuple[str, str, str, str]]] = {s: {} for s in SERVICE_NAMES}

    def need(svc: str, var: str, site: str, rule: str, basis: str, value: str = "") -> None:
        found[svc].setdefault(var, (site, rule, basis, value))

    all_schemas = schemas(texts)
    base = {f.name: f for f in all_schemas["baseConfigSchema"]}
    helpers = helper_requirements(texts)
    placeholders = insecure_literals(texts)
    placeholder_line = line_of(texts, CONFIG_INDEX, r"INSECURE_LITERALS = new Set")
    kafka_line = line_of(texts, CONFIG_KAFKA, r"Production requires explicit KAFKA_BROKERS")
    kafka_var = first_group(r"Production requires explicit ([A-Z][A-Z0-9_]+)", texts[CONFIG_KAFKA], CONFIG_KAFKA)
    traces_line = line_of(texts, TELEMETRY, r"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT \?\?")
    jwt, _signer = jwt_defaults(texts)
    jwt_disagree = len({(i, a) for i, a, _ in jwt.values()}) > 1
    helper_call = re.compile(r"\b(" + "|".join(map(re.escape, helpers)) + r")\(")

    # identifiers each service uses (for "is this default ever read?")
    service_text: dict[str, list[tuple[str, int, str]]] = {s: [] for s in SERVICE_NAMES}
    for path, text in texts.items():
        svc = service_of(path)
        if svc:
            service_text[svc] += [(path, n, line) for n, line in code_lines(text)]

    joined = {svc: "\n".join(line for _p, _n, line in lines) for svc, lines in service_text.items()}

    def used_elsewhere(svc: str, ident: str, line: str) -> bool:
        """``ident`` appears in the service's code outside its defining ``line``."""
        pattern = re.compile(rf"\b{re.escape(ident)}\b")
        return len(pattern.findall(joined[svc])) > len(pattern.findall(line))

    for svc in SERVICE_NAMES:
        for path, n, line in sorted(service_text[svc]):
            if "(" not in line and "??" not in line and "password" not in line and "not allowed" not in line:
                continue  # every rule below needs a call, a default, a password or a refusal message
            site = f"{path}:{n}"
            m = LOAD_CONFIG.search(line) if "loadServiceConfig(" in line else None
            if m:
                for name, (rule, value) in BASE_REQUIRED.items():
                    need(svc, name, site, rule, f"{CONFIG_INDEX}:{base[name].line}", value)
                for schema in re.findall(r"\b(\w+Schema)\b", m.group(1)):
                    for f in all_schemas.get(schema, []):
                        if f.required:
                            need(svc, f.name, site, "schema-required", f"{CONFIG_INDEX}:{f.line}")
                        elif CONNECTION_FIELD.search(f.name) and schema != "baseConfigSchema":
                            need(svc, f.name, site, "connection", f"{CONFIG_INDEX}:{f.line}")
            for helper in helper_call.findall(line) if helpers else ():
                for var, hl in helpers[helper]:
                    need(svc, var, site, "throws-in-production", f"{CONFIG_HELPERS}:{hl}")
            if "resolveKafkaConfig(" in line and KAFKA_CALL.search(line):
                need(svc, kafka_var, site, "production-kafka", f"{CONFIG_KAFKA}:{kafka_line}")
            for ident, var, default in (ENV_DEFAULT.findall(line) if "??" in line else ()):
                if default in placeholders:
                    need(svc, var, site, "placeholder-refused", f"{CONFIG_INDEX}:{placeholder_line}")
                elif LOOPBACK.search(default) and (not ident or used_elsewhere(svc, ident, line)):
                    need(svc, var, site, "loopback-default", site)
            for var in LOGIN_PASSWORD.findall(line) if "password:" in line else ():
                need(svc, var, site, "login-password", site)
            for var in REFUSED_TRUE.findall(line) if "not allowed" in line else ():
                need(svc, var, site, "refused-when-true", site, "false")
            if ("Telemetry(" in line or "bootstrapService(" in line) and TELEMETRY_CALL.search(line):
                need(svc, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", site, "telemetry", f"{TELEMETRY}:{traces_line}")
            for var in CORS.findall(line) if "parseCorsOrigin(" in line else ():
                need(svc, var, site, "cors", site)
            if "ensureAuthDefaults(" in line and jwt_disagree:
                for var in ("AUTH_JWT_ISSUER", "AUTH_JWT_AUDIENCE"):
                    need(svc, var, site, "jwt-agreement", f"{CONFIG_HELPERS}:{line_of(texts, CONFIG_HELPERS, var + ' =')}")
    for svc, needs in found.items():
        if not needs:
            raise SystemExit(f"{svc}: no requirement found: the app changed; revisit tools/extract_app.py")
    return {svc: dict(sorted(needs.items())) for svc, needs in found.items()}


def topics(texts: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """topic -> every file:line naming it (configuration defaults, literals, the command table)."""
    out: dict[str, list[str]] = {}
    for path, text in sorted(texts.items()):
        if not path.startswith("Apps/"):
            continue
        for n, line in code_lines(text):
            for name in TOPIC.findall(line):
                out.setdefault(name, []).append(f"{path}:{n}")
    for n, line in enumerate(texts[COMMAND_TABLE].splitlines(), 1):
        for name in SQL_TOPIC.findall(line):
            out.setdefault(name, []).append(f"{COMMAND_TABLE}:{n}")
    return {name: tuple(sites) for name, sites in sorted(out.items())}


def db_pool(texts: dict[str, str]) -> tuple[str, int, str]:
    """(variable, default, file:line) of the connection pool size of every service's database pool."""
    for f in schemas(texts)["databaseSchema"]:
        if f.name == "DB_POOL_MAX":
            return f.name, int(first_group(r"\.default\((\d+)\)", f.text, CONFIG_INDEX)), f"{CONFIG_INDEX}:{f.line}"
    raise SystemExit("databaseSchema has no DB_POOL_MAX: the app changed; revisit tools/extract_app.py")


def _dict(name: str, comment: str, items: dict, value_type: str) -> list[str]:
    return [f"# {comment}", f"{name}: {value_type} = {{", *[f"    {k!r}: {v!r}," for k, v in items.items()], "}", ""]


def render(commit: str, texts: dict[str, str]) -> str:
    metrics, kinds, routes = extract(texts)
    env = required_env(texts)
    jwt, signer = jwt_defaults(texts)
    pool = db_pool(texts)
    lines = [
        '"""The Tartware app as deployed: its metrics, gateway routes, required environment and topics.',
        "",
        "GENERATED by `python -m tools.extract_app` from github.com/red2n/tartware at APP_COMMIT; do not",
        "edit by hand. Names, paths and line numbers only, each with the file that defines it.",
        '"""',
        "",
        "APP_REPOSITORY = \"https://github.com/red2n/tartware\"",
        f"APP_COMMIT = \"{commit}\"",
        "",
        *_dict("APP_METRICS", "metric name -> file that registers it (prom-client)", metrics, "dict[str, str]"),
        *_dict("APP_METRIC_TYPES", "metric name -> prom-client type (a histogram is exposed as <name>_bucket, _sum, _count)",
               kinds, "dict[str, str]"),
        *_dict("GATEWAY_ROUTES", "\"METHOD /path\" -> gateway route file (fastify; ALL = any method)", routes,
               "dict[str, str]"),
        *_dict("REQUIRED_RULES", "rule -> why a variable it names is required", REQUIRED_RULES, "dict[str, str]"),
        "# service -> variable -> (file:line where the service needs it, rule, file:line the rule rests on,",
        "# the value it must have or \"\" for any non-empty value): every variable that makes the service exit,",
        "# refuse or silently misbehave under NODE_ENV=production when unset",
        "APP_REQUIRED_ENV: dict[str, dict[str, tuple[str, str, str, str]]] = {",
    ]
    for svc, needs in env.items():
        lines.append(f"    {svc!r}: {{")
        lines += [f"        {var!r}: {need!r}," for var, need in needs.items()]
        lines.append("    },")
    lines += [
        "}",
        "",
        *_dict("APP_TOPICS", "Kafka topic -> every file:line that names it (producers, consumers, defaults)",
               topics(texts), "dict[str, tuple[str, ...]]"),
        *_dict("APP_JWT_DEFAULTS", "service -> (JWT issuer, audience it verifies with by default, file:line)",
               jwt, "dict[str, tuple[str, str, str]]"),
        "# the service that signs access tokens, and where",
        f"APP_JWT_SIGNER: tuple[str, str] = {signer!r}",
        "",
        "# the database pool size: (variable, default, file:line); one pool per service process",
        f"APP_DB_POOL: tuple[str, int, str] = {pool!r}",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", required=True, help="git directory of a red2n/tartware clone")
    parser.add_argument("--commit", required=True)
    parser.add_argument("--check", action="store_true", help="exit 1 if facts/app_source.py is out of date")
    args = parser.parse_args(argv)
    commit = git(args.repo, "rev-parse", args.commit).strip()
    text = render(commit, source_files(args.repo, commit))
    if args.check:
        if OUT.read_text() != text:
            print(f"{OUT.relative_to(ROOT)} out of date; run python -m tools.extract_app", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)} at {commit[:8]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
