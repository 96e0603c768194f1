"""Benchmarks: run with `make bench` (pytest -m bench tests/benchmarks -q -s)."""
