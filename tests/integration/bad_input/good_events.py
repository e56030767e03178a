"""One valid event per durable consumer, and how to see that its service acted on it.

Every event is built from its contract with fresh ids, so it is new to the consumer however often
it is sent. Its effect is checked where it is plain (a task, a seat, a consultation, a delegation,
an inbox entry, a budget check published); for every consumer the inbox row that the handler's
transaction writes with its effect shows that it was handled and committed, not dead-lettered.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from shared.contracts.base import Event, LegalEntity
from shared.contracts.common import BodyKind, FinancialImpact, FollowUpAction, FollowUpKind
from shared.contracts.external import ExternalDeadlineLapsed
from shared.contracts.finance import BudgetCheckPassed, CreditExhausted, VisumOverruled
from shared.contracts.hr import ConsultationOpened, DelegationGranted, StaffAppointed
from shared.contracts.meetings import AgendaItemProposed, DecisionKind
from shared.contracts.organisation import DecisionExecuted, MandateStarted, TaskCreated
from shared.contracts.records import Channel, LetterRegistered
from shared.contracts.sessions import DocumentPublished
from shared.vocabulary import (
    BudgetHolderScope,
    Confidentiality,
    DeadlineKind,
    DeadlineOutcome,
    DelegationPower,
    MandateRole,
    MandateStatus,
    SilenceMeans,
)
from tests.factories import adopted_decision

__all__ = ["GoodEvent", "good_event"]


@dataclass(frozen=True)
class GoodEvent:
    """The event, and SQL (in the consuming service's schema) that finds its effect: a count > 0."""

    event: Event
    effect_sql: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _decision() -> GoodEvent:
    decision = adopted_decision(
        adopted_at=_now(),
        follow_up_actions=(
            FollowUpAction(action_id="a", kind=FollowUpKind.EXECUTE, description="Uitvoeren", unit_code="SECR"),
        ),
    )
    return GoodEvent(decision)


def _agenda_item() -> GoodEvent:
    item = AgendaItemProposed(
        item_id=uuid.uuid4(),
        body=BodyKind.COLLEGE,
        entity=LegalEntity.GEMEENTE,
        title="Onderhoud speelpleinen",
        kind=DecisionKind.DECISION,
        confidentiality=Confidentiality.PUBLIC,
        financial_impact=FinancialImpact(
            entity=LegalEntity.GEMEENTE,
            amount=Decimal("100.00"),
            economic_account="6140000",
            policy_field="0119",
            action="AC-1.1.1",
            financial_year=2026,
        ),
        proposed_at=_now(),
    )
    # Finance answers with a budget check of the item, in its outbox.
    return GoodEvent(
        item,
        "SELECT count(*) FROM outbox WHERE subject LIKE 'finance.budget_check.%'"
        f" AND convert_from(payload, 'UTF8') LIKE '%{item.item_id}%'",
    )


def _published_document() -> GoodEvent:
    return GoodEvent(
        DocumentPublished(
            document_id=uuid.uuid4(),
            kind="decision_list",
            meeting_id=uuid.uuid4(),
            decision_id=None,
            body=BodyKind.COLLEGE,
            entity=LegalEntity.GEMEENTE,
            title="Besluitenlijst college",
            content={"decisions": []},
            content_hash="0" * 64,
            register_hash="0" * 64,
            published_at=_now(),
            due_on=_now().date(),
            on_time=True,
            reportable=False,
        )
    )


def _budget_check() -> GoodEvent:
    return GoodEvent(
        BudgetCheckPassed(
            item_id=uuid.uuid4(),
            entity=LegalEntity.GEMEENTE,
            amount=Decimal("10.00"),
            available=Decimal("1000.00"),
            credit_key="gemeente/2026/6140000/0119/AC-1.1.1",
        )
    )


def _mandate() -> GoodEvent:
    person = f"p-{uuid.uuid4().hex[:10]}"
    return GoodEvent(
        MandateStarted(
            mandate_id=uuid.uuid4(),
            person_id=person,
            person_name="Nele Nieuwkomer",
            body=BodyKind.GEMEENTERAAD,
            entity=LegalEntity.GEMEENTE,
            role=MandateRole.MEMBER,
            status=MandateStatus.EFFECTIVE,
            start=_now().date(),
        ),
        f"SELECT count(*) FROM seats WHERE person_id = '{person}'",
    )


def _mandate_only() -> GoodEvent:
    # Only meetings keeps seats; elsewhere the inbox row is the effect.
    return GoodEvent(_mandate().event)


def _execution() -> GoodEvent:
    return GoodEvent(
        DecisionExecuted(decision_id=uuid.uuid4(), entity=LegalEntity.GEMEENTE, task_count=1, executed_at=_now())
    )


def _consultation() -> GoodEvent:
    consultation = ConsultationOpened(
        consultation_id=uuid.uuid4(),
        subject="Arbeidsreglement: telewerk",
        entity=LegalEntity.GEMEENTE,
        invitation_sent_on=_now().date(),
        meeting_on=_now().date() + dt.timedelta(days=30),
    )
    found = f"SELECT count(*) FROM consultations WHERE consultation_id = '{consultation.consultation_id}'"
    return GoodEvent(consultation, found)


def _delegation() -> GoodEvent:
    delegation = DelegationGranted(
        delegation_id=uuid.uuid4(),
        from_body=None,
        from_person_id="p-ad",
        to_person_id=f"p-{uuid.uuid4().hex[:10]}",
        power=DelegationPower.BUDGET_HOLDER,
        entity=LegalEntity.GEMEENTE,
        budget_scope=BudgetHolderScope(entity=LegalEntity.GEMEENTE, policy_field="0119", max_amount=Decimal("500.00")),
        valid_from=_now().date(),
        valid_until=None,
    )
    return GoodEvent(delegation)


def _credit_exhausted() -> GoodEvent:
    return GoodEvent(
        CreditExhausted(
            decision_id=uuid.uuid4(),
            entity=LegalEntity.GEMEENTE,
            amount=Decimal("5000.00"),
            available=Decimal("10.00"),
            credit_key="gemeente/2026/6140000/0119/AC-1.1.1",
            reason="insufficient_credit",
        )
    )


def _deadline_lapsed() -> GoodEvent:
    deadline_id = uuid.uuid4()
    today = _now().date()
    return GoodEvent(
        ExternalDeadlineLapsed(
            deadline_id=deadline_id,
            entity_id=uuid.uuid4(),
            entity_code="kf-goed",
            kind=DeadlineKind.MULTI_YEAR_PLAN,
            title="Meerjarenplan",
            due_on=today - dt.timedelta(days=1),
            lapsed_on=today,
            silence=SilenceMeans.APPROVAL,
            outcome=DeadlineOutcome.APPROVED_BY_SILENCE,
            municipal_entity=LegalEntity.GEMEENTE,
            follow_up=FollowUpAction(
                action_id="deadline-lapsed",
                kind=FollowUpKind.NOTIFY,
                description="Meerjarenplan van rechtswege goedgekeurd; betrokkenen inlichten",
                unit_code="SECR",
                due_date=today + dt.timedelta(days=10),
            ),
        ),
        effect_sql=f"SELECT count(*) FROM tasks WHERE decision_id = '{deadline_id}'",
    )


def _appointment() -> GoodEvent:
    return GoodEvent(
        StaffAppointed(
            employment_id=uuid.uuid4(),
            person_id=f"p-{uuid.uuid4().hex[:10]}",
            person_name="Nora Nieuw",
            entity=LegalEntity.GEMEENTE,
            position="deskundige",
            unit_code="SECR",
            grade="B1",
            statutory=False,
            start_date=_now().date(),
            decision_id=uuid.uuid4(),
        )
    )


def _task() -> GoodEvent:
    owner = f"p-{uuid.uuid4().hex[:10]}"
    return GoodEvent(
        TaskCreated(
            task_id=uuid.uuid4(),
            decision_id=uuid.uuid4(),
            action_id="a",
            kind=FollowUpKind.EXECUTE,
            title="Uitvoeren",
            entity=LegalEntity.GEMEENTE,
            unit_code="SECR",
            owner_person_id=owner,
            owner_name="Olga Owner",
            due_date=_now().date() + dt.timedelta(days=14),
        )
    )


def _overruling() -> GoodEvent:
    return GoodEvent(
        VisumOverruled(
            overruling_id=uuid.uuid4(),
            visum_id=uuid.uuid4(),
            item_id=uuid.uuid4(),
            decision_id=uuid.uuid4(),
            body=BodyKind.COLLEGE,
            entity=LegalEntity.GEMEENTE,
            amount=Decimal("25000.00"),
            refusal_reasons=("insufficient_credit",),
            overruled_at=_now(),
        )
    )


# -- records -------------------------------------------------------------------------------------


def _records_seat() -> GoodEvent:
    seat = _mandate().event
    assert isinstance(seat, MandateStarted)
    return GoodEvent(seat, f"SELECT count(*) FROM seats WHERE key = '{seat.mandate_id}'")


def _records_signature_delegation() -> GoodEvent:
    delegation = DelegationGranted(
        delegation_id=uuid.uuid4(),
        from_body=None,
        from_person_id="p-ad",
        to_person_id=f"p-{uuid.uuid4().hex[:10]}",
        power=DelegationPower.SIGN,
        entity=LegalEntity.GEMEENTE,
        valid_from=_now().date(),
        valid_until=None,
    )
    return GoodEvent(delegation, f"SELECT count(*) FROM delegations WHERE key = '{delegation.delegation_id}'")


def _records_decision() -> GoodEvent:
    decision = _decision().event
    return GoodEvent(
        decision,
        f"SELECT count(*) FROM archive_records WHERE doc->>'source' = 'decision:{decision.decision_id}'",  # type: ignore[attr-defined]
    )


def _records_publication() -> GoodEvent:
    document = _published_document().event
    return GoodEvent(
        document,
        f"SELECT count(*) FROM archive_records WHERE doc->>'source' = 'document:{document.document_id}'",  # type: ignore[attr-defined]
    )


def _letter() -> GoodEvent:
    letter = LetterRegistered(
        letter_id=uuid.uuid4(),
        entity=LegalEntity.GEMEENTE,
        sender="Jan Inwoner",
        subject="Vraag over een bouwvergunning",
        received_on=_now().date(),
        channel=Channel.MAIL,
        unit_code="SECR",
        due_on=_now().date() + dt.timedelta(days=30),
    )
    return GoodEvent(letter, f"SELECT count(*) FROM tasks WHERE decision_id = '{letter.letter_id}'")


_BY_CONSUMER: dict[str, Callable[[], GoodEvent]] = {
    "finance_agenda_items": _agenda_item,
    "finance_decisions": _decision,
    "organisation_decisions": _decision,
    "hr_decisions": _decision,
    "external_decisions": _decision,
    "external_publications": _published_document,
    "meetings_budget_checks": _budget_check,
    "meetings_mandates": _mandate,
    "meetings_executions": _execution,
    "meetings_consultations": _consultation,
    "finance_delegations": _delegation,
    "organisation_credit": _credit_exhausted,
    "organisation_delegations": _appointment,
    "notifications_tasks": _task,
    "notifications_decisions": _decision,
    "notifications_mandates": _mandate_only,
    "notifications_overrulings": _overruling,
    "external_overrulings": _overruling,
    "records_mandates": _records_seat,
    "records_delegations": _records_signature_delegation,
    "records_decisions": _records_decision,
    "records_publications": _records_publication,
    "organisation_letters": _letter,
    "external_designations": _decision,
    "organisation_external": _deadline_lapsed,
}


def good_event(durable: str) -> GoodEvent:
    """A fresh valid event for `durable`."""
    return _BY_CONSUMER[durable]()
