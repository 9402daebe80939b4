"""Prometheus metrics: counters updated where things happen, gauges read from the database at scrape time.

State that must agree across replicas (escalations, ticker lag, digest deliveries) is read from
the store when Prometheus scrapes, never counted in one process's memory.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.digest.job import delivery_counts
from bot.escalations.engine import counts_by_status_and_level, oldest_due
from bot.store.db import Store

log = logging.getLogger(__name__)

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)

REQUESTS = Counter("raci_requests", "Slack requests by surface (command, mention, dm, action, home) and outcome",
                   ["surface", "outcome"], registry=REGISTRY)
ACK_LATENCY = Histogram("raci_ack_latency_seconds", "Time from a Slack request's arrival to its HTTP answer",
                        ["surface"], registry=REGISTRY,
                        buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 3.0, 5.0))
MATCHES = Counter("raci_match_outcomes", "Answers by matcher outcome (match, ambiguous, none)", ["status"],
                  registry=REGISTRY)
SLACK_CALLS = Counter("raci_slack_api_calls", "Slack Web API calls by method and error ('' when ok)",
                      ["method", "error"], registry=REGISTRY)
SLACK_RATE_LIMITED = Counter("raci_slack_api_rate_limited", "Slack Web API answers of 429, by method",
                             ["method"], registry=REGISTRY)


class StoreCollector(Collector):
    """Gauges read from the store at scrape time: escalations, ticker lag, digest deliveries, pool use."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        yield self._pool()
        try:
            with self.store.session() as session:
                yield from self._escalations(session)
                yield self._lag(session)
                yield from self._digests(session)
        except SQLAlchemyError as exc:  # a scrape must not fail because the database blinked
            log.warning("metrics: cannot read the store: %s", type(exc).__name__)

    def _pool(self) -> Metric:
        gauge = GaugeMetricFamily("raci_db_pool_in_use", "Database connections checked out of the pool")
        checkedout = getattr(self.store.engine.pool, "checkedout", None)
        gauge.add_metric([], float(checkedout()) if callable(checkedout) else 0.0)
        return gauge

    def _escalations(self, session: Session) -> Iterator[Metric]:
        gauge = GaugeMetricFamily("raci_escalations", "Escalations by status and level", labels=["status", "level"])
        for (status, level), count in sorted(counts_by_status_and_level(session).items()):
            gauge.add_metric([status, str(level)], count)
        yield gauge

    def _lag(self, session: Session) -> Metric:
        """Age of the oldest step or message that is due and not done: 0 when the ticker keeps up."""
        now = datetime.now(UTC)
        oldest = oldest_due(session, now=now)
        gauge = GaugeMetricFamily("raci_ticker_lag_seconds", "Age of the oldest due escalation step or message")
        gauge.add_metric([], (now - oldest).total_seconds() if oldest else 0.0)
        return gauge

    def _digests(self, session: Session) -> Iterator[Metric]:
        gauge = GaugeMetricFamily("raci_digest_deliveries", "Digest deliveries by state", labels=["state"])
        for state, count in sorted(delivery_counts(session).items()):
            gauge.add_metric([state], count)
        yield gauge


def register_store(store: Store) -> None:
    """Add the store's gauges to the registry (once per process)."""
    REGISTRY.register(StoreCollector(store))


def exposition() -> bytes:
    """The metrics in Prometheus' text format."""
    return generate_latest(REGISTRY)
