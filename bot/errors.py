"""Typed errors with messages a user can act on; the edges (CLI, Slack) render them once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.raci_file.findings import Finding


class RaciError(Exception):
    """A user mistake or an environment problem, explained in one line."""


class InvalidRaciFile(RaciError):
    """A RACI file has errors; nothing was changed."""

    def __init__(self, source: str, findings: Sequence[Finding]) -> None:
        self.source = source
        self.findings = list(findings)
        n = len(self.findings)
        super().__init__(f"{source}: {n} error{'s' if n != 1 else ''}, nothing was changed")


class UnknownTeam(RaciError):
    """A team key that the matrix does not define."""


class UnknownPerson(RaciError):
    """A handle or Slack ID that the matrix does not know."""


class UnknownRole(RaciError):
    """A role key, name or alias that the matrix does not define."""


class StoreUnavailable(RaciError):
    """The database cannot be reached or opened."""


class ConfigError(RaciError):
    """A setting in the environment is missing or invalid."""
