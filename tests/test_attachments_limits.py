"""Attachments cost bounded time and memory: a hostile file fails alone, with a clear message.

The probe of issue 7 found a 400 KB PNG that cost 700 MB to clean and a 10 MB
PDF that cost 20 s and 1 GB. Here the same files (tests/support/hostile_files.py)
are refused from their headers and object counts, the cleaning child is held to
its limits, a child that fails is a translated refusal (never a 500), and the
site answers while a hostile file is being cleaned. Nothing is timed: where a
test needs a bound, it is a timeout or a memory limit the work must fit in.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from io import BytesIO

import pikepdf
import pytest
from flask_babel import force_locale
from PIL import Image
from werkzeug.datastructures import FileStorage

from portal.files import AttachmentRejected, clean_upload, clean_uploads, images, pdf, sandbox
from portal.files.limits import Refused
from tests.support import hostile_files
from tests.test_complaints import submit


def upload(data: bytes, filename: str = "file") -> FileStorage:
    return FileStorage(stream=BytesIO(data), filename=filename)


def small_jpeg() -> bytes:
    out = BytesIO()
    Image.new("RGB", (32, 24), "red").save(out, "JPEG")
    return out.getvalue()


def text_of(data: bytes) -> bytes:
    """Every object of a PDF in plain text, for searching."""
    with pikepdf.open(BytesIO(data)) as document:
        out = BytesIO()
        document.save(out, qdf=True, object_stream_mode=pikepdf.ObjectStreamMode.disable)
        return out.getvalue()


def message(error: AttachmentRejected, app, lang: str) -> str:
    with app.test_request_context(), force_locale(lang):
        return str(error.message)


# --- images: refused from the header, before decoding -------------------------------------


def test_the_probes_five_16_bit_pngs_are_refused_within_a_small_memory_limit(app, monkeypatch):
    """700 MB each before the fix; now the header decides, in a child held to 128 MiB."""
    monkeypatch.setattr(sandbox, "CLEAN_MEMORY_BYTES", 128 * 1024 * 1024)
    probe = hostile_files.png_of_one_colour()  # 7200×7200, 16-bit RGB
    assert len(probe) < 400 * 1024

    with pytest.raises(AttachmentRejected) as caught:
        clean_uploads([upload(probe, f"{n}.png") for n in range(5)])

    assert (caught.value.kind, caught.value.megapixels) == ("pixels", 12)
    assert message(caught.value, app, "en") == (
        "This photo's resolution is too high (over 12 megapixels). Send a smaller copy."
    )
    assert "более 12 мегапикселей" in message(caught.value, app, "ru")
    assert "12 мегапиксельден артық" in message(caught.value, app, "kk")


@pytest.mark.parametrize(
    ("size", "depth", "colour_type", "megapixels"),
    [
        ((6000, 4200), 8, 2, 25),  # 8-bit RGB (3 bytes a pixel): the pixel cap
        ((5000, 4000), 8, 6, 18),  # 8-bit RGBA (4 bytes)
        ((4000, 4000), 16, 2, 12),  # 16-bit RGB (6 bytes)
        ((3200, 3200), 16, 6, 9),  # 16-bit RGBA (8 bytes)
        ((6000, 4500), 16, 0, 25),  # 16-bit grey (2 bytes): the pixel cap again
    ],
)
def test_images_with_more_bytes_per_pixel_get_fewer_pixels(size, depth, colour_type, megapixels):
    data = hostile_files.png_header_only(*size, depth=depth, colour_type=colour_type)
    with Image.open(BytesIO(data)) as image, pytest.raises(Refused) as caught:
        images.check_size(image, data)
    assert (caught.value.kind, caught.value.megapixels) == ("pixels", megapixels)


@pytest.mark.parametrize(
    ("size", "depth", "colour_type"),
    [((4032, 3024), 8, 2), ((6000, 4000), 8, 2), ((4000, 3000), 16, 2), ((2400, 1080), 8, 6)],
    ids=["12-MP-photo", "24-MP-camera", "12-MP-16-bit", "phone-screenshot"],
)
def test_what_phones_and_cameras_save_passes_the_header_check(size, depth, colour_type):
    data = hostile_files.png_header_only(*size, depth=depth, colour_type=colour_type)
    with Image.open(BytesIO(data)) as image:
        images.check_size(image, data)


# --- PDF: counted before walked -------------------------------------------------------------


def test_the_probes_pdf_of_empty_dictionaries_is_refused_within_small_limits(app, monkeypatch):
    """20 s and 1 GB before the fix; now refused from its bytes, in a child held to 128 MiB."""
    monkeypatch.setattr(sandbox, "CLEAN_MEMORY_BYTES", 128 * 1024 * 1024)
    monkeypatch.setattr(sandbox, "CLEAN_CPU_SECONDS", 5)

    with pytest.raises(AttachmentRejected) as caught:
        clean_upload(upload(hostile_files.pdf_of_empty_dictionaries(), "report.pdf"))

    assert caught.value.kind == "complex"
    assert message(caught.value, app, "ru").startswith("Этот файл слишком сложен")
    assert message(caught.value, app, "kk").startswith("Бұл файл тым күрделі")


def test_a_compressed_array_of_millions_is_refused_before_it_is_walked():
    """Packed into an object stream the raw bytes show nothing; the count after parsing does."""
    data = hostile_files.pdf_of_packed_empty_dictionaries(1_200_000)
    assert len(data) < 20_000
    with pytest.raises(Refused) as caught:
        pdf.clean_pdf(data)
    assert caught.value.kind == "complex"


def test_the_scrub_stops_at_its_budget(monkeypatch):
    """Dictionaries the scrub must open (they hold an /A key) are charged before being opened."""
    data = hostile_files.pdf_with_packed_objects([b"[" + b"<< /A 1 >>" * 3_000 + b"]"])
    with pikepdf.open(BytesIO(pdf.clean_pdf(data))) as document:  # within the budget: cleaned
        assert document.pages[0].obj.Junk[0].A == 1

    monkeypatch.setattr(pdf, "PDF_MAX_NODES", 2_000)
    with pytest.raises(Refused) as caught:
        pdf.clean_pdf(data)
    assert caught.value.kind == "complex"


def test_too_many_objects_are_refused(monkeypatch):
    monkeypatch.setattr(pdf, "PDF_MAX_OBJECTS", 100)
    pdf.clean_pdf(hostile_files.pdf_of_many_objects(50))
    with pytest.raises(Refused) as caught:
        pdf.clean_pdf(hostile_files.pdf_of_many_objects(150))
    assert caught.value.kind == "complex"


def test_deep_nesting_is_refused_by_the_scrub_and_cut_by_the_childs_parser():
    deep = b"[" * 100 + b"<< /A 1 >>" + b"]" * 100
    with pytest.raises(Refused) as caught:
        pdf.clean_pdf(hostile_files.pdf_with_packed_objects([deep]))
    assert caught.value.kind == "complex"

    # In the child, qpdf itself drops what is nested deeper than the limit.
    clean = clean_upload(upload(hostile_files.pdf_nested(200)))
    with pikepdf.open(BytesIO(clean.data)) as document:
        assert "/Junk" not in document.pages[0].obj


# --- PDF: outside links and hidden actions ------------------------------------------------


def test_outside_links_become_inert_and_keep_their_address_as_text():
    address = "https://tracker.example/c/8f3a2b"
    clean = clean_upload(upload(hostile_files.pdf_with_outside_link(address.encode())))

    with pikepdf.open(BytesIO(clean.data)) as document:
        link = document.pages[0].Annots[0]
        assert link.Subtype == pikepdf.Name.Link and "/A" not in link
        assert str(link.Contents) == address
    assert b"/URI" not in text_of(clean.data)


def test_links_within_the_document_are_kept_and_chained_actions_dropped():
    go_to = b"<< /S /GoTo /D [3 0 R /Fit] /Next << /S /JavaScript /JS (app.alert(1)) >> >>"
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A " + go_to + b" >>"
    data = hostile_files.raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] /Annots [4 0 R] >>",
            link,
        ]
    )
    clean = clean_upload(upload(data))

    with pikepdf.open(BytesIO(clean.data)) as document:
        action = document.pages[0].Annots[0].A
        assert action.get("/S") == pikepdf.Name.GoTo and "/Next" not in action
    assert b"JavaScript" not in text_of(clean.data)


def test_names_spelled_with_escapes_are_scrubbed_too():
    """``/J#53`` is ``/JS`` and ``/Met#61data`` is ``/Metadata`` to every PDF reader."""
    data = hostile_files.raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] /Widget 4 0 R >>",
            b"<< /J#53 (app.alert('SecretJS')) /Met#61data (SecretXmp) /A#41 << /O 5 >> >>",
        ]
    )
    text = text_of(clean_upload(upload(data)).data)
    for marker in (b"SecretJS", b"SecretXmp", b"/JS", b"/Metadata", b"/AA"):
        assert marker not in text, marker


# --- the cleaning child ----------------------------------------------------------------------


def run_program(program: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        sandbox.child_command(program), capture_output=True, timeout=60, env={}, check=False
    )


def test_the_child_imports_neither_flask_nor_the_database():
    program = sandbox.PACKAGES_WITHOUT_INIT + (
        "import portal.files.worker\n"
        "print(sorted({name.split('.')[0] for name in sys.modules}"
        " & {'flask', 'flask_babel', 'werkzeug', 'sqlalchemy', 'pikepdf'}))\n"
    )
    result = run_program(program)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == b"[]"


def test_the_child_limits_its_own_cpu_time_memory_priority_and_core_dumps():
    limited = sandbox.PACKAGES_WITHOUT_INIT + (
        "import os, resource\nfrom portal.files.worker import limit_self\n"
    )
    spin = run_program(limited + "limit_self(256 << 20, 1)\nwhile True:\n    pass\n")
    assert spin.returncode in (-signal.SIGXCPU, -signal.SIGKILL)

    grab = run_program(
        limited + "limit_self(128 << 20, 10)\n"
        "try:\n    bytearray(256 << 20)\nexcept MemoryError:\n    print('refused')\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE), os.nice(0) >= 10)\n"
    )
    assert grab.stdout.split(b"\n")[:2] == [b"refused", b"(0, 0) True"], grab.stderr


def test_a_file_over_the_memory_limit_is_refused_with_the_translated_message(app, monkeypatch):
    photo = hostile_files.png_of_one_colour(4000, 4000, depth=8, colour_type=2)  # 16 MP, 64 MB
    assert clean_upload(upload(photo)).media_type == "image/png"  # fine within the real limit

    monkeypatch.setattr(sandbox, "CLEAN_MEMORY_BYTES", 64 * 1024 * 1024)
    with pytest.raises(AttachmentRejected) as caught:
        clean_upload(upload(photo))
    assert caught.value.kind == "complex"
    assert message(caught.value, app, "ru").startswith("Этот файл слишком сложен")


@pytest.mark.parametrize(
    "program",
    [
        "import os, signal\nos.kill(os.getpid(), signal.SIGXCPU)\n",  # the CPU limit's signal
        "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n",  # a decoder crash
        "raise MemoryError\n",
        "import sys\nsys.stdout.write('not what the worker writes')\n",
        'import sys\nsys.stdout.write(\'{"files": [{"size": 10}]}\\nshort\')\n',
        "",  # no answer at all
    ],
    ids=["sigxcpu", "crash", "exit-1", "garbage", "short", "silent"],
)
def test_a_child_that_fails_is_a_refusal_never_an_error(monkeypatch, program):
    real = sandbox.child_command
    monkeypatch.setattr(sandbox, "child_command", lambda: real(program))
    with pytest.raises(AttachmentRejected) as caught:
        clean_upload(upload(small_jpeg()))
    assert caught.value.kind == "complex"


def test_a_child_past_the_wall_clock_limit_is_killed(monkeypatch):
    real = sandbox.child_command
    monkeypatch.setattr(sandbox, "child_command", lambda: real("import time\ntime.sleep(60)\n"))
    monkeypatch.setattr(sandbox, "CLEAN_WALL_SECONDS", 0.5)
    with pytest.raises(AttachmentRejected) as caught:
        clean_upload(upload(small_jpeg()))
    assert caught.value.kind == "complex"


def test_the_site_answers_while_a_hostile_file_is_being_cleaned(client, monkeypatch, tmp_path):
    """One request's child hangs; a page and another request's photo are served meanwhile."""
    started = tmp_path / "started"
    hanging = f"import pathlib, time\npathlib.Path({str(started)!r}).touch()\ntime.sleep(60)\n"
    real = sandbox.child_command

    def command():
        hostile = threading.current_thread().name == "hostile"
        return real(hanging) if hostile else real()

    monkeypatch.setattr(sandbox, "child_command", command)
    monkeypatch.setattr(sandbox, "CLEAN_WALL_SECONDS", 8)
    outcome: dict[str, str] = {}

    def clean_hostile() -> None:
        try:
            clean_upload(upload(hostile_files.png_of_one_colour()))
        except AttachmentRejected as error:
            outcome["kind"] = error.kind

    thread = threading.Thread(target=clean_hostile, name="hostile", daemon=True)
    thread.start()
    for _ in range(600):
        if started.exists():
            break
        time.sleep(0.05)
    assert started.exists()

    assert client.get("/ru/about").status_code == 200
    assert clean_upload(upload(small_jpeg())).media_type == "image/jpeg"
    assert thread.is_alive()  # the hostile clean still runs: nothing above waited for it

    thread.join(timeout=60)
    assert outcome == {"kind": "complex"}


def test_when_every_slot_is_busy_the_form_comes_back_with_the_text(client, place, monkeypatch):
    slots = threading.BoundedSemaphore(1)
    slots.acquire()
    monkeypatch.setattr(sandbox, "_slots", slots)
    monkeypatch.setattr(sandbox, "CLEAN_QUEUE_SECONDS", 0.05)
    narrative = "Меня избили в коридоре ИВС, камера была выключена."

    response = submit(
        client, place, "ru", files=[(BytesIO(small_jpeg()), "photo.jpg")], narrative=narrative
    )

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Сайт сейчас занят проверкой других файлов" in html
    assert narrative in html


def test_the_probes_png_sent_with_a_report_gets_the_message_at_the_field(client, place):
    narrative = "Кезекші бөлімде мені ұрды, бейнекамера сөндірулі болды."
    probe = hostile_files.png_of_one_colour()

    response = submit(client, place, "kk", files=[(BytesIO(probe), "photo.png")])

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="attachments-error"' in html and "12 мегапиксельден артық" in html
    assert narrative in html


def test_no_child_is_left_behind(monkeypatch):
    """Every child is waited for, even one killed at the wall-clock limit."""
    real = sandbox.child_command
    monkeypatch.setattr(sandbox, "child_command", lambda: real("import time\ntime.sleep(60)\n"))
    monkeypatch.setattr(sandbox, "CLEAN_WALL_SECONDS", 0.5)

    def children() -> set[str]:  # other tests' children (the browser's driver) may live on
        return {pid for pid in os.listdir("/proc") if _parent_of(pid) == os.getpid()}

    before = children()
    for data in (small_jpeg(), hostile_files.png_header_only(100, 100)):
        with pytest.raises(AttachmentRejected):
            clean_upload(upload(data))
    assert children() == before


def _parent_of(pid: str) -> int | None:
    if not pid.isdigit():
        return None
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None
