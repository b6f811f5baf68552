"""Configuration: zero set-up in development, refusal to start unsafely in production."""

from __future__ import annotations

import stat

import pytest

from portal import config, create_app

#: Everything production needs, besides what a test leaves out on purpose.
PRODUCTION = {
    "PORTAL_ENV": "production",
    "PORTAL_SECRET_KEY": "s" * 40,
    "PORTAL_CONTACT_KEY": "c" * 40,
    "PORTAL_BASE_URL": "https://ashyq.example.kz",
    "PORTAL_FEED_TAG_AUTHORITY": "ashyq.example.kz",
}


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
    "missing",
    [
        ["PORTAL_SECRET_KEY", "PORTAL_CONTACT_KEY"],
        ["PORTAL_CONTACT_KEY"],
        ["PORTAL_SECRET_KEY"],
        ["PORTAL_BASE_URL"],
        ["PORTAL_FEED_TAG_AUTHORITY"],
        ["PORTAL_SECRET_KEY", "PORTAL_BASE_URL", "PORTAL_FEED_TAG_AUTHORITY"],
    ],
)
def test_production_refuses_to_start_without_secrets_and_names_them(tmp_path, missing):
    environ = {**PRODUCTION, "PORTAL_INSTANCE_PATH": str(tmp_path)}
    for name in missing:
        del environ[name]
    with pytest.raises(config.ConfigurationError) as error:
        config.load(environ)
    for name in missing:
        assert name in str(error.value)
    present = set(PRODUCTION) - set(missing) - {"PORTAL_ENV"}
    assert not any(name in str(error.value) for name in present)
    assert not (tmp_path / "dev-secrets.json").exists()


def test_production_hardens_cookies(tmp_path):
    settings = config.load({**PRODUCTION, "PORTAL_INSTANCE_PATH": str(tmp_path)})
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_NAME"].startswith("__Host-")


def test_create_app_refuses_production_without_secrets(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("PORTAL_SECRET_KEY")
    with pytest.raises(config.ConfigurationError, match="PORTAL_SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})


# --- the public address ----------------------------------------------------------------------


def test_development_is_published_on_the_local_address(tmp_path):
    settings = config.load({"PORTAL_INSTANCE_PATH": str(tmp_path)})
    assert settings["BASE_URL"] == "http://127.0.0.1:5000"
    assert settings["FEED_TAG_AUTHORITY"] == "127.0.0.1"
    assert set(settings["ALLOWED_HOSTS"]) == {"127.0.0.1", "localhost", "::1"}


def test_production_takes_its_address_from_the_environment(tmp_path):
    settings = config.load(
        {
            **PRODUCTION,
            "PORTAL_INSTANCE_PATH": str(tmp_path),
            "PORTAL_BASE_URL": "HTTPS://Ashyq.Example.KZ/",
        }
    )
    assert settings["BASE_URL"] == "https://ashyq.example.kz"
    assert settings["FEED_TAG_AUTHORITY"] == "ashyq.example.kz"
    assert settings["ALLOWED_HOSTS"] == ["ashyq.example.kz"]  # no localhost in production
    listed = config.load(
        {
            **PRODUCTION,
            "PORTAL_INSTANCE_PATH": str(tmp_path),
            "PORTAL_ALLOWED_HOSTS": " WWW.ashyq.example.kz , ,ashyq.example.kz",
        }
    )
    assert listed["ALLOWED_HOSTS"] == ["www.ashyq.example.kz", "ashyq.example.kz"]


@pytest.mark.parametrize(
    "value",
    [
        "ashyq.example.kz",
        "ftp://ashyq.example.kz",
        "https://",
        "https://ashyq.example.kz/portal",
        "https://ashyq.example.kz?x=1",
        "https://ashyq.example.kz#top",
        "https://user@ashyq.example.kz",
        "https://ashyq.example.kz:0",
        "https://ashyq.example.kz:99999",
        "https://ashyq..kz",
        "https://ashyq example.kz",
    ],
)
def test_a_base_url_that_is_not_an_origin_is_refused_clearly(tmp_path, value):
    environ = {"PORTAL_INSTANCE_PATH": str(tmp_path), "PORTAL_BASE_URL": value}
    with pytest.raises(config.ConfigurationError, match="PORTAL_BASE_URL must be an origin"):
        config.load(environ)


@pytest.mark.parametrize("value", ["tag:ashyq.example.kz", "ashyq.example.kz/feed", "a..kz"])
def test_a_feed_tag_authority_must_be_a_domain_name(tmp_path, value):
    environ = {"PORTAL_INSTANCE_PATH": str(tmp_path), "PORTAL_FEED_TAG_AUTHORITY": value}
    with pytest.raises(config.ConfigurationError, match="PORTAL_FEED_TAG_AUTHORITY"):
        config.load(environ)


def test_create_app_refuses_production_without_its_address(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("PORTAL_BASE_URL", raising=False)
    with pytest.raises(config.ConfigurationError, match="PORTAL_BASE_URL"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
