"""Each setting is declared once (settings.schema.Setting): its type, its default (for every stack or
per environment), its description and an example of an allowed value. Pulumi.yaml, the settings
reference (docs/settings.md), the "Unset: X in dev, Y in prod." texts, the error messages' hints
and the builders' per-environment defaults are generated from that one declaration."""

from __future__ import annotations

import re

import pytest

from settings.data import DEFAULTS as DATA_DEFAULTS
from settings.observability import DEFAULTS as OBSERVABILITY_DEFAULTS
from settings.schema import PATTERN_HINTS, Setting, env_default
from settings.declared import all_declared
from tools import project_file

# A description that states a default per environment by hand: it belongs in ``per_env``.
HAND_WRITTEN = re.compile(r"Unset:[^.]*\b(dev|prod)\b|environment=prod")
# Defaults that depend on more than the environment, so their text stays by hand: operatorAccess has
# none in prod (a prod stack must choose); dbPoolMax is the app's own behind the Pooler and differs
# per environment only when the pods reach PostgreSQL directly.
CONDITIONAL = {"operatorAccess", "dbPoolMax"}


def hand_written(s: Setting) -> bool:
    return bool(HAND_WRITTEN.search(s.description)) and s.name not in CONDITIONAL


def test_no_description_states_a_per_environment_default_by_hand():
    assert [s.name for s in all_declared() if hand_written(s)] == []


@pytest.mark.parametrize("text", ["Replicas. Unset: 1 in dev, 3 in prod.", "Replicas. Unset: 3 when environment=prod, "
                                                                           "else 1.",
                                  "Insecure TLS. Unset: true in dev."])
def test_a_hand_written_default_is_found(text):
    assert hand_written(Setting("plantedReplicas", "integer", text))


def test_the_unset_text_is_generated_from_per_env():
    s = Setting("plantedReplicas", "integer", "Replicas (1-5).", per_env=(1, 3))
    assert s.full_description == "Replicas (1-5). Unset: 1 in dev, 3 in prod."
    assert env_default((s,), "plantedReplicas", False) == 1 and env_default((s,), "plantedReplicas", True) == 3
    assert Setting("plantedTls", "boolean", "TLS.", per_env=(True, False)).full_description == \
        "TLS. Unset: true in dev, false in prod."


def test_a_default_for_every_stack_and_one_per_environment_are_refused():
    with pytest.raises(TypeError, match="plantedReplicas"):
        Setting("plantedReplicas", "integer", "Replicas.", 2, per_env=(1, 3))


def test_the_example_is_the_error_messages_hint():
    Setting("plantedName", "string", "A name.", "", example="a name such as 'x'")
    assert PATTERN_HINTS["plantedName"] == "a name such as 'x'"


def test_the_section_defaults_are_the_declared_ones():
    declared = {s.field: s.per_env for s in all_declared() if s.per_env is not None}
    for table in (DATA_DEFAULTS, OBSERVABILITY_DEFAULTS):
        assert table and all(declared[k] == v for k, v in table.items())


def test_the_settings_reference_is_current():
    assert project_file.SETTINGS_DOC.read_text() == project_file.render_doc(), "run python -m tools.project_file"


def test_the_readme_settings_table_is_current():
    assert project_file.README.read_text() == project_file.render_readme(), "run python -m tools.project_file"


def test_the_readme_table_names_every_key_and_every_section_once():
    table = project_file.render_readme_table()
    assert all(f"`{s.name}`" in table for s in all_declared())
    assert set(project_file.AREAS) == {name for name, _, _ in project_file._sections()}


def test_the_readme_table_needs_its_markers(monkeypatch, tmp_path):
    """Planted: a README whose table lost its end marker is refused, naming both markers."""
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{project_file.README_BEGIN}\n| stale |\n")
    monkeypatch.setattr(project_file, "README", readme)
    with pytest.raises(ValueError, match="markers are missing") as info:
        project_file.render_readme()
    assert project_file.README_END in str(info.value)
    readme.write_text(f"# x\n\n{project_file.README_BEGIN}\n| stale |\n{project_file.README_END}\n")
    assert "| stale |" not in project_file.render_readme() and "`prometheusReplicas`" in project_file.render_readme()
