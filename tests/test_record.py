"""tools/record.py compare: names every part and key that differs, nothing when identical."""

from tools.record import compare


def test_compare_names_what_differs():
    before = {"resources": {"urn:a": {"protect": True}, "urn:b": {}}, "outputs": {"x": 1}, "budget": {},
              "manifests": {"Deployment/ns/a": {"spec": 1}}}
    assert compare(before, before) == []
    after = {**before, "resources": {"urn:a": {"protect": False}, "urn:c": {}}, "outputs": {"x": 1, "y": 2}}
    assert compare(before, after) == ["resources: urn:a", "resources: urn:b", "resources: urn:c", "outputs: y"]
