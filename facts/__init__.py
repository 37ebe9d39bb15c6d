"""What the program knows before it reads a stack: the service catalog, the version pins, the
in-cluster endpoints, and what the Tartware app is and needs (its source's names, its environment,
its topics, its API paths). Imports nothing of the project outside ``facts/``."""
