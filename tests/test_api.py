"""make_brief and the Brief from Python: the real keyword list, texts vs paths, errors that name make_brief,
citations by number and outlet, rendering and saving, field descriptions in the JSON Schema."""
import inspect
import json
import re
import sys
from pathlib import Path

import pytest

import pipeline
from pipeline import Brief, BriefError, BriefItem, Evidence, make_brief

sys.path.insert(0, str(Path(__file__).parent))
from reader_corpus import ARTICLES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHORT = ["The council approved the budget on Tuesday by seven votes to two.",
         "Councillors passed the budget 7-2 on Tuesday, and the mayor welcomed the vote."]


def test_signature_and_docstring_are_the_real_ones():
    sig = inspect.signature(make_brief)
    assert make_brief is pipeline.run.make_brief
    params = sig.parameters
    assert list(params)[0] == "inputs"
    for name in ("engine", "model", "base_url", "api_key", "config_file", "cache_dir", "use_cache", "concurrency",
                 "timeout", "max_retries", "structured_mode", "prompts_dir", "title", "log_path", "limits"):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY, name
        assert name in make_brief.__doc__, name
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


def test_a_misspelt_keyword_names_make_brief():
    with pytest.raises(TypeError, match=r"make_brief\(\) got an unexpected keyword argument 'modle'"):
        make_brief(SHORT, modle="m")
    with pytest.raises(ValueError, match="make_brief: engine must be"):
        make_brief(SHORT, engine="gpt")


def test_short_texts_in_a_list_are_texts():
    brief = make_brief(SHORT)
    assert [s.name for s in brief.sources] == ["text-1", "text-2"]
    assert {s.text for s in brief.sources} == set(SHORT)


def test_paths_as_str_or_path_and_missing_paths_name_make_brief(tmp_path):
    a, b = ARTICLES[2], ARTICLES[3]
    (tmp_path / "a.txt").write_text(a["text"], encoding="utf-8")
    (tmp_path / "b.md").write_text(b["text"], encoding="utf-8")
    by_str = make_brief([str(tmp_path / "a.txt"), str(tmp_path / "b.md")])
    by_path = make_brief([tmp_path / "a.txt", tmp_path / "b.md"])
    assert [s.name for s in by_str.sources] == [s.name for s in by_path.sources] == ["a.txt", "b.md"]
    with pytest.raises(BriefError, match=r"^make_brief: no such file or folder: .*typo\.txt"):
        make_brief([str(tmp_path / "a.txt"), str(tmp_path / "typo.txt")])
    with pytest.raises(BriefError, match=r"^make_brief: no such file or folder"):
        make_brief(tmp_path / "missing")
    with pytest.raises(BriefError, match=r"^make_brief: no such file or folder: 'one short line'"):
        make_brief("one short line")  # alone, a short str is a path; in a list it would be a text


@pytest.mark.parametrize("inputs, named", [
    (42, "inputs must be .*, not int"), (None, "inputs must be .*, not NoneType"), (3.5, "not float"),
    (b"The council met.", "inputs must be .*, not bytes"), ([SHORT[0], 7], r"inputs\[1\] must be .*, not int"),
    ([None], r"inputs\[0\] must be .*, not NoneType"), ([[SHORT[0]]], r"inputs\[0\] must be .*, not list"),
])
def test_inputs_that_are_neither_paths_nor_texts_are_a_brief_error_naming_make_brief(inputs, named):
    # the README promises pipeline.BriefError for bad input: never a TypeError, one line naming the problem
    with pytest.raises(BriefError) as caught:
        make_brief(inputs)
    message = str(caught.value)
    assert message.startswith("make_brief: ") and "\n" not in message
    assert re.search(named, message), message


def test_citations_render_and_save(tmp_path):
    brief = make_brief(ARTICLES)
    a1 = brief.agreements[0]
    assert a1.citations == [(brief.source(d).n, brief.source(d).outlet) for d in a1.sources]
    assert ("River Post" in dict(a1.citations).values()) and all(isinstance(n, int) for n, _ in a1.citations)
    paths = brief.save(tmp_path / "out")
    assert sorted(paths) == ["brief.html", "brief.json", "brief.md"]
    assert paths["brief.md"].read_text(encoding="utf-8") == brief.to_markdown()
    assert paths["brief.html"].read_text(encoding="utf-8") == brief.to_html()
    again = Brief.model_validate_json(paths["brief.json"].read_text(encoding="utf-8"))
    assert again.agreements[0].citations == a1.citations  # a loaded brief knows its items' sources too
    loose = BriefItem(id="X1", section="agreements", statement="s", sources=["d1"], independent_sources=1,
                      evidence=[], verified=False)
    with pytest.raises(ValueError, match="not part of a Brief"):
        loose.citations


def test_a_brief_read_back_in_a_fresh_process_renders_as_saved(tmp_path):
    # the renderers reach Brief through brief/'s registration (models.py imports no renderer): a process that
    # imports only pipeline.models still renders a loaded brief exactly as save() wrote it
    import subprocess

    paths = make_brief(SHORT).save(tmp_path)
    code = ("import sys; from pathlib import Path; from pipeline.models import Brief; "
            "b = Brief.model_validate_json(Path(sys.argv[1]).read_text(encoding='utf-8')); "
            "sys.stdout.write(b.to_markdown() + '\\0' + b.to_html())")
    out = subprocess.run([sys.executable, "-c", code, str(paths["brief.json"])], capture_output=True, text=True,
                         encoding="utf-8", cwd=ROOT, check=True).stdout
    assert out == paths["brief.md"].read_text(encoding="utf-8") + "\0" + paths["brief.html"].read_text(encoding="utf-8")


def test_fields_are_described_in_the_schema():
    for model in (Brief, BriefItem, Evidence):
        assert model.__doc__ and len(model.__doc__) > 20
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"
    schema = json.loads((ROOT / "schemas" / "brief.schema.json").read_text())
    assert schema["$defs"]["Evidence"]["properties"]["quote"]["description"].startswith("The source's own words")
    assert "syndicated" in schema["$defs"]["BriefItem"]["properties"]["independent_sources"]["description"]
