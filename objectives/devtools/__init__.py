"""Demo data, data at scale and benchmarks: run by management commands and tests, never
imported by the running application."""
