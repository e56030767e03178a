"""Legal terms on external entities: what the council must do by when, and what its silence means.

Church councils' multi-year plans, budgets and accounts come before the council within terms of the
Eredienstendecreet of 7 May 2004; management agreements set the dates by which an entity reports.
Each is a `Deadline`, judged on the service's clock by a scan: a deadline left open past its last
day lapses, with the consequence its term gives silence (a multi-year plan is approved).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace

from shared.kernel import RuleViolation
from shared.vocabulary import (
    DeadlineKind,
    DeadlineOutcome,
    DeadlineStatus,
    FollowUpAction,
    FollowUpKind,
    SilenceMeans,
)

__all__ = [
    "CHURCH_DOCUMENTS",
    "Deadline",
    "EntityTerms",
]


#: What a church council files with the municipality.
CHURCH_DOCUMENTS = frozenset(
    {DeadlineKind.MULTI_YEAR_PLAN, DeadlineKind.BUDGET, DeadlineKind.BUDGET_OUTSIDE_PLAN, DeadlineKind.ACCOUNTS}
)


_DECIDED: dict[DeadlineKind, frozenset[DeadlineOutcome]] = {
    DeadlineKind.MULTI_YEAR_PLAN: frozenset(
        {DeadlineOutcome.APPROVED, DeadlineOutcome.REFUSED, DeadlineOutcome.ADJUSTED}
    ),
    DeadlineKind.BUDGET: frozenset({DeadlineOutcome.NOTED}),
    DeadlineKind.BUDGET_OUTSIDE_PLAN: frozenset({DeadlineOutcome.APPROVED, DeadlineOutcome.REFUSED}),
    DeadlineKind.ACCOUNTS: frozenset({DeadlineOutcome.ADVISED}),
    DeadlineKind.MANAGEMENT_REPORT: frozenset({DeadlineOutcome.RECEIVED}),
}

_BY_SILENCE = {
    SilenceMeans.APPROVAL: DeadlineOutcome.APPROVED_BY_SILENCE,
    SilenceMeans.FAVOURABLE_ADVICE: DeadlineOutcome.FAVOURABLE_BY_SILENCE,
    SilenceMeans.NOTHING: DeadlineOutcome.MISSED,
}

_NAMES = {
    DeadlineKind.MULTI_YEAR_PLAN: "meerjarenplan",
    DeadlineKind.BUDGET: "budget",
    DeadlineKind.BUDGET_OUTSIDE_PLAN: "budget buiten het meerjarenplan",
    DeadlineKind.ACCOUNTS: "jaarrekening",
    DeadlineKind.MANAGEMENT_REPORT: "rapportering beheersovereenkomst",
}


@dataclass(frozen=True)
class EntityTerms:
    """The legal terms on church councils' documents and what silence means, with their sources.

    The articles are those of the Eredienstendecreet of 7 May 2004 as the reference (§8a.8 and §5)
    cites them; where it marks a term [K], a deployment overrides it through the settings.
    """

    representative_organ_days: int = 50
    """The representative organ advises on a multi-year plan within 50 days; silence is favourable
    (art. 43). The council's term runs from its advice, or from the end of this term."""
    multi_year_plan_days: int = 100
    """The gemeenteraad approves, refuses or adjusts a multi-year plan within 100 days (art. 43) [S]."""
    multi_year_plan_silence: SilenceMeans = SilenceMeans.APPROVAL
    """Art. 43: a multi-year plan not decided within the term is approved [S]."""
    budget_days: int = 50
    """A budget within the approved plan: the gemeenteraad takes note within 50 days (art. 48) [K]."""
    budget_silence: SilenceMeans = SilenceMeans.NOTHING
    """Taking note is a formality: a missed term changes nothing for the budget (art. 48) [K]."""
    budget_outside_plan_days: int = 50
    """A budget outside the plan: the gemeenteraad decides within 50 days (art. 49) [K]."""
    budget_outside_plan_silence: SilenceMeans = SilenceMeans.APPROVAL
    """Art. 49: silence means approval; appeal to the provincial governor within 30 days [K]."""
    accounts_days: int = 50
    """The gemeenteraad advises the governor on the accounts within 50 days (art. 55) [K]."""
    accounts_silence: SilenceMeans = SilenceMeans.FAVOURABLE_ADVICE
    """Art. 55: an advice not given in time counts as favourable [K]."""
    management_report_silence: SilenceMeans = SilenceMeans.NOTHING
    """A management agreement's report not received by its date has no legal consequence: a follow-up."""
    follow_up_unit: str = "SECR"
    """The organogram unit that puts the entities' documents before the council and follows them up
    (house rule)."""
    follow_up_days: int = 10
    """Days to act on a lapsed term: inform the entity, record the outcome (house rule)."""

    def __post_init__(self) -> None:
        days = (
            self.representative_organ_days,
            self.multi_year_plan_days,
            self.budget_days,
            self.budget_outside_plan_days,
            self.accounts_days,
            self.follow_up_days,
        )
        if min(days) <= 0:
            raise ValueError("every term is a positive number of days")

    def days(self, kind: DeadlineKind) -> int:
        """The council's term for a church council's document of `kind`."""
        return {
            DeadlineKind.MULTI_YEAR_PLAN: self.multi_year_plan_days,
            DeadlineKind.BUDGET: self.budget_days,
            DeadlineKind.BUDGET_OUTSIDE_PLAN: self.budget_outside_plan_days,
            DeadlineKind.ACCOUNTS: self.accounts_days,
        }[kind]

    def silence(self, kind: DeadlineKind) -> SilenceMeans:
        """What silence means at the end of the term of `kind`."""
        return {
            DeadlineKind.MULTI_YEAR_PLAN: self.multi_year_plan_silence,
            DeadlineKind.BUDGET: self.budget_silence,
            DeadlineKind.BUDGET_OUTSIDE_PLAN: self.budget_outside_plan_silence,
            DeadlineKind.ACCOUNTS: self.accounts_silence,
            DeadlineKind.MANAGEMENT_REPORT: self.management_report_silence,
        }[kind]

    def term_starts(self, kind: DeadlineKind, *, received_on: dt.date, advised_on: dt.date | None) -> dt.date:
        """The day the council's term runs from.

        A multi-year plan's term runs from the representative organ's advice, or from the last day of
        its own term when it stays silent; other documents' from the day the municipality received them.
        """
        if kind is DeadlineKind.MULTI_YEAR_PLAN:
            if advised_on is not None:
                if advised_on < received_on:
                    raise RuleViolation("advice_before_receipt", "the representative organ advises on a filed plan")
                return advised_on
            return received_on + dt.timedelta(days=self.representative_organ_days)
        return received_on

    def church_document(
        self,
        *,
        deadline_id: uuid.UUID,
        entity_id: uuid.UUID,
        kind: DeadlineKind,
        title: str,
        received_on: dt.date,
        advised_on: dt.date | None,
    ) -> Deadline:
        """The council's term on a filed church council document: the last day is the start plus the term."""
        if kind not in CHURCH_DOCUMENTS:
            raise RuleViolation("not_a_church_document", f"a church council files no {kind.value}")
        start = self.term_starts(kind, received_on=received_on, advised_on=advised_on)
        return Deadline(
            deadline_id=deadline_id,
            entity_id=entity_id,
            kind=kind,
            title=title,
            opened_on=received_on,
            due_on=start + dt.timedelta(days=self.days(kind)),
            silence=self.silence(kind),
        )

    def management_report(
        self,
        *,
        deadline_id: uuid.UUID,
        entity_id: uuid.UUID,
        agreement_id: uuid.UUID,
        title: str,
        opened_on: dt.date,
        due_on: dt.date,
    ) -> Deadline:
        """A report the entity owes by `due_on` under its management agreement."""
        return Deadline(
            deadline_id=deadline_id,
            entity_id=entity_id,
            kind=DeadlineKind.MANAGEMENT_REPORT,
            title=title,
            opened_on=opened_on,
            due_on=due_on,
            silence=self.management_report_silence,
            agreement_id=agreement_id,
        )

    def to_prepare(self, deadline: Deadline, entity_name: str) -> FollowUpAction:
        """The task a new deadline gives the follow-up unit: act before the last day."""
        if deadline.kind is DeadlineKind.MANAGEMENT_REPORT:
            what = f"Rapportering opvolgen: {deadline.title} ({entity_name}), verwacht uiterlijk {deadline.due_on}"
        else:
            what = (
                f"{_NAMES[deadline.kind].capitalize()} van {entity_name} voor de raad brengen: {deadline.title}; "
                f"termijn tot en met {deadline.due_on}, stilzitten betekent {_silence_nl(deadline.silence)}"
            )
        return FollowUpAction(
            action_id="deadline-prepare",
            kind=FollowUpKind.EXECUTE,
            description=what[:500],
            unit_code=self.follow_up_unit,
            due_date=deadline.due_on,
        )

    def to_follow_up(self, deadline: Deadline, entity_name: str, lapsed_on: dt.date) -> FollowUpAction:
        """The task a lapsed deadline gives the follow-up unit: tell the entity what silence decided."""
        outcome = deadline.outcome or DeadlineOutcome.MISSED
        if outcome is DeadlineOutcome.APPROVED_BY_SILENCE:
            what = (
                f"{_NAMES[deadline.kind].capitalize()} van {entity_name} van rechtswege goedgekeurd: {deadline.title}"
            )
        elif outcome is DeadlineOutcome.FAVOURABLE_BY_SILENCE:
            what = f"Advies over {_NAMES[deadline.kind]} van {entity_name} geldt als gunstig: {deadline.title}"
        else:
            what = f"Termijn verstreken zonder gevolg ({_NAMES[deadline.kind]} van {entity_name}): {deadline.title}"
        return FollowUpAction(
            action_id="deadline-lapsed",
            kind=FollowUpKind.NOTIFY,
            description=(what + "; betrokkenen inlichten")[:500],
            unit_code=self.follow_up_unit,
            due_date=lapsed_on + dt.timedelta(days=self.follow_up_days),
        )


def _silence_nl(silence: SilenceMeans) -> str:
    return {
        SilenceMeans.APPROVAL: "goedkeuring",
        SilenceMeans.FAVOURABLE_ADVICE: "gunstig advies",
        SilenceMeans.NOTHING: "geen rechtsgevolg",
    }[silence]


@dataclass(frozen=True)
class Deadline:
    """A term running on an external entity's document or report."""

    deadline_id: uuid.UUID
    entity_id: uuid.UUID
    kind: DeadlineKind
    title: str
    opened_on: dt.date
    due_on: dt.date
    """The last day on which the council can still decide (or the report is on time)."""
    silence: SilenceMeans
    status: DeadlineStatus = DeadlineStatus.OPEN
    outcome: DeadlineOutcome | None = None
    closed_on: dt.date | None = None
    decision_id: uuid.UUID | None = None
    agreement_id: uuid.UUID | None = None

    def close(self, outcome: DeadlineOutcome, on: dt.date, decision_id: uuid.UUID | None) -> Deadline:
        """The council decided (or the report came in) by the last day."""
        if self.status is not DeadlineStatus.OPEN:
            raise RuleViolation(
                "deadline_closed",
                f"the term on {self.title!r} is {self.status.value} ({self.outcome}); it cannot change",
            )
        if outcome not in _DECIDED[self.kind]:
            allowed = ", ".join(sorted(o.value for o in _DECIDED[self.kind]))
            raise RuleViolation("outcome_not_allowed", f"a {self.kind.value} ends {allowed}, not {outcome.value}")
        if on < self.opened_on:
            raise RuleViolation("closed_before_opened", f"the term on {self.title!r} opened on {self.opened_on}")
        if on > self.due_on:
            raise RuleViolation(
                "term_expired", f"the term on {self.title!r} ended on {self.due_on}: silence decided it"
            )
        return replace(self, status=DeadlineStatus.MET, outcome=outcome, closed_on=on, decision_id=decision_id)

    def lapse(self, as_of: dt.date) -> Deadline | None:
        """Past its last day still open: silence decides. None when nothing changes (idempotent)."""
        if self.status is not DeadlineStatus.OPEN or as_of <= self.due_on:
            return None
        return replace(
            self,
            status=DeadlineStatus.LAPSED,
            outcome=_BY_SILENCE[self.silence],
            closed_on=self.due_on + dt.timedelta(days=1),
        )
