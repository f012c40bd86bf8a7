"""The checks shared words cannot make: roles, speakers, certainty, quantifiers, direction, times, counts.
Text not about the seeds; each wrong statement is caught and its faithful twin passes."""
import pytest

from pipeline.verify import get_verifier
from pipeline.verify.meaning import meaning_problems

# (statement, evidence, the check that must fire)
WRONG = [
    ("The port authority fined the shipping company.", "The shipping company fined the port authority over delays.",
     "roles"),
    ('"We will rebuild the bridge," Mayor Tom Reed said.', '"We will rebuild the bridge," Governor Ellen Park said.',
     "speaker"),
    ("The council agreed to a new budget.", "The council hinted it may agree to a new budget.", "certainty"),
    ("All five unions backed the strike.", "Four of the five unions backed the strike.", "quantifier"),
    ("Prices fell to 5% last year.", "Prices fell by 5% last year.", "direction"),
    ("More than 40 homes were damaged.", "Fewer than 40 homes were damaged.", "direction"),
    ("The vote came before the strike.", "The vote came after the strike.", "direction"),
    ("The meeting began at 9 a.m. on Tuesday.", "The meeting began at 9 p.m. on Tuesday.", "time"),
    ("The meeting began on Thursday.", "The meeting began on Wednesday in the capital.", "time"),
    # a time of day written with a dot, and a time the evidence does not give ("early on" is no 6.10am; nor
    # "six stations", which the figure check reads as 6.1 to within rounding)
    ("The ferry sank at 6.10am on Sunday.", "The ferry sank at 8.45am on Sunday.", "time"),
    ("The ferry sank at 6.10am on Sunday.", "The ferry sank early on Sunday, and crews from six stations came.",
     "time"),
    ("One ship was seized.", "Nine ships were seized by the coast guard.", "count"),
]
RIGHT = [
    ("The shipping company was fined by the port authority.", "The port authority fined the shipping company over delays."),
    ('"We will rebuild the bridge," Ellen Park said.', '"We will rebuild the bridge," Governor Ellen Park said.'),
    ("The council may agree to a new budget.", "The council hinted it may agree to a new budget."),
    ("Four of the five unions backed the strike.", "Four of the five unions backed the strike on Monday."),
    ("Prices fell by 5% last year.", "Prices fell by 5% last year, the bureau said."),
    ("The meeting began at 9 p.m. on Tuesday.", "The meeting began at 9 p.m. on Tuesday."),
    ("The ferry sank at 6.10am on Sunday.", "The ferry sank at 6.10 a.m. on Sunday, the coastguard said."),
    ("Nine ships were seized.", "Nine ships were seized by the coast guard."),
]


@pytest.mark.parametrize("statement,evidence,kind", WRONG)
def test_each_wrong_statement_is_caught_by_its_check_and_by_the_rules_verifier(statement, evidence, kind):
    assert kind in meaning_problems(statement, evidence)
    assert not get_verifier("rules").supports(statement, evidence).supported


@pytest.mark.parametrize("statement,evidence", RIGHT)
def test_its_faithful_twin_passes(statement, evidence):
    assert meaning_problems(statement, evidence) == {}
    assert get_verifier("rules").supports(statement, evidence).supported


def test_a_negation_dropped_or_added_is_caught():
    v = get_verifier("rules")
    ev = "The regulator did not approve the merger of the two airlines."
    assert not v.supports("The regulator approved the merger of the two airlines.", ev).supported
    assert v.supports("The regulator did not approve the airlines' merger.", ev).supported


def test_an_ability_stated_as_an_ability_is_not_a_raised_certainty():
    """"can appeal within 28 days" and "have 28 days to appeal" state one right; "can approve" is still not
    "approved" (issue 19's certainty check, on text about no corpus)."""
    v = get_verifier("rules")
    e = "Tenants can appeal to the housing tribunal within 28 days of the notice."
    assert v.supports("Tenants have 28 days to appeal the notice.", e).supported
    assert v.supports("Tenants are entitled to appeal within 28 days.", e).supported
    r = v.supports("Tenants appealed to the housing tribunal within 28 days of the notice.", e)
    assert not r.supported and "certainty" in r.reason
    # a statement that something was done, or must be, is no ability
    for statement in ("The council has voted to close the library.", "Residents must leave by Friday.",
                      "The firm has returned to profit."):
        r = v.supports(statement, statement.replace("has voted to close", "can close").replace("must", "can")
                       .replace("has returned", "can return"))
        assert not r.supported and "certainty" in r.reason, statement
    # another hedge beside "can" still counts
    r = v.supports("Tenants have 28 days to appeal the notice.",
                   "Tenants may be able to appeal, and can do so within 28 days of the notice.")
    assert not r.supported and "certainty" in r.reason

