"""`brief nightly`: a day's feed grouped into events, one brief per event, an index; unattended and resumable."""
