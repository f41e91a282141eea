"""Text search helpers.

SQLite's trigram tokenizer matches substrings of three characters or more. Chinese names are often
two (蔚来, 上海, 小鹏), so every run of Chinese characters is also stored as its overlapping bigrams
(``上海虹桥`` → ``上海 海虹 虹桥``) in a second, word-tokenised index. That index also holds the
English and pinyin words (``Shanghai``, ``Wanda``), matched by prefix: drivers type the start of
a word, and tokenising long English names as trigrams would triple the import time.
"""

from __future__ import annotations

import re

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+")


def bigrams(*texts: str) -> list[str]:
    grams: list[str] = []
    for text in texts:
        for run in _CJK_RUN.findall(text or ""):
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
            if len(run) == 1:
                grams.append(run)
    return grams


def search_words(chinese: tuple[str, ...], latin: tuple[str, ...]) -> str:
    """The text of the word index: Chinese bigrams, then the Latin-script words as they are."""
    words = bigrams(*chinese)
    for text in latin:
        words.extend(_LATIN_WORD.findall(text or ""))
    return " ".join(dict.fromkeys(words))


def is_latin(text: str) -> bool:
    return bool(_LATIN_WORD.fullmatch(text))


def fts_phrase(text: str) -> str:
    """Quote ``text`` as one FTS5 phrase (FTS5 query syntax would otherwise parse it)."""
    return '"' + text.replace('"', '""') + '"'


def query_terms(text: str) -> list[str]:
    return [t for t in re.split(r"\s+", text.strip()) if t]


def is_cjk(text: str) -> bool:
    return bool(_CJK_RUN.fullmatch(text))
