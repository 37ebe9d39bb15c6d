"""The stack settings model: every setting's declaration, the typed sections built from the validated
input, the cluster targets as plug-ins (``targets/``). Imports ``facts/`` and ``settings/`` only;
``declared.py`` collects every section's declarations, ``program/load.py`` reads a stack into it."""
