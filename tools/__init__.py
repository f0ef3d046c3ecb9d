"""Developer tools, outside the shipped package: benchmarks, screenshots, the size budget.
Run from the project folder, e.g. `python -m tools.bench_start`."""
