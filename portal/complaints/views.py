"""Routes for citizens: report an incident, keep the receipt, follow the complaint up.

No view here stores or logs the client's address or browser; every page that
shows a receipt code or a complaint is sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import math

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import TooManyRequests

from portal import files
from portal.complaints import follow_sessions, receipts, services
from portal.complaints.forms import (
    NARRATIVE_MAX,
    NARRATIVE_MIN,
    REPLY_MAX,
    CodeForm,
    ComplaintForm,
    ReceiptDownloadForm,
    ReplyForm,
)
from portal.complaints.services import AttachmentError
from portal.errors import render_error
from portal.labels import label
from portal.models import Category
from portal.security import limits
from portal.security.hosts import external_url

bp = Blueprint("complaints", __name__, url_prefix="/<lang:lang_code>")

_EXPIRED = _l("The form had expired. Check your answers and send it again.")


def _private(response, status: int = 200):
    """A response that no browser or proxy may keep: it may show a code or a complaint."""
    response = make_response(response, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def _lang() -> str:
    return g.get("lang") or "kk"


def _sent_files(field) -> bool:
    """True when the field carries a file (with a name or not): cleaning it has a cost."""
    return any(not files.is_empty(upload) for upload in field.data or [])


@bp.context_processor
def _form_facts() -> dict:
    """Limits and labels the citizens' templates show."""
    return {
        "max_files": files.MAX_FILES,
        "max_megabytes": files.MAX_FILE_BYTES // (1024 * 1024),
        "narrative_min": NARRATIVE_MIN,
        "narrative_max": NARRATIVE_MAX,
        "reply_max": REPLY_MAX,
        "category_labels": {category.value: label(category) for category in Category},
        "today_iso": services.today().isoformat(),
    }


# --- the form -------------------------------------------------------------------------------


def _prepared_form() -> ComplaintForm:
    form = ComplaintForm()
    regions, facilities = services.regions_and_facilities()
    form.set_choices(regions, facilities, _lang(), services.today())
    form.regions_list, form.facilities_by_region = regions, facilities
    return form


def _show_form(form: ComplaintForm, status: int = 200, files_dropped: bool = False):
    if not receipts.is_submission_token(form.submission.data):
        form.submission.data = receipts.new_submission_token()
    html = render_template(
        "complaints/new.html",
        form=form,
        files_dropped=files_dropped,
        retention_days=current_app.config["RETENTION_DAYS"],
    )
    return _private(html, status)


def _show_receipt(filed: services.Filed):
    if filed.code is None:
        return _private(render_template("complaints/already_received.html"))
    html = render_template(
        "complaints/receipt.html",
        complaint=filed.complaint,
        code=receipts.grouped(filed.code),
        download=ReceiptDownloadForm(code=filed.code),
        resubmitted=filed.resubmitted,
    )
    return _private(html)


@bp.get("/report")
def new():
    """The complaint form, with a fresh submission token."""
    form = _prepared_form()
    form.reply_language.data = _lang()
    return _show_form(form)


def _show_expired_form(status: int):
    """The form sent back with everything typed in it, asking to check it and send it again."""
    form = _prepared_form()
    if not receipts.is_submission_token(form.submission.data):
        form.submission.data = None  # never derive a code from an altered token
    form.validate()
    form.form_errors.append(_EXPIRED)
    return _show_form(form, status, files_dropped=_sent_files(form.attachments))


def _too_many(form, refusal: TooManyRequests, show):
    """``show`` the form again with what was typed, saying when it can be sent (429)."""
    minutes = max(1, math.ceil((refusal.retry_after or 60) / 60))
    form.form_errors.append(
        ngettext(
            "You have sent many messages from this connection in the last hour. "
            "What you typed is kept below: you can send it in %(num)d minute.",
            "You have sent many messages from this connection in the last hour. "
            "What you typed is kept below: you can send it in %(num)d minutes.",
            minutes,
        )
    )
    response = show(429)
    if refusal.retry_after:
        response.headers["Retry-After"] = str(refusal.retry_after)
    return response


@bp.post("/report")
def create():
    """File a complaint, or show the receipt again when this form was already sent.

    Only a complaint that is filed counts against the hourly allowance: a form
    sent back for corrections does not, and a refusal keeps what was typed.
    """
    form = _prepared_form()
    if form.website.data:  # the robot trap was filled in: store nothing
        abort(400)
    token = form.submission.data
    if not receipts.is_submission_token(token):  # missing or altered: ask to send again
        return _show_expired_form(422)
    earlier = services.resubmitted(token)
    if earlier is not None:
        return _show_receipt(earlier)
    sent_files = _sent_files(form.attachments)
    try:
        limits.check("report")
        if not form.validate_on_submit():
            return _show_form(form, 422, files_dropped=sent_files)
        if sent_files:
            limits.hit("files")
        cleaned = services.check_files(form.attachments.data or [])
        limits.hit("report")
    except TooManyRequests as refusal:
        return _too_many(form, refusal, lambda status: _show_form(form, status, sent_files))
    except AttachmentError as error:
        form.attachments.errors = [error.message]
        return _show_form(form, 422, files_dropped=True)
    return _show_receipt(services.file_complaint(form, _lang(), cleaned))


@bp.errorhandler(CSRFError)
def _page_expired(error: CSRFError):
    """A form sent from a page too old (or without its token): shown again, text kept."""
    if request.endpoint == "complaints.create":
        return _show_expired_form(400)
    if request.endpoint == "complaints.reply":
        complaint = _followed_complaint()
        if complaint is not None:
            form = ReplyForm()
            form.validate()
            form.form_errors.append(_EXPIRED)
            return _show_complaint(complaint, form, 400, _sent_files(form.attachments))
    return render_error(error)


@bp.post("/report/receipt")
def download_receipt():
    """The receipt as a text file; the code came in the POST body, never in a URL."""
    form = ReceiptDownloadForm()
    code = receipts.normalise_code(form.code.data)
    if not form.validate_on_submit() or code is None:
        abort(400)
    lines = [
        gettext("Ashyq Baqylau"),
        "",
        gettext("Receipt code: %(code)s", code=receipts.grouped(code)),
        gettext("Follow up on your report: %(url)s", url=external_url(".follow_up")),
        "",
        gettext("Keep this code secret: do not show it to anyone."),
        gettext("Anyone who has the code can read your report and the answers to it."),
        "",
    ]
    response = _private("\r\n".join(lines))
    response.mimetype = "text/plain"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = "attachment; filename=receipt.txt"
    return response


# --- follow-up ------------------------------------------------------------------------------


def _followed_complaint():
    """The complaint this browser is signed in to, or None (the session lives on the server)."""
    return follow_sessions.current()


def _show_complaint(
    complaint,
    reply: ReplyForm | None = None,
    status: int = 200,
    files_dropped: bool = False,
    new_questions: frozenset[int] | set[int] = frozenset(),
):
    html = render_template(
        "complaints/status.html",
        complaint=complaint,
        reply=reply or ReplyForm(),
        files_dropped=files_dropped,
        new_questions=new_questions,
    )
    return _private(html, status)


@bp.get("/follow-up")
def follow_up():
    """The receipt-code form, or the complaint when the browser is signed in to one."""
    complaint = _followed_complaint()
    if complaint is not None:
        return _show_complaint(complaint, new_questions=services.read_questions(complaint))
    return _private(render_template("complaints/follow_up.html", form=CodeForm()))


@bp.post("/follow-up")
def enter_code():
    """Check a receipt code; the same answer for every wrong code."""
    limits.hit("follow-up")
    form = CodeForm()
    complaint = None
    if form.validate_on_submit():
        code = receipts.normalise_code(form.code.data)
        if code is None:
            receipts.dummy_verify()
        else:
            complaint = services.find_by_code(code)
    if complaint is None:
        if form.code.data:
            form.code.errors = [gettext("This code was not found. Check it and try again.")]
        form.code.data = ""  # never echo a code back into the page
        return _private(render_template("complaints/follow_up.html", form=form), 422)
    follow_sessions.start(complaint)  # a new token every time: no session fixation
    return redirect(url_for(".follow_up"), code=303)


@bp.post("/follow-up/reply")
def reply():
    """Send an answer and files to the reviewers."""
    complaint = _followed_complaint()
    if complaint is None:
        return redirect(url_for(".follow_up"), code=303)
    form = ReplyForm()
    sent_files = _sent_files(form.attachments)
    try:
        limits.check("reply")
        if not form.validate_on_submit():
            return _show_complaint(complaint, form, 422, sent_files)
        if sent_files:
            limits.hit("files")
        cleaned = services.check_files(form.attachments.data or [])
        limits.hit("reply")
    except TooManyRequests as refusal:
        return _too_many(
            form, refusal, lambda status: _show_complaint(complaint, form, status, sent_files)
        )
    except AttachmentError as error:
        form.attachments.errors = [error.message]
        return _show_complaint(complaint, form, 422, True)
    services.add_reply(complaint, form.body.data, cleaned)
    flash(gettext("Your message has been sent."))
    return redirect(url_for(".follow_up"), code=303)


@bp.post("/follow-up/leave")
def leave():
    """End the follow-up session here and on the server; the code is needed to open it again."""
    follow_sessions.end()
    flash(gettext("You have left the page of your report."))
    return redirect(url_for(".follow_up"), code=303)
