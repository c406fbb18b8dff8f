"""The strategy-tree file format: its spec, reading and validating it, writing it."""
