"""A synthetic matrix of any size, for the page's scale test and benchmark (hostile names included)."""

from __future__ import annotations

import random

from bot.ownership.index import Ownership
from bot.raci_file.model import Activity, Person, RaciDocument, Role, Team


def big_ownership(activities: int = 2000, roles: int = 40, *, seed: int = 15) -> Ownership:
    """`activities` x `roles`, every activity with one R and one A, some C and I; two teams; a vacant role."""
    rng = random.Random(seed)
    people = [Person(handle=f"p{i}", name=f"Person {i} <b>&amp;", slack_id=f"U{i:08d}") for i in range(roles * 2)]
    role_list = [Role(key=f"r{j}", name=f"Role {j} </script><i>x</i>",
                      members=[] if j == roles - 1 else [f"p{2 * j}", f"p{2 * j + 1}"]) for j in range(roles)]
    teams = [Team(key="alpha", name="Alpha team", members={"r0": ["p5"], "r1": []}),
             Team(key="beta", name="Beta team", members={"r2": ["p7"]})]
    rows = []
    for i in range(activities):
        picks = rng.sample(range(roles), 6)
        raci = {"R": [f"r{picks[0]}"], "A": [f"r{picks[1]}"], "C": [f"r{picks[2]}", f"r{picks[3]}"],
                "I": [f"r{picks[4]}", f"r{picks[5]}"]}
        rows.append(Activity(name=f"Activity {i:04d} {rng.choice(['deploy', 'train', 'audit', 'serve'])}", raci=raci))
    return Ownership(RaciDocument(people=people, roles=role_list, teams=teams, activities=rows), revision=42)
