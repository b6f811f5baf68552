"""Demo follow-ups: a few demo complaints a newcomer can follow from both sides.

On demo data only (the guards of :mod:`portal.auth.demo`: refused when
``PORTAL_ENV=production`` or without the ``demo_data`` fact), :func:`ensure_follow_ups`
picks three untouched demo complaints in the demo reviewer's regions (one in Kazakh,
two in Russian), gives each a receipt, assigns it to ``demo-reviewer``, moves it to
"in review" and adds the reviewer's question to the complainant; the Kazakh one is
already answered (the answer still unread by the reviewer). ``demo-staff`` prints
the receipts next to the demo accounts, so the follow-up page can be opened as the
complainant and the case as the reviewer.

**The receipts** are never written in the source and never stored in clear: each is
derived from the instance's own receipt key and the complaint's reference
(:func:`portal.complaints.receipts.derived_code`), so every instance has its own
codes, the same at every start, and only the usual hash and look-up digest are
stored. Should the key change, the next run stores the new code's hash instead.

**Made once**: the chosen complaints are remembered in the ``demo_follow_up`` fact;
a second run finds them and adds nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from portal import clock
from portal.auth.demo import refuse_unless_demo
from portal.complaints import receipts
from portal.db import session
from portal.models import (
    Complaint,
    DatasetFact,
    Message,
    MessageDirection,
    Region,
    Relation,
    Status,
    StatusChange,
    User,
)

FACT = "demo_follow_up"
#: The complaints to pick: (language, region slug, already answered).
PLAN: tuple[tuple[str, str, bool], ...] = (
    ("kk", "almaty", True),
    ("ru", "karaganda", False),
    ("ru", "almaty", False),
)
#: The reviewer's question, in the complaint's language (demo content, not interface text).
QUESTIONS = {
    "kk": (
        "Сәлеметсіз бе! Шағымыңыз үшін рақмет. Бейнежазбаларды сақтау туралы уақытында "
        "сұрау салуымыз үшін нақтылап беріңізші: бұл шамамен сағат нешеде және қай бөлмеде "
        "болды? Оқиғаны басқа біреу көрді ме?"
    ),
    "ru": (
        "Здравствуйте! Спасибо за обращение. Чтобы мы успели запросить сохранение "
        "видеозаписей, уточните, пожалуйста: примерно в какое время это произошло и в каком "
        "помещении? Видел ли это кто-нибудь ещё?"
    ),
}
#: The complainant's answer (only for a complaint filed by the person affected).
ANSWERS = {
    "kk": (
        "Сәлеметсіз бе. Бұл кешкі сағат сегіздер шамасында болды. Бөлменің нөмірін білмеймін, "
        "бірақ көрсете аламын. Оны тағы біреу көрді ме, білмеймін."
    ),
    "ru": (
        "Здравствуйте. Это было вечером, около восьми часов. Номера помещения не знаю, но "
        "могу его показать. Видел ли это кто-то ещё, не знаю."
    ),
}
REVIEWER = "demo-reviewer"


@dataclass(frozen=True)
class FollowUp:
    """A demo complaint with its receipt code, as printed at start."""

    reference: str
    language: str
    region: str
    code: str
    answered: bool


def receipt_code(complaint: Complaint) -> str:
    """The demo receipt of ``complaint`` on this instance (derived, never stored in clear)."""
    return receipts.derived_code(f"demo-follow-up:{complaint.reference}")


def _give_receipt(complaint: Complaint) -> str:
    code = receipt_code(complaint)
    stored = complaint.receipt_hash and receipts.verify_code(complaint.receipt_hash, code)
    if not stored or complaint.receipt_lookup != receipts.lookup_digests(code)[0]:
        complaint.receipt_hash = receipts.hash_code(code)
        complaint.receipt_lookup = receipts.lookup_digests(code)[0]
    return code


def _candidate(language: str, slug: str, answered: bool, taken: list[int]) -> Complaint | None:
    """The newest untouched demo complaint of ``language`` in region ``slug``, if any."""
    query = (
        select(Complaint)
        .join(Region, Region.id == Complaint.region_id)
        .where(
            Complaint.is_demo.is_(True),
            Region.slug == slug,
            Complaint.language == language,
            Complaint.status == Status.NEW,
            Complaint.facility_id.is_not(None),
            Complaint.receipt_lookup.is_(None),
            Complaint.assignee_id.is_(None),
            Complaint.duplicate_of_id.is_(None),
            Complaint.id.not_in(taken or [0]),
            ~Complaint.messages.any(),
        )
        .order_by(Complaint.created_at.desc(), Complaint.id.desc())
        .limit(1)
    )
    if answered:  # only the person affected answers from their own memory
        query = query.where(Complaint.relation == Relation.SELF)
    return session.scalars(query).first()


def _start(complaint: Complaint, reviewer: User, answered: bool) -> None:
    """Assign, move to "in review" and ask the question (and answer it when ``answered``)."""
    now = clock.now()
    asked = min(complaint.created_at + timedelta(days=1), now - timedelta(hours=2))
    asked = max(asked, complaint.created_at)
    complaint.assignee = reviewer
    complaint.status = Status.IN_REVIEW
    if not complaint.status_changes:  # the filing step, were it missing
        complaint.status_changes.append(
            StatusChange(old_status=None, new_status=Status.NEW, at=complaint.created_at)
        )
    complaint.status_changes.append(
        StatusChange(
            old_status=Status.NEW, new_status=Status.IN_REVIEW, actor_id=reviewer.id, at=asked
        )
    )
    question = Message(
        direction=MessageDirection.TO_COMPLAINANT,
        author_id=reviewer.id,
        body=QUESTIONS[complaint.language],
        created_at=asked,
    )
    complaint.messages.append(question)
    if answered:
        replied = min(asked + timedelta(hours=1), now)
        question.read_at = replied
        complaint.messages.append(
            Message(
                direction=MessageDirection.FROM_COMPLAINANT,
                body=ANSWERS[complaint.language],
                created_at=replied,
            )
        )
    complaint.updated_at = now


def _remembered() -> list[dict] | None:
    fact = session.get(DatasetFact, FACT)
    return None if fact is None else json.loads(fact.value)


def ensure_follow_ups() -> list[FollowUp]:
    """Make the demo follow-ups once (demo data only) and return them with their receipts.

    Raises :class:`~portal.auth.demo.DemoRefused` in production or without demo
    data. Needs the demo reviewer (``ensure_demo_staff``); without demo complaints
    in its regions, there is nothing to follow and the list is empty.
    """
    refuse_unless_demo()
    remembered = _remembered()
    if remembered is None:
        reviewer = session.scalars(select(User).where(User.username == REVIEWER)).first()
        remembered, taken = [], []
        for language, slug, answered in PLAN if reviewer is not None else ():
            complaint = _candidate(language, slug, answered, taken)
            if complaint is None:
                continue
            _start(complaint, reviewer, answered)
            taken.append(complaint.id)
            remembered.append({"id": complaint.id, "region": slug, "answered": answered})
        if remembered:  # nothing to follow yet: try again next time
            session.add(DatasetFact(key=FACT, value=json.dumps(remembered)))
    found = []
    for item in remembered:
        complaint = session.get(Complaint, item["id"])
        if complaint is None:  # purged since
            continue
        code = _give_receipt(complaint)
        found.append(
            FollowUp(
                complaint.reference, complaint.language, item["region"], code, item["answered"]
            )
        )
    session.commit()
    return found
