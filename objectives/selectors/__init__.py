"""Reads behind pages, the API and exports; each a fixed number of queries, each scoped
through the models' `visible_to`."""
