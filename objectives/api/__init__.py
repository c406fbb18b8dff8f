"""The strategy, its tree, implementations, status updates and snapshots in the REST API.

Reads go through the same scoping as the pages (`visible_to`, `public`); writes call the
same services as the pages (`objectives.services.workflow`, `tree_import`).
"""
