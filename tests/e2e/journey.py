"""A person's journey through Compact in one browser page.

Every distinct page the journey reaches (keyed by URL path and page title, so a form's error
state is a page of its own) is checked with axe-core; any WCAG A/AA violation fails the test."""

from __future__ import annotations

from urllib.parse import urlsplit

from .axe import assert_accessible


class Journey:
    def __init__(self, page, base_url: str, javascript: bool = True):
        self.page = page
        self.javascript = javascript  # False for a context made with java_script_enabled=False
        self.base_url = base_url.rstrip("/")
        self.checked: set[tuple] = set()
        self.last_response = None

    # Where we are ------------------------------------------------------------------------

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    @property
    def status(self) -> int | None:
        return self.last_response.status if self.last_response else None

    def check(self, state: str = "") -> None:
        """Run axe-core on the page as it is now, once per (path, title, state)."""
        has_errors = self.page.locator(".govuk-error-summary").count() > 0
        key = (self.path, self.page.title(), state, has_errors)
        if key in self.checked:
            return
        self.checked.add(key)
        where = f"{self.page.url} ({key[1]!r}{', ' + state if state else ''})"
        assert_accessible(self.page, where, javascript=self.javascript)

    # Moving on ---------------------------------------------------------------------------

    def goto(self, path: str):
        url = path if path.startswith("http") else self.base_url + path
        self.last_response = self.page.goto(url, wait_until="load")
        self._arrived()
        return self.last_response

    def click(self, target):
        """Follow a link or press a button that loads a new page."""
        with self.page.expect_navigation(wait_until="load") as nav:
            target.click()
        self.last_response = nav.value
        self._arrived()
        return self.last_response

    def submit(self, button=None):
        """Send a form by pressing its button (by default the page's main form's first button)."""
        if button is None:
            button = self.page.locator("main form[method=post] button[type=submit]").first
        return self.click(button)

    def link(self, name: str, exact: bool = True):
        return self.click(self.page.get_by_role("link", name=name, exact=exact))

    def button(self, name: str, exact: bool = True):
        return self.click(self.page.get_by_role("button", name=name, exact=exact))

    def htmx(self, action, state: str) -> None:
        """Do something that makes HTMX swap part of the page, wait for it to settle, check it."""
        with self.page.expect_response(lambda r: r.request.headers.get("hx-request") == "true") as response:
            action()
        self.last_response = response.value
        self.page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")
        self.check(state)

    def _arrived(self) -> None:
        assert self.status is None or self.status < 500, f"{self.page.url} answered {self.status}"
        self.check()

    # Reading -----------------------------------------------------------------------------

    def heading(self):
        return self.page.get_by_role("heading", level=1)

    def error_summary(self):
        return self.page.locator(".govuk-error-summary")

    def scroll_width(self) -> int:
        return self.page.evaluate("() => document.documentElement.scrollWidth")


PHONE_WIDTH = 320
_TOO_WIDE = """(limit) => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > limit && !el.closest('.compact-table-wrap'))
  .slice(-5).map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().right)} px): ${el.textContent.trim().slice(0, 60)}`)"""


def fits_phone(journey: Journey, what: str) -> None:
    """The page does not scroll sideways at 320 px (WCAG 1.4.10 reflow); names the widest elements if it does."""
    width = journey.scroll_width()
    if width > PHONE_WIDTH + 1:
        wide = journey.page.evaluate(_TOO_WIDE, PHONE_WIDTH + 1)
        raise AssertionError(f"{what} scrolls sideways at 320 px: it is {width} px wide ({journey.page.url}): {wide}")
