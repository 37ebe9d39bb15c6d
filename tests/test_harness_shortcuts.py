"""The two shortcuts the offline harness takes for speed give the answers of what they replace:
tools/offline.py's ``contains_unknowns`` (the SDK's, pulumi/runtime/rpc.py) and the per-process
memo of parsed YAML in tools/manifests.py ``load_all`` (PyYAML itself)."""

from __future__ import annotations

from typing import Any

import yaml

from pulumi import output as pulumi_output
from pulumi.runtime import rpc

from tools import manifests, offline

UNKNOWN = pulumi_output.UNKNOWN


def _cases() -> list[Any]:
    shared = {"a": [1, "b"]}
    cyclic: dict = {"x": 1}
    cyclic["self"] = cyclic
    cyclic_unknown: list = [cyclic]
    cyclic_unknown.append([cyclic_unknown, {"deep": [UNKNOWN]}])
    return [None, "text", 3, 2.5, True, [], {}, UNKNOWN, [UNKNOWN], {"k": UNKNOWN},
            {"a": {"b": [1, {"c": UNKNOWN}]}}, {"a": {"b": [1, {"c": "d"}]}}, [shared, shared],
            {"only": "strings"}, cyclic, cyclic_unknown,
            ("tuples are not walked", UNKNOWN), {"set": {1, 2}}]


def test_contains_unknowns_answers_as_the_sdk_does():
    for case in _cases():
        assert offline._contains_unknowns(case) == rpc.contains_unknowns(case), case
    assert pulumi_output.contains_unknowns is offline._contains_unknowns  # what the SDK's outputs call


def test_yaml_memo_returns_new_equal_documents():
    text = "a: 1\nb: [x, {c: true}]\n---\nd: 2.5\ne: null\n"
    first = manifests.load_all(text)
    second = manifests.load_all(text)
    assert first == second == list(yaml.safe_load_all(text))
    second[0]["b"][1]["c"] = False  # a caller changing its copy changes no later answer
    assert manifests.load_all(text) == first
    assert first[0]["b"][1]["c"] is True


def test_yaml_memo_keeps_what_json_would_change():
    text = "when: 2024-01-02\n1: int key\nflag: yes\n"
    docs = manifests.load_all(text)
    assert docs == list(yaml.load_all(text, Loader=manifests._Loader))
    assert docs == manifests.load_all(text)
    assert 1 in docs[0] and type(docs[0]["when"]).__name__ == "date"
