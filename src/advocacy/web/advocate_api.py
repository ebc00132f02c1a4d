"""Brand advocates in the JSON API, for those who may see customers (``customers.view``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from advocacy.access import Permission
from advocacy.services import advocates
from advocacy.web.security import Principal, now_of, require

api = APIRouter(prefix="/api/v1", tags=["api"])

Reader = Annotated[Principal, Depends(require(Permission.CUSTOMERS_VIEW))]


@api.get("/advocates", summary="Brand advocates, highest score first, with their evidence")
def list_advocates(
    request: Request,
    _principal: Reader,
    status: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
) -> dict[str, Any]:
    found = advocates.find_advocates(
        request.app.state.engine, now=now_of(request), status=status, limit=limit
    )
    return {"advocates": found}
