"""Chinese search that finds any phrase of the text, not only the words a segmenter cut.

Sphinx's ``SearchChinese`` indexes the words jieba cuts, but the browser cuts a query only at
spaces and punctuation, so 思维链 arrives as one term that no page holds (jieba cut the text
into 思维 and 链). This language indexes every character and every pair of adjacent characters
of each run of Han characters, and ships a ``splitQuery`` (``search_zh.js``, beside this
module) that cuts a query's Han runs into the same pairs. searchtools.js keeps a page only if
it holds every term, so 注意力权重 (注意 意力 力权 权重) finds the pages that hold all four
pairs: those with the phrase, and rarely one with the pairs apart.

jieba's words are not indexed: a query's Han terms are pairs or single characters, and
searchtools.js matches a term of two characters whole, so a word of three characters could
never be asked for, and one of two is a pair already. Leaving jieba out finds the same pages
and saves loading its 349 000-word dictionary (half a second) at every build.

Latin words are indexed and stemmed as ``SearchChinese`` does, so fine-tuning still finds
"Fine-tuning". A query that mixes Han text with Latin words of three letters or more is looser:
searchtools.js, making room for dropped short terms, also keeps a page that holds only as many
terms as the query has such long words. It may list more pages, never fewer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import snowballstemmer
from sphinx.application import Sphinx
from sphinx.search.zh import SearchChinese

# CJK Unified Ideographs: Extension A, the basic block, the compatibility block, and
# Extensions B and up. search_zh.js spells out the same ranges.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
HAN_RUN = re.compile(f"[{HAN}]+")

JS_SPLITTER = Path(__file__).with_name("search_zh.js")


def han_grams(run: str) -> list[str]:
    """Every character and every pair of adjacent characters of a run of Han characters.

    The pairs are what a query of two characters or more is cut into; the single characters
    answer a one-character query, or a character a query sets apart (思维 链).
    """
    return [*run, *(run[i : i + 2] for i in range(len(run) - 1))]


class SearchChineseGrams(SearchChinese):
    """``html_search_language = "zh"`` by Han characters and Han character pairs.

    ``lang`` stays ``"zh"``, so registering this class replaces Sphinx's own Chinese.
    """

    lang = "zh"
    js_splitter_code = JS_SPLITTER.read_text(encoding="utf-8")

    def init(self, options: dict[str, str]) -> None:
        """As ``SearchChinese.init``, without loading jieba's dictionary ("dict" option)."""
        self.stemmer = snowballstemmer.stemmer("english")

    def split(self, input: str) -> list[str]:
        """The index terms of *input*: Han grams and Latin words."""
        latin = self.latin1_letters.findall(input)
        # SearchChinese.stem reads this to leave short acronyms unstemmed.
        self.latin_terms.update(latin)
        grams = [gram for run in HAN_RUN.findall(input) for gram in han_grams(run)]
        return [*grams, *latin]

    def word_filter(self, stemmed_word: str) -> bool:
        """Keep single Han characters too; drop single Latin letters as SearchChinese does."""
        return len(stemmed_word) > 1 or bool(HAN_RUN.fullmatch(stemmed_word))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_search_language(SearchChineseGrams)
    # The terms of every page live in the pickled environment: bump env_version when the
    # terms change, so that pages indexed the old way are read again.
    return {"version": "0.1", "env_version": 2,
            "parallel_read_safe": True, "parallel_write_safe": True}
