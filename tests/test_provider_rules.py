"""The replacement rules the day-2 table uses come from the providers' sources (tools/provider_rules.py).

The data file is checked for its format and against the day-2 table here; it is regenerated from the
repositories' mirrors by a developer (no network on CI), and where the mirrors exist this test also
checks it is current.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tools import provider_rules
from tools.conformance import day2

MIRRORS = Path(os.environ.get("TARTWARE_MIRRORS", "/work/.mirror"))
SOURCE = re.compile(r"^[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+ \([0-9a-f]{12}\) [\w./]+\.go:\d+(,\d+)* \(.+\)$")


def data() -> dict:
    return json.loads(provider_rules.OUT.read_text())


def test_the_data_file_is_current_format():
    d = data()
    assert d["format"] == provider_rules.FORMAT
    assert set(d["types"]) == set(provider_rules.SOURCES)
    for type_, entry in d["types"].items():
        assert entry["fields"] and all(re.fullmatch(r"[A-Za-z][\w.]*", f) for f in entry["fields"]), type_
        assert SOURCE.match(entry["source"]), entry["source"]
    assert provider_rules.OUT.read_text() == provider_rules.render(d)  # as the tool writes it


def test_the_day2_table_uses_the_extracted_rules():
    for type_, entry in data()["types"].items():
        assert day2.FORCE_NEW[type_] == (tuple(entry["fields"]), entry["source"])
    transcribed = {t for t, (_, source) in day2.FORCE_NEW.items() if day2.TRANSCRIBED in source}
    assert transcribed == set(day2.FORCE_NEW) - set(data()["types"]) == {"aws:eks/nodeGroup:NodeGroup",
                                                                          "aws:eks/cluster:Cluster"}


@pytest.mark.skipif(not (MIRRORS / "pulumi+pulumi-kubernetes").is_dir(), reason="no repository mirrors here")
def test_the_data_file_is_what_the_sources_say():
    assert provider_rules.main(["--mirrors", str(MIRRORS), "--check"]) == 0


GO = '''var forceNew = _groups{
\t"batch": _versions{
\t\t"v1":       _kinds{"Job": job},
\t},
}

var job = append(
\tproperties{
\t\t".spec.completions",
\t\t".spec.template",
\t},
\tlabelSelectorForceNewProperties(".spec.selector")...,
)
'''


def test_an_entry_dropped_from_the_source_is_dropped_from_the_rules():
    extract = provider_rules.kubernetes_kind("batch", "v1", "Job")
    assert [(f.path, f.line) for f in extract(GO.splitlines())] == [("spec.completions", 9), ("spec.template", 10)]
    planted = GO.replace('\t\t".spec.template",\n', "")  # the provider no longer replaces a Job for its template
    assert [f.path for f in extract(planted.splitlines())] == ["spec.completions"]


def test_a_random_id_is_replaced_when_a_keeper_changes():
    """The data tier's volume-size guards rest on this: terraform-provider-random@v3.9.0
    internal/provider/resource_id.go gives keepers (line 60, RequiresReplaceIfValuesNotNull), byte_length
    (69) and prefix (77) a RequiresReplace plan modifier; the computed outputs none."""
    entry = data()["types"]["random:index/randomId:RandomId"]
    assert entry["fields"] == ["keepers", "byteLength", "prefix"]
    assert entry["source"].startswith("hashicorp/terraform-provider-random@v3.9.0 (f8d869dc98d9) "
                                      "internal/provider/resource_id.go:60,69,77 ")
