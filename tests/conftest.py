"""The suite's LLM-path tests were written for the small profile's flow (clusters, merge_sections): they pin
it through BRIEF_PROFILE. The full profile and the default (tests/test_profiles.py, the SummHay test) name
their profile or clear the variable. BRIEF_VERIFIER likewise."""
import os

os.environ.setdefault("BRIEF_PROFILE", "small")
# The suite's briefs are judged by the rules unless a test names its verifier: the default (auto: the embedding
# model offline) costs 5-10x the rules' time per brief, and the tests of the default clear the variable.
os.environ.setdefault("BRIEF_VERIFIER", "rules")
