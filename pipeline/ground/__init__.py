"""Grounding: tie every claim and item to exact spans of its sources."""
