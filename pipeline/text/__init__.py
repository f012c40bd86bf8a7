"""Word tools every stage shares: content terms and stems, quantities and dates, attribution cues."""
