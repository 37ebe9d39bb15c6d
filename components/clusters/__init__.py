"""One ComponentResource per cluster target; components/cluster.py picks one."""
