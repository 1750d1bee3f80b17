"""Benchmarks that drive Compagnon through a throwaway Synapse; run them with ``python -m``."""
