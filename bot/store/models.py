"""SQLAlchemy 2 models of the ownership store. The schema itself comes only from Alembic migrations.

`position` columns keep the order of the source file, so an export reads like the file it came from.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names keep migrations portable between SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}
    if TYPE_CHECKING:
        # every model here maps a Table (SQLAlchemy types it as any FromClause): bulk writes need a Table
        __table__: ClassVar[Table]


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    slack_id: Mapped[str | None] = mapped_column(String(32), index=True)
    # "lookup" when the bot found slack_id by email: kept by imports whose file gives none for that email
    slack_id_source: Mapped[str | None] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(320))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Role(Base):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    slack_usergroup: Mapped[str | None] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)


class RoleMember(Base):
    """An org-wide holder of a role."""

    __tablename__ = "role_members"

    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)


class TeamRole(Base):
    """A role a team staffs itself; its members replace the role's org-wide members in that team."""

    __tablename__ = "team_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("uq_team_roles_team_role", "team_id", "role_id", unique=True),)


class TeamRoleMember(Base):
    __tablename__ = "team_role_members"

    team_role_id: Mapped[int] = mapped_column(
        ForeignKey("team_roles.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class Activity(Base):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # casefolded, whitespace-collapsed name: activity names are unique ignoring case
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    ack_timeout: Mapped[str | None] = mapped_column(String(32))
    repeats: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Assignment(Base):
    """One R/A/C/I entry of an activity: a role, or a person assigned directly."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    letter: Mapped[str] = mapped_column(String(1))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        CheckConstraint("letter IN ('R', 'A', 'C', 'I')", name="letter"),
        CheckConstraint("(role_id IS NULL) <> (person_id IS NULL)", name="role_xor_person"),
    )


class Synonym(Base):
    """A group of words the matcher treats as the same."""

    __tablename__ = "synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[list[str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)


class OrgSetting(Base):
    """Organisation settings from the file's `settings:` section, one row per group."""

    __tablename__ = "org_settings"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class AuditEvent(Base):
    """One change to ownership: who, when, from where, what."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(50))  # import, slack_id_learned, ...
    subject_type: Mapped[str] = mapped_column(String(20))  # activity, role, person, team, ...
    subject: Mapped[str] = mapped_column(String(300))
    change: Mapped[str] = mapped_column(String(20))  # added, changed, removed
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_audit_log_subject", "subject_type", "subject"),
        # the matrix revision is max(id) over matrix actions: answered from this index alone
        Index("ix_audit_log_action_id", "action", "id"),
    )


class SlackEvent(Base):
    """A Slack event already handled: its id is the key, so a retry or a second replica sees it once."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
