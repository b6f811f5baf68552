"""Demo data: ``flask --app wsgi demo-data`` fills an empty portal with a realistic, labelled set.

Facilities of all five types in the 20 regions, three years of quarterly
coverage figures (plus a few independent checks), and complaints in Russian
and Kazakh. Everything is generated from a seed, marked ``is_demo`` and
announced by the ``demo_data`` dataset fact, so the portal shows a banner.
The work is split into :mod:`~portal.demo.facilities`,
:mod:`~portal.demo.coverage`, :mod:`~portal.demo.complaints` and
:mod:`~portal.demo.narratives`; :func:`generate` ties them together.
"""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal.db import session
from portal.demo.generator import DemoDataExists, generate, has_demo_data
from portal.models import Facility

__all__ = ["DemoDataExists", "demo_data_command", "generate", "has_demo_data"]


@click.command("demo-data")
@click.option(
    "--facilities",
    default=300,
    show_default=True,
    type=click.IntRange(0),
    help="How many facilities to generate.",
)
@click.option(
    "--complaints",
    default=5000,
    show_default=True,
    type=click.IntRange(0),
    help="How many complaints to generate.",
)
@click.option(
    "--seed",
    default=2026,
    show_default=True,
    type=int,
    help="Seed: the same seed and sizes give the same data.",
)
@click.option(
    "--if-empty", is_flag=True, help="Do nothing when the database already has facilities."
)
@with_appcontext
def demo_data_command(facilities: int, complaints: int, seed: int, if_empty: bool) -> None:
    """Fill the database with generated, clearly labelled demo data."""
    if if_empty and session.scalar(select(Facility.id).limit(1)) is not None:
        click.echo("The database already has facilities; no demo data generated.")
        return
    started = time.perf_counter()
    try:
        counts = generate(session, facilities=facilities, complaints=complaints, seed=seed)
    except DemoDataExists as error:
        session.rollback()
        raise click.ClickException(
            "The database already holds demo data. Start from an empty database "
            "(remove it and run init-db) to generate another set."
        ) from error
    session.commit()
    seconds = time.perf_counter() - started
    click.echo(
        f"Demo data (seed {seed}): {counts['facilities']} facilities, "
        f"{counts['aliases']} aliases, {counts['snapshots']} coverage snapshots, "
        f"{counts['zones']} zone rows, {counts['complaints']} complaints "
        f"in {seconds:.1f} s."
    )
