"""Clusters: which claims across sources tell the same fact, and which figures conflict."""
