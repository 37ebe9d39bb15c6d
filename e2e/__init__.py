"""The end-to-end harness: the Tartware app run from the rendered prod Deployments (docs/app.md)."""
