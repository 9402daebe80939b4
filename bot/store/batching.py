"""How big the batches of an import are: the numbers that trade memory against round trips.

Chosen with benchmarks/bench_import.py at 100,000 activities on SQLite and PostgreSQL: above
these sizes the time no longer drops, below them it rises; peak memory grows with ACTIVITY_BATCH.
"""

from __future__ import annotations

# Ids per `IN (...)` list: keeps statements under SQLite's (32,766) and psycopg's (65,535)
# parameter limits with room to spare.
IN_LIST = 5000

# Activities compared and written per step of an import. Each step holds this many activities of
# the store, their assignment rows and audit rows: ~1 MB per 1,000 activities.
ACTIVITY_BATCH = 2000

# Rows handed to the driver per executemany / COPY write: bounds the tuples held at once.
ROW_BATCH = 10000

# COPY batches (of ROW_BATCH rows) waiting for PostgreSQL's background COPY worker (copy_worker.py):
# enough to keep the server busy while the next batch is built, few enough to bound the rows held.
QUEUED_COPIES = 4
