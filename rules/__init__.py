"""The checks across settings sections a stack must pass before anything is registered: capacity,
the guide's budget, the database connections, the data tier's Redis, the cross-section rules
(``cross_section.py``). Imports ``facts/``, ``settings/`` and ``rules/``."""
