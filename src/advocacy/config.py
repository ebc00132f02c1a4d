"""Typed settings from ``ADVOCACY_*`` environment variables, read when asked for, not at import."""

from __future__ import annotations

from typing import Any, Literal, cast
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///advocacy.sqlite"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEFAULT_LANGUAGES = "en,es,ru,ro"


class Settings(BaseSettings):
    """Settings of one Advocacy installation.

    ``database_url`` is a SQLAlchemy URL (``ADVOCACY_DATABASE_URL``); the default is a SQLite file
    in the working directory. ``base_url`` is the public address links sent to customers are built
    on (``ADVOCACY_BASE_URL``). Text analysis: ``text_mode`` (``ADVOCACY_TEXT_MODE``, ``fast`` or
    ``accurate``) is the model that scores items as they land, ``languages``
    (``ADVOCACY_LANGUAGES``, ISO 639-1 codes separated by commas) the languages told apart,
    ``themes_file`` (``ADVOCACY_THEMES_FILE``) a company's own theme taxonomy (JSON),
    ``sentiment_model_dir`` (``ADVOCACY_SENTIMENT_MODEL_DIR``) a folder holding a fine-tuned
    Hugging Face sequence classifier that the accurate mode then uses for items' sentiment, with
    ``sentiment_model_labels`` (``ADVOCACY_SENTIMENT_MODEL_LABELS``, e.g.
    ``LABEL_0=negative,LABEL_1=positive``) for labels whose names don't say their sentiment.
    Web app: a session ends after ``session_idle_minutes`` without a request
    (``ADVOCACY_SESSION_IDLE_MINUTES``, default 120) and ``session_hours`` after log-in at the
    latest (``ADVOCACY_SESSION_HOURS``, 12); the dashboard's numbers are reused for
    ``dashboard_cache_seconds`` (``ADVOCACY_DASHBOARD_CACHE_SECONDS``, 30; 0 recomputes on every
    request). Cookies are marked ``Secure`` when a request came over HTTPS;
    ``ADVOCACY_SECURE_COOKIES=true`` forces it (behind a proxy that ends TLS), ``false`` never.
    Cases: ``case_escalation_email`` (``ADVOCACY_CASE_ESCALATION_EMAIL``) is told of every
    escalation by e-mail, besides the case's owner (``docs/notifications.md``).
    Referrals: ``referral_landing_url`` (``ADVOCACY_REFERRAL_LANDING_URL``, an http(s) address;
    default the base URL) is the company's sign-up or shop page that advocates' referral links
    lead to, with ``ref=CODE`` added (``docs/referrals.md``).
    """

    model_config = SettingsConfigDict(env_prefix="ADVOCACY_", extra="ignore")

    database_url: str = Field(default=DEFAULT_DATABASE_URL)
    base_url: str = Field(default=DEFAULT_BASE_URL)
    text_mode: Literal["accurate", "fast"] = Field(default="fast")
    languages: str = Field(default=DEFAULT_LANGUAGES)
    themes_file: str | None = Field(default=None)
    sentiment_model_dir: str | None = Field(default=None)
    sentiment_model_labels: str | None = Field(default=None)
    session_idle_minutes: int = Field(default=120, ge=1, le=7 * 24 * 60)
    session_hours: int = Field(default=12, ge=1, le=24 * 90)
    dashboard_cache_seconds: float = Field(default=30.0, ge=0, le=24 * 3600)
    secure_cookies: bool | None = Field(default=None)
    secret_key: str | None = Field(default=None, min_length=32)
    smtp_host: str | None = Field(default=None)
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["starttls", "tls", "none"] = Field(default="starttls")
    smtp_username: str | None = Field(default=None)
    smtp_password: str | None = Field(default=None)
    smtp_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    mail_from: str = Field(default="Advocacy <surveys@localhost>")
    survey_consent: Literal["assumed", "required"] = Field(default="assumed")
    worker: Literal["in-process", "external"] = Field(default="in-process")
    worker_interval_seconds: float = Field(default=5.0, gt=0, le=3600)
    case_escalation_email: str | None = Field(default=None, max_length=320)
    referral_landing_url: str | None = Field(default=None, max_length=2000)

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, value: str) -> str:
        codes = [code.strip().lower() for code in value.split(",") if code.strip()]
        if not codes or not all(code.isalpha() and 2 <= len(code) <= 3 for code in codes):
            raise ValueError("languages are ISO 639-1 codes separated by commas, e.g. en,es,ru")
        return ",".join(codes)

    @field_validator("case_escalation_email")
    @classmethod
    def _one_address(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        local, at, domain = value.rpartition("@")
        if not (at and local and domain) or not value.isprintable() or " " in value:
            raise ValueError("one e-mail address, such as escalations@example.com")
        return value

    @field_validator("referral_landing_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        parts = urlsplit(value)
        if (
            parts.scheme.lower() not in ("http", "https")
            or not parts.hostname
            or not value.isprintable()
            or any(char.isspace() for char in value)
        ):
            raise ValueError("an http(s) address, such as https://shop.example.com/signup")
        return value

    @property
    def referral_landing(self) -> str:
        """Where referral links lead: ``referral_landing_url``, else the base URL."""
        return self.referral_landing_url or self.base_url

    @property
    def language_codes(self) -> tuple[str, ...]:
        """The configured languages as a tuple of codes."""
        return tuple(self.languages.split(","))


def load_settings(**overrides: str | None) -> Settings:
    """Settings from the environment, with the non-``None`` overrides (e.g. ``--db``) on top."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**cast(dict[str, Any], given))
