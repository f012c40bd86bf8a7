"""Small invented multi-outlet stories as `make_brief` inputs: {file name: [sentences]} -> one document per
outlet, its sentences as paragraphs. One helper for the tests that write such stories."""
from __future__ import annotations


def story_docs(story: dict[str, list[str]], *, titled: bool = False) -> list[dict]:
    """The documents; the outlet is the file name's stem ("north-post.txt" -> "north-post", or "North Post"
    with titled=True)."""
    def outlet(name: str) -> str:
        stem = name.split(".")[0]
        return stem.replace("-", " ").title() if titled else stem
    return [{"text": "\n\n".join(lines), "name": name, "outlet": outlet(name)} for name, lines in story.items()]
