"""Sessions for the secretariat, and the minutes to sign."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError

from services.gateway.domain.model import Principal
from services.gateway.entrypoints.console.base import LOCAL, Base, _explain, _id
from shared.contracts.base import Command
from shared.contracts.sessions import (
    CloseMeeting,
    ConveneMeeting,
    GetMeeting,
    GetMeetingReply,
    GetMinutes,
    GetMinutesReply,
    ListMeetings,
    ListMeetingsReply,
    ListMembers,
    ListMembersReply,
    ListPublishedDocuments,
    ListPublishedDocumentsReply,
    OpenSession,
    PublishDocuments,
    ScheduleMeeting,
    SignMinutes,
    VoteOnItem,
)
from shared.vocabulary import BodyKind, VoteChoice


class Sessions(Base):
    """Scheduling, convening, opening, voting, closing and publishing a meeting; signing its minutes."""

    async def meetings(self, request: Request, who: Principal) -> Response:
        listed = await self.ask(ListMeetings(command_id=_id(), limit=30), ListMeetingsReply, who)
        soon = (self.clock() + dt.timedelta(minutes=2)).astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M:%S")
        return await self.page(
            request,
            "zittingen.html",
            who,
            meetings=listed.meetings,
            bodies=[BodyKind.COLLEGE, BodyKind.VAST_BUREAU, BodyKind.BCSD],
            soon=soon,
            item=request.query_params.get("punt", ""),
        )

    async def schedule(self, request: Request, who: Principal) -> Response:
        fields = await self.form(request, who)

        def one(name: str) -> str:
            return str((fields.get(name) or [""])[0]).strip()

        try:
            body = BodyKind(one("orgaan"))
            at = dt.datetime.fromisoformat(one("tijdstip")).replace(tzinfo=LOCAL)
            items = tuple(uuid.UUID(i.strip()) for i in one("punten").replace(",", " ").split() if i.strip())
            scheduling = ScheduleMeeting(command_id=_id(), body=body, scheduled_at=at, location=one("plaats"))
        except (ValueError, ValidationError) as exc:
            return self.back("/console/zittingen", fout=f"invalid_command: {_explain(exc)}")
        scheduled = await self.send(scheduling, who)
        if not scheduled.accepted:
            return self.back("/console/zittingen", scheduled)
        meeting_id = scheduled.ids["meeting_id"]
        if not items:
            return self.back(f"/console/zittingen/{meeting_id}", ok="Zitting gepland.")
        convene = ConveneMeeting(command_id=_id(), meeting_id=uuid.UUID(meeting_id), item_ids=items)
        reply = await self.send(convene, who)
        return self.back(f"/console/zittingen/{meeting_id}", reply, ok="Zitting gepland en bijeengeroepen.")

    async def meeting(self, request: Request, who: Principal, meeting_id: str) -> Response:
        found = await self.ask(
            GetMeeting(command_id=_id(), meeting_id=uuid.UUID(meeting_id)),
            GetMeetingReply,
            who,
        )
        members = await self.ask(ListMembers(command_id=_id(), body=found.meeting.body), ListMembersReply, who)
        documents = []
        if found.meeting.status == "closed":
            documents = list(
                (
                    await self.ask(
                        ListPublishedDocuments(command_id=_id(), meeting_id=found.meeting.meeting_id),
                        ListPublishedDocumentsReply,
                        who,
                    )
                ).documents
            )
        return await self.page(
            request,
            "zitting.html",
            who,
            meeting=found.meeting,
            names=found.names,
            members=members.members,
            documents=documents,
            choices=[(VoteChoice.IN_FAVOUR, "voor"), (VoteChoice.AGAINST, "tegen"), (VoteChoice.ABSTAIN, "onthouding")],
        )

    async def meeting_step(self, request: Request, who: Principal, meeting_id: str, step: str) -> Response:
        fields = await self.form(request, who)
        meeting = uuid.UUID(meeting_id)
        path = f"/console/zittingen/{meeting_id}"
        command: Command
        try:
            if step == "openen":
                present = tuple(fields.get("aanwezig") or ())
                command = OpenSession(
                    command_id=_id(),
                    meeting_id=meeting,
                    present=present,
                    chair_id=(fields.get("voorzitter") or [""])[0],
                )
                done = "Zitting geopend."
            elif step == "stemmen":
                item = uuid.UUID((fields.get("punt") or [""])[0])
                votes = {
                    key.removeprefix("stem-"): VoteChoice(values[0])
                    for key, values in fields.items()
                    if key.startswith("stem-") and values and values[0]
                }
                command = VoteOnItem(command_id=_id(), meeting_id=meeting, item_id=item, open_votes=votes)
                done = "Stemming geregistreerd."
            elif step == "bijeenroepen":
                items = tuple(uuid.UUID(i) for i in (fields.get("punten") or [""])[0].replace(",", " ").split())
                command = ConveneMeeting(command_id=_id(), meeting_id=meeting, item_ids=items)
                done = "Zitting bijeengeroepen."
            elif step == "sluiten":
                command = CloseMeeting(command_id=_id(), meeting_id=meeting)
                done = "Zitting gesloten."
            elif step == "publiceren":
                command = PublishDocuments(command_id=_id(), meeting_id=meeting)
                done = "Documenten gepubliceerd."
            elif step == "tekenen":
                command = SignMinutes(command_id=_id(), meeting_id=meeting)
                done = "Notulen ondertekend."
                path = f"/console/notulen/{meeting_id}"
            else:
                return Response("unknown step", status_code=404)
        except (ValueError, ValidationError) as exc:
            return self.back(path, fout=f"invalid_command: {_explain(exc)}")
        reply = await self.send(command, who)
        return self.back(path, reply, ok=done)

    # -- minutes to sign --------------------------------------------------------------------

    async def minutes_list(self, request: Request, who: Principal) -> Response:
        listed = await self.ask(ListMeetings(command_id=_id(), limit=100), ListMeetingsReply, who)
        waiting = [m for m in listed.meetings if m.minutes in {"draft", "approved"}]
        return await self.page(request, "notulen.html", who, meetings=waiting)

    async def minutes(self, request: Request, who: Principal, meeting_id: str) -> Response:
        found = await self.ask(
            GetMinutes(command_id=_id(), meeting_id=uuid.UUID(meeting_id)),
            GetMinutesReply,
            who,
        )
        return await self.page(request, "notulen_detail.html", who, minutes=found.minutes, state=found.state)
