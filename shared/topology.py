"""The one declaration of streams, durable consumers, command subjects and NATS users.

Provisioning (`deploy.provision`), the generated NATS server configuration (`deploy.natsconf`),
the services' subscribers and the docs all read this module, so a consumer or a permission is
declared exactly once. It is data: no I/O happens here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CAPTURE_STREAM",
    "COMMAND_STREAM",
    "CONSUMERS",
    "CONSUME_SUBJECT",
    "READINESS_SUBJECT",
    "SERVICES",
    "STREAMS",
    "ConsumerSpec",
    "ServiceSpec",
    "StreamSpec",
    "command_subject",
    "consumer",
    "consumers_of",
    "district_account",
    "district_consumer",
    "district_permissions",
    "district_subject",
    "district_user",
    "inbox_prefix",
    "operator_permissions",
    "service_permissions",
    "stream_of_subject",
    "subject_matches",
]

DAY = 24 * 3600


@dataclass(frozen=True)
class StreamSpec:
    """A JetStream stream. `sources` makes it a capture of other streams (no own subjects)."""

    name: str
    subjects: tuple[str, ...]
    description: str
    max_age_s: int = 365 * DAY
    # The relay retries unpublished outbox rows for hours at most; the window covers that.
    duplicate_window_s: int = 6 * 3600
    sources: tuple[str, ...] = ()
    # A stream on request/reply subjects must not answer with a PubAck (it would hijack replies).
    no_ack: bool = False
    deny_delete: bool = False
    deny_purge: bool = False


@dataclass(frozen=True)
class ConsumerSpec:
    """A durable pull consumer owned by one service."""

    service: str
    durable: str
    stream: str
    filter_subjects: tuple[str, ...]
    description: str
    max_deliver: int = 8
    ack_wait_s: float = 30.0
    # Delays (seconds) for redelivery after a transient failure, indexed by delivery number.
    retry_delays_s: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
    max_ack_pending: int = 256
    batch_size: int = 16


@dataclass(frozen=True)
class ServiceSpec:
    """A back-office service: the events it owns, the commands it serves and sends.

    `stream` is empty for a service that owns no events (the gateway only forwards commands).
    """

    name: str
    stream: str
    description: str
    extra_publish: tuple[str, ...] = ()
    serves_commands: bool = True
    sends_commands: tuple[str, ...] = field(default_factory=tuple)
    watches: tuple[str, ...] = ()
    """Event subjects it only reads as they pass (core NATS, no consumer, nothing acknowledged)."""


SERVICE_NAMES = (
    "organisation",
    "hr",
    "finance",
    "meetings",
    "external",
    "notifications",
    "audit",
    "records",
    "gateway",
)

SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("organisation", "ORGANISATION", "Entities, bodies, mandates, organogram, follow-up tasks."),
    ServiceSpec("hr", "HR", "Staff, appointments, delegations, union consultation."),
    ServiceSpec("finance", "FINANCE", "Multi-year plan, credits per entity, visum, commitments."),
    ServiceSpec("meetings", "MEETINGS", "Meetings of every body, agendas, votes, decisions, minutes."),
    ServiceSpec("external", "EXTERNAL", "External entities, representatives, supervision reporting."),
    ServiceSpec(
        "notifications",
        "NOTIFICATIONS",
        "Subscriptions, personal inboxes, district feeds.",
        extra_publish=("district.>",),
    ),
    ServiceSpec("audit", "AUDIT", "The hash-chained ledger of every message."),
    ServiceSpec("records", "RECORDS", "Correspondence, complaints, access to documents, the archive."),
    # The HTTP API: it sends every command and query on behalf of a signed-in person, and nothing more.
    ServiceSpec(
        "gateway",
        "",
        "Sign-in and the HTTP API: commands and queries on behalf of signed-in people.",
        serves_commands=False,
        sends_commands=("cmd.>",),
        # The console's live pages: told that something changed, they ask the service again.
        watches=("organisation.task.>", "notifications.inbox_entry.>", "finance.>", "meetings.>", "district.>"),
    ),
)

COMMAND_STREAM = "COMMANDS"
DISTRICT_STREAM = "DISTRICTS"
CAPTURE_STREAM = "CAPTURE"
#: Consume records: every service with durable consumers publishes on this subject of audit's contract
#: what its consumers did with each delivery (it lands in the AUDIT stream, and so in CAPTURE).
CONSUME_SUBJECT = "audit.consume.recorded"
#: `meetings.agenda_item.checked`: the one event subject the operator may read live.
READINESS_SUBJECT = "meetings.agenda_item.checked"

_DOMAIN_STREAMS = tuple(
    StreamSpec(s.name.upper(), (f"{s.name}.>",), f"Events published by {s.name}.") for s in SERVICES if s.stream
)

STREAMS: tuple[StreamSpec, ...] = (
    *_DOMAIN_STREAMS,
    StreamSpec(DISTRICT_STREAM, ("district.>",), "Redacted per-district feeds, written by notifications."),
    StreamSpec(
        COMMAND_STREAM,
        ("cmd.>",),
        "Every command as sent, captured without acknowledgement for the ledger.",
        no_ack=True,
        duplicate_window_s=120,
    ),
    StreamSpec(
        CAPTURE_STREAM,
        (),
        "A copy of every stream, read in order by the audit ledger writer.",
        sources=(*(s.name for s in _DOMAIN_STREAMS), "DISTRICTS", COMMAND_STREAM),
        max_age_s=10 * 365 * DAY,
        deny_delete=True,
        deny_purge=True,
    ),
)

CONSUMERS: tuple[ConsumerSpec, ...] = (
    ConsumerSpec(
        "finance",
        "finance_agenda_items",
        "MEETINGS",
        ("meetings.agenda_item.proposed",),
        "Budget check of agenda items with a financial impact.",
    ),
    ConsumerSpec(
        "finance",
        "finance_decisions",
        "MEETINGS",
        ("meetings.decision.adopted",),
        "Commitments (vastleggingen) for adopted decisions.",
    ),
    ConsumerSpec(
        "organisation",
        "organisation_decisions",
        "MEETINGS",
        ("meetings.decision.adopted", "meetings.publication.term_nearing"),
        "Follow-up tasks for adopted decisions, and for a publication term nearing its end.",
    ),
    ConsumerSpec(
        "hr",
        "hr_decisions",
        "MEETINGS",
        ("meetings.decision.adopted",),
        "HR effects of adopted decisions (appointments, dismissals, discipline, delegations, staff rules).",
    ),
    ConsumerSpec(
        "external",
        "external_decisions",
        "MEETINGS",
        ("meetings.decision.adopted",),
        "Supervision reporting (meldingsplicht) of reportable decisions.",
    ),
    ConsumerSpec(
        "external",
        "external_designations",
        "MEETINGS",
        ("meetings.decision.adopted",),
        "Representatives in external entities, from the councils' designation decisions.",
    ),
    ConsumerSpec(
        "organisation",
        "organisation_external",
        "EXTERNAL",
        ("external.deadline.opened", "external.deadline.lapsed"),
        "Follow-up tasks for legal terms on external entities' documents, and for what silence decided.",
    ),
    ConsumerSpec(
        "external",
        "external_publications",
        "MEETINGS",
        ("meetings.document.published",),
        "Published decision lists and regulations: reports go to the supervisory authority the same day.",
    ),
    ConsumerSpec(
        "meetings",
        "meetings_budget_checks",
        "FINANCE",
        (
            "finance.budget_check.passed",
            "finance.budget_check.failed",
            "finance.visum.granted",
            "finance.visum.refused",
        ),
        "Budget-check and visum results recorded on agenda items.",
    ),
    ConsumerSpec(
        "meetings",
        "meetings_mandates",
        "ORGANISATION",
        ("organisation.mandate.started", "organisation.mandate.status_changed", "organisation.mandate.ended"),
        "Sitting members of each body, for quorum and votes.",
    ),
    ConsumerSpec(
        "meetings",
        "meetings_executions",
        "ORGANISATION",
        ("organisation.decision.executed",),
        "Decisions whose follow-up tasks are all done.",
    ),
    ConsumerSpec(
        "meetings",
        "meetings_consultations",
        "HR",
        ("hr.consultation.opened", "hr.consultation.concluded"),
        "Union consultation files that gate staff-rules items.",
    ),
    ConsumerSpec(
        "finance",
        "finance_delegations",
        "HR",
        ("hr.delegation.>",),
        "Budget-holder delegations checked on every commitment.",
    ),
    ConsumerSpec(
        "organisation",
        "organisation_credit",
        "FINANCE",
        ("finance.credit.exhausted",),
        "A follow-up task for the financial service when a decision no longer fits its credit.",
    ),
    ConsumerSpec(
        "organisation",
        "organisation_delegations",
        "HR",
        ("hr.delegation.>", "hr.staff.>"),
        "Delegates and staff, for the owners of follow-up tasks.",
    ),
    ConsumerSpec(
        "notifications",
        "notifications_tasks",
        "ORGANISATION",
        ("organisation.task.created",),
        "Inbox entries for the owners of new follow-up tasks.",
    ),
    ConsumerSpec(
        "notifications",
        "notifications_decisions",
        "MEETINGS",
        ("meetings.decision.adopted", "meetings.document.published"),
        "Adopted decisions and published documents, to district feeds, webhooks, mailboxes and inboxes (redacted).",
    ),
    ConsumerSpec(
        "notifications",
        "notifications_mandates",
        "ORGANISATION",
        ("organisation.mandate.started", "organisation.mandate.status_changed", "organisation.mandate.ended"),
        "The sitting council members, who hear of every visum overruling.",
    ),
    ConsumerSpec(
        "notifications",
        "notifications_overrulings",
        "FINANCE",
        ("finance.visum.overruled",),
        "An inbox entry for every sitting council member when the college or vast bureau overrules a visum.",
    ),
    ConsumerSpec(
        "external",
        "external_overrulings",
        "FINANCE",
        ("finance.visum.overruled",),
        "Every visum overruling is reported to the supervisory authority.",
    ),
    # -- records ------------------------------------------------------------------------------
    ConsumerSpec(
        "records",
        "records_mandates",
        "ORGANISATION",
        ("organisation.mandate.started", "organisation.mandate.status_changed", "organisation.mandate.ended"),
        "Who signs letters for which body: the chairs and the burgemeester.",
    ),
    ConsumerSpec(
        "records",
        "records_delegations",
        "HR",
        ("hr.delegation.>",),
        "Written delegations of signature and of access decisions.",
    ),
    ConsumerSpec(
        "records",
        "records_decisions",
        "MEETINGS",
        ("meetings.decision.adopted",),
        "Every adopted decision becomes an archive record (closed ones without their content).",
    ),
    ConsumerSpec(
        "records",
        "records_publications",
        "MEETINGS",
        ("meetings.document.published",),
        "Published decision lists, regulations and minutes become archive records.",
    ),
    ConsumerSpec(
        "organisation",
        "organisation_letters",
        "RECORDS",
        ("records.letter.registered",),
        "A follow-up task for the unit that answers a registered letter.",
    ),
    ConsumerSpec(
        "audit",
        "audit_ledger",
        CAPTURE_STREAM,
        (),
        "Every captured message, in stream order, into the hash chain.",
        # Never give up on a message: a dropped one would be a permanent hole in the ledger.
        max_deliver=-1,
        max_ack_pending=1024,
        batch_size=256,
    ),
)


def consumers_of(service: str) -> tuple[ConsumerSpec, ...]:
    """The durable consumers a service binds to."""
    return tuple(c for c in CONSUMERS if c.service == service)


def consumer(durable: str) -> ConsumerSpec:
    """Look a consumer up by its durable name."""
    for spec in CONSUMERS:
        if spec.durable == durable:
            return spec
    raise KeyError(durable)


def service(name: str) -> ServiceSpec:
    """Look a service up by name."""
    for spec in SERVICES:
        if spec.name == name:
            return spec
    raise KeyError(name)


def command_subject(service_name: str, command: str) -> str:
    """`cmd.<service>.<command>`: the request/reply subject of a command or query."""
    return f"cmd.{service_name}.{command}"


def inbox_prefix(user: str) -> str:
    """Each user gets its own reply inbox so no one can read another's replies."""
    return f"_INBOX_{user}"


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: `*` is one part, a final `>` one or more."""
    want, have = pattern.split("."), subject.split(".")
    for i, part in enumerate(want):
        if part == ">":
            return len(have) > i
        if i >= len(have) or part not in ("*", have[i]):
            return False
    return len(want) == len(have)


def stream_of_subject(subject: str) -> str:
    """The stream that stores a published event subject."""
    head = subject.split(".", 1)[0]
    if head == "district":
        return "DISTRICTS"
    return service(head).stream


def service_permissions(name: str) -> dict[str, object]:
    """NATS permissions of a service user: its own events, its consumers, its commands."""
    spec = service(name)
    publish = [*([f"{name}.>"] if spec.stream else []), *spec.extra_publish, *spec.sends_commands]
    if consumers_of(name) and name != "audit":
        publish.append(CONSUME_SUBJECT)
        # `rw replay` re-reads a consumer's stream by sequence (shared.messaging.operations).
        for stream in dict.fromkeys(c.stream for c in consumers_of(name)):
            publish += [f"$JS.API.STREAM.INFO.{stream}", f"$JS.API.STREAM.MSG.GET.{stream}"]
    for c in consumers_of(name):
        publish += [
            f"$JS.API.CONSUMER.INFO.{c.stream}.{c.durable}",
            f"$JS.API.CONSUMER.MSG.NEXT.{c.stream}.{c.durable}",
            f"$JS.ACK.{c.stream}.{c.durable}.>",
        ]
    subscribe = [f"{inbox_prefix(name)}.>"]
    if spec.serves_commands:
        subscribe.append(f"cmd.{name}.>")
    subscribe += spec.watches
    return {
        "publish": {"allow": publish},
        "subscribe": {"allow": subscribe},
        "allow_responses": True,
    }


def district_subject(district_id: str, subject: str) -> str:
    """`district.<id>.<service>.<aggregate>.<event>`: where a district's redacted copy is published."""
    return f"district.{district_id}.{subject}"


def district_user(district_id: str) -> str:
    """The NATS user of a district (in its own account)."""
    return f"district_{district_id}"


def district_account(district_id: str) -> str:
    """The NATS account of a district: it sees only what the back office exports to it."""
    return f"DISTRICT_{district_id.upper()}"


def district_consumer(district_id: str) -> ConsumerSpec:
    """The district's own durable consumer on its feed: replay from the start, at its own pace.

    Read by the district's user across accounts (DESIGN §5), not by a service; it never gives up
    on a message (a district that is away for a week finds its feed waiting).
    """
    return ConsumerSpec(
        "district",
        f"district_{district_id}",
        DISTRICT_STREAM,
        (f"district.{district_id}.>",),
        f"The feed of district {district_id}, read by the district itself.",
        max_deliver=-1,
        ack_wait_s=60.0,
        max_ack_pending=1000,
    )


def district_permissions(district_id: str) -> dict[str, object]:
    """A district user: its live feed and the two consumer calls on its own durable, nothing else."""
    spec = district_consumer(district_id)
    return {
        "publish": {
            "allow": [
                f"$JS.API.CONSUMER.MSG.NEXT.{spec.stream}.{spec.durable}",
                f"$JS.ACK.{spec.stream}.{spec.durable}.>",
            ]
        },
        "subscribe": {"allow": [f"district.{district_id}.>", f"{inbox_prefix(district_user(district_id))}.>"]},
    }


def operator_permissions() -> dict[str, object]:
    """The `rw` command line: send commands and read stream and consumer state, nothing else."""
    return {
        "publish": {
            "allow": [
                "cmd.>",
                "$JS.API.INFO",
                "$JS.API.STREAM.NAMES",
                "$JS.API.STREAM.INFO.*",
                "$JS.API.CONSUMER.INFO.*.*",
                "$JS.API.CONSUMER.LIST.*",
                "$JS.API.CONSUMER.NAMES.*",
                # `rw district feed`: an ephemeral ordered push consumer on the (redacted) district
                # feeds, delivered to the operator's own inbox; no pull from anyone's consumer.
                f"$JS.API.CONSUMER.CREATE.{DISTRICT_STREAM}",
                f"$JS.API.CONSUMER.CREATE.{DISTRICT_STREAM}.*.district.>",
                f"$JS.FC.{DISTRICT_STREAM}.>",
            ]
        },
        # A proposer learns from this signal that an item's finance gates changed, then asks
        # meetings whether it is ready (`cli.decisions`): ids and states only, no content.
        "subscribe": {"allow": [f"{inbox_prefix('operator')}.>", READINESS_SUBJECT]},
    }
