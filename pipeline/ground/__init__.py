"""Grounding: tie every claim and item to exact spans of its sources, and keep only the spans that support their item."""
