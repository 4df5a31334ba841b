"""Benchmarks of cobranca side by side with baselines: run `python -m benchmarks --size N`."""
