"""The built site in a real browser: search finds Chinese words, links land on the question.

The seed note is built with the project's CLI, served on localhost and driven with Debian's
Chromium (see ``tests/browser.py``). Each step leaves a screenshot in ``_build/screenshots/``
for a human to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from .browser import Site, open_site
from .conftest import build_book

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "_build" / "screenshots"
# Fail in seconds, not Playwright's default 30: the site is local and small.
TIMEOUT_MS = 10_000

# Sphinx's searchtools.js writes the summary ("found N pages", or "did not match") only once
# every result is listed; before that the paragraph is empty. Language-independent.
SEARCH_FINISHED = """() => {
    const summary = document.querySelector('#search-results p.search-summary');
    return summary !== null && summary.textContent.trim() !== '';
}"""
RESULT_LINKS = "#search-results ul.search a"


@pytest.fixture(scope="module")
def html_site(tmp_path_factory) -> Path:
    """The seed book's HTML site, built through the CLI exactly as ``make html`` builds it."""
    return build_book(tmp_path_factory.mktemp("site"), "html") / "html"


@pytest.fixture(scope="module")
def lesson(html_site: Path) -> str:
    """The seed lesson's page, relative to the site root, e.g. ``lessons/l02.html``."""
    pages = sorted(html_site.glob("lessons/l02.html"))
    assert len(pages) == 1, f"one page for lesson 2, found {pages}"
    return pages[0].relative_to(html_site).as_posix()


@pytest.fixture(scope="module")
def site(html_site: Path) -> Iterator[Site]:
    with open_site(html_site) as opened:
        opened.context.set_default_timeout(TIMEOUT_MS)
        yield opened


@pytest.fixture
def page(site: Site) -> Iterator[Page]:
    page = site.new_page()
    try:
        yield page
    finally:
        page.close()


@pytest.fixture(scope="module")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def search(page: Page, query: str) -> list[str]:
    """Open the search page for ``query``, wait until Sphinx has listed every result.

    :return: the ``href`` of every result, as written in the page (relative to the site root)
    """
    page.goto(f"search.html?q={quote(query)}")
    page.wait_for_function(SEARCH_FINISHED)
    # Each result then fetches its page for a summary; let those land before any screenshot.
    page.wait_for_load_state("networkidle")
    links = page.locator(RESULT_LINKS)
    return links.evaluate_all("links => links.map(a => a.getAttribute('href'))")


def search_report(page: Page, hrefs: list[str]) -> str:
    status = page.locator("#search-results p.search-summary").inner_text()
    return f"search status: {status!r}; result links: {hrefs}"


def path_is(url: str, page_path: str) -> bool:
    return urlsplit(url).path.endswith("/" + page_path)


def normalize(text: str) -> str:
    """Collapse whitespace, no-break spaces included, as a reader sees it."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(("query", "anchor"), [
    pytest.param("思维链", "#l02-q03", id="chain-of-thought"),  # in question 3's title
    pytest.param("注意力权重", None, id="attention-weights"),
    pytest.param("微调", None, id="fine-tuning-zh"),
    pytest.param("fine-tuning", None, id="fine-tuning"),
])
def test_search_finds_the_lesson(page, lesson, screenshots, request, query, anchor):
    hrefs = search(page, query)
    page.screenshot(path=screenshots / f"search-{request.node.callspec.id}.png", full_page=True)
    pages = [href.split("#")[0] for href in hrefs]
    assert lesson in pages, f"{query!r} should find {lesson}; {search_report(page, hrefs)}"
    status = page.locator("#search-results p.search-summary").inner_text()
    assert status.startswith("搜索完成"), f"the search speaks Chinese: {status!r}"
    if anchor:
        # Questions are searchable objects: the result links to the question itself.
        assert any(href.endswith(anchor) for href in hrefs), (
            f"{query!r} should link to the question {anchor}; {search_report(page, hrefs)}")


def test_a_search_result_opens_the_lesson(page, lesson, screenshots):
    hrefs = search(page, "微调")
    result = page.locator(f'{RESULT_LINKS}[href^="{lesson}"]').first
    assert result.count(), f"no result for {lesson}; {search_report(page, hrefs)}"
    result.click()
    page.wait_for_url(lambda url: path_is(url, lesson))
    page.screenshot(path=screenshots / "lesson.png", full_page=True)
    title = normalize(page.locator("h1").first.inner_text())
    assert "大模型基础" in title, f"lesson h1 at {page.url}: {title!r}"


def test_qa_index_link_lands_on_the_question(page, lesson, screenshots):
    response = page.goto("qa-index.html")
    page.screenshot(path=screenshots / "qa-index.png", full_page=True)
    assert response is not None and response.ok, (
        f"the Q&A index page is missing: {page.url} answered "
        f"{response.status if response else 'nothing'}")
    link = page.locator("a.reference.internal", has_text=re.compile(r"问题\s2\.4(?!\d)"))
    texts = page.locator("a.reference.internal").all_inner_texts()
    assert link.count(), f"no link for 问题 2.4 on {page.url}; links: {texts}"
    link.first.click()
    page.wait_for_url(lambda url: path_is(url, lesson))
    # Let the jump to the anchor settle before the screenshot and the viewport check.
    page.wait_for_load_state("load")
    page.screenshot(path=screenshots / "qa-landed.png")

    assert urlsplit(page.url).fragment == "l02-q04", f"landed on {page.url}"
    question = page.locator("#l02-q04")
    assert question.count() == 1, f"no element #l02-q04 on {page.url}"
    tag, classes = question.evaluate("el => [el.tagName.toLowerCase(), [...el.classList]]")
    assert tag == "div" and "qa-question" in classes, (
        f"#l02-q04 should be a div.qa-question, is <{tag} class={classes}>")
    title = normalize(question.locator(".qa-title").first.inner_text())
    assert title.startswith("问题 2.4"), f"question title: {title!r}"
    expect(question, f"#l02-q04 should be scrolled into view; window at "
                     f"{page.evaluate('window.scrollY')}px").to_be_in_viewport()


def test_pages_ask_for_nothing_outside_the_site(page, site, lesson):
    """No fonts, scripts or trackers from the internet: the book must work offline."""
    for path in ("index.html", lesson, "search.html?q=%E5%BE%AE%E8%B0%83", "genindex.html"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert not site.blocked, f"requests that left the site: {site.blocked}"


VISIBLE_SEARCH = """() => [...document.querySelectorAll('.search-button-field, .search-button')]
    .filter(el => el.offsetParent !== null && el.getBoundingClientRect().width > 0).length"""


@pytest.mark.parametrize("width", [1280, 400])
def test_one_way_to_search_and_no_header_bar_above_the_page(page, lesson, screenshots, width):
    """pydata-sphinx-theme 0.20 under sphinx-book-theme 1.4 put a page-wide bar with a second
    search field above the book (sphinx_ext.complete_config turns it off)."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(lesson)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=screenshots / f"lesson-top-{width}.png")
    assert page.evaluate(VISIBLE_SEARCH) == 1, "one search field (or, narrow, one button)"
    header = page.locator("#pst-header")
    assert header.count() == 0 or header.evaluate("el => el.getBoundingClientRect().height") < 1
