"""e2e/loadmix.py without the app: the planted copies of the mix, the names a run must show, and the
check of accepted commands against what the Kafka stand-in received (the real run: .ci/run's
end-to-end step, docs/app.md "The load mix")."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from e2e import loadmix
from facts import versions

ROOT = Path(__file__).resolve().parent.parent
MIX = json.loads((ROOT / "loadtest" / "mix.json").read_text())


@dataclass
class Record:  # what e2e/kafka_standin.py records
    key: Optional[bytes]
    headers: list[tuple[str, bytes]]


class Report:
    def __init__(self):
        self.failures: list[str] = []

    def fail(self, message: str) -> None:
        self.failures.append(message)

    def say(self, message: str) -> None:
        pass


def command(step="guest.register", name="guest.register", key="k-1", cid="c-1"):
    return {"step": step, "command": name, "idempotency_key": key, "command_id": cid}


def record(cid="c-1", key="k-1", name="guest.register"):
    return Record(cid.encode(), [("x-command-request-id", key.encode()), ("x-command-name", name.encode())])


def test_every_accepted_command_must_arrive_with_its_key_and_request_id():
    report = Report()
    assert loadmix.check_commands([command()], [record()], report) == 1 and report.failures == []
    # a replay arrives again under the same key: one record is enough for each logged acceptance
    loadmix.check_commands([command(), command(step="guest.register.replay")], [record(), record()], report)
    assert report.failures == []
    loadmix.check_commands([command(cid="c-2")], [record()], report)
    assert "c-2" in report.failures[-1] and "no record with that key" in report.failures[-1]
    loadmix.check_commands([command()], [record(key="other")], report)
    assert "without its request id" in report.failures[-1]
    loadmix.check_commands([command()], [Record(None, [])], report)
    assert "no record with that key" in report.failures[-1]


def test_planted_copies_change_only_what_they_say(tmp_path):
    copy = loadmix.plant_copy([["mix-drop-header", "Idempotency-Key"]], tmp_path / "a")
    mix = json.loads((copy / "mix.json").read_text())
    assert all("Idempotency-Key" not in s.get("headers", {}) for s in mix["steps"])
    assert (copy / "locust" / "locustfile.py").read_text() == (ROOT / "loadtest/locust/locustfile.py").read_text()
    copy = loadmix.plant_copy([["mix-id-field", "room_type"]], tmp_path / "b")
    lookups = {x["name"]: x for x in json.loads((copy / "mix.json").read_text())["lookups"]}
    assert lookups["room_type"]["id"] == "id" and lookups["guest"] == next(x for x in MIX["lookups"] if x["name"] == "guest")
    assert {kind for kind, _ in loadmix.STANDARD_PLANTS} == set(loadmix.PLANTS)


def test_a_run_must_show_the_login_each_lookup_and_each_step():
    names = loadmix.expected_names(MIX)
    assert names[0] == "login" and {f"setup:{x['name']}" for x in MIX["lookups"]} <= set(names)
    assert {s["name"] for s in MIX["steps"]} <= set(names)


def test_locust_for_the_run_is_the_release_the_cluster_runs():
    pin = re.search(r"^locust==(\S+)$", (ROOT / "requirements-locust.txt").read_text(), re.M).group(1)
    assert versions.LOCUST_IMAGE.rsplit(":", 1)[1].split("@")[0] == pin
