"""Configuration: zero set-up in development, refusal to start unsafely in production."""

from __future__ import annotations

import stat

import pytest

from portal import config, create_app


def test_development_generates_secrets_once_and_keeps_them(tmp_path):
    environ = {"PORTAL_INSTANCE_PATH": str(tmp_path)}
    first = config.load(environ)
    second = config.load(environ)
    assert first["SECRET_KEY"] and first["CONTACT_KEY"]
    assert first["SECRET_KEY"] != first["CONTACT_KEY"]
    assert (first["SECRET_KEY"], first["CONTACT_KEY"]) == (
        second["SECRET_KEY"],
        second["CONTACT_KEY"],
    )
    mode = stat.S_IMODE((tmp_path / "dev-secrets.json").stat().st_mode)
    assert mode == 0o600


def test_defaults_live_in_the_instance_folder(tmp_path):
    settings = config.load({"PORTAL_INSTANCE_PATH": str(tmp_path)})
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    assert settings["INDEX_DIR"] == str(tmp_path / "index")
    assert settings["RATELIMIT_ENABLED"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_environment_overrides_defaults(tmp_path):
    settings = config.load(
        {
            "PORTAL_INSTANCE_PATH": str(tmp_path),
            "PORTAL_DATABASE_URL": "postgresql+psycopg://portal@db/portal",
            "PORTAL_INDEX_DIR": "/srv/index",
            "PORTAL_RATELIMIT_ENABLED": "false",
            "PORTAL_RETENTION_DAYS": "365",
            "PORTAL_SECRET_KEY": "s" * 40,
            "PORTAL_CONTACT_KEY": "c" * 40,
        }
    )
    assert settings["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert settings["INDEX_DIR"] == "/srv/index"
    assert settings["RATELIMIT_ENABLED"] is False
    assert settings["RETENTION_DAYS"] == 365
    assert settings["SECRET_KEY"] == "s" * 40
    assert not (tmp_path / "dev-secrets.json").exists()


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({}, ["PORTAL_SECRET_KEY", "PORTAL_CONTACT_KEY"]),
        ({"PORTAL_SECRET_KEY": "x" * 40}, ["PORTAL_CONTACT_KEY"]),
        ({"PORTAL_CONTACT_KEY": "x" * 40}, ["PORTAL_SECRET_KEY"]),
    ],
)
def test_production_refuses_to_start_without_secrets_and_names_them(tmp_path, given, missing):
    environ = {"PORTAL_ENV": "production", "PORTAL_INSTANCE_PATH": str(tmp_path), **given}
    with pytest.raises(config.ConfigurationError) as error:
        config.load(environ)
    for name in missing:
        assert name in str(error.value)
    assert not (tmp_path / "dev-secrets.json").exists()


def test_production_hardens_cookies(tmp_path):
    settings = config.load(
        {
            "PORTAL_ENV": "production",
            "PORTAL_INSTANCE_PATH": str(tmp_path),
            "PORTAL_SECRET_KEY": "s" * 40,
            "PORTAL_CONTACT_KEY": "c" * 40,
        }
    )
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_NAME"].startswith("__Host-")


def test_create_app_refuses_production_without_secrets(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("PORTAL_SECRET_KEY")
    with pytest.raises(config.ConfigurationError, match="PORTAL_SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
