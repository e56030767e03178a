"""The registry of hr: every subject it serves or consumes, bound to its handler."""

from __future__ import annotations

from dataclasses import dataclass

from services.hr.adapters import translation
from services.hr.service_layer.commands.consultations import ConsultationCommands
from services.hr.service_layer.commands.delegations import DelegationCommands
from services.hr.service_layer.commands.discipline import DisciplineCommands
from services.hr.service_layer.commands.personnel import PersonnelCommands
from services.hr.service_layer.reactions import HrReactions
from services.hr.service_layer.views import HrViews
from shared.contracts import hr as c
from shared.contracts.meetings import DecisionAdopted
from shared.messaging.routes import Registry, command, reaction

__all__ = ["HrHandlers", "registry"]


@dataclass(frozen=True)
class HrHandlers:
    """The handler objects `bootstrap.py` built with their policies and the clock."""

    delegations: DelegationCommands
    consultations: ConsultationCommands
    personnel: PersonnelCommands
    discipline: DisciplineCommands
    reactions: HrReactions
    views: HrViews


def registry(handlers: HrHandlers) -> Registry:
    """Every consumer, command and query of hr."""
    h = handlers
    return Registry(
        commands={
            c.GrantDelegation: command(translation.grant_delegation, h.delegations.grant),
            c.RevokeDelegation: command(translation.revoke_delegation, h.delegations.revoke),
            c.OpenConsultation: command(translation.open_consultation, h.consultations.open),
            c.ConcludeConsultation: command(translation.conclude_consultation, h.consultations.conclude),
            c.OpenEvaluation: command(translation.open_evaluation, h.personnel.open_evaluation),
            c.ConcludeEvaluation: command(translation.conclude_evaluation, h.personnel.conclude_evaluation),
            c.OpenDisciplinaryCase: command(translation.open_disciplinary_case, h.discipline.open_case),
            c.AdvanceDisciplinaryCase: command(translation.advance_disciplinary_case, h.discipline.advance_case),
            c.RecordHearing: command(translation.record_hearing, h.discipline.record_hearing),
            c.ImposeSanction: command(translation.impose_sanction, h.discipline.impose_sanction),
        },
        queries={
            c.CheckDelegation: h.views.check_delegation,
            c.ListStaff: h.views.list_staff,
        },
        consumers={
            "hr_decisions": {DecisionAdopted: reaction(translation.decision_effect, h.reactions.record_decision)},
        },
    )
