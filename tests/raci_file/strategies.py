"""Hypothesis strategies for RACI documents whose names are hostile but valid: formulas, quotes, commas."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.raci_file.model import LETTERS, Activity, Person, RaciDocument, Role, Team, name_key

# Formula starts, quotes, CSV and YAML punctuation, and some non-ASCII: what breaks writers.
_NAME_CHARS = st.sampled_from(list("abcXYZ019 =+-@'\",;&/()!?#:*<>%|[]{}`~éß中\u00a0"))
NAMES = st.text(_NAME_CHARS, min_size=1, max_size=24).map(lambda text: " ".join(text.split())).filter(bool)
KEYS = st.text(st.sampled_from(list("abz09._-")), min_size=1, max_size=12)
DESCRIPTIONS = st.none() | st.text(st.sampled_from(list("ab =\n\t'\"#:")), max_size=20)


@st.composite
def documents(draw: st.DrawFn) -> RaciDocument:
    """A valid document: unique handles, keys and activity names; every reference defined."""
    handles = draw(st.lists(KEYS, max_size=4, unique=True))
    people = [Person(handle, draw(NAMES)) for handle in handles]
    keys = draw(st.lists(KEYS, min_size=1, max_size=5, unique=True))
    roles = [
        Role(key, draw(NAMES), description=draw(DESCRIPTIONS),
             members=draw(st.lists(st.sampled_from(handles), unique=True)) if handles else [])
        for key in keys
    ]
    refs = keys + [f"@{handle}" for handle in handles]
    teams = []
    if handles and draw(st.booleans()):
        teams.append(Team("team", draw(NAMES), members={keys[0]: [handles[0]]}))
    names = draw(st.lists(NAMES, max_size=8, unique_by=name_key))
    activities = [Activity(name, description=draw(DESCRIPTIONS), raci=draw(_raci(refs))) for name in names]
    return RaciDocument(people=people, roles=roles, teams=teams, activities=activities)


@st.composite
def _raci(draw: st.DrawFn, refs: list[str]) -> dict[str, list[str]]:
    raci = {}
    for letter in LETTERS:
        chosen = draw(st.lists(st.sampled_from(refs), max_size=3, unique=True))
        if chosen:
            raci[letter] = chosen
    return raci
