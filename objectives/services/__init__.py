"""Every way the strategy's state can change: import, reference data, demo data."""
