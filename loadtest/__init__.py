"""The load tests: the request mix (mix.json), its k6 and Locust drivers, and accounts.py (a
package only so that the end-to-end harness, e2e/loadmix.py, can import accounts.py)."""
