"""Request bodies are bounded before anything reads them: size per encoding, number of fields.

Werkzeug applies ``MAX_FORM_MEMORY_SIZE`` to the text parts of a multipart body
only; a url-encoded (or JSON) body is read whole, so without a cap of its own a
visitor could send megabytes of "text" that the form would then clean, hash and
check. Every body that is not multipart therefore has a cap far below the
multipart one (which must fit five photos): ``MAX_TEXT_BODY_LENGTH``. The text
parts of a multipart body are capped by ``MAX_FORM_MEMORY_SIZE``, the fields of any
form by ``MAX_FORM_PARTS`` (values in ``portal/config.py``).

A form with thousands of fields is refused as "too many fields" (413), not as an
upload that is too large, whatever its encoding: the url-encoded parser counts
separators before parsing, and a multipart body's delimiters are counted while it
streams in, before Werkzeug decodes the parts.
"""

from __future__ import annotations

from io import BytesIO
from typing import IO, Any

from flask import Flask, current_app
from flask import Request as FlaskRequest
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

_MULTIPART = "multipart/form-data"


class TooManyFields(RequestEntityTooLarge):
    """A form with more fields than any of ours has: refused before it is decoded."""

    title = _l("Too many fields")
    explanation = _l(
        "The form you sent has far more fields than ours. "
        "Open the page again and send it from there."
    )


class _PartCounter:
    """A read-only stream that counts multipart delimiters as they pass and stops at a limit."""

    def __init__(self, stream: IO[bytes], boundary: bytes, limit: int) -> None:
        self._stream = stream
        self._delimiter = b"--" + boundary
        self._limit = limit + 1  # n parts are framed by n + 1 delimiters
        self._seen = 0
        self._tail = b""

    def read(self, size: int = -1) -> bytes:
        """Read on, counting delimiters; :class:`TooManyFields` past the limit."""
        chunk = self._stream.read(size)
        window = self._tail + chunk
        self._seen += window.count(self._delimiter)
        # Keep the end of the window, so that a delimiter split across two reads is found;
        # it is one byte shorter than a delimiter, so no delimiter is counted twice.
        self._tail = window[-(len(self._delimiter) - 1) :]
        if self._seen > self._limit:
            raise TooManyFields()
        return chunk

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class BoundedFormParser(FormDataParser):
    """Werkzeug's form parser, with field counts checked before the parts are decoded."""

    def _parse_urlencoded(
        self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict
    ):
        body = stream.read()  # already bounded by the request's max_content_length
        if self.max_form_parts is not None and body.count(b"&") >= self.max_form_parts:
            raise TooManyFields()
        _, form, files = super()._parse_urlencoded(BytesIO(body), mimetype, content_length, options)
        return stream, form, files

    def _parse_multipart(
        self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict
    ):
        boundary = options.get("boundary", "").encode("ascii", "replace")
        if boundary and self.max_form_parts is not None:
            counted = _PartCounter(stream, boundary, self.max_form_parts)
            _, form, files = super()._parse_multipart(
                counted,  # type: ignore[arg-type]
                mimetype,
                content_length,
                options,
            )
            return stream, form, files
        return super()._parse_multipart(stream, mimetype, content_length, options)


class BoundedRequest(FlaskRequest):
    """Flask's request with a small body cap for everything but multipart forms."""

    form_data_parser_class = BoundedFormParser

    @property
    def max_content_length(self) -> int | None:  # type: ignore[override]
        """``MAX_CONTENT_LENGTH`` for multipart bodies, ``MAX_TEXT_BODY_LENGTH`` for the rest."""
        limit = FlaskRequest.max_content_length.fget(self)  # type: ignore[attr-defined]
        if self.mimetype == _MULTIPART or not current_app:
            return limit
        text_limit = current_app.config["MAX_TEXT_BODY_LENGTH"]
        return text_limit if limit is None else min(limit, text_limit)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        FlaskRequest.max_content_length.fset(self, value)  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    """Use :class:`BoundedRequest` for every request (caps: ``portal/config.py``)."""
    app.request_class = BoundedRequest
