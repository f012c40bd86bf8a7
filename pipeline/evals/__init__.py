"""The eval harness: gold facts, matching items to facts, metrics, reports, comparisons and the external datasets."""
