"""The OpenAI Batch API for a night's calls: one JSONL file up, one batch, poll, results down, resumable.

The protocol (OpenAI's, also vLLM's `run_batch` file format): every request is one JSONL line
``{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}``; the file is uploaded with
``purpose=batch``; a batch is created over it with ``completion_window=24h``; its status is polled
(validating -> in_progress -> finalizing -> completed, or failed / expired / cancelled); the output file
holds one line per request, ``{"custom_id", "response": {"status_code", "body"}, "error"}``, in any order.

The batch's id is written to a state file before the first poll, so a run killed while waiting finds it
again and polls the same batch instead of paying for a second one.
"""
from __future__ import annotations

import io
import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, Field, ValidationError

ENDPOINT = "/v1/chat/completions"
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
UNUSABLE = frozenset({"failed", "expired", "cancelled"})


class BatchError(Exception):
    """The batch could not be run or read (its message is one line for the user)."""


class BatchPending(BatchError):
    """The batch is still running after the wait allowed: run again later to collect it."""


class BatchRecord(BaseModel):
    batch_id: str
    input_file_id: str
    custom_ids: list[str]
    status: str = "validating"
    created_at: float = Field(default_factory=time.time)
    output_file_id: Optional[str] = None
    error_file_id: Optional[str] = None


class BatchState(BaseModel):
    """What DIR/DATE/.batch.json holds: the batches sent for this night, newest last."""
    batches: list[BatchRecord] = Field(default_factory=list)


def load_state(path: Path) -> BatchState:
    try:
        return BatchState.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return BatchState()
    except (OSError, ValueError, ValidationError):
        # a damaged state file costs at most one batch sent again; it must not stop the night
        return BatchState()


def save_state(path: Path, state: BatchState) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".batch.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(state.model_dump_json(indent=1))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def jsonl(requests: Mapping[str, dict]) -> bytes:
    lines = [json.dumps({"custom_id": cid, "method": "POST", "url": ENDPOINT, "body": body},
                        ensure_ascii=False, separators=(",", ":")) for cid, body in requests.items()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def parse_output(text: str) -> dict[str, dict]:
    """custom_id -> {"body": completion} or {"error": message}, from an output or error file."""
    out: dict[str, dict] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            cid = row["custom_id"]
        except (ValueError, KeyError, TypeError):
            continue  # a broken line is one answer lost, asked again directly later
        response = row.get("response") or {}
        error = row.get("error")
        status = response.get("status_code")
        if error or status != 200 or not isinstance(response.get("body"), dict):
            message = (error or {}).get("message") if isinstance(error, dict) else error
            out[cid] = {"error": str(message or f"HTTP {status}")}
        else:
            out[cid] = {"body": response["body"]}
    return out


BATCH_ATTEMPTS = 5  # per Batch API request: upload, create, poll, download


def _retried(fn, *args, **kwargs):
    """One Batch API request, retried like a chat request on transient faults and on bodies cut off or garbled
    in transit (transport.retryable), with a short backoff: a dropped poll must not end a night's batch."""
    from .transport import retryable

    for n in range(BATCH_ATTEMPTS):
        try:
            return fn(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - retryable() picks; anything else goes up as it was
            if n + 1 == BATCH_ATTEMPTS or not retryable(e):
                raise
            time.sleep(min(0.2 * 2 ** n, 5.0))


def run_batch(client, requests: Mapping[str, dict], state_path: Path, *, poll_seconds: float = 30.0,
              max_wait: float = 26 * 3600, on_status: Optional[Callable[[str, dict], None]] = None,
              sleep: Callable[[float], None] = time.sleep) -> dict[str, dict]:
    """Answers for ``requests`` (custom_id -> request body) through the Batch API of ``client`` (an
    ``openai.OpenAI``). A batch recorded in ``state_path`` that is still usable and covers some of the
    requests is polled (resumed) first; only what it does not cover is sent in a new batch."""
    results: dict[str, dict] = {}
    wanted = dict(requests)
    state = load_state(state_path)
    for record in state.batches:
        if record.status in UNUSABLE or not wanted.keys() & set(record.custom_ids):
            continue
        results.update(_finish(client, record, state, state_path, poll_seconds, max_wait, on_status, sleep))
        for cid in record.custom_ids:
            wanted.pop(cid, None)
    if wanted:
        record = _create(client, wanted, state, state_path)
        results.update(_finish(client, record, state, state_path, poll_seconds, max_wait, on_status, sleep))
    return {cid: results[cid] for cid in requests if cid in results}


def _create(client, wanted: Mapping[str, dict], state: BatchState, state_path: Path) -> BatchRecord:
    import openai

    try:
        uploaded = _retried(lambda: client.files.create(
            file=("briefsmith-batch.jsonl", io.BytesIO(jsonl(wanted)), "application/jsonl"), purpose="batch"))
        # (a create whose answer was lost may have made a batch: retried as the SDK itself retries it)
        batch = _retried(client.batches.create, input_file_id=uploaded.id, endpoint=ENDPOINT,
                         completion_window="24h", metadata={"client": "briefsmith"})
    except (openai.OpenAIError, ValueError) as e:  # ValueError: a body that stayed broken (JSONDecodeError)
        raise BatchError(f"cannot start a batch of {len(wanted)} calls: {type(e).__name__}: {e}") from None
    record = BatchRecord(batch_id=batch.id, input_file_id=uploaded.id, custom_ids=list(wanted), status=batch.status)
    state.batches.append(record)
    save_state(state_path, state)  # before any wait: a killed run finds this batch again
    return record


def _finish(client, record: BatchRecord, state: BatchState, state_path: Path, poll_seconds: float,
            max_wait: float, on_status, sleep) -> dict[str, dict]:
    import openai

    started = time.monotonic()
    while True:
        try:
            batch = _retried(client.batches.retrieve, record.batch_id)
        except openai.NotFoundError:
            record.status = "expired"  # the service forgot it: its calls go in a new batch
            save_state(state_path, state)
            return {}
        except (openai.OpenAIError, ValueError) as e:
            raise BatchError(f"cannot poll batch {record.batch_id}: {type(e).__name__}: {e}") from None
        if batch.status != record.status:
            record.status = batch.status
            save_state(state_path, state)
        if on_status is not None:
            counts = batch.request_counts.model_dump() if batch.request_counts else {}
            on_status(batch.status, counts)
        if batch.status in TERMINAL:
            break
        if time.monotonic() - started > max_wait:
            raise BatchPending(f"batch {record.batch_id} is still {batch.status} after {max_wait:g}s; "
                               "run the same night again later to collect it (nothing is sent twice)")
        sleep(poll_seconds)
    if batch.status in UNUSABLE:
        return {}
    record.output_file_id, record.error_file_id = batch.output_file_id, batch.error_file_id
    save_state(state_path, state)
    results: dict[str, dict] = {}
    for file_id in (batch.error_file_id, batch.output_file_id):  # output last: it wins a (rare) tie
        if not file_id:
            continue
        try:
            text = _retried(client.files.content, file_id).text
        except (openai.OpenAIError, ValueError) as e:
            raise BatchError(f"cannot download the results of batch {record.batch_id}: {type(e).__name__}: {e}") from None
        results.update(parse_output(text))
    return results


def store_answers(deferred: Mapping[str, dict], answers: Mapping[str, dict]) -> tuple[tuple[int, int], int, int]:
    """Validate each batch answer as a direct answer is validated and cache the good ones under the key the
    direct call would have used, so the pipeline run after the batch finds them. Returns ((prompt tokens,
    completion tokens) the batch spent, answers stored, answers missing or unusable)."""
    from openai.types.chat import ChatCompletion

    from .client import LLMClient
    from .validate import Invalid as _Invalid, compiled as _compiled

    prompt_tokens = completion_tokens = problems = stored = 0
    for key, d in deferred.items():
        answer = answers.get(key) or {}
        if "body" not in answer:
            problems += 1
            continue
        try:
            completion = ChatCompletion.model_validate(answer["body"])
        except ValidationError:
            problems += 1
            continue
        if completion.usage is not None:
            prompt_tokens += completion.usage.prompt_tokens or 0
            completion_tokens += completion.usage.completion_tokens or 0
        output = d["output"]
        _, _, validator = _compiled(output)
        try:
            result = LLMClient._validate(completion, validator, output)
        except _Invalid:
            problems += 1  # asked again directly, with the re-ask the direct path gives it
            continue
        d["client"].cache_answer(key, d["prompt_id"], result, d.get("mode"))
        stored += 1
    return (prompt_tokens, completion_tokens), stored, problems

