"""Typed settings from ``ADVOCACY_*`` environment variables, read when asked for, not at import."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///advocacy.sqlite"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class Settings(BaseSettings):
    """Settings of one Advocacy installation.

    ``database_url`` is a SQLAlchemy URL (``ADVOCACY_DATABASE_URL``); the default is a SQLite file
    in the working directory. ``base_url`` is the public address links sent to customers are built
    on (``ADVOCACY_BASE_URL``).
    """

    model_config = SettingsConfigDict(env_prefix="ADVOCACY_", extra="ignore")

    database_url: str = Field(default=DEFAULT_DATABASE_URL)
    base_url: str = Field(default=DEFAULT_BASE_URL)


def load_settings(**overrides: str | None) -> Settings:
    """Settings from the environment, with the non-``None`` overrides (e.g. ``--db``) on top."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**given)
