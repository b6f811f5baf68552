"""Referral pages: the case's referrals with a form to add one, and a referral's own form."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import clock
from portal.auth import access
from portal.casework import referrals
from portal.casework.forms import ReferralForm
from portal.casework.letter_views import referral_of
from portal.casework.views import READERS, bp, viewed
from portal.db import session
from portal.models import Recipient, Referral


def _given(form: ReferralForm) -> referrals.ReferralInput:
    return referrals.ReferralInput(
        recipient=Recipient(form.recipient.data),
        recipient_name=form.recipient_name.data,
        sent_on=form.sent_on.day,
        response_due=form.response_due.day,
        response_on=form.response_on.day,
        outcome=form.outcome.data,
    )


@bp.route("/referrals", methods=["GET", "POST"])
@READERS
def referrals_page(complaint_id: int):
    """The case's referrals (overdue ones flagged), and a form to record a new one."""
    complaint = access.readable_or_404(complaint_id)
    today = clock.today()
    form = ReferralForm()
    form.set_today(today)
    if request.method == "GET":
        form.sent_on.data = today.isoformat()
        form.recipient.data = Recipient.PROSECUTOR.value
    elif form.validate():
        referrals.add(session, complaint, _given(form), access.current_user())
        session.commit()
        flash(_("The referral is recorded."))
        return redirect(url_for(".referrals_page", complaint_id=complaint.id), code=303)
    found = referrals.for_complaint(session, complaint.id)
    html = render_template(
        "review/casework/referrals.html",
        complaint=complaint,
        form=form,
        referrals=found,
        overdue={item.id for item in found if referrals.is_overdue(item, today)},
    )
    viewed(complaint, "referrals")
    return html, 422 if form.errors else 200


def _fill(form: ReferralForm, referral: Referral) -> None:
    form.recipient.data = referral.recipient.value
    form.recipient_name.data = referral.recipient_name or ""
    form.sent_on.data = referral.sent_on.isoformat()
    form.response_due.data = referral.response_due.isoformat() if referral.response_due else ""
    form.response_on.data = referral.response_on.isoformat() if referral.response_on else ""
    form.outcome.data = referral.outcome or ""


@bp.route("/referrals/<int:referral_id>", methods=["GET", "POST"])
@READERS
def referral(complaint_id: int, referral_id: int):
    """One referral: record the response and its outcome, or correct the dates."""
    complaint = access.readable_or_404(complaint_id)
    item = referral_of(complaint, referral_id)
    today = clock.today()
    form = ReferralForm()
    form.set_today(today)
    if request.method == "GET":
        _fill(form, item)
    elif form.validate():
        referrals.update(session, item, _given(form), access.current_user())
        session.commit()
        flash(_("The referral is updated."))
        return redirect(url_for(".referrals_page", complaint_id=complaint.id), code=303)
    html = render_template(
        "review/casework/referral.html",
        complaint=complaint,
        form=form,
        referral=item,
        overdue=referrals.is_overdue(item, today),
    )
    viewed(complaint, "referral")
    return html, 422 if form.errors else 200
