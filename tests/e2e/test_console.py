"""The console in a real Chromium, on the whole system as `make run` starts it.

One decision goes through the console from its proposal to its published decision list: the head
of a service proposes it, the financial director grants the visum, the secretariat takes it in a
session, and the staff member whose unit carries it out sees the task appear without reloading and
completes it. Screenshots of every page go under the test output (copies are in `docs/console/`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.e2e.browser import WAIT_MS, Site, focus_order, launch_chromium, signed_in
from tests.e2e.system import RunningSystem

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def site(system: RunningSystem, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The console as the run's ready line and run.json give it, with the demo accounts' passwords."""
    assert "console http://127.0.0.1:" in system.ready_line, system.ready_line
    info = system.run_info
    shots = tmp_path_factory.getbasetemp() / "console-screenshots"
    return Site.of(str(info["api_url"]), Path(str(info["gateway_accounts_file"])), shots)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def test_a_signed_out_visitor_is_sent_to_sign_in(browser: Browser, site: Site) -> None:
    check_sign_in_redirect(browser, site)


def test_the_financial_director_grants_a_visum_and_staff_complete_the_task_live(browser: Browser, site: Site) -> None:
    check_decision_through_the_console(browser, site)


def test_a_published_besluitenlijst_opens_at_its_public_address(browser: Browser, site: Site) -> None:
    if "meeting_id" not in site.state:
        pytest.fail("the decision test published nothing (it failed before publishing)")
    check_public_decision_list(browser, site)


def test_a_council_member_cannot_open_a_bcsd_item(browser: Browser, site: Site) -> None:
    check_bcsd_item_refused(browser, site)


def test_every_other_page_renders_for_its_reader(browser: Browser, site: Site) -> None:
    check_other_pages(browser, site)


# -- the scenarios (plain functions, so they can be run against any running system) --------------


def check_sign_in_redirect(browser: Browser, site: Site) -> None:
    context = browser.new_context(base_url=site.base_url, locale="nl-BE")
    page = context.new_page()
    page.goto("/console/taken")
    expect(page).to_have_url(re.compile(r"/console/aanmelden\?volgende=%2Fconsole%2Ftaken$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")
    expect(page.get_by_label("Gebruikersnaam")).to_be_focused()  # the form's first field takes the focus
    assert focus_order(page, "#gebruikersnaam", 3) == ["Gebruikersnaam", "Wachtwoord", "Aanmelden"]
    page.keyboard.press("Shift+Tab")
    site.shot(page, "aanmelden")
    # A wrong password keeps the visitor out, and says so.
    page.get_by_label("Gebruikersnaam").fill("p-secr")
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("Onbekende gebruikersnaam of fout wachtwoord")
    # The right one goes on to the page first asked for.
    page.get_by_label("Wachtwoord").fill(site.passwords["p-secr"])
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(re.compile(r"/console/taken$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn taken en inbox")
    context.close()


def _propose(page: Page, site: Site, *, body: str, title: str, amount: str, action: str, unit: str) -> str:
    page.goto("/console/voorstellen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agendapunt voorstellen")
    page.get_by_label("Orgaan").select_option(body)
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Motivering").fill("Voorgesteld in de console.")
    page.get_by_label("Bedrag (euro, excl. btw)").fill(amount)
    if not amount:
        page.get_by_label("Algemene rekening").fill("")
    page.get_by_label("Wat moet er na het besluit gebeuren?").fill(action)
    page.get_by_label("Verantwoordelijke dienst").select_option(unit)
    page.get_by_role("button", name="Voorstellen").click()
    expect(page.get_by_role("status")).to_have_text("Punt voorgesteld.", timeout=WAIT_MS)
    # The item's own page, whether or not the proposer may read it (meetings decides that).
    expect(page).to_have_url(re.compile(r"/console/punten/[0-9a-f-]{36}\?"))
    return page.url.split("/console/punten/")[1].split("?")[0]


def check_decision_through_the_console(browser: Browser, site: Site) -> None:
    # The staff member's task list is open before anything happens, and stays open.
    staff_context, staff = signed_in(browser, site, "p-secr", "/console/taken")
    expect(staff.locator("#taken")).to_have_attribute("data-listening", "yes", timeout=WAIT_MS)
    staff.evaluate("() => { window.notReloaded = true; }")

    # The head of public space proposes an item with a financial impact above the visum threshold.
    proposer_context, proposer = signed_in(browser, site, "p-ruimte")
    proposer.goto("/console/voorstellen")
    fields = focus_order(proposer, "#orgaan", 13)
    assert fields == [
        "Orgaan",
        "Titel",
        "Rechtsgrond",
        "Motivering",
        "Bedrag (euro, excl. btw)",
        "Algemene rekening",
        "Beleidsveld",
        "Actie van het meerjarenplan",
        "Boekjaar",
        "Leverancier of begunstigde",
        "Wat moet er na het besluit gebeuren?",
        "Verantwoordelijke dienst",
        "Voorstellen",
    ]
    site.shot(proposer, "voorstellen")
    item_id = _propose(
        proposer,
        site,
        body="college",
        title="Onderhoud speelpleinen via de console",
        amount="18500,00",
        action="Inschrijvers op de hoogte brengen",
        unit="SECR",
    )
    # The budget check and the visum request arrive on the item's page without a reload.
    expect(proposer.locator("#visum-stand")).to_contain_text("Visum aangevraagd", timeout=WAIT_MS)
    site.shot(proposer, "agendapunt")
    proposer_context.close()

    # The financial director grants the visum.
    fd_context, fd = signed_in(browser, site, "p-fd", "/console/financien")
    expect(fd.get_by_role("heading", level=1)).to_have_text("Kredieten en visa")
    row = fd.locator(f"tr[data-item='{item_id}']")
    expect(row).to_be_visible()
    site.shot(fd, "financien")
    row.get_by_label("Voorwaarden (één per regel)").fill("Bestelbon per fase")
    assert focus_order(fd, f"tr[data-item='{item_id}'] textarea[name=voorwaarden]", 2) == [
        "Voorwaarden (één per regel)",
        "Visum verlenen",
    ]
    row.get_by_role("button", name="Visum verlenen").click()
    expect(fd.get_by_role("status")).to_have_text("Visum verleend.", timeout=WAIT_MS)
    expect(fd.locator(f"tr[data-item='{item_id}']")).to_have_count(0)
    fd_context.close()

    # The secretariat plans the college a few seconds ahead with the item, opens, votes, closes, publishes.
    secretariat_context, secretariat = signed_in(browser, site, "p-ad", f"/console/zittingen?punt={item_id}")
    expect(secretariat.get_by_label("Agendapunten (nummers, gescheiden door spaties)")).to_have_value(item_id)
    assert focus_order(secretariat, "form[aria-label='Zitting plannen'] #orgaan", 5) == [
        "Orgaan",
        "Tijdstip (Brusselse tijd)",
        "Plaats",
        "Agendapunten (nummers, gescheiden door spaties)",
        "Plannen",
    ]
    site.shot(secretariat, "zittingen")
    secretariat.get_by_label("Orgaan").select_option("college")
    secretariat.get_by_label("Tijdstip (Brusselse tijd)").fill(site.soon(8))
    secretariat.get_by_role("button", name="Plannen").click()
    expect(secretariat).to_have_url(re.compile(r"/console/zittingen/[0-9a-f-]{36}"), timeout=WAIT_MS)
    meeting_id = secretariat.url.split("/console/zittingen/")[1].split("?")[0]
    _until_accepted(
        secretariat,
        "Zitting bijeenroepen",
        "Bijeenroepen",
        fill={"#punten": item_id},
        skip_if="#zitting-stand:has-text('bijeengeroepen')",
    )
    expect(secretariat.locator("#zitting-stand")).to_have_text("bijeengeroepen")
    site.shot(secretariat, "zitting-bijeengeroepen")
    _until_accepted(secretariat, "Zitting openen", "Zitting openen")
    expect(secretariat.locator("#zitting-stand")).to_have_text("in zitting")
    site.shot(secretariat, "zitting-stemming")
    secretariat.get_by_role("button", name="Stemming registreren").click()
    expect(secretariat.get_by_role("status")).to_have_text("Stemming geregistreerd.", timeout=WAIT_MS)
    secretariat.get_by_role("button", name="Zitting sluiten").click()
    expect(secretariat.get_by_role("status")).to_have_text("Zitting gesloten.", timeout=WAIT_MS)
    secretariat.get_by_role("button", name="Besluitenlijst publiceren").click()
    expect(secretariat.get_by_role("status")).to_have_text("Documenten gepubliceerd.", timeout=WAIT_MS)
    site.shot(secretariat, "zitting-gesloten")
    site.state["meeting_id"] = meeting_id
    secretariat_context.close()

    # The task reaches the staff member's open page without a reload; she completes it.
    task = staff.locator("tr", has_text="Inschrijvers op de hoogte brengen")
    expect(task).to_be_visible(timeout=WAIT_MS)
    assert staff.evaluate("() => window.notReloaded === true"), "the task list was reloaded"
    site.shot(staff, "taken")
    task.get_by_role("button", name="Afronden").click()
    expect(staff.get_by_role("status")).to_have_text("Taak afgerond.", timeout=WAIT_MS)
    expect(staff.locator("tr", has_text="Inschrijvers op de hoogte brengen")).to_contain_text("afgerond")
    staff_context.close()


def _until_accepted(
    page: Page, form: str, button: str, *, fill: dict[str, str] | None = None, skip_if: str = ""
) -> None:
    """Submit a form until the service accepts it: a session opens at its time, not before."""
    for _ in range(40):
        if skip_if and page.locator(skip_if).count():
            return
        target = page.locator(f"form[aria-label='{form}']")
        for selector, value in (fill or {}).items():
            target.locator(selector).fill(value)
        target.get_by_role("button", name=button).click()
        page.wait_for_load_state()
        alert = page.locator("p.fout")
        if alert.count() == 0:
            return
        code = alert.inner_text()
        if not any(
            c in code for c in ("session_not_due", "visum_missing", "budget_check_missing", "quorum_not_reached")
        ):
            pytest.fail(f"{form}: {code}")
        page.wait_for_timeout(500)
    pytest.fail(f"{form}: still refused")


def check_public_decision_list(browser: Browser, site: Site) -> None:
    context = browser.new_context(base_url=site.base_url, locale="nl-BE")
    page = context.new_page()
    meeting_id = site.state["meeting_id"]
    page.goto(f"/publicaties/{meeting_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gepubliceerde documenten")
    site.shot(page, "publicaties")
    page.get_by_role("link", name=re.compile("^Besluitenlijst")).click()
    expect(page).to_have_url(re.compile(rf"/publicaties/{meeting_id}/[0-9a-f-]{{36}}$"))
    expect(page.locator("body")).to_contain_text("Onderhoud speelpleinen via de console")
    assert page.locator("[typeof], [property]").count() > 0, "the document carries its RDFa"
    site.shot(page, "besluitenlijst")
    address = page.url
    page.goto(address)  # the same address again: stable, and still without a session
    expect(page.locator("body")).to_contain_text("Onderhoud speelpleinen via de console")
    context.close()


def check_bcsd_item_refused(browser: Browser, site: Site) -> None:
    welfare_context, welfare = signed_in(browser, site, "p-welzijn")
    item_id = _propose(
        welfare,
        site,
        body="bcsd",
        title="Individuele steunaanvraag (sociaal dossier)",
        amount="",
        action="Beslissing aan de aanvrager meedelen",
        unit="WELZIJN",
    )
    welfare_context.close()
    # A council member who does not sit in the BCSD is refused, and its title is not shown.
    member_context, member = signed_in(browser, site, "m-13", f"/console/punten/{item_id}")
    expect(member.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(member.locator("body")).not_to_contain_text("Individuele steunaanvraag")
    site.shot(member, "geen-toegang")
    member_context.close()
    # A member of the BCSD reads it.
    bcsd_context, bcsd = signed_in(browser, site, "m-18", f"/console/punten/{item_id}")
    expect(bcsd.get_by_role("heading", level=1)).to_contain_text("Individuele steunaanvraag")
    bcsd_context.close()


def check_other_pages(browser: Browser, site: Site) -> None:
    context, page = signed_in(browser, site, "p-ad")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    site.shot(page, "overzicht")
    for path, heading, name in (
        ("/console/personeel", "Personeel en delegaties", "personeel"),
        ("/console/notulen", "Notulen te ondertekenen", "notulen"),
        ("/console/districten/noord", "Districtsfeed noord", "district"),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        site.shot(page, name)
    if "meeting_id" in site.state:
        page.goto(f"/console/zittingen/{site.state['meeting_id']}")
        page.get_by_role("link", name=re.compile("Onderhoud speelpleinen")).click()
        page.locator("#stand").get_by_role("link", name="audit").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Audit van een besluit")
        expect(page.locator("#boom li").first).to_be_visible(timeout=WAIT_MS)
        site.shot(page, "audit")
    context.close()
