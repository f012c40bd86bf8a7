"""Ingest: read and clean the inputs, split them into sentences with offsets, dedup, chunk by tokens."""
