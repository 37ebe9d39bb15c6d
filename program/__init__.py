"""One stack read and composed: ``load.py`` reads its config into the validated settings (and runs
the rules), ``compose.py`` builds each component's args from them and the handles of the layers
below. Imports every package below it; ``__main__.py`` imports ``program/`` and ``components/`` only."""
