"""ops/migrate/migrate.sh, the migration contract's runner, against a real PostgreSQL server.

The app's SQL cannot be used here (the app is UNLICENSED, and the suite runs without its
checkout), so each test builds a tiny synthetic app tree of our own in the layout the runner
expects (docs/app.md "Migration contract": `/app/COMMIT`, `scripts/...` under the names the runner
calls): a few tables with the columns the runner's own `service-account` step writes, one
statement per step. `node` and `tsx` are stand-ins (shell scripts that read the file they are
given; `node -e` prints a bcrypt-shaped string): the runner only needs them to exist and to exit
0, and the real ones run in the end-to-end harness against the app itself.

What runs: a first install, a second run at the same commit ("current": only the every-run
steps), an upgrade from another commit (only the steps the contract marks "on upgrade: yes"), a
tolerated error counted, a failing step that stops the run with its output and a non-zero exit,
and the refusals: the image's `/app/COMMIT` not the pinned one, a `PGDATABASE` the app's SQL does
not name, a missing tool, a user that is not a superuser, a half-finished install and a database
with app tables but no record (an adopted one).

The server is Debian's, started the way the harness starts it (e2e/local.py `Postgres`: initdb in a
private directory, SCRAM over TCP, run as the `postgres` user when the tests run as root).
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from e2e.local import PG_BINDIRS, Postgres
from e2e.migration_modes import OTHER_COMMIT, as_another_commit, problems, steps_run

ROOT = Path(__file__).resolve().parents[2]
MIGRATE = ROOT / "ops" / "migrate" / "migrate.sh"
COMMIT = "1234567890abcdef1234567890abcdef12345678"
ADMIN_PASSWORD = "synthetic-admin-password"

pytestmark = pytest.mark.skipif(
    not PG_BINDIRS, reason="no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)")

# The steps of docs/app.md "Migration contract" (its Steps table), in order, and those marked
# "on upgrade: yes"; "current" runs only service-account ("Idempotency and versions").
INSTALL_STEPS = ["setup", "enums", "tables", "command-templates", "indexes", "constraints", "fk-indexes", "seed",
                 "settings-seed", "bootstrap-admin", "procedures", "triggers", "constraint-messages",
                 "app-migrations", "roles", "service-account"]
UPGRADE_STEPS = ["command-templates", "fk-indexes", "procedures", "triggers", "constraint-messages",
                 "app-migrations", "roles", "service-account"]

# Our own minimal schema: the tables and columns the runner's service-account step writes.
TABLES = """
CREATE TABLE tenants (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL,
                      is_deleted boolean DEFAULT false, deleted_at timestamptz,
                      created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), tenant_id uuid NOT NULL REFERENCES tenants (id),
                    username text NOT NULL UNIQUE, email text, password_hash text, first_name text, last_name text,
                    is_active boolean, is_verified boolean, password_rotated_at timestamptz, metadata jsonb,
                    failed_login_attempts integer DEFAULT 0, locked_until timestamptz, updated_at timestamptz);
CREATE TABLE user_tenant_associations (user_id uuid REFERENCES users (id), tenant_id uuid REFERENCES tenants (id),
                                       role text, is_active boolean, modules jsonb, PRIMARY KEY (user_id, tenant_id));
"""


def synthetic_files(database: str) -> dict[str, str]:
    """One statement per step, under the paths the runner calls (relative to the tree)."""
    return {
        "scripts/01-database-setup.sql": f"\\c {database}\n"
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tartware_app') THEN "
        "CREATE ROLE tartware_app LOGIN PASSWORD 'synthetic'; END IF; END $$;\n",
        "scripts/02-enum-types.sql": "CREATE TYPE synthetic_state AS ENUM ('open', 'closed');\n",  # not repeatable
        "scripts/tables/00-create-all-tables.sql": TABLES,
        "scripts/tables/01-core/10_command_center.sql":
            "CREATE TABLE IF NOT EXISTS synthetic_templates (name text PRIMARY KEY);\n"
            "INSERT INTO synthetic_templates VALUES ('default') ON CONFLICT DO NOTHING;\n",
        "scripts/indexes/00-create-all-indexes.sql": "CREATE INDEX synthetic_users_email ON users (email);\n",
        # one error, as the app's constraints step has at the pin: tolerated and counted
        "scripts/constraints/00-create-all-constraints.sql":
            "ALTER TABLE users ADD CONSTRAINT synthetic_fk FOREIGN KEY (no_such_column) REFERENCES tenants (id);\n",
        "scripts/indexes/99_auto_fk_indexes.sql":
            "CREATE INDEX IF NOT EXISTS synthetic_uta_tenant ON user_tenant_associations (tenant_id);\n",
        "scripts/data/defaults/seed-default-data.mjs": "// read by the node stand-in\n",
        "scripts/tables/08-settings/15_settings_seed.sql": "INSERT INTO tenants (name) VALUES ('Synthetic Hotel');\n",
        "Apps/core-service/scripts/reset-default-password.ts": "// read by the tsx stand-in\n",
        "scripts/procedures/00-create-all-procedures.sql":
            "CREATE OR REPLACE FUNCTION synthetic_one() RETURNS integer LANGUAGE sql AS 'SELECT 1';\n",
        "scripts/triggers/00-create-all-efficiency-triggers.sql": "SELECT synthetic_one();\n",
        "scripts/add_friendly_constraint_messages.sql": "COMMENT ON TABLE users IS 'synthetic';\n",
        "scripts/migrate.sh": 'echo "$1: no versioned migrations"\n',
    }


STAND_INS = {
    "node": '#!/bin/sh\n# stand-in: `node -e` prints a bcrypt-shaped hash; a script is only read\n'
            'if [ "$1" = -e ]; then printf %s \'$2b$12$syntheticsyntheticsynthOsyntheticsyntheticsynthe\'; exit 0; fi\n'
            'cat "$1" >/dev/null\n',
    "tsx": '#!/bin/sh\n# stand-in: the script is only read\ncat "$1" >/dev/null\n',
}


@pytest.fixture(scope="module")
def pg():
    work = Path(tempfile.mkdtemp(prefix="tartware-migrate-"))
    work.chmod(0o711)  # the server runs as `postgres` when the tests run as root: it must reach work/pg
    server = Postgres(work / "pg", ADMIN_PASSWORD, "tartware", "synthetic-app-password", "tartware")
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


class App:
    """A synthetic tree, its database and the runner's environment (as the hook Job sets it)."""

    def __init__(self, pg: Postgres, base: Path, database: str):
        self.pg, self.base, self.database = pg, base, database
        self.tree, self.bin = base / "app", base / "bin"
        for path, text in synthetic_files(database).items():
            (self.tree / path).parent.mkdir(parents=True, exist_ok=True)
            (self.tree / path).write_text(text)
        (self.tree / "COMMIT").write_text(COMMIT + "\n")
        self.bin.mkdir()
        for name, text in STAND_INS.items():
            (self.bin / name).write_text(text)
            (self.bin / name).chmod(0o755)
        pg.sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        pg.sql(f'CREATE DATABASE "{database}" OWNER tartware')

    def env(self, **extra: str) -> dict[str, str]:
        env = {"PATH": f"{self.bin}:{self.pg.bindir}:/usr/bin:/bin", "HOME": str(self.base), "LANG": "C.UTF-8",
               "PGHOST": "127.0.0.1", "PGPORT": str(self.pg.port), "PGDATABASE": self.database, "PGUSER": "postgres",
               "PGPASSWORD": ADMIN_PASSWORD, "PGCONNECT_TIMEOUT": "5", "TARTWARE_APP_DIR": str(self.tree),
               "TARTWARE_APP_COMMIT": COMMIT, "APP_DB_USER": "tartware", "AUTH_DEFAULT_PASSWORD": "synthetic-default",
               "SERVICE_AUTH_USERNAME": "tartware.service", "SERVICE_AUTH_PASSWORD": "synthetic-service"}
        env.update(extra)
        return env

    def migrate(self, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(["sh", str(MIGRATE)], env=self.env(**extra), capture_output=True, text=True, timeout=120)

    def sql(self, statement: str) -> str:
        return self.pg.sql(statement, self.database).strip()


DATABASES = itertools.count(1)


@pytest.fixture
def app(pg, tmp_path):
    return App(pg, tmp_path, f"synthetic_{next(DATABASES)}")  # a database of its own per test


def failed(result: subprocess.CompletedProcess) -> str:
    """The runner's verdict on a failure: its last stderr line, which must start 'migration FAILED:'."""
    assert result.returncode != 0, result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("migration FAILED: "), result.stderr
    return last


def test_install_then_current_then_upgrade_run_exactly_their_steps(app):
    script = MIGRATE.read_text()
    first = app.migrate()
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.strip().splitlines()[-1] == f"migration OK: app commit {COMMIT} (install)"
    assert steps_run(first.stdout) == INSTALL_STEPS
    # the tolerated error is printed and counted, not hidden
    assert "tolerated in constraints" in first.stdout and "no_such_column" in first.stdout
    assert app.sql("SELECT tolerated_errors FROM tartware_infra.app_schema WHERE step = 'constraints'") == "1"
    assert app.sql("SELECT count(*) FROM users WHERE username = 'tartware.service'") == "1"

    again = app.migrate()  # the same commit: nothing of the schema again (enums would fail if it were)
    assert problems("current", again.returncode, again.stdout, again.stderr, script) == []
    assert steps_run(again.stdout) == ["service-account"]

    app.sql(as_another_commit(COMMIT))  # the database now looks completed by another commit
    upgrade = app.migrate()
    assert problems("upgrade", upgrade.returncode, upgrade.stdout, upgrade.stderr, script) == []
    assert f"upgrading the app schema from commit {OTHER_COMMIT} to {COMMIT}" in upgrade.stdout
    assert steps_run(upgrade.stdout) == UPGRADE_STEPS
    assert "-- enums: install only, not repeated on an upgrade" in upgrade.stdout
    assert app.sql("SELECT count(*) FROM tartware_infra.app_schema WHERE app_commit = "
                   f"'{COMMIT}' AND step = 'complete'") == "1"
    # the harness's own judgement of a run catches a run that re-applies an install-only step
    planted = problems("upgrade", 0, first.stdout.replace("(install)", "(upgrade)"), "", script)
    assert len(planted) == 1 and "re-applied: bootstrap-admin constraints enums indexes seed settings-seed " \
        "setup tables" in planted[0], planted


def test_a_failing_step_exits_non_zero_with_its_output_then_the_half_install_is_refused(app):
    index_file = app.tree / "scripts/indexes/00-create-all-indexes.sql"
    good = index_file.read_text()
    index_file.write_text("CREATE INDEX synthetic_broken ON no_such_table (x);\n")
    result = app.migrate()
    assert failed(result) == "migration FAILED: step indexes failed (output above)"
    assert 'relation "no_such_table" does not exist' in result.stdout  # the step's own output, printed
    assert "migration OK" not in result.stdout
    recorded = app.sql("SELECT string_agg(step, ' ' ORDER BY applied_at) FROM tartware_infra.app_schema")
    assert recorded == "setup enums tables command-templates"  # no 'complete' row

    index_file.write_text(good)  # fixed, but the schema steps before it cannot be repeated
    result = app.migrate()
    last = failed(result)
    assert f"an install of app commit {COMMIT} stopped after the steps: setup enums tables command-templates" in last
    assert f"DROP DATABASE {app.database}; CREATE DATABASE {app.database} OWNER tartware" in last


def test_an_adopted_database_is_refused_until_it_is_recorded(app):
    app.pg.sql(TABLES, app.database)  # app tables, set up without this runner
    result = app.migrate()
    last = failed(result)
    assert "the database has 3 app tables but no record of a migration" in last
    assert "INSERT INTO tartware_infra.app_schema (app_commit, step) VALUES ('<commit>', 'complete')" in last
    assert app.sql("SELECT count(*) FROM tartware_infra.app_schema") == "0"
    # recorded by hand as the message says: from then on it is "current" at that commit
    app.sql(f"INSERT INTO tartware_infra.app_schema (app_commit, step) VALUES ('{COMMIT}', 'complete')")
    app.sql("INSERT INTO tenants (name) VALUES ('Adopted Hotel')")  # the service account's home
    result = app.migrate()
    assert result.returncode == 0 and result.stdout.strip().endswith("(current)"), result.stdout + result.stderr


@pytest.mark.parametrize("case, change, message", [
    ("image commit", {"COMMIT": "ffffffffffffffffffffffffffffffffffffffff\n"},
     f"the image holds app commit ffffffffffffffffffffffffffffffffffffffff but the release pins {COMMIT}"),
    ("database name", {"PGDATABASE": "hotel"},
     "the app's SQL connects to the database '{database}' by name (scripts/01-database-setup.sql) but PGDATABASE "
     "is 'hotel'"),
    ("short commit", {"TARTWARE_APP_COMMIT": "1234567"}, "TARTWARE_APP_COMMIT must be 40 hex digits, got '1234567'"),
    ("no tsx", {"tsx": None}, "tsx not found on PATH"),
    ("not a superuser", {"PGUSER": "tartware", "PGPASSWORD": "synthetic-app-password"},
     "tartware is not a superuser"),
])
def test_the_contracts_refusals_name_what_is_wrong_and_change_nothing(app, case, change, message) -> None:
    env: dict[str, str] = {}
    for key, value in change.items():
        if key == "COMMIT":
            (app.tree / "COMMIT").write_text(value)
        elif value is None:
            (app.bin / key).unlink()
        else:
            env[key] = value
    result = app.migrate(**env)
    assert failed(result).startswith("migration FAILED: " + message.format(database=app.database)), case
    # nothing of the app's schema was applied
    assert app.sql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") == "0"

