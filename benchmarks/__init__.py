"""Benchmarks: a fixed suite of hard calendars, a runner, baselines and results.

`benchmarks/generate.py` writes the suite, `benchmarks/runner.py` (the `stride bench`
command) runs it and writes `benchmarks/results/<date>/`. See benchmarks/README.md.
"""
