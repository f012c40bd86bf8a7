"""The LLM client's parts, each on its own: validation and salvage, the retry policy, the mode ladder, the
answer cache and the call log (the client's flow through them is tested over HTTP in test_llm_*.py)."""
import ast
import json
from pathlib import Path

import httpx2 as httpx
import openai
import pytest
from openai.types.chat import ChatCompletion

from fake_openai_server import minimal_instance

from pipeline.llm.cache import DiskCache
from pipeline.llm.modes import Ladder, format_fields, with_schema
from pipeline.llm.records import Call, Reply, log_entry
from pipeline.llm.replies import JudgeVerdict, MergeOutput
from pipeline.llm.transport import retry_after, server_message, transient
from pipeline.llm.validate import Invalid, compiled, validate

LLM = Path(__file__).resolve().parent.parent / "pipeline" / "llm"


def completion(content, finish="stop", choices=True):
    return ChatCompletion.model_validate({
        "id": "x", "object": "chat.completion", "created": 0, "model": "m",
        "choices": [{"index": 0, "finish_reason": finish, "message": {"role": "assistant", "content": content}}]
        if choices else []})


def verdict_json(**over):
    schema, _, _ = compiled(JudgeVerdict)
    return {**minimal_instance(schema), **over}


def test_validate_reads_json_around_talk_and_rejects_what_is_not_json():
    _, _, validator = compiled(JudgeVerdict)
    good = verdict_json()
    talk = f"Sure, here it is:\n```json\n{json.dumps(good)}\n```\nHope this helps."
    assert isinstance(validate(completion(talk), validator, JudgeVerdict), JudgeVerdict)
    for content, reason in [("no json here at all", "not valid JSON"), ('{"unexpected": 1}', "does not match"),
                            (json.dumps(good), "cut off")]:
        finish = "length" if reason == "cut off" else "stop"
        with pytest.raises(Invalid, match=reason):
            validate(completion(content, finish), validator, JudgeVerdict)
    with pytest.raises(Invalid, match="no choices"):
        validate(completion("", choices=False), validator, JudgeVerdict)


def test_salvage_keeps_the_entries_that_stand_and_names_the_others():
    _, _, validator = compiled(MergeOutput)
    ok = {"group": "G1", "ids": [1], "label": "agree", "sides": [], "statement": "A thing happened."}
    bad = {"group": "G2", "ids": "not a list", "label": "agree", "sides": [], "statement": "x"}
    out = validate(completion(json.dumps({"items": [ok, bad]})), validator, MergeOutput)
    assert [i.group for i in out.items] == ["G1"]
    assert len(out._left_out) == 1 and out._left_out[0][0]["group"] == "G2" and "items/1" in out._left_out[0][1]
    with pytest.raises(Invalid):  # nothing stands: the whole reply is re-asked
        validate(completion(json.dumps({"items": [bad]})), validator, MergeOutput)


def test_bare_entries_where_the_schema_wants_them_in_its_list_are_read_as_that_list():
    """A 1.5B model answered the full profile's extraction with claim objects one after another (or as an
    array) instead of {"claims": [...]}: the call failed four times and the brief fell back to the rules."""
    from pipeline.llm.full_replies import AtomicOutput

    _, _, validator = compiled(AtomicOutput)
    a = {"ids": [1], "claim": "The mill will close in June.", "holder": "", "kind": "fact"}
    b = {"ids": [2, 3], "claim": "The union will appeal.", "holder": "the union", "kind": "position"}
    for content in (json.dumps(a) + "\n" + json.dumps(b), json.dumps([a, b]), f"Claims:\n```json\n{json.dumps([a, b])}\n```"):
        out = validate(completion(content), validator, AtomicOutput)
        assert [c.claim for c in out.claims] == [a["claim"], b["claim"]]
    one = validate(completion(json.dumps(a)), validator, AtomicOutput)
    assert [c.claim for c in one.claims] == [a["claim"]]
    # an object with other fields is no entry: still off the schema, and re-asked
    for content in (json.dumps({"facts": [a]}), json.dumps({**a, "note": "x"}), json.dumps(a) + json.dumps({"x": 1})):
        with pytest.raises(Invalid, match="does not match"):
            validate(completion(content), validator, AtomicOutput)
    # a well-formed reply is read as before
    assert len(validate(completion(json.dumps({"claims": [a, b]})), validator, AtomicOutput).claims) == 2


def _status(code, headers=None, body=None):
    request = httpx.Request("POST", "http://x/v1/chat/completions")
    response = httpx.Response(code, headers=headers or {}, request=request)
    return openai.APIStatusError("boom", response=response, body=body)


def test_retry_policy_tells_transient_faults_from_final_ones():
    assert transient(_status(429)) and transient(_status(503)) and not transient(_status(400))
    assert not transient(_status(401)) and transient(openai.APIConnectionError(request=httpx.Request("GET", "http://x")))
    assert retry_after(_status(429, {"retry-after-ms": "1500"})) == 1.5
    assert retry_after(_status(429, {"retry-after": "7"})) == 7.0 and retry_after(_status(429)) is None
    assert server_message(_status(400, body={"error": {"message": "bad temperature"}})) == "bad temperature"


def test_the_ladder_steps_down_once_per_refused_mode_and_a_fixed_mode_never_moves():
    ladder = Ladder("auto")
    assert ladder.mode == "json_schema" and ladder.refuses("json_schema", 400, "json_schema is not supported")
    assert not ladder.refuses("json_schema", 400, "temperature is not supported")
    assert ladder.step_down("json_schema") and not ladder.step_down("json_schema") and ladder.mode == "llamacpp"
    fixed = Ladder("json_object")
    assert fixed.mode == "json_object" and not fixed.refuses("json_object", 400, "json_object unsupported")
    base = [{"role": "system", "content": "Do it."}, {"role": "user", "content": "text"}]
    assert with_schema(base, {"type": "object"}, "json_schema") == base
    assert "JSON Schema" in with_schema(base, {"type": "object"}, "text")[0]["content"]
    assert format_fields("text", {}, "judge") == {} and format_fields("json_object", {}, "judge")["response_format"]


def test_the_answer_cache_returns_what_was_stored_and_refuses_what_no_longer_fits(tmp_path):
    cache = DiskCache(tmp_path)
    verdict = JudgeVerdict.model_validate(verdict_json())
    cache.put_answer("k" * 64, "judge@1", "m", verdict, "text")
    got, mode = cache.answer("k" * 64, JudgeVerdict)
    assert got == verdict and mode == "text"
    assert cache.answer("k" * 64, MergeOutput) == (None, None) and "does not fit" in cache.warnings[0]
    assert cache.answer("z" * 64, JudgeVerdict) == (None, None)


def test_the_call_log_line_holds_the_reply_and_the_error():
    call = Call()
    call.attempts = 2
    line = json.loads(log_entry(label="fact f1", stage="judge", prompt_id="judge@1", model="m", endpoint="http://x/v1",
                                call=call, reply=Reply(completion("{}"), [{"role": "user", "content": "q"}], "text", 0.5),
                                error="bad"))
    assert (line["attempt"], line["response"], line["error"], line["mode"]) == (2, "{}", "bad", "text")
    assert call.attempts_text() == "2 attempts"


def _longest_function(tree: ast.AST) -> int:
    return max((n.end_lineno - n.lineno + 1 for n in ast.walk(tree)
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))), default=0)


def test_no_llm_module_over_750_lines_nor_function_over_120():
    for path in LLM.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 750, path.name
        assert _longest_function(ast.parse(text)) <= 120, path.name


def test_the_size_check_catches_a_long_function():
    body = "\n".join(f"    x{n} = {n}" for n in range(130))
    assert _longest_function(ast.parse(f"def f():\n{body}\n")) > 120
