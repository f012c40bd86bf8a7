"""Grounding: tie every claim and item to exact spans of its sources; keep only spans that support their item."""
