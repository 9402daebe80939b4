"""Calling a service as the edges do: in one transaction of the store, committed when it returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from bot.store.db import Store

T = TypeVar("T")


def committed(store: Store, service: Callable[..., T], /, **kwargs: Any) -> T:
    """Run `service(session=..., **kwargs)` in its own transaction and return what it returned."""
    with store.session() as session:
        return service(session=session, **kwargs)
