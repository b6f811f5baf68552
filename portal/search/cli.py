"""``flask --app wsgi search …``: keep the reviewers' search index up to date, and query it.

``search catch-up`` works off the outbox (run it from a timer, or after the
index was missing or locked); ``search rebuild`` makes the whole index anew
from the database (after a schema change or when the index is broken);
``search query`` runs a query through the search service, for operators and
scripts (``--json``: ``{"total": N, "results": [...]}``, best first).
"""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from whoosh.index import LockError

from portal.db import session
from portal.models import Category, Facility, Region, Status
from portal.search.rebuilder import rebuild
from portal.search.service import MAX_PER_PAGE, SORTS, Filters, SearchResult, search
from portal.search.writer import catch_up

#: What an operator reads for each error code of the service (pages translate them).
QUERY_ERRORS = {
    "too_long": "The query is too long.",
    "too_many_words": "The query has too many words.",
    "leading_wildcard": "A word cannot start with * or ?.",
    "unclosed_quote": "A quotation mark is not closed.",
    "dangling_or": "OR must stand between two words or phrases.",
    "no_words": "The query has no word to search for.",
    "unavailable": "The index cannot be searched now (missing, outdated or being rebuilt): "
    "run `flask --app wsgi search rebuild` if this lasts.",
}

search_command = AppGroup("search", help="Maintain the complaints' search index.")


@search_command.command("catch-up")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Most tasks to handle.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=2.0,
    show_default=True,
    help="Seconds to wait for the index lock.",
)
def catch_up_command(limit: int | None, timeout: float) -> None:
    """Write queued complaints into the index; fails only if nothing could be written."""
    result = catch_up(session, current_app.config["INDEX_DIR"], limit=limit, timeout=timeout)
    click.echo(f"done={result.done} failed={result.failed} pending={result.pending}")
    if result.error is not None:
        click.echo(
            f"The index could not be written ({result.error}); the work stays queued. "
            "If the index is unreadable, run `flask --app wsgi search rebuild`.",
            err=True,
        )
        if result.done == 0 and result.failed > 0:
            raise SystemExit(1)


@search_command.command("rebuild")
def rebuild_command() -> None:
    """Build the whole index anew from the database and swap it into place."""
    try:
        count = rebuild(session, current_app.config["INDEX_DIR"])
    except LockError as error:
        raise click.ClickException(
            "The index is busy (another rebuild or a long catch-up); try again."
        ) from error
    click.echo(f"Indexed {count} complaints.")


def _ids(model, slugs: tuple[str, ...], what: str) -> tuple[int, ...]:
    """The ids of the rows with these slugs; a slug that names nothing is an error."""
    if not slugs:
        return ()
    found = dict(session.execute(select(model.slug, model.id).where(model.slug.in_(slugs))).all())
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise click.BadParameter(f"no {what} {', '.join(missing)}")
    return tuple(found[slug] for slug in slugs)


def _payload(result: SearchResult) -> dict:
    return {
        "total": result.total,
        "results": [
            {
                "id": hit.id,
                "reference": hit.reference,
                "external_ref": hit.external_ref,
                "score": hit.score,
                "snippet": str(hit.snippet),
                "partial": hit.partial,
            }
            for hit in result.hits
        ],
    }


@search_command.command("query")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: total and results.")
@click.option(
    "--limit",
    type=click.IntRange(1, MAX_PER_PAGE),
    default=10,
    show_default=True,
    help="Most results to print.",
)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--region", "regions", multiple=True, metavar="SLUG", help="Only this region.")
@click.option("--facility", "facilities", multiple=True, metavar="SLUG")
@click.option(
    "--category", "categories", multiple=True, type=click.Choice([c.value for c in Category])
)
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in Status]))
@click.option("--language", "languages", multiple=True, type=click.Choice(["kk", "ru", "en"]))
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
def query_command(
    text: str,
    as_json: bool,
    limit: int,
    page: int,
    regions: tuple[str, ...],
    facilities: tuple[str, ...],
    categories: tuple[str, ...],
    statuses: tuple[str, ...],
    languages: tuple[str, ...],
    sort: str,
) -> None:
    """Search the complaints' index for TEXT (the reviewers' query language)."""
    filters = Filters(
        regions=_ids(Region, regions, "region"),
        facilities=_ids(Facility, facilities, "facility"),
        categories=categories,
        statuses=statuses,
        languages=languages,
    )
    result = search(text, filters=filters, sort=sort, page=page, per_page=limit)
    if as_json:
        payload = _payload(result)
        if result.error:
            payload["error"] = result.error
        click.echo(json.dumps(payload, ensure_ascii=False))
    else:
        click.echo(
            f"{result.total} complaints" + (f", {result.partial} partial" if result.partial else "")
        )
        for rank, hit in enumerate(result.hits, start=(page - 1) * limit + 1):
            ref = f" ({hit.external_ref})" if hit.external_ref else ""
            mark = " partial" if hit.partial else ""
            click.echo(f"{rank:>3}. {hit.reference}{ref} id={hit.id} score={hit.score}{mark}")
            click.echo(f"     {hit.snippet.striptags()}")
    if result.error:
        click.echo(QUERY_ERRORS.get(result.error, result.error), err=True)
        raise SystemExit(1)
