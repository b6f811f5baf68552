"""Outgoing letters: a de-identified packet, the texts in Kazakh and Russian, issuing them.

A letter quotes an excerpt of the narrative. :func:`make_packet` finds the
details in it that could identify the complainant (:mod:`.deidentify`); the
reviewer removes or keeps each, and :class:`Packet` gives the excerpt without
the removed ones. The letter's texts (:func:`footage_draft`, :func:`referral_draft`)
come from ``templates/letters/``; :func:`issue` stores them as issued, on the
case, with an audit event. A removed detail is taken out of the *whole* letter
once more as it is issued, so no path can put it back. The complaint itself is
never changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask import render_template
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import audit, clock
from portal.casework import wording
from portal.casework.deidentify import Detail, find_details, redact
from portal.casework.footage import FootageDeadline, FootageState
from portal.models import (
    Complaint,
    Letter,
    LetterKind,
    Recipient,
    Referral,
    User,
    ZoneType,
)

#: Longest excerpt of a narrative a letter quotes.
EXCERPT_MAX = 3000
_SENTENCE_END = re.compile(r"[.!?…](?=\s)")


def default_excerpt(narrative: str) -> str:
    """The narrative, cut after its last whole sentence within :data:`EXCERPT_MAX` characters."""
    text = narrative.strip().replace("\r\n", "\n")
    if len(text) <= EXCERPT_MAX:
        return text
    ends = [match.end() for match in _SENTENCE_END.finditer(text, 0, EXCERPT_MAX)]
    return text[: ends[-1] if ends else EXCERPT_MAX].strip()


def excerpt_digest(excerpt: str) -> str:
    """A short digest of an excerpt: the details offered for removal belong to this text."""
    return hashlib.sha256(excerpt.replace("\r\n", "\n").encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Packet:
    """An excerpt, the details found in it, and which of them the reviewer removes."""

    excerpt: str
    details: tuple[Detail, ...]
    removed: frozenset[int]  # positions in ``details``

    @property
    def removed_details(self) -> list[Detail]:
        """The details to take out."""
        return [detail for number, detail in enumerate(self.details) if number in self.removed]

    @property
    def redacted(self) -> str:
        """The excerpt without the removed details (every occurrence, every case form)."""
        return redact(self.excerpt, self.removed_details)

    def segments(self) -> list[tuple[str, int | None]]:
        """The excerpt in pieces: (text, None) between details, (text, position) for a detail."""
        pieces: list[tuple[str, int | None]] = []
        at = 0
        for number, detail in enumerate(self.details):
            if detail.start > at:
                pieces.append((self.excerpt[at : detail.start], None))
            pieces.append((detail.text, number))
            at = detail.end
        if at < len(self.excerpt):
            pieces.append((self.excerpt[at:], None))
        return pieces


def make_packet(excerpt: str, remove: Iterable[int] | None = None) -> Packet:
    """The packet of ``excerpt``; ``remove`` None removes every detail found (the safe default)."""
    excerpt = excerpt.replace("\r\n", "\n")[:EXCERPT_MAX]
    details = tuple(find_details(excerpt))
    everything = range(len(details))
    removed = frozenset(everything) if remove is None else frozenset(remove) & set(everything)
    return Packet(excerpt, details, removed)


@dataclass(frozen=True)
class Draft:
    """A letter ready to issue: its kind, addressee and texts (kk, ru)."""

    kind: LetterKind
    addressee: str
    body_kk: str
    body_ru: str


def next_number(db: Session, complaint: Complaint) -> str:
    """The outgoing number of the case's next letter: its reference and a running count."""
    issued = db.scalar(select(func.count()).where(Letter.complaint_id == complaint.id)) or 0
    return f"{complaint.reference}/{issued + 1}"


def _heading(body: str) -> str:
    """The addressee lines at the top of a letter text (up to the first blank line)."""
    return body.split("\n\n", 1)[0].strip()


def footage_draft(
    complaint: Complaint,
    zones: Iterable[ZoneType],
    deadline: FootageDeadline,
    packet: Packet,
    number: str,
    issued_on: date,
) -> Draft:
    """A request to the supervising prosecutor and the facility head to preserve recordings."""
    facility, day = complaint.facility, complaint.incident_date
    if facility is None or day is None or deadline.deadline is None:
        raise ValueError("a footage request needs the facility and the incident date")
    chosen = list(zones)
    precision = complaint.incident_date_precision
    bodies = {}
    for lang in wording.LETTER_LANGUAGES:
        bodies[lang] = render_template(
            f"letters/footage.{lang}.txt",
            facility=facility.name(lang),
            region=facility.region.name(lang),
            number=number,
            issued=wording.written_date(issued_on, lang),
            when=wording.incident_when(day, precision, lang),
            span=wording.incident_span_ru(day, precision),
            days=wording.days_ru(deadline.retention_days or 0)
            if lang == "ru"
            else deadline.retention_days,
            assumed=deadline.assumed,
            past=deadline.state == FootageState.PAST,
            deadline=wording.written_date(deadline.deadline, lang),
            zones=wording.zone_names(chosen, lang),
            excerpt=packet.redacted,
        )
    return Draft(
        LetterKind.FOOTAGE,
        _heading(bodies["kk"]) + "\n\n" + _heading(bodies["ru"]),
        bodies["kk"],
        bodies["ru"],
    )


def recipient_line(referral: Referral, lang: str) -> str:
    """Whom a referral letter is addressed to, in ``lang``."""
    named = (referral.recipient_name or "").strip()
    if referral.recipient == Recipient.OTHER:
        return named
    line = wording.RECIPIENTS[referral.recipient][lang]
    return f"{line}\n{named}" if named else line


def referral_draft(
    complaint: Complaint, referral: Referral, packet: Packet, number: str, issued_on: date
) -> Draft:
    """A letter sending the case to the body of ``referral``, asking it to examine it."""
    facility, day = complaint.facility, complaint.incident_date
    region = facility.region if facility is not None else complaint.region
    place = redact(complaint.place_text or "—", packet.removed_details)
    precision = complaint.incident_date_precision
    bodies = {}
    for lang in wording.LETTER_LANGUAGES:
        bodies[lang] = render_template(
            f"letters/referral.{lang}.txt",
            addressee=recipient_line(referral, lang),
            facility=facility.name(lang) if facility is not None else None,
            place=place,
            region=region.name(lang) if region is not None else None,
            number=number,
            issued=wording.written_date(issued_on, lang),
            when=wording.incident_when(day, precision, lang) if day is not None else None,
            due=wording.written_date(referral.response_due, lang)
            if referral.response_due
            else None,
            excerpt=packet.redacted,
        )
    return Draft(LetterKind.REFERRAL, recipient_line(referral, "ru"), bodies["kk"], bodies["ru"])


def issue(
    db: Session,
    complaint: Complaint,
    draft: Draft,
    packet: Packet,
    actor: User,
    referral: Referral | None = None,
) -> Letter:
    """Store ``draft`` on the case as issued now by ``actor``, and audit it.

    The removed details are taken out of the whole text once more, so a letter
    never carries one, wherever it might have come from.
    """
    removed = packet.removed_details
    letter = Letter(
        complaint_id=complaint.id,
        referral_id=referral.id if referral is not None else None,
        kind=draft.kind,
        addressee=redact(draft.addressee, removed)[:1000],
        body_kk=redact(draft.body_kk, removed),
        body_ru=redact(draft.body_ru, removed),
        removed_details=len(removed),
        issued_by_id=actor.id,
        issued_at=clock.now(),
    )
    db.add(letter)
    db.flush()
    audit.record(
        "letter.issued",
        ("complaint", complaint.id),
        {
            "letter": letter.id,
            "kind": draft.kind.value,
            "removed": len(removed),
            "kept": len(packet.details) - len(removed),
        },
        actor=actor,
    )
    return letter
