"""Search while the index lives: merges, rebuilds, deletions, locks and several worker processes.

A query never fails with an exception because of the index: it answers from
the newest index it can read, from the last good one, or says "search is
catching up". A complaint filed through any of several processes becomes
searchable shortly after its response, however the processes contend for the
index lock. ``search query --json`` is what scripts and the judged collection use.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import shutil
import threading
import time
import traceback
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Every

from portal import create_app
from portal.db import session
from portal.models import Facility
from portal.search import catch_up, rebuild, rebuilder, store
from portal.search.indexer import indexer_for
from portal.search.schema import SCHEMA
from portal.search.service import search
from portal.search.writer import BATCH_SIZE
from tests import factories

#: Generous bounds: these tests check behaviour, not speed.
SEARCHABLE_WITHIN = 30.0


@pytest.fixture
def folder(app) -> Path:
    return Path(app.config["INDEX_DIR"])


def filed(db, folder: Path, count: int, words: str = "избили дубинкой") -> list[int]:
    made = [
        factories.complaint(db, narrative=f"{words}, случай номер {number}.").id
        for number in range(count)
    ]
    db.commit()
    catch_up(db, folder)
    return made


# --- Whoosh's refresh and ours --------------------------------------------------------------------


def test_whooshs_own_refresh_finds_merged_documents_twice(tmp_path):
    """Why the service does not call Searcher.refresh() (whoosh-reloaded 2.7.5)."""
    ix = whoosh_index.create_in(str(tmp_path), SCHEMA)
    for number in range(3):
        writer = ix.writer()
        writer.add_document(id=str(number))
        writer.commit(merge=False)
    searcher = ix.searcher()
    writer = ix.writer()
    writer.add_document(id="3")
    writer.commit(optimize=True)  # the three segments merged into one
    refreshed = searcher.refresh()
    try:
        assert refreshed.doc_count() == 7  # the merged-away segments are still searched
    finally:
        refreshed.close()
        ix.close()


def test_after_merges_the_service_finds_each_complaint_once(db, folder):
    first = filed(db, folder, 3)
    assert search("дубинкой").total == 3  # a searcher is now open in this thread
    for _ in range(12):  # many small commits make Whoosh merge segments
        first += filed(db, folder, 1)
    ix = whoosh_index.open_dir(str(folder))
    ix.writer().commit(optimize=True)  # one segment: every earlier segment merged away
    ix.close()
    result = search("дубинкой", per_page=100)
    assert result.total == len(first) == 15
    assert sorted(hit.id for hit in result.hits) == sorted(first)


# --- rebuilt, deleted, locked, outdated --------------------------------------------------------


def test_a_search_during_a_rebuild_answers_and_then_sees_the_new_index(db, folder, monkeypatch):
    before = filed(db, folder, 2)
    assert search("дубинкой").total == 2
    seen: dict[str, object] = {}
    building = store.create_index

    def a_query_while_building(target):
        seen["during"] = search("дубинкой")
        return building(target)

    monkeypatch.setattr(store, "create_index", a_query_while_building)
    factories.complaint(db, narrative="Избили дубинкой, пока строился индекс.")
    db.commit()
    rebuild(db, folder)
    during = seen["during"]
    assert during.error is None and sorted(hit.id for hit in during.hits) == sorted(before)
    assert search("дубинкой").total == 3  # the swapped-in index, found by its new folder


def test_a_deleted_index_answers_from_the_last_good_one_or_says_catching_up(app, db, folder):
    filed(db, folder, 2)
    assert search("дубинкой").total == 2
    shutil.rmtree(folder)
    kept = search("дубинкой")
    assert kept.error is None and kept.total == 2  # this thread's last good index
    other: dict[str, object] = {}

    def from_another_thread():
        with app.app_context():
            other["result"] = search("дубинкой")

    thread = threading.Thread(target=from_another_thread)
    thread.start()
    thread.join()
    assert other["result"].error == "unavailable" and other["result"].hits == []


def test_an_outdated_index_says_catching_up_until_rebuilt(db, folder, monkeypatch):
    filed(db, folder, 1)
    monkeypatch.setattr(store, "signature", lambda: "another analyzer")
    assert search("дубинкой").error == "unavailable"
    assert store.index_status(folder)["state"] == "outdated"
    monkeypatch.undo()
    assert search("дубинкой").total == 1


def test_a_locked_index_is_still_searched(db, folder):
    filed(db, folder, 1)
    ix = whoosh_index.open_dir(str(folder))
    holder = ix.writer()
    try:
        assert search("дубинкой").total == 1
    finally:
        holder.cancel()
        ix.close()


def test_a_rebuild_writes_its_documents_in_chunks_of_segments(db, folder, monkeypatch):
    monkeypatch.setattr(rebuilder, "CHUNK", 2)
    made = filed(db, folder, 5)
    assert rebuild(db, folder, procs=1) == 5
    ix = whoosh_index.open_dir(str(folder))
    try:
        assert len(ix._segments()) == 3 and ix.doc_count() == 5
    finally:
        ix.close()
    assert sorted(hit.id for hit in search("дубинкой").hits) == sorted(made)


def test_an_empty_index_is_searched_and_then_refreshed(db, folder):
    store.create_index(folder).close()
    assert (search("дубинкой").total, search("").total) == (0, 0)
    added = filed(db, folder, 1)
    assert [hit.id for hit in search("дубинкой").hits] == added


def test_a_missing_index_says_catching_up(db):
    result = search("дубинкой")
    assert (result.error, result.total, result.hits) == ("unavailable", 0, [])


# --- the background indexer --------------------------------------------------------------------


def test_the_indexer_retries_while_another_process_holds_the_lock(app, db, folder):
    filed(db, folder, 1)
    complaint = factories.complaint(db, narrative="Скорую не вызвали до утра.")
    db.commit()
    ix = whoosh_index.open_dir(str(folder))
    holder = ix.writer()  # another process's long catch-up
    indexer = indexer_for(session.get_bind(), folder)
    try:
        assert indexer.wait(indexer.poke(), SEARCHABLE_WITHIN)  # first attempt: locked
        assert search("скорую").total == 0
    finally:
        holder.cancel()
        ix.close()
    deadline = time.monotonic() + SEARCHABLE_WITHIN
    while search("скорую").total == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [hit.id for hit in search("скорую").hits] == [complaint.id]


def _file_through_a_worker(
    url: str, instance: str, facility_id: int, worker: int, count: int, results
) -> None:
    """One worker process: file complaints as a request does, then wait until each is found."""
    problems: list[str] = []
    latencies: list[float] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                problems.append(record.getMessage())

    logging.getLogger("portal.search").addHandler(Catch())
    try:
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": url,
                "INSTANCE_PATH": instance,
                "INDEX_DIR": str(Path(instance) / "index"),
                "RATELIMIT_ENABLED": False,
            }
        )
        for number in range(count):
            reference = f"W{worker}-{number:03d}"
            with app.test_request_context("/"):  # its own app context, as a server's request
                factories.complaint(
                    session,
                    facility=session.get(Facility, facility_id),
                    narrative=f"Рабочий {worker} подал жалобу {number}: избили в автозаке.",
                    reference=reference,
                )
                session.commit()
                response = app.process_response(app.response_class("receipt"))
            response.close()  # the citizen has the receipt; the hook pokes the indexer
            sent = time.monotonic()
            with app.app_context():
                while search(reference.lower()).total == 0:
                    if time.monotonic() - sent > SEARCHABLE_WITHIN:
                        problems.append(f"{reference} not searchable")
                        break
                    time.sleep(0.02)
            latencies.append(time.monotonic() - sent)
        app.extensions["portal.db"].engine.dispose()
    except Exception:  # noqa: BLE001 - reported to the test, which fails with it
        problems.append(traceback.format_exc())
    results.put((worker, latencies, problems))


def test_several_worker_processes_file_and_every_complaint_becomes_searchable(app, db, folder):
    filed(db, folder, 1)  # the index exists
    facility = factories.facility(db).id
    db.commit()
    workers, each = 3, 8
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [
        context.Process(
            target=_file_through_a_worker,
            args=(app.config["DATABASE_URL"], app.instance_path, facility, worker, each, results),
        )
        for worker in range(workers)
    ]
    for process in processes:
        process.start()
    reports = [results.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    latencies = sorted(value for _worker, values, _problems in reports for value in values)
    assert [problem for _w, _l, problems in reports for problem in problems] == []
    assert len(latencies) == workers * each and latencies[-1] < SEARCHABLE_WITHIN
    print(f"searchable after p50 {latencies[len(latencies) // 2]:.3f} s, max {latencies[-1]:.3f} s")
    ix = whoosh_index.open_dir(str(folder))
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 1 + workers * each
        assert len(searcher.search(Every(), limit=None)) == 1 + workers * each
    ix.close()


# --- the command line ----------------------------------------------------------------------------


def test_search_query_json_prints_total_and_results_best_first(db, regions, folder, runner):
    karaganda = factories.named_region(db, "karaganda")
    facility = factories.facility(db, region=karaganda)
    strong = factories.complaint(
        db, facility=facility, narrative="Дубинкой, дубинкой и ещё раз дубинкой били в ИВС."
    )
    weak = factories.complaint(
        db, narrative="Один удар дубинкой в длинном рассказе о долгом и тяжёлом задержании."
    )
    strong.external_ref = "NGO-7"
    db.commit()
    catch_up(db, folder)

    result = runner.invoke(args=["search", "query", "дубинкой", "--json", "--limit", "5"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {"total", "results"} and payload["total"] == 2
    assert [item["id"] for item in payload["results"]] == [strong.id, weak.id]
    first = payload["results"][0]
    assert {"id", "reference", "external_ref", "score", "snippet"} <= set(first)
    assert first["external_ref"] == "NGO-7" and "<mark>" in first["snippet"]

    narrowed = runner.invoke(
        args=["search", "query", "дубинкой", "--json", "--region", "karaganda"]
    )
    assert [item["id"] for item in json.loads(narrowed.output)["results"]] == [strong.id]
    text = runner.invoke(args=["search", "query", "дубинкой", "--sort", "date"])
    assert text.exit_code == 0 and "2 complaints" in text.output


def test_search_query_reports_errors_and_unknown_slugs(db, regions, folder, runner):
    filed(db, folder, 1)
    broken = runner.invoke(args=["search", "query", '"open', "--json"])
    assert broken.exit_code == 1
    assert json.loads(broken.stdout)["error"] == "unclosed_quote"
    unknown = runner.invoke(args=["search", "query", "x", "--region", "atlantis"])
    assert unknown.exit_code == 2 and "no region atlantis" in unknown.output


def test_catch_up_batches_are_what_a_round_of_the_indexer_writes():
    assert BATCH_SIZE <= 2000  # portal.search.indexer.ROUND releases the lock between rounds
