"""Conformance checks over the whole-system render (tools/system.py): Pod Security Admission,
requests and limits, NetworkPolicy reachability, references and schemas. Each module cites the
rule it implements; each check returns a list of human-readable violations (empty = conforms)."""
