"""One ComponentResource per cluster target (issue 3); components/cluster.py picks one."""
