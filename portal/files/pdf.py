"""PDFs rewritten without their metadata, scripts, embedded files, outside links or original bytes.

Runs in the cleaning child process (:mod:`portal.files.worker`): it imports only
the standard library, pikepdf and :mod:`portal.files.limits`.

Cost. A PDF is a graph of objects, and a small file can hold millions of them
(one 10 MB array of 2.6 million empty dictionaries took 20 s and 1 GB to scrub
before these checks). So the objects are counted before they are walked: the
raw bytes first (more ``<<`` and ``[`` than :data:`PDF_MAX_NODES` is refused
before parsing), then the number of objects (:data:`PDF_MAX_OBJECTS`), then
every array and dictionary's length before its items are opened, against one
budget of :data:`PDF_MAX_NODES` for the whole file; nesting deeper than
:data:`PDF_MAX_DEPTH` is refused too. Objects whose text (as qpdf writes it, in
C++) names nothing the scrub removes are not walked at all, only their
containers counted, so an ordinary PDF costs little more than parsing it.
What parsing itself costs (qpdf, in C++) is bounded by the child's memory and
CPU limits. A file over any of these
limits is refused as "too complex"; it is never half cleaned.

Outside links. A link (a URI action) in a complainant's PDF is made inert: the
action is removed, and a link annotation keeps the address as its text
(``/Contents``), so a reviewer can still read it and open it deliberately, for
example in Tor Browser. Why not keep them clickable: reviewers open these files
in their own PDF viewer, on their organisation's network, and one click on a
link made for tracking (a unique address per complaint) would tell whoever
made the file the reviewer's IP address, their software and the moment the
complaint was read; the sender of a complaint is not always who they claim to
be, and the time a complaint is read can matter to the person it concerns. Why
not drop them entirely: an address in a document can be evidence (a video, a
news report), and the text of the page, where addresses usually show, is never
changed. Links inside the document (to another page) are kept.
"""

from __future__ import annotations

import re
from io import BytesIO

import pikepdf
import pikepdf.settings
from pikepdf import ObjectType

from portal.files.limits import PDF_MAX_DEPTH, PDF_MAX_NODES, PDF_MAX_OBJECTS, Refused

#: Keys removed from every dictionary: metadata, application data, automatic
#: actions, JavaScript, embedded and associated files.
_DROP_KEYS = frozenset(("/Metadata", "/PieceInfo", "/LastModified", "/AA", "/JS", "/EF", "/AF"))
#: Actions that run code, launch programs, send data, open other files or
#: (``/URI``) fetch an outside address.
_UNSAFE_ACTIONS = frozenset(
    ("/JavaScript", "/Launch", "/Rendition", "/RichMediaExecute", "/Sound", "/Movie")
) | frozenset(("/SubmitForm", "/ImportData", "/GoToE", "/GoToR", "/URI"))
#: Annotations that carry files, media or code.
_UNSAFE_ANNOTATIONS = frozenset(
    ("/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D")
)
#: The names the scrub acts on. An object whose text (as qpdf writes it, names
#: normalised) mentions none of them holds nothing to remove and is skipped.
_WATCHED_NAME = re.compile(
    rb"/(?:Metadata|PieceInfo|LastModified|AA|JS|EF|AF|A|Next)(?![^\s()<>\[\]{}/%])"
)
_DICTIONARY, _STREAM, _ARRAY = ObjectType.dictionary, ObjectType.stream, ObjectType.array


class _Budget:
    """The nodes the scrub may still visit in one file."""

    __slots__ = ("left",)

    def __init__(self, nodes: int) -> None:
        self.left = nodes

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise Refused("complex")


def limit_parser() -> None:
    """Make qpdf null any object nested deeper than :data:`PDF_MAX_DEPTH` while parsing.

    The setting is process-wide, so only the cleaning child calls this.
    """
    pikepdf.settings.set_qpdf_limits(parser_max_nesting=PDF_MAX_DEPTH)


def clean_pdf(data: bytes) -> bytes:
    """Rewrite a PDF without who made it, scripts, embedded files or the original bytes.

    Removed: the Info dictionary (author, creator, producer, dates), every XMP
    stream, application private data, the file identifier, JavaScript and other
    unsafe actions (outside links made inert, see the module's docstring),
    embedded files and file-attachment annotations, and the APPn/COM segments
    (EXIF, GPS, XMP, thumbnails) of JPEG photos inside. Encrypted PDFs are
    refused: we could not check what they hold. Raises :class:`Refused`.
    """
    if data.count(b"<<") + data.count(b"[") > PDF_MAX_NODES:
        raise Refused("complex")
    try:
        with pikepdf.open(BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise Refused("encrypted")
            if len(pdf.objects) > PDF_MAX_OBJECTS:
                raise Refused("complex")
            _drop(pdf.trailer, "/Info", "/ID")  # the writer makes a fresh, random /ID
            _drop(pdf.Root, "/OpenAction", "/Collection", "/URI")
            _drop(pdf.Root.get("/Names"), "/JavaScript", "/EmbeddedFiles")
            _drop(pdf.Root.get("/AcroForm"), "/XFA")  # XFA forms can carry scripts
            budget = _Budget(PDF_MAX_NODES)
            for page in pdf.pages:
                _drop_unsafe_annotations(page.obj, budget)
            for obj in pdf.objects:
                _scrub_object(obj, budget)
            out = BytesIO()
            pdf.save(
                out,
                linearize=False,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                # Streams are copied as they are, never inflated: a small "zip bomb"
                # stream cannot make us write gigabytes.
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                fix_metadata_version=False,
                preserve_pdfa=False,
            )
            return out.getvalue()
    except Refused:
        raise
    except pikepdf.PasswordError as error:
        raise Refused("encrypted") from error
    except (MemoryError, RecursionError) as error:
        raise Refused("complex") from error
    # qpdf and pikepdf raise PdfError, RuntimeError, ValueError… on hostile
    # input: all mean "unreadable" to the user, and none may become a 500.
    except Exception as error:
        raise Refused("damaged") from error


def _drop(obj: object, *keys: str) -> None:
    """Remove ``keys`` from a PDF dictionary (or a stream's); anything else is left alone."""
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for key in keys:
            if key in obj:
                del obj[key]


def _drop_unsafe_annotations(page: pikepdf.Object, budget: _Budget) -> None:
    annots = page.get("/Annots")
    if not isinstance(annots, pikepdf.Array):
        return
    budget.spend(len(annots))
    keep = [
        annot
        for annot in annots
        if not isinstance(annot, pikepdf.Dictionary)
        or str(annot.get("/Subtype", "")) not in _UNSAFE_ANNOTATIONS
    ]
    if len(keep) != len(annots):
        page["/Annots"] = pikepdf.Array(keep)


def _scrub_object(obj: object, budget: _Budget) -> None:
    """Scrub one indirect object, unless its text shows nothing to remove.

    An object skipped is still charged to ``budget``, for the arrays and
    dictionaries its text holds (counted in C, not walked).
    """
    if not isinstance(obj, pikepdf.Object):
        return
    budget.spend(1)
    code = obj._type_code
    if code is _STREAM:
        _strip_embedded_jpeg(obj)
        text = obj.stream_dict.unparse(resolved=True)
    elif code is _DICTIONARY or code is _ARRAY:
        text = obj.unparse(resolved=True)
    else:
        return
    if _WATCHED_NAME.search(text):
        _scrub(obj, 0, budget)
    else:
        budget.spend(text.count(b"<<") + text.count(b"["))


def _scrub(obj: pikepdf.Object, depth: int, budget: _Budget) -> None:
    """Remove metadata and unsafe actions from ``obj`` and the direct objects inside it.

    Indirect objects are scrubbed on their own turn, so references are not
    followed. Each container's length is charged to ``budget`` before its items
    are opened.
    """
    if depth > PDF_MAX_DEPTH:
        raise Refused("complex")
    code = obj._type_code
    if code is _ARRAY:
        budget.spend(len(obj))
        children = iter(obj)
    elif code is _DICTIONARY or code is _STREAM:
        keys = obj.keys()
        budget.spend(len(keys))
        _scrub_dictionary(obj, keys)
        children = iter(obj.values())
    else:
        return
    for child in children:  # numbers and booleans come back as plain Python values
        if isinstance(child, pikepdf.Object) and not child.is_indirect:
            _scrub(child, depth + 1, budget)


def _scrub_dictionary(obj: pikepdf.Object, keys: set[str]) -> None:
    for key in _DROP_KEYS & keys:
        del obj[key]
    if "/S" in keys and "/Next" in keys:  # an action's follow-up actions: rare, and unchecked
        del obj["/Next"]
    if "/A" not in keys:
        return
    action = obj.get("/A")
    if not isinstance(action, pikepdf.Dictionary):
        return
    kind = str(action.get("/S", ""))
    if kind not in _UNSAFE_ACTIONS:
        return
    del obj["/A"]
    # An outside link's address stays readable (not clickable) as the link's text.
    address = action.get("/URI")
    is_link = obj.get("/Subtype") == pikepdf.Name.Link and "/Contents" not in keys
    if kind == "/URI" and is_link and isinstance(address, pikepdf.String):
        obj["/Contents"] = address


def _strip_embedded_jpeg(stream: pikepdf.Stream) -> None:
    """Drop EXIF/XMP/comment segments from a JPEG photo placed in the PDF, losslessly."""
    if stream.get("/Subtype") != pikepdf.Name.Image:
        return
    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array) and len(filters) == 1:
        filters = filters[0]
    if filters != pikepdf.Name.DCTDecode:
        return
    raw = stream.read_raw_bytes()
    stripped = strip_jpeg_segments(raw)
    if stripped != raw:
        stream.write(
            stripped, filter=pikepdf.Name.DCTDecode, decode_parms=stream.get("/DecodeParms")
        )


def strip_jpeg_segments(data: bytes) -> bytes:
    """Return the JPEG ``data`` without APPn and COM segments, except Adobe's colour flag.

    Those segments hold EXIF (GPS, camera, thumbnails), XMP, IPTC, ICC and
    comments; the compressed image itself is copied untouched. Raises
    ValueError if the segment structure is broken.
    """
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG stream")
    out = bytearray(b"\xff\xd8")
    pos = 2
    while True:
        if pos + 2 > len(data) or data[pos] != 0xFF:
            raise ValueError("broken JPEG segment structure")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xDA, 0xD9):  # start of scan / end of image: copy the rest as is
            out += data[pos:]
            return bytes(out)
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # segments without a length
            out += data[pos : pos + 2]
            pos += 2
            continue
        if pos + 4 > len(data):
            raise ValueError("broken JPEG segment structure")
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if end > len(data) or end < pos + 4:
            raise ValueError("broken JPEG segment structure")
        metadata = 0xE0 <= marker <= 0xEF or marker == 0xFE
        if not metadata or (marker == 0xEE and data[pos + 4 : pos + 9] == b"Adobe"):
            out += data[pos:end]
        pos = end
