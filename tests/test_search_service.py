"""The search service: safe queries, Whoosh's own scores in bulk, filters, facets, scope, pages.

Complaints are written with the factories and indexed with the project's code;
every query goes through :func:`portal.search.service.search`. Where the
service claims to rank as Whoosh does, the test asks Whoosh itself.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale
from whoosh import index as whoosh_index

from portal.models import Answer, Category, Complaint, FacilityType, Status
from portal.search import catch_up, rebuild
from portal.search.messages import ERRORS, error_message
from portal.search.query import MAX_LENGTH, Parser, QueryError
from portal.search.schema import SCHEMA
from portal.search.service import Filters, Scope, search
from tests import factories

NARRATIVES = {
    "baton": "Конвоир избил задержанного дубинкой в коридоре ИВС, камера была выключена.",
    "baton2": "Меня избили дубинкой в камере, а видеозапись потом удалили.",
    "ambulance": "Скорую помощь не вызвали, хотя у задержанного был приступ.",
    "lawyer": "Адвоката не пустили к подзащитному три дня.",
    "kazakh": "Тергеуші мені камерада ұрды, бейнебақылау камерасы өшірулі болды.",
    "camera": "Камера в коридоре не работала, запись не сохранилась.",
}


@pytest.fixture
def folder(app) -> Path:
    return Path(app.config["INDEX_DIR"])


@pytest.fixture
def world(db, regions, folder):
    """Six complaints in two regions and three facilities, indexed."""
    north = factories.region(db, slug="north", name_ru="Север")
    south = factories.region(db, slug="south", name_ru="Юг")
    ivs = factories.facility(db, region=north, type=FacilityType.IVS)
    sizo = factories.facility(db, region=north, type=FacilityType.SIZO)
    colony = factories.facility(db, region=south, type=FacilityType.COLONY)
    reviewer = factories.user(db)
    rows = {
        "baton": dict(facility=ivs, categories=(Category.PHYSICAL_VIOLENCE,)),
        "baton2": dict(
            facility=sizo,
            categories=(Category.PHYSICAL_VIOLENCE, Category.CAMERA_ISSUE),
            status=Status.IN_REVIEW,
            assignee=reviewer,
        ),
        "ambulance": dict(facility=colony, categories=(Category.MEDICAL_DENIAL,)),
        "lawyer": dict(facility=colony, categories=(Category.LAWYER_FAMILY_DENIAL,)),
        "kazakh": dict(facility=ivs, language="kk", camera_working=Answer.NO),
        "camera": dict(facility=sizo, categories=(Category.CAMERA_ISSUE,)),
    }
    made = {}
    for number, (name, values) in enumerate(rows.items()):
        made[name] = factories.complaint(
            db,
            narrative=NARRATIVES[name],
            created_at=datetime(2026, 3, 1 + number, 12, tzinfo=UTC),
            incident_date=date(2026, 2, 1 + number),
            **values,
        )
    db.commit()
    rebuild(db, folder)
    return {
        "complaints": made,
        "north": north.id,
        "south": south.id,
        "ivs": ivs.id,
        "reviewer": reviewer.id,
    }


def ids(result) -> list[int]:
    return [hit.id for hit in result.hits]


def names(world, result, *, partial: bool = False) -> set[str]:
    """The complaints found with every word (or, with ``partial``, with some of them)."""
    by_id = {complaint.id: name for name, complaint in world["complaints"].items()}
    return {by_id[hit.id] for hit in result.hits if hit.partial == partial}


# --- the query language ------------------------------------------------------------------------


def test_words_must_all_be_there_in_any_form(world):
    result = search("избил дубинками")
    assert result.error is None
    assert names(world, result) == {"baton", "baton2"} and result.total == 2


def test_or_phrases_and_exclusion(world):
    assert names(world, search("скорую OR адвоката")) == {"ambulance", "lawyer"}
    assert names(world, search('"коридоре ИВС"')) == {"baton"}
    reversed_phrase = search('"ИВС коридоре"')
    assert names(world, reversed_phrase) == set()  # order matters in a phrase …
    assert names(world, reversed_phrase, partial=True) >= {"baton"}  # … its words apart follow
    assert reversed_phrase.hits[0].partial and reversed_phrase.total == 0
    assert names(world, search("коридоре")) == {"baton", "camera"}
    assert names(world, search("дубинкой -видеозапись")) == {"baton"}
    assert names(world, search('коридоре -"не работала"')) == {"baton"}


def test_a_reference_or_case_number_finds_its_complaint(db, world, folder):
    complaint = world["complaints"]["lawyer"]
    complaint.external_ref = "HRW-2023/17"
    db.commit()
    catch_up(db, folder)
    assert ids(search(complaint.reference.lower())) == [complaint.id]
    assert ids(search("hrw-2023/17")) == [complaint.id]
    hit = search("HRW-2023/17").hits[0]
    assert (hit.reference, hit.external_ref) == (complaint.reference, "HRW-2023/17")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("x" * (MAX_LENGTH + 1), "too_long"),
        (" ".join(["слово"] * 17), "too_many_words"),
        ("*амера", "leading_wildcard"),
        ("камера ?а", "leading_wildcard"),
        ('"камера не', "unclosed_quote"),
        ("OR камера", "dangling_or"),
        ("камера OR", "dangling_or"),
        ("камера OR OR скорая", "dangling_or"),
        ("!!! ...", "no_words"),
    ],
)
def test_a_broken_query_gets_an_error_code_never_an_exception(world, text, code):
    result = search(text)
    assert (result.error, result.total, result.hits) == (code, 0, [])
    assert code in ERRORS


def test_field_syntax_wildcards_and_ranges_are_plain_words(world):
    """Nothing in the text reaches Whoosh's query syntax: no field, range or match-all."""
    for text in ("narrative:камера", "[a TO z]", "*:*", "камера^100", "id:1"):
        result = search(text)
        assert result.error in (None, "leading_wildcard"), text
    assert names(world, search("narrative:камера")) == set()  # "narrative" is not in any text
    parsed = Parser(SCHEMA["narrative"].analyzer).parse("[a TO z] камера*")
    fields = {term.fieldname for query in parsed.required for term in query.leaves()}
    assert fields <= {"narrative", "place_text", "messages", "refs"}


def test_plain_words_are_analysed_together_so_a_name_of_two_words_is_one_clause():
    parser = Parser(SCHEMA["narrative"].analyzer)
    assert len(parser.parse("Нур Султан").required) == 1  # the place, in any of its names
    assert len(parser.parse("Нур OR Султан").required) == 1
    parsed = parser.parse('избили "резиновой дубинкой"')
    assert len(parsed.required) == 2 and len(parsed.parts) == 3 and parsed.has_phrase


def test_the_parser_raises_query_error_with_a_code():
    with pytest.raises(QueryError) as caught:
        Parser(SCHEMA["narrative"].analyzer).parse('"open')
    assert caught.value.code == "unclosed_quote"


def test_error_messages_are_translated(app):
    with app.test_request_context("/"):
        with force_locale("en"):
            english = {code: str(error_message(code)) for code in ERRORS}
        assert english["unavailable"].startswith("Search is catching up")
        for language in ("kk", "ru"):
            with force_locale(language):
                for code in ERRORS:
                    assert str(error_message(code)) != english[code], (language, code)


# --- ranking as Whoosh ranks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["камера", "избили дубинкой", "камера OR скорую", "коридоре -выключена"]
)
def test_scores_are_whooshs_own_for_the_same_query(world, folder, text):
    parsed = Parser(SCHEMA["narrative"].analyzer).parse(text)
    ix = whoosh_index.open_dir(str(folder))
    try:
        with ix.searcher() as searcher:
            expected = {
                int(hit["id"]): hit.score for hit in searcher.search(parsed.whoosh(), limit=None)
            }
    finally:
        ix.close()
    result = search(text, per_page=50)
    complete = {hit.id: hit.score for hit in result.hits if not hit.partial}
    assert expected and complete == pytest.approx(expected, abs=1e-3)
    scores = [hit.score for hit in result.hits if not hit.partial]
    assert scores == sorted(scores, reverse=True)


def test_complaints_with_some_of_the_words_follow_the_complete_matches(world):
    result = search("дубинкой скорую")
    assert result.total == 0 and result.partial == 3
    assert all(hit.partial for hit in result.hits)
    assert {"baton", "baton2", "ambulance"} <= names(world, result, partial=True)

    result = search("избили дубинкой удалили")
    assert [hit.partial for hit in result.hits][:1] == [False]
    assert names(world, result) == {"baton2"} and result.total == 1
    assert "baton" in names(world, result, partial=True)


# --- filters, facets, scope, sort and pages ---------------------------------------------------


def test_filters_narrow_and_facets_count_without_their_own_filter(world):
    everything = search("")
    assert everything.total == 6
    assert everything.facets["region"] == {str(world["north"]): 4, str(world["south"]): 2}
    assert everything.facets["language"] == {"kk": 1, "ru": 5}

    result = search("", filters=Filters(regions=(world["north"],), categories=("camera_issue",)))
    assert names(world, result) == {"baton2", "camera"}
    # Choosing a region leaves the other region countable; categories are counted within north.
    assert result.facets["region"] == {str(world["north"]): 2}
    assert result.facets["categories"]["physical_violence"] == 3
    assert result.facets["categories"]["camera_issue"] == 2
    assert "medical_denial" not in result.facets["categories"]

    two = search("", filters=Filters(regions=(world["north"], world["south"])))
    assert two.total == 6
    assert search("", filters=Filters(facility_types=("colony",))).total == 2
    assert search("", filters=Filters(statuses=("in_review",))).total == 1
    assert search("", filters=Filters(assignees=(world["reviewer"],))).total == 1
    assert search("", filters=Filters(assignees=(None,))).total == 5
    assert search("", filters=Filters(camera_working=("no",))).total == 1
    assert search("", filters=Filters(languages=("kk",))).total == 1


def test_date_ranges_are_inclusive(world):
    received = Filters(received_from=date(2026, 3, 2), received_to=date(2026, 3, 3))
    result = search("", filters=received)
    assert names(world, result) == {"baton2", "ambulance"}
    result = search("", filters=Filters(incident_to=date(2026, 2, 1)))
    assert names(world, result) == {"baton"}


def test_scope_limits_hits_totals_and_facets(world):
    scope = Scope(regions=frozenset({world["south"]}))
    result = search("", scope=scope)
    assert names(world, result) == {"ambulance", "lawyer"} and result.total == 2
    assert set(result.facets["region"]) == {str(world["south"])}
    # A filter cannot reach outside the scope, nor can the facet of the scoped field.
    outside = search("", scope=scope, filters=Filters(regions=(world["north"],)))
    assert (outside.total, outside.hits) == (0, [])
    assert outside.facets.get("region", {}) == {str(world["south"]): 2}
    assert search("дубинкой", scope=scope).total == 0


def test_a_scoped_query_finds_and_scores_exactly_what_the_unscoped_one_finds_in_scope(world):
    # The scope is applied while postings are read (a reviewer's query reads only their
    # regions); nothing in scope may be lost or scored differently for it.
    for text in ("задержанного", '"избили дубинкой"', "камера -коридоре", "адвокат OR скорую"):
        unscoped = search(text, per_page=50).hits
        every = {hit.id: hit.score for hit in unscoped}
        complete = {hit.id for hit in unscoped if not hit.partial}  # the total counts these
        for region in ("north", "south"):
            scoped = search(text, scope=Scope(regions=frozenset({world[region]})), per_page=50)
            mine = {
                complaint.id
                for complaint in world["complaints"].values()
                if complaint.facility.region_id == world[region]
            }
            expected = {id_: score for id_, score in every.items() if id_ in mine}
            assert {hit.id: hit.score for hit in scoped.hits} == pytest.approx(expected), text
            assert scoped.total == len(complete & mine)


def test_complaints_without_a_region_are_seen_only_when_the_scope_says_so(db, world, folder):
    lost = factories.complaint(db, narrative="Место неизвестно, избили дубинкой.")
    lost.region, lost.facility = None, None
    db.commit()
    catch_up(db, folder)
    south = frozenset({world["south"]})
    assert lost.id not in ids(search("дубинкой", scope=Scope(regions=south)))
    with_unknown = Scope(regions=south, include_unknown_region=True)
    assert ids(search("дубинкой", scope=with_unknown)) == [lost.id]
    assert lost.id in ids(search("дубинкой"))
    assert search("", filters=Filters(regions=(None,))).total == 1


def test_related_concepts_follow_the_complaints_naming_the_concept(db, world, folder):
    """A bribe told as money demanded is found by "взятка", after the complaints saying it."""
    said = factories.complaint(db, narrative="Следователь вымогал взятку у моего брата.")
    told = factories.complaint(db, narrative="Требовали 500 000 тенге, чтобы закрыть дело.")
    db.commit()
    catch_up(db, folder)
    found = ids(search("взятка"))
    assert found[:2] == [said.id, told.id]
    phrase = search('"вымогал взятку"')  # a phrase stays exact; related words may follow it
    assert [hit.id for hit in phrase.hits if not hit.partial] == [said.id] and phrase.total == 1
    assert told.id in ids(search("дело -взятка"))  # an exclusion excludes only itself
    assert said.id not in ids(search("брата -взятка"))


def test_a_reviewer_scope_sees_complaints_without_a_region_only_when_assigned_to_them(
    db, world, folder
):
    reviewer, colleague = factories.user(db), factories.user(db)
    mine = factories.complaint(db, narrative="Место неизвестно, избили дубинкой.")
    theirs = factories.complaint(db, narrative="Место неизвестно, избили дубинкой снова.")
    for complaint, assignee in ((mine, reviewer), (theirs, colleague)):
        complaint.region, complaint.facility, complaint.assignee = None, None, assignee
    db.commit()
    catch_up(db, folder)
    south = frozenset({world["south"]})
    scope = Scope(regions=south, unknown_region_assignee=reviewer.id)
    assert ids(search("дубинкой", scope=scope)) == [mine.id]
    assert search("", scope=scope).total == 3  # the two of the south, and the one assigned


def test_sort_by_date_and_pages(world):
    by_date = search("", sort="date", per_page=2)
    newest = sorted(world["complaints"].values(), key=lambda c: c.created_at, reverse=True)
    assert ids(by_date) == [c.id for c in newest[:2]]
    second = search("", sort="date", per_page=2, page=2)
    assert ids(second) == [c.id for c in newest[2:4]]
    assert search("", per_page=2, page=99).hits == []
    with pytest.raises(ValueError, match="sort"):
        search("", sort="random")


def test_snippets_mark_the_words_found_and_escape_the_text(db, world, folder):
    complaint = world["complaints"]["baton"]
    complaint.narrative = "<b>Охрана</b> избила его дубинкой & ушла. " + "Потом долго ждали. " * 30
    db.commit()
    catch_up(db, folder)
    [hit] = [hit for hit in search("избила дубинкой").hits if hit.id == complaint.id]
    assert "<mark>избила</mark>" in hit.snippet and "<mark>дубинкой</mark>" in hit.snippet
    assert "&lt;b&gt;Охрана&lt;/b&gt;" in hit.snippet and "&amp;" in hit.snippet
    assert "<b>" not in hit.snippet and len(hit.snippet) < 400


def test_a_complaint_found_by_its_place_shows_the_start_of_its_narrative(db, world, folder):
    complaint = world["complaints"]["lawyer"]
    complaint.place_text = "Отдел полиции Жетысу"
    db.commit()
    catch_up(db, folder)
    hit = search("жетысу").hits[0]
    assert hit.id == complaint.id and hit.snippet.startswith("Адвоката не пустили")


def test_messages_are_searched(db, world, folder):
    complaint = world["complaints"]["lawyer"]
    factories.message(db, complaint=complaint, body="Свидетель готов дать показания.")
    db.commit()
    catch_up(db, folder)
    assert ids(search("свидетель")) == [complaint.id]


def test_changes_are_seen_by_the_next_search_in_the_same_process(db, world, folder):
    assert search("протокол").total == 0
    added = factories.complaint(db, narrative="Протокол задержания не составили.")
    db.commit()
    catch_up(db, folder)
    assert ids(search("протокол")) == [added.id]
    db.delete(db.get(Complaint, added.id))
    db.commit()
    catch_up(db, folder)
    assert search("протокол").total == 0
