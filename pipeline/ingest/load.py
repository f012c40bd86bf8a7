"""Inputs -> Documents: find files, read and decode them, split JSON records, clean, attach metadata.

Telling text from paths (each element of ``inputs``):
  * a ``pathlib.Path`` (any ``os.PathLike``) is always a path;
  * a ``str`` that names an existing file or folder is a path;
  * otherwise a ``str`` containing a newline, or longer than 200 characters, is article text;
  * any other ``str`` is taken as a path that does not exist -> BriefError("no such file or folder: ...").

A bad file never stops the run: it is skipped with a LoadWarning naming it and the problem. Only
problems with the run as a whole raise BriefError (missing path, too many files, nothing readable).
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Optional, Union

from .clean import clean, looks_like_html
from .dates import parse_date
from .meta import article_meta, merge_meta
from ..models import BriefError, DocMeta, Document, LoadWarning
from ..text.words import ENGLISH_MARKERS

TEXT_MIN_LEN = 200  # a single-line str longer than this that is no existing path is text
META_FILE = "meta.json"

_FORMATS = {"": "txt", ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
            ".htm": "html", ".xhtml": "html", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".rss": "feed", ".atom": "feed", ".xml": "feed"}
_MAGIC = [(b"%PDF", "PDF"), (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
          (b"PK\x03\x04", "ZIP archive or Office document"), (b"\x1f\x8b", "gzip archive"),
          (b"\xd0\xcf\x11\xe0", "Office document"), (b"{\\rtf", "RTF document"), (b"BM", None),
          (b"\x7fELF", "executable"), (b"MZ", None), (b"ID3", "MP3 audio"), (b"OggS", "Ogg media"),
          (b"\x00\x00\x00", "media or binary data")]
_TEXT_KEYS = ("text", "body", "content", "article", "story")
_META_ALIASES = {
    "title": ("title", "headline"),
    "outlet": ("source", "outlet", "publisher", "site", "site_name"),
    "date": ("date", "published", "published_at", "publishedAt", "pubDate", "datetime"),
    "url": ("url", "link", "source_url"),
    "author": ("author", "byline", "authors"),
}
# what a warning counts as in the "no readable documents" summary
_CATEGORY = {"empty": "empty file", "empty_text": "empty text", "binary": "binary file", "type": "unsupported file", "large": "too-large file",
             "unreadable": "unreadable file", "duplicate": "duplicate", "link": "bad symlink",
             "special": "special file", "cleaned": "file with no story text", "json": "broken JSON file",
             "record": "broken record", "short": "too-short text", "language": "text in another language", "folder": "unreadable folder", "meta": "bad meta.json"}

InputLike = Union[str, os.PathLike, dict, Iterable[Union[str, os.PathLike, dict]]]


def is_text(value: Any) -> bool:
    """True if `value` is article text rather than a path (see the module docstring for the rule)."""
    if isinstance(value, os.PathLike):
        return False
    if not isinstance(value, str):
        raise BriefError(f"unsupported input: {type(value).__name__} (give a path, a folder, or a text)")
    if "\x00" not in value and len(value) <= 4096:
        try:
            if os.path.lexists(value):
                return False
        except (OSError, ValueError):
            pass
    return "\n" in value or len(value) > TEXT_MIN_LEN


def _binary_kind(data: bytes) -> Optional[str]:
    """What binary file this is, or None for text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with a BOM: text, although full of NUL bytes
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if kind:
                return kind
            break
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WEBP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[data[8:12]]
    if b"\x00" in data:
        return "contains NUL bytes"
    return None


def _decode(data: bytes) -> tuple[str, Optional[str]]:
    """Decoded text and, when it was not UTF-8, a note saying what was done instead."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        bad = f"byte 0x{data[e.start]:02x} at offset {e.start}"
    for enc in ("cp1252", "latin-1"):
        try:
            return data.decode(enc), f"not valid UTF-8 ({bad}); decoded as {enc}"
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")


def _pick(record: dict, keys: tuple[str, ...]) -> Optional[str]:
    for k in keys:
        v = record.get(k)
        if isinstance(v, list):
            v = ", ".join(str(x) for x in v if isinstance(x, (str, int, float))) or None
        if isinstance(v, dict):
            v = v.get("name") or v.get("title")
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v).strip():
            return str(v).strip()
    return None


def _meta_from(record: dict) -> dict[str, str]:
    out = {f: _pick(record, keys) for f, keys in _META_ALIASES.items()}
    if out["date"]:
        out["date"] = parse_date(out["date"]) or out["date"]  # ISO when it reads as a date
    return {k: v for k, v in out.items() if v}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else ("es" if word.endswith("ch") else "s"))


class _Loader:
    def __init__(self, max_bytes: int, max_files: int):
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.docs: list[Document] = []
        self.warnings: list[LoadWarning] = []
        self.skipped: Counter[str] = Counter()
        self.seen: dict[str, str] = {}  # sha256 -> name of the first document with those bytes
        self.names: set[str] = set()
        self.n_texts = 0
        self.n_files = 0
        self._meta_cache: dict[str, dict[str, dict]] = {}

    # -- bookkeeping
    def warn(self, name: str, problem: str, category: Optional[str] = None) -> None:
        self.warnings.append(LoadWarning(path=name, problem=problem))
        if category:
            self.skipped[_CATEGORY[category]] += 1

    def _unique(self, name: str) -> str:
        candidate, k = name, 1
        while candidate in self.names:
            k += 1
            candidate = f"{name}~{k}"
        self.names.add(candidate)
        return candidate

    def _is_dup(self, sha: str, name: str) -> bool:
        if sha in self.seen:
            self.warn(name, f"duplicate of {self.seen[sha]}", "duplicate")
            return True
        self.seen[sha] = name
        return False

    def add(self, *, name: str, path: Optional[str], sha: str, fmt: str, raw: str, meta: dict,
            category: str = "cleaned") -> None:
        """Clean one text and keep it as a Document unless nothing is left."""
        if not raw.strip():
            self.warn(name, "empty (only whitespace)", "empty")
            return
        text, removals, offset_map, found = clean(raw, fmt)
        if not text.strip():
            self.warn(name, f"nothing left after cleaning ({_plural(len(removals), 'part')} removed as page furniture)",
                      category)
            return
        is_html = fmt in ("html", "htm", "xhtml") or (fmt in ("json", "jsonl", "text") and looks_like_html(raw))
        merged = merge_meta(meta, found.model_dump(exclude_none=True), article_meta(raw, fmt, is_html))
        self.docs.append(Document(
            id="d" + sha[:12], name=self._unique(name), path=path, sha256=sha, format=fmt, raw=raw, text=text,
            meta=DocMeta(**{k: merged.get(k) for k in DocMeta.model_fields}), removals=removals,
            offset_map=offset_map))

    # -- in-memory text
    def add_record(self, record: dict) -> None:
        """An in-memory article with its metadata: {"text": ..., "title", "outlet"/"source", "date", "url"}."""
        body = next((record[k] for k in _TEXT_KEYS if isinstance(record.get(k), str)), None)
        if body is None:
            self.n_texts += 1
            self.warn(str(record.get("name") or f"text-{self.n_texts}"),
                      f"no text field ({', '.join(_TEXT_KEYS[:3])})", "record")
            return
        self.add_text(body, name=record.get("name"), meta=_meta_from(record))

    def add_text(self, text: str, *, name: Optional[str] = None, meta: Optional[dict] = None) -> None:
        self.n_texts += 1
        name = str(name) if name else f"text-{self.n_texts}"
        data = text.encode("utf-8", errors="surrogatepass")
        if len(data) > self.max_bytes:
            self.warn(name, f"too large: {len(data):,} bytes (limit {self.max_bytes:,})", "large")
            return
        sha = hashlib.sha256(data).hexdigest()
        if not text.strip():
            self.warn(name, "empty text", "empty_text")
        elif not self._is_dup(sha, name):
            self.add(name=name, path=None, sha=sha, fmt="text", raw=text, meta=meta or {})

    # -- metadata files
    def folder_meta(self, folder: Union[str, os.PathLike], display: str) -> dict[str, dict]:
        """{file name: metadata} from folder/meta.json; {} when there is none or it is unusable (warned)."""
        key = os.fspath(folder)
        if key in self._meta_cache:
            return self._meta_cache[key]
        out: dict[str, dict] = {}
        p = Path(key, META_FILE)
        if p.is_file():
            try:
                data = json.loads(p.read_text(encoding="utf-8-sig"))
                if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
                    raise ValueError("expected {file name: {title, outlet, date, url, author}}")
                out = {str(k): _meta_from(v) for k, v in data.items()}
            except (OSError, ValueError) as e:
                self.warn(display, f"metadata ignored: {e}", "meta")
        self._meta_cache[key] = out
        return out

    # -- files
    def add_file(self, path: str, name: str, meta: dict) -> None:
        self.n_files += 1
        try:
            st = os.stat(path)
        except OSError as e:
            if e.errno == errno.ELOOP:
                self.warn(name, "symlink loop", "link")
            elif isinstance(e, FileNotFoundError) and os.path.islink(path):
                self.warn(name, f"broken symlink (to {os.readlink(path)})", "link")
            elif isinstance(e, PermissionError):
                self.warn(name, "permission denied", "unreadable")
            else:
                self.warn(name, f"cannot read: {e.strerror or e}", "unreadable")
            return
        if not stat.S_ISREG(st.st_mode):
            self.warn(name, "not a regular file (device, pipe or socket)", "special")
            return
        if st.st_size > self.max_bytes:  # decided from the size alone: never read what will be rejected
            self.warn(name, f"too large: {st.st_size:,} bytes (limit {self.max_bytes:,})", "large")
            return
        if st.st_size == 0:
            self.warn(name, "empty file", "empty")
            return
        suffix = os.path.splitext(path)[1]
        ext = suffix.lower() if suffix[1:].isalnum() else ""
        fmt = _FORMATS.get(ext)
        try:
            with open(path, "rb") as fh:
                # st_size + 1, not max_bytes + 1: a huge read size costs a huge buffer
                data = fh.read(min(st.st_size, self.max_bytes) + 1 if fmt else 16)
                if fmt and len(data) > st.st_size:  # grew since stat: read on, up to the limit
                    data += fh.read(self.max_bytes + 1 - len(data))
        except PermissionError:
            self.warn(name, "permission denied", "unreadable")
            return
        except OSError as e:
            self.warn(name, f"cannot read: {e.strerror or e}", "unreadable")
            return
        kind = _binary_kind(data)
        if fmt is None:
            self.warn(name, f"binary file ({kind}), not an article" if kind else
                      f"unsupported file type '{suffix}' (expected .txt, .md, .html, .json or .jsonl)",
                      "binary" if kind else "type")
            return
        if kind:
            self.warn(name, f"binary file ({kind})", "binary")
            return
        if len(data) > self.max_bytes:  # grew since stat
            self.warn(name, f"too large: more than {self.max_bytes:,} bytes", "large")
            return
        sha = hashlib.sha256(data).hexdigest()
        text, note = _decode(data)
        if not text.strip():
            self.warn(name, "empty file (only whitespace)", "empty")
            return
        if self._is_dup(sha, name):
            return
        if note:
            self.warn(name, note)  # a warning, not a skip: the document is still loaded
        if fmt in ("json", "jsonl"):
            self._add_records(path, name, fmt, text, meta)
        elif fmt == "feed":
            self._add_feed(path, name, data, meta)
        else:
            self.add(name=name, path=path, sha=sha, fmt=fmt, raw=text, meta=meta)

    def _add_records(self, path: str, name: str, fmt: str, text: str, meta: dict) -> None:
        records: list[tuple[int, Any]] = []
        if fmt == "jsonl":
            for lineno, line in enumerate(text.split("\n"), 1):
                if line.strip():
                    try:
                        records.append((lineno, json.loads(line)))
                    except ValueError as e:
                        self.warn(name, f"line {lineno}: invalid JSON ({e.msg} at column {e.colno})", "record")
        else:
            try:
                data = json.loads(text)
            except ValueError as e:
                self.warn(name, f"invalid JSON ({e.msg} at line {e.lineno} column {e.colno})", "json")
                return
            if isinstance(data, dict) and not any(k in data for k in _TEXT_KEYS):
                lists = [data[k] for k in ("articles", "items", "records", "documents", "data") if
                         isinstance(data.get(k), list)]
                data = lists[0] if lists else data
            records = list(enumerate(data, 1)) if isinstance(data, list) else [(0, data)]
        where = "line" if fmt == "jsonl" else "record"
        n_before = len(self.docs)
        for k, rec in records:
            rname = f"{name}#{k}" if k else name
            label = f"{where} {k}: " if k else ""
            if not isinstance(rec, dict):
                self.warn(name, f"{label}not a JSON object", "record")
                continue
            body = next((rec[key] for key in _TEXT_KEYS if isinstance(rec.get(key), str)), None)
            if body is None:
                self.warn(name, f"{label}no text field ({', '.join(_TEXT_KEYS[:3])})", "record")
                continue
            if not body.strip():
                self.warn(rname, "empty text field", "empty")
                continue
            sha = hashlib.sha256(body.encode("utf-8", errors="surrogatepass")).hexdigest()
            if not self._is_dup(sha, rname):
                self.add(name=rname, path=path, sha=sha, fmt=fmt, raw=body, meta={**_meta_from(rec), **meta})
        if not records and len(self.docs) == n_before:
            self.warn(name, "no records", "json")

    def _add_feed(self, path: str, name: str, data: bytes, meta: dict) -> None:
        """An RSS or Atom file: each entry is an article (its HTML cleaned like an .html file)."""
        from .feeds import FeedError, feed_records

        try:
            records = feed_records(data)
        except FeedError as e:
            self.warn(name, str(e), "json")
            return
        for k, rec in enumerate(records, 1):
            rname = f"{name}#{k}"
            body = rec.pop("text") or ""
            if not body.strip():
                self.warn(rname, "entry without text", "empty")
                continue
            sha = hashlib.sha256(body.encode("utf-8", errors="surrogatepass")).hexdigest()
            if not self._is_dup(sha, rname):
                self.add(name=rname, path=path, sha=sha, fmt="html", raw=body, meta={**_meta_from(rec), **meta})

    # -- folders
    def add_folder(self, root: Path, display: str) -> None:
        files: list[tuple[str, str, str]] = []  # (relative name, folder, file name)
        errors: list[OSError] = []
        for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=False):
            rel_dir = os.path.relpath(dirpath, root)
            rel = (lambda f: f if rel_dir == "." else f"{rel_dir}/{f}".replace(os.sep, "/"))
            keep = []
            for d in dirnames:
                full = os.path.join(dirpath, d)
                if d.startswith("."):
                    continue  # .git, .cache ...: never articles
                if os.path.islink(full):
                    # not followed; a link to the folder it sits in (or above) would walk forever
                    target, here = os.path.realpath(full), os.path.realpath(dirpath)
                    loop = here == target or here.startswith(target.rstrip(os.sep) + os.sep)
                    self.warn(_display_join(display, rel(d)),
                              "symlink loop (folder link back into the tree), not followed" if loop
                              else "symlinked folder, not followed", "link")
                    continue
                keep.append(d)
            dirnames[:] = keep
            for f in filenames:
                if f.startswith("."):
                    continue
                if f == META_FILE:
                    continue  # metadata, read by folder_meta
                files.append((rel(f), dirpath, f))
                if len(files) > self.max_files:
                    raise BriefError(f"too many files in {display}: more than {self.max_files:,} "
                                     f"(limit max_files={self.max_files})")
        for e in errors:
            where = os.path.relpath(e.filename, root) if e.filename else "."
            self.warn(_display_join(display, where), "folder not readable: " + (e.strerror or str(e)), "folder")
        files.sort(key=lambda x: x[0])
        root_meta = self.folder_meta(root, META_FILE)
        for rel_name, folder, fname in files:
            meta = self.folder_meta(folder, rel_name.rpartition("/")[0] + "/" + META_FILE) \
                if "/" in rel_name else root_meta
            # a meta.json names files beside it; the top one may also name them by relative path
            self.add_file(os.path.join(folder, fname), rel_name, meta.get(fname) or root_meta.get(rel_name) or {})

    def summary(self) -> str:
        if not self.skipped:
            return "no files found" if not self.n_files else "nothing usable"
        parts = [_plural(n, label) for label, n in self.skipped.most_common()]
        return ", ".join(parts) + " skipped"


def _display_join(display: str, rel: str) -> str:
    """A path inside a walked folder, as warnings name it."""
    rel = rel.replace(os.sep, "/")
    return rel if rel != "." else display


MIN_ARTICLE_WORDS = 12
# function words of the languages most often mixed into English feeds: evidence of another language,
# where a mere lack of English function words (a list of keywords) is not
_OTHER = frozenset("le la les des et est une dans pour que qui du au aux sur avec "
                   "der die das und ist nicht mit den dem ein eine zu auf von "
                   "el los las y en es por del con para una se lo "
                   "il di che per non della sono gli "
                   "o os da do em um uma na no ao".split())


def _foreign(text: str) -> bool:
    sample = text[:20000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return False
    if sum(not c.isascii() for c in letters) > 0.5 * len(letters):
        return True  # mostly non-Latin script: Cyrillic, Arabic, CJK...
    words = re.findall(r"[^\W\d_]+", sample.lower())
    english = sum(w in ENGLISH_MARKERS for w in words)
    other = sum(w in _OTHER for w in words)
    return other >= 3 and other > 2 * english


def _drop_outliers(loader: "_Loader") -> None:
    """Texts that cannot be part of this corpus's brief, judged against the corpus itself: notes too short
    to be articles, and articles in another language than the rest (the rules and prompts are English).
    A corpus made only of short texts, or written wholly in another language, is left as it is."""
    words = {d.id: len(d.text.split()) for d in loader.docs}
    if any(n >= MIN_ARTICLE_WORDS for n in words.values()):
        for d in loader.docs:
            if words[d.id] < MIN_ARTICLE_WORDS:
                loader.warn(d.name, f"too short to be an article ({_plural(words[d.id], 'word')}, fewer than "
                            f"{MIN_ARTICLE_WORDS})", "short")
        loader.docs = [d for d in loader.docs if words[d.id] >= MIN_ARTICLE_WORDS]
    english = {d.id for d in loader.docs if not _foreign(d.text)}
    if len(english) * 2 > len(loader.docs):
        for d in loader.docs:
            if d.id not in english:
                loader.warn(d.name, "not in English like the rest of the corpus (the brief's rules and prompts "
                            "are English)", "language")
        loader.docs = [d for d in loader.docs if d.id in english]


def load_documents(inputs: InputLike, *, max_bytes: int = 20_000_000, max_files: int = 20_000
                   ) -> tuple[list[Document], list[LoadWarning]]:
    """Load articles from a folder (recursive), a file, a text, or a list of any of these.

    Files: .txt/.md/no extension (text), .html/.htm, .json (one record or a list), .jsonl (one record a
    line); records have title/text/source/date/url (also body/content, outlet/publisher). Folder files are
    named by their path relative to the folder and taken in that order; a single file by its file name;
    texts are text-1, text-2, ...; an in-memory record is a dict with a text field and optional title, outlet
    (or source), date, url and name. A meta.json in a folder ({file name: {title, outlet, date, url, author}})
    gives metadata and is not an article. Returns (documents, warnings); raises BriefError for a missing
    path, a folder of more than `max_files` files, or when nothing readable is left.
    """
    if isinstance(inputs, (bytes, bytearray)):
        raise BriefError("unsupported input: bytes (decode the text to str first)")
    items = [inputs] if isinstance(inputs, (str, os.PathLike, dict)) else list(inputs)
    if not items:
        raise BriefError("no inputs given")
    loader = _Loader(max_bytes, max_files)
    described = []
    for item in items:
        if isinstance(item, Document):  # loaded already (a night briefs each event from the feed it read)
            if not loader._is_dup(item.sha256, item.name):
                loader.docs.append(item)
            described.append("text")
            continue
        if isinstance(item, dict):
            loader.add_record(item)
            described.append("text")
            continue
        if is_text(item):
            loader.add_text(item)
            described.append("text")
            continue
        path = Path(item)
        if not os.path.lexists(path):
            hint = "" if isinstance(item, os.PathLike) else \
                f" (a string without a newline and at most {TEXT_MIN_LEN} characters is taken as a path)"
            raise BriefError(f"no such file or folder: {item}{hint}")
        described.append(str(item))
        if path.is_dir():
            loader.add_folder(path, str(item))
        elif path.name == META_FILE and path.is_file():
            loader.warn(path.name, "metadata file, not an article (it applies to the files beside it)")
        else:
            meta = loader.folder_meta(path.parent, str(path.parent / META_FILE)) if path.parent else {}
            loader.add_file(str(path), path.name, meta.get(path.name) or {})
        if loader.n_files > max_files:
            raise BriefError(f"too many files: more than {max_files:,} (limit max_files={max_files})")
    _drop_outliers(loader)
    if not loader.docs:
        where = described[0] if len(described) == 1 and described[0] != "text" else \
            ("the given text" if described == ["text"] else f"the {len(described)} inputs")
        raise BriefError(f"no readable documents in {where}: {loader.summary()}")
    return loader.docs, loader.warnings
