"""The management team's yearly activity report (a query; kept apart so `views.py` stays readable)."""

from __future__ import annotations

from services.meetings.domain.decision import DecisionOutcome
from services.meetings.domain.meeting import MeetingStatus, TreatmentOutcome
from services.meetings.service_layer.ports import MeetingsUnitOfWork
from shared.contracts.meetings import (
    GetManagementTeamReport,
    GetManagementTeamReportReply,
    ManagementTeamMeetingLine,
)
from shared.vocabulary import BodyKind

__all__ = ["get_management_team_report"]

_EVERY = 100_000


async def get_management_team_report(
    uow: MeetingsUnitOfWork, q: GetManagementTeamReport
) -> GetManagementTeamReportReply:
    """Meetings held and lapsed in the year, items treated, decisions per outcome and entity, follow-ups."""
    found = await uow.meetings.list(BodyKind.MANAGEMENTTEAM, _EVERY)
    held = sorted(
        (
            m
            for m in found
            if m.scheduled_at.year == q.year and m.status in {MeetingStatus.CLOSED, MeetingStatus.LAPSED}
        ),
        key=lambda m: m.scheduled_at,
    )
    lines, by_entity = [], {"gemeente": 0, "ocmw": 0}
    adopted = rejected = postponed = items = actions = 0
    for meeting in held:
        decisions = await uow.decisions.of_meeting(meeting.meeting_id)
        won = [d for d in decisions if d.outcome is DecisionOutcome.ADOPTED]
        for d in won:
            by_entity[d.entity.value] += 1
            actions += len(d.follow_up_actions)
        adopted += len(won)
        rejected += sum(1 for d in decisions if d.outcome is DecisionOutcome.REJECTED)
        postponed += sum(1 for e in meeting.entries if e.outcome is TreatmentOutcome.POSTPONED)
        treated = 0 if meeting.status is MeetingStatus.LAPSED else len(meeting.entries)
        items += treated
        lines.append(
            ManagementTeamMeetingLine(
                meeting_id=meeting.meeting_id,
                held_on=meeting.scheduled_at.date(),
                status=meeting.status.value,
                present=len(meeting.present),
                items=treated,
                adopted=len(won),
            )
        )
    return GetManagementTeamReportReply(
        command_id=q.command_id,
        year=q.year,
        meetings_held=sum(1 for m in held if m.status is MeetingStatus.CLOSED),
        meetings_lapsed=sum(1 for m in held if m.status is MeetingStatus.LAPSED),
        items_treated=items,
        adopted=adopted,
        rejected=rejected,
        postponed=postponed,
        adopted_by_entity=by_entity,
        follow_up_actions=actions,
        meetings=tuple(lines),
    )
