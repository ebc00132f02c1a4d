"""The web app of Advocacy (FastAPI): pages for people and the ``/api/v1`` JSON API."""

from __future__ import annotations

from fastapi import FastAPI


def app_from_environment() -> FastAPI:
    """The app on the settings of the environment (``ADVOCACY_*``): uvicorn's factory."""
    from advocacy.web.app import create_app

    return create_app()


__all__ = ["app_from_environment"]
