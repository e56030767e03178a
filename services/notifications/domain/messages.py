"""What a mailbox and a webhook receive for a notice: the texts (in Dutch) and the JSON body."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from typing import Any

from services.notifications.domain.notices import Notice

__all__ = ["failure_mail", "link_of", "mail_for", "webhook_body"]

#: Field names as a Dutch reader knows them.
_LABELS = {
    "title": "Onderwerp",
    "body": "Orgaan",
    "entity": "Bestuur",
    "kind": "Soort",
    "motivation": "Motivering",
    "legal_basis": "Rechtsgrond",
    "adopted_at": "Aangenomen op",
    "effective_date": "Van kracht op",
    "published_at": "Bekendgemaakt op",
    "due_date": "Uiterste datum",
    "district": "District",
    "text": "Tekst",
}


def link_of(base: str, about: str) -> str:
    """Where a receiver fetches what it may see of `about` (`decision:<id>` → `<base>/decision/<id>`)."""
    kind, _, ident = about.partition(":")
    return f"{base.rstrip('/')}/{kind}/{ident}" if ident else f"{base.rstrip('/')}/{kind}"


def webhook_body(notice: Notice, data: Mapping[str, Any] | None, *, thin: bool, link: str) -> dict[str, Any]:
    """The JSON body of a webhook call: `type`, `timestamp`, the event id, and the visible fields
    (thin: only type, id and link)."""
    body: dict[str, Any] = {
        "type": notice.subject,
        "timestamp": notice.occurred_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "event_id": notice.event_id,
        "about": notice.about,
        "link": link,
    }
    if not thin:
        body["data"] = dict(data or {})
    return body


def _subject_line(notice: Notice) -> str:
    kinds = {
        "meetings.decision.adopted": "Besluit genomen",
        "meetings.document.published": "Bekendmaking",
        "organisation.task.created": "Nieuwe opvolgtaak",
        "notifications.test.sent": "Testbericht",
    }
    return f"{kinds.get(notice.subject, 'Melding')}: {notice.title}"


def mail_for(notice: Notice, data: Mapping[str, Any] | None, *, thin: bool, link: str) -> dict[str, str]:
    """A mail (subject, plain text, HTML) in Dutch with the fields the mailbox may see."""
    rows = [] if thin or data is None else [(k, v) for k, v in data.items() if k in _LABELS and v not in (None, "")]
    text = [f"{_subject_line(notice)}", "", *(f"{_LABELS[k]}: {v}" for k, v in rows), "", f"Meer lezen: {link}"]
    text += ["", f"Referentie: {notice.event_id}", "Dit bericht werd automatisch verstuurd door Raderwerk."]
    cells = "".join(
        f"<tr><th align='left'>{html.escape(_LABELS[k])}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows
    )
    page = (
        f"<html lang='nl'><body><h2>{html.escape(_subject_line(notice))}</h2>"
        f"<table>{cells}</table><p><a href='{html.escape(link)}'>Meer lezen</a></p>"
        f"<p><small>Referentie: {html.escape(notice.event_id)}. Dit bericht werd automatisch verstuurd door"
        " Raderwerk.</small></p></body></html>"
    )
    return {"subject": _subject_line(notice), "text": "\n".join(text) + "\n", "html": page}


def failure_mail(target: str, event_id: str, attempts: int, reason: str) -> dict[str, str]:
    """Tell a subscription's owner that a webhook call finally failed."""
    subject = f"Webhook niet afgeleverd na {attempts} pogingen"
    text = (
        f"{subject}\n\nAdres: {target}\nGebeurtenis: {event_id}\nLaatste fout: {reason}\n\n"
        "De levering staat in de lijst van mislukte leveringen; opnieuw versturen kan met "
        "`rw subscriptions resend`.\n"
    )
    page = (
        f"<html lang='nl'><body><h2>{html.escape(subject)}</h2><p>Adres: {html.escape(target)}<br>"
        f"Gebeurtenis: {html.escape(event_id)}<br>Laatste fout: {html.escape(reason)}</p>"
        "<p>De levering staat in de lijst van mislukte leveringen; opnieuw versturen kan met "
        "<code>rw subscriptions resend</code>.</p></body></html>"
    )
    return {"subject": subject, "text": text, "html": page}
