"""Attachments keep nothing that could identify or locate the sender, and only real photos and PDFs.

Every test file is generated here: photos with GPS EXIF, XMP and comments, PDFs
with an author, XMP, JavaScript and embedded files, and hostile uploads.
"""

from __future__ import annotations

import hashlib
import stat
import struct
import zlib
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from PIL import ExifTags, Image, PngImagePlugin
from werkzeug.datastructures import FileStorage

from portal import files as attachments
from portal.files import (
    ALLOWED,
    MAX_FILE_BYTES,
    MAX_FILES,
    AttachmentRejected,
    check_count,
    clean_upload,
    is_empty,
    strip_jpeg_segments,
)
from portal.files import storage as store_module

#: Words planted in metadata; none may survive cleaning.
SECRETS = (b"SecretPhoneMaker", b"SecretModel", b"SecretAuthor", b"SecretComment", b"SecretXmp")
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description>SecretXmp</rdf:Description></rdf:RDF></x:xmpmeta>'
)
METADATA_MARKERS = (b"Exif", b"GPS", b"<x:xmpmeta", b"http://ns.adobe.com/xap", *SECRETS)


def upload(data: bytes, filename: str = "photo.jpg", content_type: str = "image/jpeg"):
    return FileStorage(stream=BytesIO(data), filename=filename, content_type=content_type)


def picture(size: tuple[int, int] = (64, 48), mode: str = "RGB") -> Image.Image:
    image = Image.linear_gradient("L").resize(size)
    return image if mode == "L" else image.convert(mode)


def spy_exif(orientation: int | None = None) -> Image.Exif:
    """EXIF as a phone writes it: maker, model, a comment and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretPhoneMaker"
    exif[ExifTags.Base.Model] = "SecretModel"
    exif[ExifTags.Base.ImageDescription] = "SecretComment"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (43.0, 15.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (76.0, 57.0, 0.0)
    return exif


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def spy_jpeg(orientation: int | None = None, size: tuple[int, int] = (64, 48)) -> bytes:
    return encode(
        picture(size), "JPEG", exif=spy_exif(orientation), xmp=XMP, comment=b"SecretComment"
    )


def assert_no_metadata(data: bytes) -> None:
    for marker in METADATA_MARKERS:
        assert marker not in data, marker
    with Image.open(BytesIO(data)) as image:
        assert not image.getexif()
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)


# --- images ------------------------------------------------------------------------------


def test_a_jpeg_with_gps_exif_comes_out_without_any_metadata():
    original = spy_jpeg()
    with Image.open(BytesIO(original)) as image:  # the planted metadata is really there
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    clean = clean_upload(upload(original))

    assert (clean.media_type, clean.extension) == ("image/jpeg", "jpg")
    assert_no_metadata(clean.data)
    with Image.open(BytesIO(clean.data)) as image:
        assert (image.format, image.size) == ("JPEG", (64, 48))


def test_orientation_is_applied_so_photos_stay_upright():
    clean = clean_upload(upload(spy_jpeg(orientation=6, size=(20, 10))))

    with Image.open(BytesIO(clean.data)) as image:
        assert image.size == (10, 20)
        assert ExifTags.Base.Orientation not in image.getexif()


# Pillow only warns about broken EXIF; the suite turns warnings into errors, production does not.
@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_a_photo_with_broken_exif_is_kept_as_it_is():
    broken = b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\xff\xff"
    clean = clean_upload(upload(encode(picture((20, 10)), "JPEG", exif=broken)))

    assert_no_metadata(clean.data)
    with Image.open(BytesIO(clean.data)) as image:
        assert image.size == (20, 10)


def test_png_loses_text_exif_and_icc_and_keeps_transparency():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "SecretAuthor")
    info.add_itxt("Comment", "SecretComment", zip=True)
    info.add_text("XML:com.adobe.xmp", XMP.decode())
    data = encode(picture(mode="RGBA"), "PNG", pnginfo=info, exif=spy_exif(), icc_profile=b"x")

    clean = clean_upload(upload(data, "scan.png", "image/png"))

    assert clean.media_type == "image/png"
    assert_no_metadata(clean.data)
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP"):
        assert chunk not in clean.data
    with Image.open(BytesIO(clean.data)) as image:
        assert image.mode == "RGBA"


def test_webp_is_accepted_and_stripped():
    data = encode(picture(), "WEBP", exif=spy_exif(), xmp=XMP)

    clean = clean_upload(upload(data, "x.webp", "image/webp"))

    assert (clean.media_type, clean.extension) == ("image/webp", "webp")
    assert_no_metadata(clean.data)


@pytest.mark.parametrize(
    ("image", "fmt", "mode"),
    [
        (picture(mode="CMYK"), "JPEG", "RGB"),
        (picture(mode="L"), "JPEG", "L"),
        (picture(mode="P"), "PNG", "RGB"),
        (picture(mode="LA"), "PNG", "LA"),
    ],
)
def test_modes_are_converted_to_what_viewers_show(image, fmt, mode):
    clean = clean_upload(upload(encode(image, fmt)))

    with Image.open(BytesIO(clean.data)) as result:
        assert (result.format, result.mode) == (fmt, mode)


def test_animated_and_multi_picture_files_keep_only_the_first_picture():
    frames = [picture(), picture().rotate(90)]
    apng = encode(frames[0], "PNG", save_all=True, append_images=frames[1:])
    mpo = encode(frames[0], "MPO", save_all=True, append_images=frames[1:], exif=spy_exif())

    for data in (apng, mpo):
        with Image.open(BytesIO(clean_upload(upload(data)).data)) as result:
            assert getattr(result, "n_frames", 1) == 1
            assert result.format in ("PNG", "JPEG")
    assert b"MPF" not in clean_upload(upload(mpo)).data


def test_anything_after_the_picture_is_dropped():
    """A JPEG with an HTML page glued to its end is stored as a plain JPEG."""
    clean = clean_upload(upload(spy_jpeg() + b"<html><script>alert(1)</script></html>"))

    assert b"<script>" not in clean.data
    assert clean.data.endswith(b"\xff\xd9")


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size, with almost no pixel data: the shape of a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(8000, 8000), (100_000, 100_000)])
def test_decompression_bombs_are_refused_before_decoding(size):
    with pytest.raises(AttachmentRejected) as caught:
        clean_upload(upload(png_header(*size), "x.png"))
    assert caught.value.kind == "pixels"


# --- refusals ----------------------------------------------------------------------------

JPEG = spy_jpeg()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "type"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "type"),
        (b"PK\x03\x04" + b"\0" * 100, "type"),
        (encode(picture(), "GIF"), "type"),
        (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64, "heif"),
        (b"", "damaged"),
        (JPEG[: len(JPEG) // 2], "damaged"),
        (b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>", "damaged"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "damaged"),
        (b"%PDF-1.7\n<html><script>alert(1)</script></html>", "damaged"),
    ],
    ids=["html", "svg", "zip", "gif", "heic", "zero-bytes", "truncated", "polyglot", "png", "pdf"],
)
def test_files_that_are_not_clean_photos_or_pdfs_are_refused(data, kind):
    """The name and the browser say "JPEG"; the content decides."""
    with pytest.raises(AttachmentRejected) as caught:
        clean_upload(upload(data, "photo.jpg", "image/jpeg"))
    assert caught.value.kind == kind


def test_the_refusal_never_repeats_the_file_name_or_contents():
    with pytest.raises(AttachmentRejected) as caught:
        clean_upload(upload(b"<html>Ivanov Serik</html>", "Ivanov_Serik.jpg"))

    error = caught.value
    assert isinstance(error, ValueError)
    assert "Ivanov" not in str(error) and "Ivanov" not in repr(error.args)
    assert str(error.message) == "This file is not a photo (JPEG, PNG, WebP) or a PDF."


def test_size_limit():
    at_limit = JPEG + b"\0" * (MAX_FILE_BYTES - len(JPEG))
    assert clean_upload(upload(at_limit)).media_type == "image/jpeg"

    with pytest.raises(AttachmentRejected) as caught:
        clean_upload(upload(at_limit + b"\0"))
    assert caught.value.kind == "size"
    assert "10 MB" in str(caught.value.message)


def test_no_more_than_the_limit_is_read():
    class Endless(BytesIO):
        given = 0

        def read(self, size: int | None = -1) -> bytes:
            size = 1 << 16 if size is None or size < 0 else size
            self.given += size
            return b"\xff" * size

    stream = Endless()
    with pytest.raises(AttachmentRejected):
        clean_upload(FileStorage(stream=stream, filename="x.jpg"))
    assert stream.given == MAX_FILE_BYTES + 1


def test_count_limit():
    assert MAX_FILES == 5
    check_count(MAX_FILES)
    with pytest.raises(AttachmentRejected) as caught:
        check_count(MAX_FILES + 1)
    assert caught.value.kind == "count"


def test_an_empty_file_input_is_told_apart_from_an_empty_file():
    assert is_empty(None)
    assert is_empty(FileStorage(stream=BytesIO(b""), filename=""))
    assert not is_empty(FileStorage(stream=BytesIO(b""), filename="chosen.jpg"))
    chosen = FileStorage(stream=BytesIO(JPEG), filename="")
    assert not is_empty(chosen)
    assert clean_upload(chosen).media_type == "image/jpeg"  # peeking consumed nothing


# --- PDF ---------------------------------------------------------------------------------


def spy_pdf() -> bytes:
    """A PDF with an author, XMP, JavaScript, an embedded file and a photo with GPS EXIF."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    pdf.docinfo["/Author"] = "SecretAuthor"
    pdf.docinfo["/Creator"] = "SecretModel"
    pdf.docinfo["/Producer"] = "SecretPhoneMaker"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = ["SecretAuthor"]
    page.obj.Metadata = pdf.make_stream(XMP)
    js = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('SecretJS')"))
    pdf.Root.OpenAction = js
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["x", pdf.make_indirect(js)]))
    )
    pdf.attachments["SecretAuthor.txt"] = pikepdf.AttachedFileSpec(pdf, b"SecretEmbedded")
    page.obj.AA = pikepdf.Dictionary(O=js)
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], A=js
    )
    attached = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment, Rect=[0, 0, 10, 10]
    )
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([link, attached]))
    photo = pdf.make_stream(spy_jpeg(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image)
    photo.Width, photo.Height, photo.BitsPerComponent = 64, 48, 8
    photo.ColorSpace, photo.Filter = pikepdf.Name.DeviceRGB, pikepdf.Name.DCTDecode
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=photo))
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def uncompressed(data: bytes) -> bytes:
    """Every object and stream of a PDF in plain text, for searching."""
    with pikepdf.open(BytesIO(data)) as pdf:
        out = BytesIO()
        pdf.save(out, qdf=True, object_stream_mode=pikepdf.ObjectStreamMode.disable)
        return out.getvalue()


def test_a_pdf_loses_author_xmp_javascript_and_embedded_files():
    original = spy_pdf()
    assert all(marker in uncompressed(original) for marker in (b"SecretAuthor", b"SecretJS"))

    clean = clean_upload(upload(original, "report.jpg", "image/jpeg"))

    assert (clean.media_type, clean.extension) == ("application/pdf", "pdf")
    text = uncompressed(clean.data)
    for marker in (*METADATA_MARKERS, b"SecretJS", b"SecretEmbedded", b"/JavaScript"):
        assert marker not in text, marker
    with pikepdf.open(BytesIO(clean.data)) as pdf, pikepdf.open(BytesIO(original)) as before:
        assert "/Info" not in pdf.trailer
        assert not {"/Metadata", "/OpenAction"} & set(pdf.Root.keys())
        assert not {"/JavaScript", "/EmbeddedFiles"} & set(pdf.Root.Names.keys())
        assert pdf.trailer.ID[0] != before.trailer.ID[0]
        page = pdf.pages[0].obj
        assert "/Metadata" not in page and "/AA" not in page
        annots = list(page.Annots)
        assert [str(a.Subtype) for a in annots] == ["/Link"] and "/A" not in annots[0]
        photo = page.Resources.XObject.Im0.read_raw_bytes()
        with Image.open(BytesIO(photo)) as image:  # the photo is still there, pixel for pixel
            assert image.size == (64, 48) and not image.getexif()
            assert image.tobytes() == Image.open(BytesIO(spy_jpeg())).tobytes()


@pytest.mark.parametrize("user_password", ["secret", ""])
def test_encrypted_pdfs_are_refused(user_password):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user=user_password))

    with pytest.raises(AttachmentRejected) as caught:
        clean_upload(upload(out.getvalue(), "x.pdf", "application/pdf"))
    assert caught.value.kind == "encrypted"


def test_jpeg_segments_are_stripped_losslessly_or_refused():
    stripped = strip_jpeg_segments(JPEG)
    assert not any(marker in stripped for marker in METADATA_MARKERS)
    with Image.open(BytesIO(stripped)) as a, Image.open(BytesIO(JPEG)) as b:
        assert a.tobytes() == b.tobytes()
    with pytest.raises(ValueError):
        strip_jpeg_segments(JPEG[:2] + b"\xff\xe1\xff\xff")


# --- storage -----------------------------------------------------------------------------


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_writes_private_random_files_and_reads_them_back(app):
    with app.app_context():
        folder = attachments.attachments_folder()
        assert folder == Path(app.instance_path).resolve() / "attachments"
        clean = clean_upload(upload(JPEG, "Ivanov_Serik_evidence.jpg"))

        first, second = attachments.store(clean), attachments.store(clean)

        assert mode_of(folder) == 0o700
        assert first.storage_name != second.storage_name
        for stored in (first, second):
            assert stored.storage_name.endswith(".jpg") and "Ivanov" not in stored.storage_name
            assert len(stored.storage_name) == 36
            assert mode_of(folder / stored.storage_name) == 0o600
            assert stored.media_type == "image/jpeg" and stored.media_type in ALLOWED
            assert stored.size_bytes == len(clean.data)
            assert stored.sha256 == hashlib.sha256(clean.data).hexdigest()
            assert attachments.open_stored(stored.storage_name) == clean.data
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [first.storage_name, second.storage_name]
        )  # no temporary files left over

        attachments.remove(first.storage_name)
        attachments.remove(first.storage_name)  # already gone: fine
        assert not (folder / first.storage_name).exists()


def test_names_we_did_not_make_are_refused(app):
    bad = [
        "../x",
        "a/b",
        "..\\x",
        "/etc/passwd",
        "",
        "0" * 32 + ".exe",
        "A" * 32 + ".jpg",
        "0" * 32,
    ]
    with app.app_context():
        for name in bad:
            with pytest.raises(ValueError):
                attachments.remove(name)
            with pytest.raises(ValueError):
                attachments.open_stored(name)


def test_configured_folder_is_tightened_and_never_public(app, tmp_path, monkeypatch):
    loose = tmp_path / "files"
    loose.mkdir(mode=0o755)
    app.config["ATTACHMENTS_DIR"] = str(loose)
    with app.app_context():
        assert attachments.attachments_folder() == loose.resolve()
        assert mode_of(loose) == 0o700

        def fail(*args):
            raise OSError("disk full")

        monkeypatch.setattr(store_module.os, "replace", fail)
        with pytest.raises(OSError, match="disk full"):
            attachments.store(clean_upload(upload(JPEG)))
        assert list(loose.iterdir()) == []  # the temporary file is gone too

        app.config["ATTACHMENTS_DIR"] = str(Path(app.static_folder) / "uploads")
        with pytest.raises(RuntimeError):
            attachments.attachments_folder()
