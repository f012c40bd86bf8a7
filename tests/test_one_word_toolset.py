"""One stemmer, one stop-word list, one number-word table, one sentence splitter: all in pipeline/text/.

A second copy drifts (four stemmers once split "agree" from "agreed" in one stage and not another; "third"
was 3 in one and 1/3 in another), so a scan of pipeline/ fails when one appears outside text/.
"""
import ast
from pathlib import Path

from pipeline.text.numbers import ORDINALS, TENS, UNITS, word_value
from pipeline.text.words import STOPWORDS, stem

PKG = Path(__file__).resolve().parent.parent / "pipeline"
HOME = "text"
NUMBER_WORDS = set(UNITS) | set(TENS) | set(ORDINALS)
MIN_STOP_OVERLAP = 12  # a literal set sharing this many of the stop words is a stop-word list
MIN_NUMBER_KEYS = 5  # a dict with this many number words as keys is a number-word table
SENTENCE_END = "[.!?"  # the character class a sentence-boundary pattern starts with


def _literal_words(node: ast.AST) -> set[str]:
    """The words of a literal set/frozenset/list/tuple of strings, or of a string that is .split()."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split" \
            and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
        return set(node.func.value.value.split())
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("frozenset", "set") and node.args:
        return _literal_words(node.args[0])
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        return {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return set()


def copies(root: Path) -> list[str]:
    """Every stemmer, stop-word list, number-word table or sentence-boundary pattern outside root/text/."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] == HOME:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if {"stem", "stemmer"} & set(node.name.lower().split("_")):
                    found.append(f"{rel}: stemmer {node.name}()")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SENTENCE_END in node.value:
                found.append(f"{rel}:{node.lineno}: sentence splitter")
            elif isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
                if len(keys & NUMBER_WORDS) >= MIN_NUMBER_KEYS:
                    found.append(f"{rel}:{node.lineno}: number-word table")
            elif isinstance(node, ast.Call) or isinstance(node, (ast.Set, ast.List, ast.Tuple)):
                if len(_literal_words(node) & STOPWORDS) >= MIN_STOP_OVERLAP:
                    found.append(f"{rel}:{node.lineno}: stop-word list")
    return sorted(set(found))


def test_word_tools_live_only_in_text():
    assert copies(PKG) == []


def test_a_second_copy_is_caught(tmp_path):
    root = tmp_path / "pipeline"
    (root / "text").mkdir(parents=True)
    (root / "ground").mkdir()
    (root / "text" / "words.py").write_text('STOP = frozenset("a an the of to in for on by with at".split())\n'
                                            "def stem(w):\n    return w\n")
    (root / "ground" / "signals.py").write_text(
        'STOP = frozenset("""a about again all also am an and any are as at be because been but by can""".split())\n'
        'NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "third": 3}\n'
        "def _stem(w):\n    return w[:5]\n"
        "import re\nEND = re.compile(r'(?<=[.!?])\\s+')\n"
        "def stemless_helper(w):\n    return w\n")
    assert copies(root) == ["ground/signals.py: stemmer _stem()",
                            "ground/signals.py:1: stop-word list",
                            "ground/signals.py:2: number-word table",
                            "ground/signals.py:6: sentence splitter"]


def test_stop_words_never_hide_a_word_that_carries_meaning():
    meaning = "more fewer less before after not no never without up down over under above below against".split()
    assert [w for w in meaning if w in STOPWORDS] == []
    assert {"the", "of", "and", "said"} <= STOPWORDS


def test_the_stemmer_joins_inflections_and_keeps_different_words_apart():
    for family in (("agree", "agreed", "agreeing", "agrees"), ("negotiate", "negotiated", "negotiations"),
                   ("stop", "stopped", "stopping"), ("detainee", "detainees"), ("evacuated", "evacuate")):
        assert len({stem(w) for w in family}) == 1, family
    assert stem("U.S.") == stem("US")
    assert stem("state") != stem("statement") and stem("police") != stem("policy")


def test_third_is_a_fraction_or_a_rank_never_the_count_three():
    def read(text):
        toks = text.lower().split()
        return [word_value(toks, i) for i in range(len(toks))]
    assert read("a third") == [None, (1 / 3, "fraction")]
    assert read("two thirds") == [None, (2 / 3, "fraction")]
    assert read("the third day") == [None, None, None]
    assert read("three days") == [(3.0, "cardinal"), None]


def test_an_opposite_relational_word_is_caught_and_a_same_one_passes():
    from pipeline.verify.support import judge
    for said, other in (("More than 40 homes were damaged by the flood in the river district.",
                         "Fewer than 40 homes were damaged by the flood in the river district."),
                        ("The flood came before the inspection of the river dam.",
                         "The flood came after the inspection of the river dam."),
                        ("Water levels went up sharply in the river town overnight.",
                         "Water levels went down sharply in the river town overnight.")):
        assert not judge(said, other).supported, said
        assert "opposes" in judge(said, other).reason
        assert judge(said, said).supported, said
