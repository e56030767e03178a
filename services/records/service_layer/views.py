"""Queries of records: each register, the yearly complaints report, the archive and its statements."""

from __future__ import annotations

from services.records.domain.complaints import complaints_report
from services.records.domain.policy import RecordsPolicy
from services.records.domain.selection import SELECTION_LIST, SELECTION_SOURCE
from services.records.service_layer.ports import RecordsUnitOfWork
from shared.contracts import records as c

__all__ = ["RecordsViews"]


class RecordsViews:
    """The registers as their typed replies; the report with the term the policy sets."""

    def __init__(self, policy: RecordsPolicy) -> None:
        self._policy = policy

    async def list_letters(self, uow: RecordsUnitOfWork, query: c.ListLetters) -> c.ListLettersReply:
        """The correspondence register, newest first."""
        return c.ListLettersReply(
            command_id=query.command_id,
            letters=tuple(
                c.LetterLine(
                    letter_id=x.letter_id,
                    direction=x.direction.value,
                    entity=x.entity,
                    correspondent=x.correspondent,
                    subject=x.subject,
                    dated=x.dated,
                    status=x.status.value,
                    due_on=x.due_on,
                    unit_code=x.unit_code,
                    issuer=x.issuer,
                    signatures=tuple(
                        f"{s.capacity}:{s.person_id}" + (f" via:{s.delegation_id}" if s.delegation_id else "")
                        for s in x.signatures
                    ),
                )
                for x in await uow.letters.listing(query.year)
            ),
        )

    async def list_complaints(self, uow: RecordsUnitOfWork, query: c.ListComplaints) -> c.ListComplaintsReply:
        """The complaints register, newest first (no complainant names: they stay in the file)."""
        return c.ListComplaintsReply(
            command_id=query.command_id,
            complaints=tuple(
                c.ComplaintLine(
                    complaint_id=x.complaint_id,
                    entity=x.entity,
                    service_concerned=x.service_concerned,
                    received_on=x.received_on,
                    due_on=x.due_on,
                    status=x.status,
                    handler_person_id=x.handler_person_id,
                    outcome=c.ComplaintOutcome(x.outcome) if x.outcome else None,
                    answered_on=x.answered_on,
                    escalated=x.escalated_on is not None,
                )
                for x in await uow.complaints.listing(query.year)
            ),
        )

    async def get_complaints_report(
        self, uow: RecordsUnitOfWork, query: c.GetComplaintsReport
    ) -> c.GetComplaintsReportReply:
        """The director's yearly report: complaints received in the year, per entity and in total."""
        figures, by_service = complaints_report(await uow.complaints.listing(query.year), query.year)
        return c.GetComplaintsReportReply(
            command_id=query.command_id,
            year=query.year,
            term_days=self._policy.complaint_answer_days,
            lines=tuple(
                c.ComplaintsReportLine(
                    scope=f.scope,
                    received=f.received,
                    answered=f.answered,
                    answered_on_time=f.answered_on_time,
                    answered_late=f.answered_late,
                    still_open=f.still_open,
                    escalated=f.escalated,
                    founded=f.outcomes["founded"],
                    partly_founded=f.outcomes["partly_founded"],
                    unfounded=f.outcomes["unfounded"],
                    inadmissible=f.outcomes["inadmissible"],
                    average_days_to_answer=f.average_days,
                )
                for f in figures
            ),
            by_service=by_service,
        )

    async def list_access_requests(
        self, uow: RecordsUnitOfWork, query: c.ListAccessRequests
    ) -> c.ListAccessRequestsReply:
        """The access requests, newest first, with the redactions of partial access."""
        return c.ListAccessRequestsReply(
            command_id=query.command_id,
            requests=tuple(
                c.AccessRequestLine(
                    request_id=x.request_id,
                    entity=x.entity,
                    document=x.document,
                    record_id=x.record_id,
                    form=c.AccessForm(x.form),
                    channel=c.Channel(x.channel),
                    registered_on=x.registered_on,
                    due_on=x.due_on,
                    extended=x.extension_reason is not None,
                    status=x.status,
                    outcome=c.AccessOutcome(x.outcome) if x.outcome else None,
                    grounds=tuple(c.ExceptionGround(g) for g in x.grounds),
                    redactions=tuple(
                        c.Redaction(passage=r.passage, ground=c.ExceptionGround(r.ground)) for r in x.redactions
                    ),
                    appeal_until=x.appeal_until,
                )
                for x in await uow.access_requests.listing(query.year)
            ),
        )

    async def list_archive_records(
        self, uow: RecordsUnitOfWork, query: c.ListArchiveRecords
    ) -> c.ListArchiveRecordsReply:
        """The archive by series; only what may be destroyed on a day, when asked."""
        records = [
            r
            for r in await uow.archive.listing()
            if (query.series is None or r.series == query.series)
            and (query.include_destroyed or r.destroyed_on is None)
            and (query.destroyable_on is None or r.destroyable_on(query.destroyable_on))
        ]
        return c.ListArchiveRecordsReply(
            command_id=query.command_id,
            selection_list=SELECTION_SOURCE,
            records=tuple(
                c.ArchiveRecordLine(
                    record_id=r.record_id,
                    series=r.series,
                    series_name=SELECTION_LIST[r.series].name,
                    entity=r.entity,
                    title=r.title,
                    dated=r.dated,
                    confidentiality=r.confidentiality,
                    keep_permanently=r.keep_permanently,
                    destroy_from=r.destroy_from,
                    source=r.source,
                    status=r.status,
                    approved_by=r.approved_by,
                    permission=r.permission,
                )
                for r in records
            ),
        )

    async def list_destruction_statements(
        self, uow: RecordsUnitOfWork, query: c.ListDestructionStatements
    ) -> c.ListDestructionStatementsReply:
        """Every dated destruction statement, newest first."""
        return c.ListDestructionStatementsReply(
            command_id=query.command_id,
            statements=tuple(
                c.DestructionStatementLine(
                    statement_id=s.statement_id,
                    destroyed_on=s.destroyed_on,
                    destroyed_by=s.destroyed_by,
                    approved_by=s.approved_by,
                    records=s.lines,
                )
                for s in await uow.statements.listing()
            ),
        )
