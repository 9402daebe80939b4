"""A YAML loader whose mappings and sequences remember the 1-based line of each item."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Mapping
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.error import Mark
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from bot.raci_file.limits import ALIAS_EXPANSION_FACTOR, ALIAS_EXPANSION_FLOOR

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_AS_TEXT = frozenset({_STR, _MERGE, "tag:yaml.org,2002:value"})  # "<<" is read as text, then merged
_NO_DUPLICATES: tuple[tuple[Any, int, int], ...] = ()
_MOST_COUNTED = 2**62  # running totals are stored as 64-bit integers; anything near this is refused anyway
_REMEMBERED_TEXTS, _REMEMBERED_CHARS = 1000, 32  # keys and short repeated values, not every name of a file
_BUILDING = -1  # the expanded size of an anchored node whose end the parser has not reached yet


class LineDict(dict[Any, Any]):
    """A YAML mapping that knows its line, each key's line and the duplicate keys it dropped."""

    __slots__ = ("line", "key_lines", "duplicates")
    line: int
    key_lines: dict[Any, int]
    duplicates: Any  # sequence of (key, line, first line); the first value is kept


class LineList(list[Any]):
    """A YAML sequence that knows its line and the line of each item."""

    __slots__ = ("line", "item_lines")
    line: int
    item_lines: list[int]


def _limit(nodes: int) -> int:
    """The most nodes a file of `nodes` nodes may expand to through aliases (limits.py says why)."""
    return max(ALIAS_EXPANSION_FACTOR * nodes, ALIAS_EXPANSION_FLOOR)


class ReadList(LineList):
    """A top-level section whose items were handed to an item reader as they were parsed.

    Holds what the reader returned for each item (None where it rejected one), so the tree of a
    100,000-activity file is never whole in memory.
    """

    __slots__ = ()


ItemReader = Callable[[Any, int, int], Any]  # (item, 1-based index, line) -> what to keep


def _line(event: Event) -> int:
    """The 1-based line an event starts on (the parser sets every event's start mark)."""
    mark = event.start_mark
    assert mark is not None
    return mark.line + 1


def _error(message: str, event: Event) -> ConstructorError:
    """A ConstructorError pointing at where `event` starts."""
    # libyaml's C Mark has the same fields as yaml.error.Mark; the stubs accept only the latter.
    return ConstructorError(None, None, message, event.start_mark)  # type: ignore[arg-type]


class LineLoader(_BaseLoader):  # type: ignore[misc]  # the base is picked at import: libyaml's when present
    """A safe loader (libyaml when present) that builds LineDict/LineList straight from parser events.

    Skipping node composition and the generic constructor keeps the per-item Python work small,
    which is what makes a 100,000-activity file load in seconds.
    """

    item_readers: Mapping[str, ItemReader] = {}  # top-level section -> reader of each of its items

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        # A node takes at least one character, so no file has more nodes than characters: an
        # expansion past the limit for that many is refused at once, without parsing the rest.
        self._most_nodes = len(stream) if isinstance(stream, str | bytes) else None
        # plain scalars the resolver found to be text ("name", "True story"): a key repeats in every item
        self._texts: set[str] = set()

    def get_single_data(self) -> Any:
        self._anchors: dict[str, Any] = {}
        # Counted per collection, not per event, to keep big files fast: nodes written in the
        # file (an alias is one), and the nodes aliases add once each is replaced by a copy.
        self._sizes: dict[str, int] = {}  # anchor -> nodes of its value with every alias expanded
        self._nodes = 1  # the root
        self._added = 0
        self._alias_totals, self._alias_lines = array("q"), array("q")  # running total after each alias
        get_event = self.get_event
        get_event()  # stream start
        event = get_event()
        if event.__class__ is StreamEndEvent:
            return None
        event = get_event()
        if event.__class__ is MappingStartEvent and self.item_readers:
            data = self._mapping(event, self.item_readers)
        else:
            data = self._value(event)
        get_event()  # document end
        event = get_event()
        if event.__class__ is DocumentStartEvent:
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                None,
                "but found another document",
                event.start_mark,  # type: ignore[arg-type]  # libyaml's Mark: see _error
            )
        # Aliases share what they name rather than copy it, so parsing costs only the file's length;
        # everything after this walks the expanded tree, so the limit is applied here.
        self._check_expansion()
        return data

    def _value(self, event: Event) -> Any:
        # `type(...) is` rather than isinstance: exact classes, cheapest test, and mypy narrows it
        if type(event) is ScalarEvent:
            value = self._scalar(event)
            if event.anchor is not None:
                self._anchors[event.anchor] = value
                self._sizes[event.anchor] = 1
            return value
        if type(event) is MappingStartEvent:
            return self._mapping(event)
        if type(event) is SequenceStartEvent:
            return self._sequence(event)
        if type(event) is AliasEvent:
            return self._alias(event)
        raise _error(f"unexpected {event}", event)  # pragma: no cover

    def _anchored(self, anchor: str, value: Any) -> int:
        """Register a collection's anchor; returns the count its expanded size is measured from."""
        self._anchors[anchor] = value
        self._sizes[anchor] = _BUILDING
        return self._nodes + self._added

    def _measured(self, anchor: str, start: int) -> None:
        self._sizes[anchor] = self._nodes + self._added - start + 1

    def _alias(self, event: AliasEvent) -> Any:
        """What an alias names, counting its expanded size against the limit."""
        anchor = event.anchor
        size = None if anchor is None else self._sizes.get(anchor)
        if anchor is None or size is None:
            raise _error(f"found undefined alias {anchor!r}", event)
        if size == _BUILDING:
            raise _error(f"alias *{anchor} is inside the node it names: it would expand forever", event)
        self._added += size - 1
        total = self._nodes + self._added
        line = _line(event) - 1
        self._alias_totals.append(min(total, _MOST_COUNTED))
        self._alias_lines.append(line)
        if self._most_nodes is not None and total > _limit(self._most_nodes):
            # no file has more nodes than characters: refused now, without parsing the rest
            self._refuse(_limit(self._most_nodes), f"its {self._most_nodes:,} characters", line)
        return self._anchors[anchor]

    def _check_expansion(self) -> None:
        """Refuse a file whose aliases expand it past the limit, naming the alias that crossed it."""
        limit = _limit(self._nodes)
        if self._nodes + self._added <= limit:
            return
        crossing = min(bisect_right(self._alias_totals, limit), len(self._alias_totals) - 1)
        self._refuse(limit, f"its own {self._nodes:,} nodes", self._alias_lines[crossing])

    def _refuse(self, limit: int, own: str, line: int) -> None:
        message = (
            f"aliases (*name) expand this file to more than {limit:,} nodes ({ALIAS_EXPANSION_FACTOR}x {own}, "
            f"at least {ALIAS_EXPANSION_FLOOR:,}); the alias on this line crosses that limit: "
            "write the repeated part out, or reuse it less"
        )
        raise ConstructorError(None, None, message, Mark("<file>", 0, line, 0, None, 0))

    def _plain_text(self, event: Event) -> str | None:
        """The text of an unanchored, untagged scalar that is quoted or cannot be a number, bool or null
        (most of a file); None for anything else, which _value reads."""
        if event.__class__ is ScalarEvent and event.anchor is None and event.tag is None:
            text: str = event.value
            if not event.implicit[0] or (text and text[0] not in _RESOLVED_FIRST) or text in self._texts:
                return text
        return None

    def _scalar(self, event: ScalarEvent) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            value = event.value
            if not event.implicit[0] or (value and value[0] not in _RESOLVED_FIRST):
                return value  # quoted or block text, or plain text that cannot be a number, bool or null
            tag = self.resolve(ScalarNode, value, event.implicit)
            if tag in _AS_TEXT:
                if len(value) <= _REMEMBERED_CHARS and len(self._texts) < _REMEMBERED_TEXTS:
                    self._texts.add(value)
                return value
        elif tag == _STR:
            return event.value
        constructor = self.yaml_constructors.get(tag)
        if constructor is None or tag in (_SEQ, _MAP):
            raise _error(f"unsupported tag {tag!r}", event)
        marks = event.start_mark, event.end_mark
        node = ScalarNode(tag, event.value, *marks, event.style)  # type: ignore[arg-type]  # libyaml's Mark: see _error
        try:
            return constructor(self, node)
        except ValueError as exc:  # e.g. a date like 2024-13-45
            message = f"cannot read {event.value!r} ({exc}); quote it if you mean text"
            raise _error(message, event) from None

    def _sequence(self, event: SequenceStartEvent, reader: ItemReader | None = None) -> LineList:
        if event.tag is not None:
            self._check_collection_tag(event, _SEQ)
        items = LineList() if reader is None else ReadList()
        items.line = _line(event)
        lines: list[int] = []
        items.item_lines = lines
        start = self._anchored(event.anchor, items) if event.anchor is not None else 0
        get_event, value, plain = self.get_event, self._value, self._plain_text
        append, add_line = items.append, lines.append
        while True:
            item = get_event()
            if item.__class__ is SequenceEndEvent:
                break
            line = item.start_mark.line + 1
            add_line(line)
            read = plain(item)
            if read is None:
                read = value(item)
            append(read if reader is None else reader(read, len(lines), line))
        self._nodes += len(lines)
        if event.anchor is not None:
            self._measured(event.anchor, start)
        return items

    def _mapping(self, event: MappingStartEvent, readers: Mapping[str, ItemReader] | None = None) -> LineDict:
        if event.tag is not None:
            self._check_collection_tag(event, _MAP)
        mapping = LineDict()
        mapping.line = _line(event)
        key_lines: dict[Any, int] = {}
        mapping.key_lines = key_lines
        mapping.duplicates = _NO_DUPLICATES
        start = self._anchored(event.anchor, mapping) if event.anchor is not None else 0
        merges: list[Any] = []
        get_event, value, plain = self.get_event, self._value, self._plain_text
        while True:
            key_event = get_event()
            if key_event.__class__ is MappingEndEvent:
                break
            key = plain(key_event)
            if key is None:
                key = self._key(key_event)
            if key in key_lines or key == "<<":
                self._special_key(mapping, key, key_event, merges)
                continue
            key_lines[key] = key_event.start_mark.line + 1
            item = get_event()
            text = plain(item)
            if text is not None:
                mapping[key] = text
            # an anchored section may be used elsewhere as a tree: read it whole
            elif readers and key in readers and item.__class__ is SequenceStartEvent and item.anchor is None:
                mapping[key] = self._sequence(item, readers[key])
            else:
                mapping[key] = value(item)
        self._nodes += 2 * (len(key_lines) + len(mapping.duplicates) + len(merges))  # keys and values
        for source, merge_event in merges:
            self._merge(mapping, source, merge_event)
        if event.anchor is not None:
            self._measured(event.anchor, start)
        return mapping

    def _special_key(self, mapping: LineDict, key: Any, key_event: Event, merges: list[Any]) -> None:
        """A duplicate key (its value read and dropped) or a "<<" merge key (its source kept for later)."""
        if key in mapping.key_lines:
            self._next_value()
            if mapping.duplicates is _NO_DUPLICATES:
                mapping.duplicates = []
            mapping.duplicates.append((key, _line(key_event), mapping.key_lines[key]))
        elif key_event.__class__ is ScalarEvent and key_event.implicit[0]:
            merges.append((self._next_value(), key_event))
        else:  # a quoted "<<" is an ordinary key
            mapping.key_lines[key] = _line(key_event)
            mapping[key] = self._next_value()

    def _next_value(self) -> Any:
        """The next node, read whole."""
        return self._value(self.get_event())

    def _merge(self, mapping: LineDict, source: Any, key_event: Event) -> None:
        """Apply a "<<" merge key: earlier sources and the mapping's own keys win."""
        sources = source if isinstance(source, list) else [source]
        for merged in sources:
            if not isinstance(merged, LineDict):
                raise _error("a merge key (<<) needs a mapping or a list of mappings", key_event)
            for key, item in merged.items():
                if key not in mapping:
                    mapping[key] = item
                    mapping.key_lines[key] = merged.key_lines[key]

    def _key(self, event: Event) -> Any:
        """A mapping key that is not plain text: a number, a bool, null... but not a collection."""
        key = self._value(event)
        try:
            hash(key)
        except TypeError:
            raise _error("a mapping key must be a plain value", event) from None
        return key

    @staticmethod
    def _check_collection_tag(event: CollectionStartEvent, expected: str) -> None:
        if event.tag not in (None, "!", expected):
            raise _error(f"unsupported tag {event.tag!r}", event)


# First characters of plain scalars that may resolve to something other than text (a number, bool,
# null, date, "<<"); any other plain scalar is text without asking the resolver.
_RESOLVED_FIRST = LineLoader.yaml_implicit_resolvers
