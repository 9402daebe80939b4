"""The store: SQLAlchemy models, repositories and migrations runner.

Every model module is imported here so that `Base.metadata` (Alembic's target) is complete
whichever module a caller imports first.
"""

from bot.store import (  # noqa: F401
    change_models,
    digest_models,
    escalation_models,
    learning_models,
    models,
    outbox_models,
    people_models,
)
