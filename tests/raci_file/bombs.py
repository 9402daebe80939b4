"""Hostile RACI files shared by the tests and benchmarks/bench_yaml_aliases.py."""

from __future__ import annotations


def alias_bomb(items: int, activities: int | None = None, *, size: int | None = None) -> str:
    """A file whose activities all alias one `items`-long list; `size` (bytes) sets how many activities."""
    roles = ", ".join(f"r{index:05d}" for index in range(items))
    head = f"activities:\n  - name: a0\n    raci: {{R: &big [{roles}], A: [x]}}\n"
    line = "  - {{name: a{index:06d}, raci: {{R: *big, A: [x]}}}}\n"
    count = activities if activities is not None else ((size or 0) - len(head)) // len(line.format(index=0))
    return head + "".join(line.format(index=index) for index in range(1, count + 1))
