"""Ashyq Baqylau: the public portal on video coverage in custody and complaints about it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from portal.config import PROJECT_ROOT


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: config → database → languages → security → pages → errors → commands.

    ``overrides`` replaces configuration values after they are read from the
    environment; tests use it to point at their own database and folders.
    """
    from portal import (
        caching,
        cli,
        config,
        db,
        errors,
        i18n,
        instance,
        search,
        security,
    )
    from portal.public import bp as public_bp
    from portal.site import bp as site_bp
    from portal.stats.dataset import is_demo_dataset

    instance.restrict_new_files()  # before anything is written, secrets included
    settings = config.load()
    settings.update(overrides or {})
    app = Flask(
        __name__,
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(settings)
    instance.init_app(app)

    db.init_app(app)
    search.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    caching.init_app(app)
    from portal import complaints, files, privacy

    privacy.init_app(app)
    complaints.init_app(app)
    files.init_app(app)
    app.register_blueprint(site_bp)
    app.register_blueprint(public_bp)
    from portal.api import bp as api_bp
    from portal.opendata import bp as opendata_bp
    from portal.opendata import export_open_data_command

    app.register_blueprint(opendata_bp)
    app.register_blueprint(api_bp)
    app.cli.add_command(export_open_data_command)
    errors.init_app(app)
    cli.init_app(app)

    from portal.labels import label

    app.jinja_env.globals.update(label=label, is_demo_dataset=is_demo_dataset)
    return app
