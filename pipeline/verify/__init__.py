"""The one verifier every stage and the eval call: `supports(statement, evidence)` and `same_fact(a, b)`,
each a Verdict(supported, score, reason), from the backend `get_verifier(kind)` picks (rules, embed, llm)."""
from .factory import KINDS, VerifierUnavailable, get_verifier
from .verdict import BaseVerifier, EvidenceText, Verdict, Verifier

__all__ = ["KINDS", "BaseVerifier", "EvidenceText", "Verdict", "Verifier", "VerifierUnavailable", "get_verifier"]
