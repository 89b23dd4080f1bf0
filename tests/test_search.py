"""Chinese search: a phrase of a page finds the page, asked the way the browser asks.

One tiny Sphinx project is built once with ``build_tools.sphinx_ext.search``. Its
``searchindex.js`` is read as JSON; its ``language_data.js`` (our splitQuery) and Sphinx's own
``searchtools.js`` run under node to split, stem and look up the queries as a browser does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from build_tools.sphinx_ext.search import SearchChineseGrams, han_grams

CONF = """\
extensions = ["build_tools.sphinx_ext.search"]
project = "搜索"
language = "zh_CN"
html_search_language = "zh"
"""

# The toctree is hidden so that the root page holds no other page's title.
PAGES = {
    "index.rst": "搜索测试\n========\n\n.. toctree::\n   :hidden:\n\n   cot\n   other\n",
    "cot.rst": "思维链提示\n==========\n\n对模型做 Fine-tuning 之前，先看注意力权重。\n",
    "other.rst": "微调与注意事项\n==============\n\n思维方式很重要。\n",
}

# query -> (what splitQuery makes of it, the pages that hold the phrase)
QUERIES = {
    "思维链": (["思维", "维链"], {"cot"}),  # in a title; other holds 思维 but not 维链
    "注意力权重": (["注意", "意力", "力权", "权重"], {"cot"}),  # in a body
    "微调": (["微调"], {"other"}),  # in a title, one pair
    "思维": (["思维"], {"cot", "other"}),  # a title here, a body there
    "链": (["链"], {"cot"}),  # one character
    "fine-tuning": (["fine", "tuning"], {"cot"}),  # Latin, the text says Fine-tuning
    "Fine-tuning之前": (["Fine", "tuning", "之前"], {"cot"}),  # Latin and Han in one word
}

# Loads the built site's scripts in one context, like the <script> tags of search.html, then
# answers {"html": ..., "queries": [...]} on stdin with what searchtools.js makes of each query.
NODE_SEARCH = """
const fs = require("fs"), path = require("path"), vm = require("vm");
const { html, queries } = JSON.parse(fs.readFileSync(0, "utf8"));
const context = vm.createContext({
  _ready: () => {}, SPHINX_HIGHLIGHT_ENABLED: false, document: { getElementById: () => null },
});
for (const file of ["_static/searchtools.js", "_static/language_data.js", "searchindex.js"])
  vm.runInContext(fs.readFileSync(path.join(html, file), "utf8"), context);
context.queries = queries;
const answers = vm.runInContext(`queries.map((query) => {
  const [, terms, excluded] = Search._parseQuery(query);
  const pages = Search.performTermsSearch(terms, excluded).map((result) => result[0]);
  return { query, split: splitQuery(query), terms: [...terms], pages };
})`, context);
process.stdout.write(JSON.stringify(answers));
"""

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project built with ``sphinx-build -W``."""
    work = tmp_path_factory.mktemp("search")
    source = work / "source"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    for name, text in PAGES.items():
        (source / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(source), str(work / "html")],
        capture_output=True, text=True, encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    return work / "html"


@pytest.fixture(scope="module")
def index(html: Path) -> dict[str, Any]:
    """``searchindex.js`` without its ``Search.setIndex(…)`` wrapper."""
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    prefix, suffix = "Search.setIndex(", ")"
    assert text.startswith(prefix) and text.endswith(suffix)
    return json.loads(text[len(prefix) : -len(suffix)])


@pytest.fixture(scope="module")
def answers(html: Path) -> dict[str, dict[str, Any]]:
    """Query -> ``split`` (splitQuery), ``terms`` (split, stemmed) and ``pages`` (found)."""
    request = json.dumps({"html": str(html), "queries": list(QUERIES)})
    result = subprocess.run(
        ["node", "-e", NODE_SEARCH], input=request,
        capture_output=True, text=True, encoding="utf-8", check=True,
    )
    return {answer["query"]: answer for answer in json.loads(result.stdout)}


def pages_of(index: dict[str, Any], mapping: str, term: str) -> set[str]:
    """The pages that *mapping* (``terms`` or ``titleterms``) lists for *term*."""
    found = index[mapping].get(term, [])
    ids = [found] if isinstance(found, int) else found
    return {index["docnames"][i] for i in ids}


def test_han_grams_are_characters_then_pairs() -> None:
    assert han_grams("注意力") == ["注", "意", "力", "注意", "意力"]
    assert han_grams("链") == ["链"]


def test_split_keeps_latin_words_and_drops_punctuation() -> None:
    words = SearchChineseGrams({}).split("SFT就是Fine-tuning，注意力")
    assert {"SFT", "Fine", "tuning", "就是", "注意", "意力", "力"} <= set(words)
    assert not {"，", "-", "SFT就是", "注意力"} & set(words), "no word a query could not ask"


@pytest.mark.parametrize("term", ["注意", "意力", "力权", "权重", "注", "权"])
def test_body_pairs_and_characters_are_indexed(index: dict, term: str) -> None:
    assert pages_of(index, "terms", term) == {"cot"}


@pytest.mark.parametrize(("term", "page"), [
    ("思维", "cot"), ("维链", "cot"), ("链", "cot"),
    ("微调", "other"), ("事项", "other"), ("意事", "other"),
])
def test_title_pairs_and_characters_are_indexed(
    index: dict, term: str, page: str
) -> None:
    assert page in pages_of(index, "titleterms", term)


def test_latin_words_are_stemmed_as_sphinx_does(index: dict) -> None:
    assert pages_of(index, "terms", "fine") == pages_of(index, "terms", "tune") == {"cot"}


@needs_node
@pytest.mark.parametrize("query", list(QUERIES))
def test_split_query_cuts_han_runs_into_pairs(answers: dict, query: str) -> None:
    assert answers[query]["split"] == QUERIES[query][0]


@needs_node
@pytest.mark.parametrize("query", list(QUERIES))
def test_every_query_term_is_indexed_for_the_page(
    answers: dict, index: dict, query: str
) -> None:
    """searchtools.js keeps a page only if it holds every term, in its text or its titles."""
    for page in QUERIES[query][1]:
        for term in answers[query]["terms"]:
            held = pages_of(index, "terms", term) | pages_of(index, "titleterms", term)
            assert page in held, f"{query}: {term} is not indexed for {page}"


@needs_node
@pytest.mark.parametrize("query", list(QUERIES))
def test_searchtools_finds_exactly_the_pages_with_the_phrase(answers: dict, query: str) -> None:
    assert set(answers[query]["pages"]) == QUERIES[query][1]
