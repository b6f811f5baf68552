"""Preparing and issuing letters: the footage preservation request and a referral letter.

One form for both (no JavaScript needed): the narrative excerpt with the
details found in it highlighted and numbered, a checkbox per detail (checked:
removed, the safe default), the zones for a footage request, and two buttons:
check the letter (a preview) and issue it. When the reviewer edits the excerpt,
the details are found again in the new text and offered once more before the
letter can be issued.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import clock
from portal.auth import access
from portal.casework import letters
from portal.casework.deidentify import DetailKind
from portal.casework.forms import LetterForm
from portal.casework.views import READERS, bp, deadline_of, viewed
from portal.db import session
from portal.labels import label
from portal.models import Complaint, Referral, ZoneType

CHANGED = _l("The excerpt was changed: check the details found in it again, then issue the letter.")
#: What the reviewer is told each kind of detail is.
DETAIL_LABELS = {
    DetailKind.NAME: _l("name"),
    DetailKind.CELL: _l("cell or room number"),
    DetailKind.TIME: _l("exact time"),
    DetailKind.BIRTH_DATE: _l("date of birth"),
    DetailKind.PHONE: _l("phone number"),
}


def _packet(form: LetterForm, complaint: Complaint) -> tuple[letters.Packet, bool]:
    """The packet as the reviewer left it, and whether its details must be checked again."""
    if request.method != "POST":
        return letters.make_packet(letters.default_excerpt(complaint.narrative)), False
    excerpt = (form.excerpt.data or "").replace("\r\n", "\n")[: letters.EXCERPT_MAX]
    if form.digest.data != letters.excerpt_digest(excerpt):
        return letters.make_packet(excerpt), True  # a new text: every detail offered again
    chosen = {int(value) for value in form.remove.data or [] if str(value).isdigit()}
    return letters.make_packet(excerpt, chosen), False


def _chosen_zones(form: LetterForm) -> list[ZoneType]:
    known = {zone.value for zone in ZoneType}
    return [ZoneType(value) for value in form.zones.data or [] if value in known]


def _prepare(
    complaint: Complaint,
    page: str,
    build: Callable[[letters.Packet, list[ZoneType]], letters.Draft] | None,
    referral: Referral | None = None,
    with_zones: bool = False,
    blocked: str | None = None,
):
    """The letter form: show it, preview the letter, or issue it and go to the letter."""
    form = LetterForm()
    packet, stale = _packet(form, complaint)
    zones = _chosen_zones(form)
    draft = None
    submitted = request.method == "POST" and blocked is None
    if submitted and form.validate() and not stale:
        if with_zones and not zones:
            form.zones.errors = [_("Choose at least one zone.")]
        elif build is not None:
            draft = build(packet, zones)
            if form.action.data == "issue":
                letter = letters.issue(
                    session, complaint, draft, packet, access.current_user(), referral
                )
                session.commit()
                flash(_("The letter is issued and kept on the case."))
                return redirect(
                    url_for(".letter", complaint_id=complaint.id, letter_id=letter.id), code=303
                )
    if stale:
        form.form_errors.append(str(CHANGED))
    form.excerpt.data = packet.excerpt
    form.digest.data = letters.excerpt_digest(packet.excerpt)
    html = render_template(
        "review/casework/prepare.html",
        complaint=complaint,
        form=form,
        packet=packet,
        detail_labels=DETAIL_LABELS,
        zone_choices=[(zone.value, label(zone)) for zone in ZoneType] if with_zones else [],
        chosen_zones={zone.value for zone in zones},
        deadline=deadline_of(complaint, zones) if with_zones else None,
        draft=draft,
        referral=referral,
        page=page,
        blocked=blocked,
    )
    viewed(complaint, page)
    failed = submitted and (form.errors or form.form_errors)
    return html, 422 if failed else 200


@bp.route("/footage-request", methods=["GET", "POST"])
@READERS
def footage_request(complaint_id: int):
    """Prepare and issue the request to preserve the recordings of the incident's day."""
    complaint = access.readable_or_404(complaint_id)
    blocked = None
    if complaint.facility is None:
        blocked = _(
            "This complaint names no facility from the list, so the request has no addressee. "
            "Set the facility on the case first."
        )
    elif complaint.incident_date is None:
        blocked = _(
            "The incident date is not known, so nobody can say which recordings to keep. "
            "Ask the complainant for the date first."
        )

    def build(packet: letters.Packet, zones: list[ZoneType]) -> letters.Draft:
        return letters.footage_draft(
            complaint,
            zones,
            deadline_of(complaint, zones),
            packet,
            letters.next_number(session, complaint),
            clock.today(),
        )

    return _prepare(
        complaint, "footage_request", build if blocked is None else None, None, True, blocked
    )


@bp.route("/referrals/<int:referral_id>/letter", methods=["GET", "POST"])
@READERS
def referral_letter(complaint_id: int, referral_id: int):
    """Prepare and issue the letter that sends the case to the body of a referral."""
    complaint = access.readable_or_404(complaint_id)
    referral = referral_of(complaint, referral_id)

    def build(packet: letters.Packet, _zones: list[ZoneType]) -> letters.Draft:
        return letters.referral_draft(
            complaint, referral, packet, letters.next_number(session, complaint), clock.today()
        )

    return _prepare(complaint, "referral_letter", build, referral)


def referral_of(complaint: Complaint, referral_id: int) -> Referral:
    """A referral of this complaint; 404 for any other id."""
    found = session.scalar(
        select(Referral).where(Referral.id == referral_id, Referral.complaint_id == complaint.id)
    )
    if found is None:
        abort(404)
    return found
