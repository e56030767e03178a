"""The registry of records: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from dataclasses import dataclass

from services.records.adapters import translation as t
from services.records.service_layer.commands.access import AccessCommands
from services.records.service_layer.commands.archive import ArchiveCommands
from services.records.service_layer.commands.complaints import ComplaintCommands
from services.records.service_layer.commands.deadlines import DeadlineCommands
from services.records.service_layer.commands.letters import LetterCommands
from services.records.service_layer.reactions import RecordsReactions
from services.records.service_layer.views import RecordsViews
from shared.contracts import records as c
from shared.contracts.hr import DelegationGranted, DelegationRevoked
from shared.contracts.meetings import DecisionAdopted
from shared.contracts.organisation import MandateEnded, MandateStarted, MandateStatusChanged
from shared.contracts.sessions import DocumentPublished
from shared.messaging.routes import Registry, command, reaction

__all__ = ["RecordsHandlers", "registry"]


@dataclass(frozen=True)
class RecordsHandlers:
    """The handler objects `bootstrap.py` built with the policy and the clock."""

    letters: LetterCommands
    complaints: ComplaintCommands
    access: AccessCommands
    archive: ArchiveCommands
    deadlines: DeadlineCommands
    reactions: RecordsReactions
    views: RecordsViews


def registry(h: RecordsHandlers) -> Registry:
    """Every command, query and consumer of records."""
    r, v = h.reactions, h.views
    return Registry(
        commands={
            c.RegisterLetter: command(t.register_letter, h.letters.register),
            c.DraftLetter: command(t.draft_letter, h.letters.draft),
            c.SignLetter: command(t.sign_letter, h.letters.sign),
            c.SendLetter: command(t.send_letter, h.letters.send),
            c.RegisterComplaint: command(t.register_complaint, h.complaints.register),
            c.AcknowledgeComplaint: command(t.acknowledge_complaint, h.complaints.acknowledge),
            c.AssignComplaint: command(t.assign_complaint, h.complaints.assign),
            c.AnswerComplaint: command(t.answer_complaint, h.complaints.answer),
            c.RegisterAccessRequest: command(t.register_access_request, h.access.register),
            c.ExtendAccessRequest: command(t.extend_access_request, h.access.extend),
            c.DecideAccessRequest: command(t.decide_access_request, h.access.decide),
            c.FileArchiveRecord: command(t.file_archive_record, h.archive.file),
            c.RecordCommitteePermission: command(t.record_committee_permission, h.archive.permit),
            c.ApproveDestruction: command(t.approve_destruction, h.archive.approve),
            c.DestroyRecords: command(t.destroy_records, h.archive.destroy),
            c.ScanRecordDeadlines: command(t.scan_deadlines, h.deadlines.scan),
        },
        queries={
            c.ListLetters: v.list_letters,
            c.ListComplaints: v.list_complaints,
            c.GetComplaintsReport: v.get_complaints_report,
            c.ListAccessRequests: v.list_access_requests,
            c.ListArchiveRecords: v.list_archive_records,
            c.ListDestructionStatements: v.list_destruction_statements,
        },
        consumers={
            "records_mandates": {
                MandateStarted: reaction(t.keep_seat, r.keep_seat),
                MandateStatusChanged: reaction(t.set_seat_status, r.set_seat_status),
                MandateEnded: reaction(t.end_seat, r.end_seat),
            },
            "records_delegations": {
                DelegationGranted: reaction(t.keep_delegation, r.keep_delegation),
                DelegationRevoked: reaction(t.revoke_delegation, r.revoke_delegation),
            },
            "records_decisions": {DecisionAdopted: reaction(t.file_decision, r.file_from_meetings)},
            "records_publications": {DocumentPublished: reaction(t.file_publication, r.file_from_meetings)},
        },
    )
