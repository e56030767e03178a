"""A real Chromium (Debian's package) driven by Playwright, and what the console's browser tests share.

Playwright cannot download its own browsers here: the tests launch the `chromium` on the PATH, which
`make test` installs when it is missing, and fail with a clear message when there is none.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect

__all__ = ["Site", "focus_order", "launch_chromium", "signed_in"]

LOCAL = ZoneInfo("Europe/Brussels")
#: How long a page may take to show what the services did (the machine is shared).
WAIT_MS = 30_000
MISSING = (
    "Chromium was not found on the PATH: install Debian's package (`apt-get install -y chromium`, "
    "or `make test`, which installs it when missing); Playwright cannot download its own browsers here."
)


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium; without a sandbox when the tests run as root (as CI does)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail(MISSING, pytrace=False)
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    return playwright.chromium.launch(executable_path=executable, args=args)


@dataclass
class Site:
    """The console of one running system: where it is, the demo accounts' passwords, where screenshots go."""

    base_url: str
    passwords: dict[str, str]
    shots: Path
    state: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, base_url: str, accounts_file: Path, shots: Path) -> Site:
        accounts = json.loads(accounts_file.read_text())
        shots.mkdir(parents=True, exist_ok=True)
        return cls(base_url.rstrip("/"), {k: v["password"] for k, v in accounts.items()}, shots)

    def shot(self, page: Page, name: str) -> None:
        """A full-page screenshot under the test output, of a page with one h1 and every field labelled."""
        assert page.locator("h1").count() == 1, f"{name}: one h1"
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea, button')]
                .filter(el => el.type !== 'hidden')
                .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                              && !(el.tagName === 'BUTTON' && el.textContent.trim()))
                .map(el => el.outerHTML.slice(0, 120))"""
        )
        assert unlabelled == [], f"{name}: fields without a label: {unlabelled}"
        page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)

    def soon(self, seconds: float) -> str:
        """A moment ahead, as the schedule form takes it (Brussels time, to the second)."""
        at = dt.datetime.now(LOCAL) + dt.timedelta(seconds=seconds)
        return at.strftime("%Y-%m-%dT%H:%M:%S")


def signed_in(browser: Browser, site: Site, person: str, target: str = "/console") -> tuple[BrowserContext, Page]:
    """A browser context of its own, signed in through the sign-in form."""
    context = browser.new_context(base_url=site.base_url, locale="nl-BE")
    page = context.new_page()
    page.goto(target)
    expect(page).to_have_url(re.compile(r"/console/aanmelden"))
    page.get_by_label("Gebruikersnaam").fill(person)
    page.get_by_label("Wachtwoord").fill(site.passwords[person])
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("Aangemeld als")).to_be_visible(timeout=WAIT_MS)
    return context, page


def focus_order(page: Page, first: str, count: int) -> list[str]:
    """The accessible names of the next `count` fields and buttons the Tab key reaches, from `first` on.

    A field that keeps the focus over several Tabs (the parts of a date and time) is named once.
    """
    page.locator(first).focus()
    names: list[str] = []
    for _ in range(count * 8):
        name = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (el.labels && el.labels.length) return el.labels[0].textContent.trim();
                return (el.getAttribute('aria-label') || el.textContent || '').trim();
            }"""
        )
        if not names or names[-1] != name:
            names.append(name)
        if len(names) == count:
            break
        page.keyboard.press("Tab")
    return names
