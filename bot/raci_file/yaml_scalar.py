"""Spell one scalar so that YAML reads it back as the same value, plain where that is safe."""

from __future__ import annotations

import re
from typing import Any

from yaml.resolver import Resolver

# Text that may stay plain in block and flow context alike: no indicator first, no ": ",
# " #", commas or brackets, no trailing space. Anything else is quoted.
_PLAIN = re.compile(r"[\w(./+$][\w .()/&+'!?=~;<>%$*\"@-]*(?<! )")
# Characters a single-quoted scalar may hold as they are (YAML printable, no line breaks).
_PRINTABLE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
_RESOLVERS = Resolver.yaml_implicit_resolvers
_cache: dict[str, str] = {}


def yaml_scalar(value: Any) -> str:
    """The YAML spelling of a str, bool, int or None, quoted only when it must be."""
    if value.__class__ is str:
        spelled = _cache.get(value)
        if spelled is None:
            spelled = _spell_text(value)
            if len(_cache) < 100_000:
                _cache[value] = spelled
        return spelled
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    raise TypeError(f"cannot write {value!r} as a YAML scalar")


def _spell_text(text: str) -> str:
    if _PLAIN.fullmatch(text) and _reads_as_text(text):
        return text
    if _PRINTABLE.fullmatch(text):
        return "'" + text.replace("'", "''") + "'"
    return '"' + "".join(_escape(char) for char in text) + '"'


def _reads_as_text(text: str) -> bool:
    """Whether plain `text` would load as a string (not a number, bool, null, date...)."""
    return not any(regexp.match(text) for _, regexp in _RESOLVERS.get(text[0], ()))


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if _PRINTABLE.fullmatch(char):
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
