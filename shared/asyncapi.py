"""The AsyncAPI 3.0 document of the whole system, generated from contracts and topology.

FastStream's own generator sees our subscribers' raw-message signature and not the contracts, so
the document is built from the two real sources instead: every `Event` and `Command` contract
(payload schemas, docstrings) and `shared.topology` (who sends, who receives, which stream).
`python -m shared.asyncapi > docs/asyncapi.json` regenerates it; a unit test keeps it in sync.
"""

from __future__ import annotations

import json
from typing import Any

import shared.contracts  # noqa: F401 - registers every contract
from shared.contracts.base import Query, command_types, event_types
from shared.contracts.common import CommandReply
from shared.topology import CONSUMERS, SERVICES, stream_of_subject

__all__ = ["build_document"]

_CE_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "CloudEvents 1.0 binary mode over NATS headers, plus Raderwerk extensions.",
    "required": ["ce-specversion", "ce-id", "ce-source", "ce-type", "ce-time", "ce-correlationid"],
    "properties": {
        "ce-specversion": {"const": "1.0"},
        "ce-id": {"type": "string", "description": "Equals Nats-Msg-Id (the outbox row id)."},
        "ce-source": {"type": "string", "examples": ["/raderwerk/meetings"]},
        "ce-type": {"type": "string"},
        "ce-time": {"type": "string", "format": "date-time"},
        "ce-subject": {"type": "string", "description": "The aggregate the message is about."},
        "ce-dataschema": {"type": "string"},
        "ce-correlationid": {"type": "string"},
        "ce-causationid": {"type": "string"},
        "ce-entity": {"enum": ["gemeente", "ocmw", "both"]},
        "ce-confidentiality": {"enum": ["public", "closed", "social"]},
        "Nats-Msg-Id": {"type": "string"},
    },
}


#: The envelope attributes a command may carry (it has no entity or confidentiality of its own).
_COMMAND_ENVELOPE = ("ce-specversion", "ce-source", "ce-type", "ce-time", "ce-correlationid", "ce-causationid")
#: What a command or query carries besides its body (`shared.messaging.commands`).
_COMMAND_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": (
        "The signed actor, the sender's deadline, and optionally a CloudEvents 1.0 envelope (binary mode): "
        "a command without any ce- header starts its own correlation tree; one with them must carry its own "
        "ce-type and its command_id as ce-id."
    ),
    "required": ["rw-actor"],
    "properties": {
        "rw-actor": {
            "type": "string",
            "description": "Actor token (EdDSA JWT) signed for this subject and command id: docs/api.md, Actor tokens.",
        },
        "rw-deadline": {
            "type": "string",
            "format": "date-time",
            "description": (
                "When the sender stops waiting (RFC 3339, UTC). A service that takes the request later answers "
                "deadline_passed and carries out nothing; without it the request has no deadline."
            ),
        },
        **{name: _CE_HEADERS["properties"][name] for name in _COMMAND_ENVELOPE},
        "ce-id": {"type": "string", "description": "The body's command_id."},
    },
}


def _key(subject: str) -> str:
    return subject.replace(".", "_")


def build_document() -> dict[str, Any]:
    """The document as a JSON-ready dict, with deterministic ordering."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    schemas: dict[str, Any] = {}

    def schema_of(model: type[Any]) -> dict[str, str]:
        # Nested models go to components.schemas, where `ref_template` points every `$ref`.
        full = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(full.pop("$defs", {}))
        schemas[model.__name__] = full
        return {"$ref": f"#/components/schemas/{model.__name__}"}

    messages: dict[str, Any] = {"CommandReply": {"name": "CommandReply", "payload": schema_of(CommandReply)}}

    for ce_type, model in sorted(event_types().items()):
        key = _key(model.SUBJECT)
        messages[key] = {
            "name": ce_type,
            "title": model.__name__,
            "summary": (model.__doc__ or "").strip().splitlines()[0],
            "contentType": "application/json",
            "headers": _CE_HEADERS,
            "payload": schema_of(model),
        }
        channels[key] = {
            "address": model.SUBJECT,
            "description": f"JetStream stream {stream_of_subject(model.SUBJECT)}.",
            "messages": {key: {"$ref": f"#/components/messages/{key}"}},
        }
        service = model.SUBJECT.split(".")[0]
        operations[f"{service}_publishes_{key}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{key}"},
            "summary": f"{service} publishes through its transactional outbox.",
        }
        for c in CONSUMERS:
            if model.SUBJECT in c.filter_subjects:
                operations[f"{c.durable}_receives_{key}"] = {
                    "action": "receive",
                    "channel": {"$ref": f"#/channels/{key}"},
                    "summary": f"{c.service}: {c.description}",
                    "description": (
                        f"Durable pull consumer `{c.durable}` on `{c.stream}`: explicit ack, "
                        f"max_deliver {c.max_deliver}, ack_wait {c.ack_wait_s:g} s, delayed retries "
                        f"{', '.join(f'{d:g}' for d in c.retry_delays_s)} s, then dead-lettered."
                    ),
                }
    for subject, command in sorted(command_types().items()):
        key = _key(subject)
        messages[key] = {
            "name": command.ce_type(),
            "title": command.__name__,
            "summary": (command.__doc__ or "").strip().splitlines()[0],
            "contentType": "application/json",
            "headers": {"$ref": "#/components/schemas/CommandHeaders"},
            "payload": schema_of(command),
        }
        channels[key] = {"address": subject, "messages": {key: {"$ref": f"#/components/messages/{key}"}}}
        replies = {"CommandReply": {"$ref": "#/components/messages/CommandReply"}}
        if issubclass(command, Query):
            # A query is answered with its own typed reply; a refusal is a rejected CommandReply.
            reply = command.Reply
            messages[reply.__name__] = {
                "name": reply.reply_type(),
                "title": reply.__name__,
                "summary": (reply.__doc__ or "").strip().splitlines()[0],
                "contentType": "application/json",
                "payload": schema_of(reply),
            }
            replies = {reply.__name__: {"$ref": f"#/components/messages/{reply.__name__}"}, **replies}
        channels[f"{key}_reply"] = {
            "address": None,
            "description": "The requester's private inbox.",
            "messages": replies,
        }
        operations[f"{command.SERVICE}_serves_{key}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{key}"},
            "summary": f"Request/reply served by {command.SERVICE} (queue group {command.SERVICE}).",
            "reply": {
                "channel": {"$ref": f"#/channels/{key}_reply"},
                "messages": [{"$ref": f"#/channels/{key}_reply/messages/{name}"} for name in replies],
            },
        }
    schemas["CommandHeaders"] = _COMMAND_HEADERS
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Raderwerk",
            "version": "1",
            "description": "Events and commands between the services of Raderwerk. "
            + " ".join(f"{s.name}: {s.description}" for s in SERVICES),
        },
        "defaultContentType": "application/json",
        "servers": {"local": {"host": "127.0.0.1:4222", "protocol": "nats"}},
        "channels": dict(sorted(channels.items())),
        "operations": dict(sorted(operations.items())),
        "components": {"messages": dict(sorted(messages.items())), "schemas": dict(sorted(schemas.items()))},
    }


def render() -> str:
    """The document as stable, indented JSON."""
    return json.dumps(build_document(), indent=2, ensure_ascii=False, default=str) + "\n"


if __name__ == "__main__":
    print(render(), end="")  # noqa: T201 - the document goes to stdout
