"""Test support: serve a built site on localhost and open it in Debian's Chromium, offline.

The browser is ``/usr/bin/chromium`` (installed by ``tools/setup.sh``), driven through
Playwright's sync API; Playwright's own browser downloads are never used. Both the server and
the browser are shut down when the ``with`` block ends, whether the tests passed or not.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

CHROMIUM = "/usr/bin/chromium"
LOCALHOST = "127.0.0.1"

CHROMIUM_ARGS = [
    # Containers give Chromium no user namespaces, so its sandbox cannot start.
    "--no-sandbox",
    "--disable-gpu",
    # /dev/shm is small in containers; Chromium crashes when it fills up.
    "--disable-dev-shm-usage",
    # No host name resolves except the test server's address: neither a page nor Chromium's own
    # services (updates, safe browsing, metrics) can reach the internet.
    f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {LOCALHOST}",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--no-pings",
    "--no-first-run",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr, which would bury test output."""

    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    """A browser that drops a connection mid-response is not a test failure: say nothing."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on a free port of 127.0.0.1.

    Sphinx's search fetches ``searchindex.js`` and page summaries, which ``file://`` URLs forbid;
    hence a real server.

    :param folder: the built site, e.g. ``_build/html``
    :return: the site's base URL, ending in ``/``
    """
    handler = partial(_QuietHandler, directory=str(folder))
    server = _QuietServer((LOCALHOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCALHOST}:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Launch headless Chromium from :data:`CHROMIUM` through Playwright; close it afterwards."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, chromium_sandbox=False, args=CHROMIUM_ARGS,
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Site:
    """A built site served on localhost and open in one offline browser context.

    ``blocked`` lists every request a page tried to send anywhere but the site: it is aborted,
    and a test can assert that the list stays empty.
    """

    url: str
    context: BrowserContext
    blocked: list[str] = field(default_factory=list)

    def new_page(self) -> Page:
        return self.context.new_page()

    def keep_on_site(self, route: Route) -> None:
        """Let a request through if it goes to the site (or is ``data:``); abort it otherwise."""
        target = urlsplit(route.request.url)
        leaves = target.scheme in ("http", "https", "ws", "wss") and (
            target.netloc != urlsplit(self.url).netloc)
        if leaves:
            self.blocked.append(route.request.url)
            route.abort("blockedbyclient")
        else:
            route.continue_()


@contextmanager
def open_site(folder: Path, viewport: tuple[int, int] = (1280, 900)) -> Iterator[Site]:
    """Serve ``folder`` and open it in Chromium; everything is closed when the block ends.

    :param folder: the built HTML site
    :param viewport: window width and height in CSS pixels (wide enough for the theme's sidebar)
    """
    with serve(folder) as url, chromium() as browser:
        width, height = viewport
        context = browser.new_context(base_url=url, locale="zh-CN",
                                      viewport={"width": width, "height": height})
        try:
            site = Site(url, context)
            context.route("**/*", site.keep_on_site)
            yield site
        finally:
            context.close()
