"""Ownership health over time: counts kept on each digest run, read back for the summary's trend chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.digest.model import OrgSummary
from bot.matrix_view.limits import TREND_MIN_RUNS, TREND_WEEKS
from bot.store.digest_models import DigestRun


@dataclass(frozen=True)
class HealthPoint:
    """One digest run's ownership-health counts."""

    week: date
    gaps: int  # activities with an ownership gap
    vacant_roles: int
    departed_holders: int  # people gone from Slack who still hold something
    unconfirmed: int | None = None  # ownership nobody confirmed; None while the matrix does not track it


def health_counts(summary: OrgSummary) -> dict[str, int]:
    """What a run stores: the summary's findings counted (an activity with two gaps counts once)."""
    return {"gaps": len({gap.activity for gap in summary.gaps}), "vacant_roles": len(summary.vacancies),
            "departed_holders": len(summary.gone)}


def health_history(*, session: Session, period: str, weeks: int = TREND_WEEKS) -> list[HealthPoint]:
    """The counts of the last `weeks` runs up to and including `period`, oldest first; runs without counts skipped."""
    rows = session.execute(select(DigestRun.fires_at, DigestRun.health)
                           .where(DigestRun.period <= period, DigestRun.health.is_not(None))
                           .order_by(DigestRun.period.desc()).limit(weeks)).all()
    points = [HealthPoint(week=fires_at.date(), gaps=int(health.get("gaps", 0)),
                          vacant_roles=int(health.get("vacant_roles", 0)),
                          departed_holders=int(health.get("departed_holders", 0)),
                          unconfirmed=health.get("unconfirmed"))
              for fires_at, health in rows if isinstance(health, dict)]
    return points[::-1]


def trend_chart(points: list[HealthPoint]) -> bytes | None:
    """The summary's chart PNG of `health_history`'s points, or None with fewer than two weeks of history."""
    if len(points) < TREND_MIN_RUNS:
        return None
    from bot.matrix_view.png import trend_png  # matplotlib only when there is a chart to draw

    return trend_png(points)
