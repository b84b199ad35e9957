"""Wiring: Prefect flows, reading inputs, writing outputs, and the `atelier` command line."""
