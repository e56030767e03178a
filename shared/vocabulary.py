"""The words every service and every contract share: legal entities, bodies, money, decisions.

These are value types, not messages. Domain code may use them (it may not use a `Command` or an
`Event`); the contracts in `shared.contracts` compose them into messages and re-export them, so a
reader of a contract module finds every type a message is made of.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "EARLIEST_YEAR",
    "LATEST_YEAR",
    "PERSON_KINDS",
    "AdviceVerdict",
    "AppointmentDetails",
    "BodyKind",
    "BudgetHolderScope",
    "Candidate",
    "Checked",
    "Confidentiality",
    "DecisionKind",
    "DecisionRelation",
    "DelegationDetails",
    "DelegationPower",
    "DisciplineDetails",
    "DistrictId",
    "EconomicAccount",
    "ElectionBallots",
    "Entity",
    "FinancialImpact",
    "Flow",
    "FollowUpAction",
    "FollowUpKind",
    "ItemFile",
    "LegalEntity",
    "LegalityAdvice",
    "MandateRole",
    "MandateStatus",
    "Money",
    "PlanCode",
    "PolicyField",
    "RelationKind",
    "Value",
    "VoteChoice",
    "VoteTally",
    "within_calendar",
]

#: Euro amounts: exact decimals with cents, serialised as JSON strings (never floats).
Money = Annotated[Decimal, Field(max_digits=15, decimal_places=2, allow_inf_nan=False)]

# The BBC codes of a credit. ASCII digits: `\d` would also match Arabic-Indic and other digits.
#: Algemene rekening, e.g. `6130000`.
EconomicAccount = Annotated[str, Field(pattern=r"^[0-9]{4,10}$")]
#: Beleidsveld, e.g. `0119`.
PolicyField = Annotated[str, Field(pattern=r"^[0-9]{4}$")]
#: A district's id as the district list (`shared.districts`) names it, and its NATS subjects use it.
DistrictId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
#: An action or investment project of the multi-year plan, e.g. `AC-1.2.3`; it is part of a credit
#: key, which readers put into texts of their own, so it is short.
PlanCode = Annotated[str, Field(min_length=1, max_length=64)]


#: The years a date or time in a value or message may fall in. A municipality's records need no
#: others, and with this margin the rules' date arithmetic (deadlines, terms, escalations) can
#: never fall off Python's calendar (years 1 to 9999) or PostgreSQL's.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2999


def within_calendar(value: object) -> object:
    """`value` if it is no date or time, or one with its offset in the years the records keep.

    A time without a UTC offset is nobody's time; one whose UTC moment leaves the calendar (year 1
    at +14:00) breaks whatever converts it.
    """
    if isinstance(value, tuple | list):
        for item in value:
            within_calendar(item)
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("a time needs its UTC offset")
        try:
            year = value.astimezone(dt.UTC).year
        except OverflowError as exc:
            raise ValueError("the time falls outside the calendar in UTC") from exc
    elif isinstance(value, dt.date):
        year = value.year
    else:
        return value
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(f"dates fall in the years {EARLIEST_YEAR} to {LATEST_YEAR}")
    return value


class Checked(BaseModel):
    """Rules every value and message holds whatever its fields: dates and times within the calendar."""

    # A model's validator is built when it is first used, not when its module is imported: a
    # process uses a few dozen of the 400 contracts and values it imports (0.22 s of 1.66 s of imports).
    model_config = ConfigDict(defer_build=True)

    @field_validator("*", mode="after")
    @classmethod
    def _within_calendar(cls, value: object) -> object:
        return within_calendar(value)


class Value(Checked):
    """A value: immutable and strict, equal by content."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class LegalEntity(StrEnum):
    """One of the two legal persons that own credits, decisions and contracts."""

    GEMEENTE = "gemeente"
    OCMW = "ocmw"


class Entity(StrEnum):
    """The `ce-entity` header: which legal entity a message concerns."""

    GEMEENTE = "gemeente"
    OCMW = "ocmw"
    BOTH = "both"

    @classmethod
    def of(cls, entity: LegalEntity) -> Entity:
        """The header value of one legal entity."""
        return cls(entity.value)


class Confidentiality(StrEnum):
    """`public`; `closed` (besloten zitting); `social` (BCSD, social-welfare content)."""

    PUBLIC = "public"
    CLOSED = "closed"
    SOCIAL = "social"


class BodyKind(StrEnum):
    """Governing bodies (bestuursorganen) of both entities."""

    GEMEENTERAAD = "gemeenteraad"
    RAAD_MAATSCHAPPELIJK_WELZIJN = "raad_maatschappelijk_welzijn"
    COLLEGE = "college"
    VAST_BUREAU = "vast_bureau"
    BCSD = "bcsd"
    DISTRICTSRAAD = "districtsraad"
    DISTRICTSCOLLEGE = "districtscollege"
    BURGEMEESTER = "burgemeester"
    """The mayor as a body of one person: burgemeestersbesluiten and politieverordeningen, no vote."""
    GEMEENTERAADSCOMMISSIE = "gemeenteraadscommissie"
    """A council committee: prepares council items and advises; meetings keeps its composition."""
    MANAGEMENTTEAM = "managementteam"
    """The management team (MAT), one for both entities: chaired by the algemeen directeur, with the
    adjunct, the financieel directeur and the staff the organogram names; the burgemeester (or a
    schepen he designates) attends with an advisory vote. It meets behind closed doors and publishes
    nothing; its decisions (coordination, advice, proposals to the college) become follow-up tasks."""


class Flow(StrEnum):
    """Which way money goes: an expense (uitgave) or a receipt (ontvangst).

    The same economic account can carry both (17x: a loan taken up is a receipt, its repayment an
    expense), and only the pair says which limitative total, if any, an amount counts against.
    """

    EXPENSE = "expense"
    RECEIPT = "receipt"


class FinancialImpact(Value):
    """What a decision costs (or brings in), coded as the BBC rules require."""

    entity: LegalEntity
    amount: Money = Field(gt=0)
    """Amount in euro, excluding VAT where recoverable."""
    economic_account: EconomicAccount
    """Algemene rekening, e.g. `6130000`."""
    policy_field: PolicyField
    """Beleidsveld, e.g. `0119`."""
    action: PlanCode | None = None
    """Actie of the multi-year plan, e.g. `AC-1.2.3`."""
    investment_project: PlanCode | None = None
    financial_year: Annotated[int, Field(ge=2000, le=2100)]
    third_party: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    """Supplier or beneficiary."""
    flow: Flow = Flow.EXPENSE
    """An expense (the default) or a receipt: a loan taken up, a grant received, a sale."""


class FollowUpKind(StrEnum):
    EXECUTE = "execute"
    NOTIFY = "notify"
    REPORT = "report"
    SIGN = "sign"
    PUBLISH = "publish"


class FollowUpAction(Value):
    """Something that must be done once the decision is adopted."""

    action_id: str
    kind: FollowUpKind
    description: Annotated[str, Field(min_length=1, max_length=500)]
    unit_code: str | None = None
    """Organogram unit responsible; its head (or delegate) becomes the owner."""
    due_date: dt.date | None = None


class DecisionKind(StrEnum):
    """What an agenda item decides; drives downstream effects (HR, finance, reporting)."""

    DECISION = "decision"
    REGULATION = "regulation"
    APPOINTMENT = "appointment"
    """Appointment of a person (secret ballot); `appointment` says who, where and from when."""
    DISMISSAL = "dismissal"
    """Dismissal of a person (secret ballot); `appointment` names the person and the employment."""
    BUDGET_CHANGE = "budget_change"
    """Adoption by the council (gemeente) or RMW (OCMW) of the multi-year plan or a change of it
    (aanpassing) staged in finance; `budget_change_id` names it."""
    BUDGET_APPROVAL = "budget_approval"
    """The gemeenteraad approves the OCMW part of a plan or plan change its RMW adopted; only then is
    it in force. `budget_change_id` names it."""
    CARRY_OVER = "carry_over"
    """Before 1 March the college (vast bureau) moves unused investment and financing credits of last
    year to this year, as prepared in finance; `budget_change_id` names the carry-over."""
    STAFF_RULES = "staff_rules"
    """A change of the staff rules (RPR); needs a concluded union consultation (`consultation_id`)."""
    VISUM_OVERRULING = "visum_overruling"
    """College or vast bureau commits despite a refused visum; `overrules_item_id` names the item."""
    DELEGATION = "delegation"
    """A delegation of powers by the deciding body; `delegation` describes it."""
    ORGANOGRAM = "organogram"
    """Adoption of an organogram by the council: `organogram_version` names the draft it adopts."""
    DESIGNATION = "designation"
    """Designation or nomination of a representative (in an external entity, a committee); `candidates`."""
    DISCIPLINE = "discipline"
    """A disciplinary decision about a staff member (secret ballot): `appointment` names the person and the
    employer, `discipline` the case in hr (where the staff member was heard) and the sanction."""
    ELECTION = "election"
    """An election of a chair or of members between `candidates`, by secret ballot."""


#: Decisions about persons, taken by secret ballot (DLB art. 34): appointments, dismissals,
#: designations and nominations, discipline, elections.
PERSON_KINDS = frozenset(
    {
        DecisionKind.APPOINTMENT,
        DecisionKind.DISMISSAL,
        DecisionKind.DESIGNATION,
        DecisionKind.DISCIPLINE,
        DecisionKind.ELECTION,
    }
)


class AppointmentDetails(Value):
    """Who is appointed (or dismissed), in which entity and unit, from when."""

    person_id: Annotated[str, Field(min_length=1, max_length=64)]
    person_name: Annotated[str, Field(min_length=1, max_length=200)]
    entity: LegalEntity
    """The employer: gemeente or OCMW."""
    position: Annotated[str, Field(min_length=1, max_length=200)]
    """`staff`, `algemeen_directeur`, `financieel_directeur`, `ombudsman`, or a job title."""
    unit_code: str | None = None
    grade: Annotated[str, Field(min_length=1, max_length=16)]
    """Salary scale, e.g. `B1`, `A1a`."""
    statutory: bool
    """Statutory (vastbenoemd) or contractual."""
    start_date: dt.date


class DelegationDetails(Value):
    """A delegation decided by a body: to whom, which power, in which scope, for how long."""

    delegate_person_id: Annotated[str, Field(min_length=1, max_length=64)]
    power: Annotated[str, Field(min_length=1, max_length=64)]
    """`decide`, `sign`, `budget_holder`, `daily_staff_management` (see `hr` contracts)."""
    scope: dict[str, str] = Field(default_factory=dict)
    """E.g. `{"entity": "gemeente", "policy_field": "0200", "max_amount": "50000.00"}`."""
    valid_from: dt.date
    valid_until: dt.date | None = None


class DisciplineDetails(Value):
    """What a disciplinary decision imposes, and the procedure it ends (hr keeps the case)."""

    case_id: uuid.UUID
    """The disciplinary case in hr: the staff member was heard there, with their defence, before the decision."""
    sanction: Annotated[str, Field(min_length=1, max_length=64)]
    """`blaam`, `inhouding_van_salaris` or `schorsing` (DLB art. 200 §1; `ontslag` and `afzetting` were
    repealed on 1 October 2023). A sanction that ends the employment ends it on `appointment.start_date`."""


class VoteChoice(StrEnum):
    """One member's choice in an open vote."""

    IN_FAVOUR = "in_favour"
    AGAINST = "against"
    ABSTAIN = "abstain"


class VoteTally(Value):
    """Counted votes; abstentions, blank and invalid ballots are not votes cast."""

    in_favour: int = Field(ge=0)
    against: int = Field(ge=0)
    abstentions: int = Field(ge=0)
    """Abstentions (open vote) or blank ballots (secret ballot)."""
    invalid: int = Field(default=0, ge=0)
    """Invalid ballots of a secret ballot (never in an open vote)."""


PersonRef = Annotated[str, Field(min_length=1, max_length=64)]


class Candidate(Value):
    """A person who stands in an election or for a designation."""

    person_id: PersonRef
    name: Annotated[str, Field(min_length=1, max_length=200)]


class ElectionBallots(Value):
    """The counted ballots of one round of an election between candidates (a secret ballot)."""

    votes: dict[PersonRef, Annotated[int, Field(ge=0)]]
    """Ballots for each candidate, by person id."""
    blank: int = Field(default=0, ge=0)
    invalid: int = Field(default=0, ge=0)


class AdviceVerdict(StrEnum):
    """The algemeen directeur's legality advice on an agenda item."""

    FAVOURABLE = "favourable"
    FAVOURABLE_WITH_REMARKS = "favourable_with_remarks"
    UNFAVOURABLE = "unfavourable"


class LegalityAdvice(Value):
    """The algemeen directeur's advice on the legality of a proposed decision, given before it is tabled:
    it shows on the agenda and in the minutes and travels with the decision."""

    verdict: AdviceVerdict
    reasoning: Annotated[str, Field(min_length=1, max_length=5000)]
    given_by: PersonRef
    """The algemeen directeur (or the acting one) who gave it."""
    given_at: dt.datetime

    @property
    def unfavourable(self) -> bool:
        return self.verdict is AdviceVerdict.UNFAVOURABLE


class ItemFile(Value):
    """A document of an item's file (dossier), available to the members from the convocation on."""

    title: Annotated[str, Field(min_length=1, max_length=300)]
    reference: Annotated[str, Field(min_length=1, max_length=500)]
    """Where the document is kept: a document id or an address in the document system."""


class MandateRole(StrEnum):
    """The seat a person holds in a body."""

    MEMBER = "member"
    CHAIR = "chair"
    MAYOR = "mayor"
    ALDERMAN = "alderman"
    """Schepen; the parallel seat in the vast bureau is also `alderman`."""
    SECRETARY = "secretary"
    """The algemeen directeur attends and keeps the minutes without a vote."""


class MandateStatus(StrEnum):
    EFFECTIVE = "effective"
    ACTING = "acting"
    """Waarnemend: sits in place of a prevented member."""
    PREVENTED = "prevented"
    """Verhinderd: keeps the mandate but does not sit (does not count for the quorum)."""


class DelegationPower(StrEnum):
    DECIDE = "decide"
    SIGN = "sign"
    BUDGET_HOLDER = "budget_holder"
    """Budgethouderschap: commit credits within the scope."""
    DAILY_STAFF_MANAGEMENT = "daily_staff_management"
    HIRING = "hiring"
    DISCIPLINE = "discipline"


class BudgetHolderScope(Value):
    """Which credits a budget holder may commit: empty fields mean any within the entity."""

    entity: LegalEntity
    policy_field: PolicyField | None = None
    economic_account: EconomicAccount | None = None
    action: PlanCode | None = None
    max_amount: Money | None = None
    """Per commitment, in euro."""


class LegalForm(StrEnum):
    """The legal form of an external or autonomous entity the municipality deals with (DOMAIN §7;
    reference §5; the LBLOD `OrganisatieClassificatieCode` names each)."""

    AGB = "agb"
    """Autonoom gemeentebedrijf: public-law legal person founded by the gemeente alone (DLB art. 225-244)."""
    VZW = "vzw"
    """Private-law external entity (EVA in private form, DLB art. 245 ff.)."""
    STICHTING = "stichting"
    VENNOOTSCHAP = "vennootschap"
    INTERLOKALE_VERENIGING = "interlokale_vereniging"
    """Intermunicipal cooperation without legal personality (DLB deel 3): it has no KBO number."""
    PROJECTVERENIGING = "projectvereniging"
    DIENSTVERLENENDE_VERENIGING = "dienstverlenende_vereniging"
    OPDRACHTHOUDENDE_VERENIGING = "opdrachthoudende_vereniging"
    OCMW_VERENIGING = "ocmw_vereniging"
    """OCMW association (welzijnsvereniging, autonome verzorgingsinstelling, ...; DLB deel 3 titel 4):
    the OCMW founds or joins it."""
    POLITIEZONE = "politiezone"
    HULPVERLENINGSZONE = "hulpverleningszone"
    KERKFABRIEK = "kerkfabriek"
    """Bestuur van de eredienst (church council), Eredienstendecreet of 7 May 2004."""
    CENTRAAL_KERKBESTUUR = "centraal_kerkbestuur"


#: Forms without legal personality: they have no KBO number of their own.
WITHOUT_LEGAL_PERSONALITY = frozenset({LegalForm.INTERLOKALE_VERENIGING})
#: Church councils: their multi-year plans, budgets and accounts come before the council within legal terms.
CHURCH_COUNCILS = frozenset({LegalForm.KERKFABRIEK, LegalForm.CENTRAAL_KERKBESTUUR})


class Involvement(StrEnum):
    """How the municipality is involved in an external entity (LBLOD "betrokkenheid", with member added)."""

    SUPERVISING = "supervising"
    """Toezichthoudend (e.g. church councils)."""
    CO_FINANCING = "co_financing"
    """Mede-financierend (a dotation or grant in the multi-year plan)."""
    MEMBER = "member"
    """Member, partner or founder, represented in its general assembly or board."""
    ADVISING = "advising"
    """Adviserend."""


class DesignationDetails(Value):
    """What a council's designation decision names in an external entity: the elected candidate sits there.

    The entity is the registry's code in external; the person is the decision's `elected` candidate.
    """

    entity_code: Annotated[str, Field(min_length=1, max_length=64)]
    role: Annotated[str, Field(min_length=1, max_length=200)]
    """Where the representative sits: `algemene vergadering`, `raad van bestuur`, `kerkraad`, ..."""
    term_start: dt.date | None = None
    """First day of the term; the decision's effective date when not given."""
    term_end: dt.date | None = None
    """Last day of the term; open (until replaced) when not given."""
    replaces_person_id: PersonRef | None = None
    """The representative this designation replaces: their term ends the day before this one starts."""


class DeadlineKind(StrEnum):
    MULTI_YEAR_PLAN = "multi_year_plan"
    """A church council's meerjarenplan (or its change), before the gemeenteraad."""
    BUDGET = "budget"
    """A church council's budget that fits the approved multi-year plan: the council takes note (akte)."""
    BUDGET_OUTSIDE_PLAN = "budget_outside_plan"
    """A church council's budget outside the multi-year plan: the council approves it or not."""
    ACCOUNTS = "accounts"
    """A church council's annual accounts: the council advises, the provincial governor decides."""
    MANAGEMENT_REPORT = "management_report"
    """A report the entity owes under its management agreement (beheersovereenkomst)."""


class SilenceMeans(StrEnum):
    """What the law makes of a term that passes without a decision."""

    APPROVAL = "approval"
    """The document is approved as filed."""
    FAVOURABLE_ADVICE = "favourable_advice"
    """The council's advice counts as favourable."""
    NOTHING = "nothing"
    """No legal consequence: the term is simply missed, and someone must act on it."""


class DeadlineOutcome(StrEnum):
    """How a deadline ended."""

    APPROVED = "approved"
    REFUSED = "refused"
    ADJUSTED = "adjusted"
    """The council approved the plan with changes (art. 43)."""
    NOTED = "noted"
    """The council took note (akte) of a budget within the plan."""
    ADVISED = "advised"
    """The council gave its advice on the accounts."""
    RECEIVED = "received"
    """The entity's report under its management agreement came in."""
    APPROVED_BY_SILENCE = "approved_by_silence"
    FAVOURABLE_BY_SILENCE = "favourable_by_silence"
    MISSED = "missed"
    """The term passed without the decision or report, and silence means nothing."""


class DeadlineStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    """Decided (or received) on or before the last day."""
    LAPSED = "lapsed"
    """The last day passed: silence decided."""


class RelationKind(StrEnum):
    """How a decision relates to an earlier one (LBLOD: `eli:changes`, `eli:repeals`)."""

    REPLACES = "replaces"
    """The earlier decision's text is replaced as a whole from this decision's entry into force."""
    AMENDS = "amends"
    """The earlier decision is changed; this decision states the text as amended."""
    REPEALS = "repeals"
    """The earlier decision is no longer in force from this decision's entry into force."""


class DecisionRelation(Value):
    """A decision replaces, amends or repeals an earlier decision of the same entity."""

    relation: RelationKind
    decision_id: uuid.UUID
