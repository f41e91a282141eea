"""Text search helpers. SQLite's trigram tokenizer matches substrings of three characters or more;
Chinese names are often two (蔚来, 上海, 小鹏), so every run of Chinese characters is also stored as
its overlapping bigrams (``上海虹桥`` → ``上海 海虹 虹桥``) in a second, word-tokenised index.
"""
from __future__ import annotations

import re

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def bigrams(*texts: str) -> str:
    grams: list[str] = []
    for text in texts:
        for run in _CJK_RUN.findall(text or ""):
            grams.extend(run[i:i + 2] for i in range(len(run) - 1))
            if len(run) == 1:
                grams.append(run)
    return " ".join(dict.fromkeys(grams))


def fts_phrase(text: str) -> str:
    """Quote ``text`` as one FTS5 phrase (FTS5 query syntax would otherwise parse it)."""
    return '"' + text.replace('"', '""') + '"'


def query_terms(text: str) -> list[str]:
    return [t for t in re.split(r"\s+", text.strip()) if t]


def is_cjk(text: str) -> bool:
    return bool(_CJK_RUN.fullmatch(text))
