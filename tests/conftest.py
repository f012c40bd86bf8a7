"""The suite's LLM-path tests were written for the small profile's flow (clusters, merge_sections): they pin
it through BRIEF_PROFILE. The full profile and the default (tests/test_profiles.py, the SummHay test) name
their profile or clear the variable."""
import os

os.environ.setdefault("BRIEF_PROFILE", "small")
