"""The RACI matrix as a spreadsheet (CSV): activities down, roles (or "@handle"s) across."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field

from bot.raci_file.csv_formula import escape_cell, unescape_cell
from bot.raci_file.findings import Finding
from bot.raci_file.model import LETTERS, Activity, RaciDocument, Role, name_key, person_ref
from bot.raci_file.structure import HANDLE

_DELIMITERS = (",", ";", "\t")  # in order of preference when a header has as many of each
_CELL_SEPARATORS = re.compile(r"[\s/,;+&]+")
_SLUG_DROP = re.compile(r"[^a-z0-9._]+")
_REPORTED = ""  # a column whose header was already reported as wrong: its cells are not read
_NEEDS_QUOTES = re.compile(r'[,;\t"\r\n]')
_QUOTED = re.compile(r'"(?:[^"]|"")*"')
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the csv module's line ends (str.splitlines has more)


@dataclass
class CsvMatrix:
    """What a CSV file says: activities (name, raci, line), roles to create, and what each column is."""

    activities: list[Activity] = field(default_factory=list)
    new_roles: list[Role] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # a role key or "@handle" per matrix column


class _RoleLookup:
    """Resolves a header to a role key: by key, then name, then alias, ignoring case and spacing."""

    def __init__(self, roles: list[Role]) -> None:
        self.by_key = {name_key(role.key): role.key for role in roles}
        self.by_name: dict[str, str] = {}
        for role in roles:
            self.by_name.setdefault(name_key(role.name), role.key)
        for role in roles:
            for alias in role.aliases:
                self.by_name.setdefault(name_key(alias), role.key)

    def find(self, header: str) -> str | None:
        wanted = name_key(header)
        return self.by_key.get(wanted) or self.by_name.get(wanted)


def role_key_for(header: str) -> str:
    """A role key derived from a header: "Platform/Infra Engineer" -> "platform-infra-engineer"."""
    ascii_text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    return _SLUG_DROP.sub("-", ascii_text.lower()).strip("-._")


def load_csv(text: str, *, source: str, roles: list[Role]) -> tuple[CsvMatrix, list[Finding]]:
    """Read a RACI matrix from CSV text; `roles` are the roles the headers may name."""
    reader = _CsvReader(source, roles)
    matrix = reader.read(text.removeprefix("\ufeff"))
    return matrix, reader.findings


class _CsvReader:
    def __init__(self, source: str, roles: list[Role]) -> None:
        self.source = source
        self.lookup = _RoleLookup(roles)
        self.findings: list[Finding] = []

    def error(self, subject: str, message: str, line: int | None) -> None:
        self.findings.append(Finding("error", subject, message, line, self.source))

    def read(self, text: str) -> CsvMatrix:
        matrix = CsvMatrix()
        rows = self.rows(text)
        if not rows:
            return matrix
        header_line, header = rows[0]
        refs = self.columns(header[1:], header_line, matrix)
        seen: dict[str, int] = {}
        for line, cells in rows[1:]:
            activity = self.activity(cells, line, header, refs)
            if activity is None:
                continue
            key = name_key(activity.name)
            if key in seen:
                message = f'activity "{activity.name}" is listed twice (first at line {seen[key]})'
                self.error(f'activity "{activity.name}"', message, line)
                continue
            seen[key] = line
            matrix.activities.append(activity)
        return matrix

    def rows(self, text: str) -> list[tuple[int, list[str]]]:
        """Non-blank rows with their line; a row is one line, so a stray quote cannot swallow the rest."""
        lines = _LINE_BREAK.split(text)
        first = next((line for line in lines if line.strip()), "")
        unquoted = _QUOTED.sub("", first)  # a ";" inside a quoted header is text, not a delimiter
        delimiter = max(_DELIMITERS, key=lambda candidate: (unquoted.count(candidate), -_DELIMITERS.index(candidate)))
        rows = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                cells = next(csv.reader([line], delimiter=delimiter, strict=True))
            except csv.Error as exc:
                self.error("file", _quoting_message(str(exc)), number)
                continue
            if any(cell.strip() for cell in cells):
                rows.append((number, [unescape_cell(cell) for cell in cells]))
        return rows

    def columns(self, headers: list[str], line: int, matrix: CsvMatrix) -> list[str | None]:
        """The reference of each matrix column (None: no header; _REPORTED: a header in error)."""
        refs: list[str | None] = []
        first_header: dict[str, str] = {}
        for raw in headers:
            header = raw.strip()
            ref = self.column_ref(header, line, matrix) if header else None
            if ref and ref in first_header:
                subject = f"person {ref[1:]}" if person_ref(ref) else f"role {ref}"
                self.error(subject, f'columns "{first_header[ref]}" and "{header}" both name {subject}', line)
                ref = _REPORTED
            if ref:
                first_header[ref] = header
                matrix.columns.append(ref)
            refs.append(ref)
        return refs

    def column_ref(self, header: str, line: int, matrix: CsvMatrix) -> str | None:
        if header.startswith("@"):
            handle = header[1:].strip().lower()
            if HANDLE.fullmatch(handle):
                return "@" + handle
            self.error(f'column "{header}"', "a person column needs a handle after @, like @omar", line)
            return _REPORTED
        key = self.lookup.find(header)
        if key is not None:
            return key
        key = role_key_for(header)
        if not key:
            self.error(f'column "{header}"', "names no role: use a role key, name or alias", line)
            return _REPORTED
        if key not in self.lookup.by_key:
            role = Role(key=key, name=header, line=line)
            matrix.new_roles.append(role)
            self.lookup.by_key[key] = key
            self.lookup.by_name[name_key(header)] = key
        return key

    def activity(self, cells: list[str], line: int, header: list[str], refs: list[str | None]) -> Activity | None:
        name = " ".join(cells[0].split()) if cells else ""
        subject = f'activity "{name}"'
        if not name:
            self.error(f"row {line}", "the row has letters but no activity name in the first column", line)
            return None
        raci: dict[str, list[str]] = {}
        for index, cell in enumerate(cells[1:]):
            ref = refs[index] if index < len(refs) else None
            if not cell.strip() or ref == _REPORTED:
                continue
            if ref is None:
                where = f"column {index + 2}" + (" (no header)" if index < len(refs) else "")
                self.error(subject, f"{where} holds {cell.strip()!r} but names no role", line)
                continue
            column = header[index + 1].strip()
            for letter in self.letters(cell, subject, column, line):
                raci.setdefault(letter, []).append(ref)
        ordered = {letter: raci[letter] for letter in LETTERS if letter in raci}
        return Activity(name=name, raci=ordered, line=line)

    def letters(self, cell: str, subject: str, column: str, line: int) -> list[str]:
        letters: list[str] = []
        for token in _CELL_SEPARATORS.split(cell.strip().upper()):
            if token and not set(token) <= set(LETTERS):
                message = (
                    f'column "{column}": {cell.strip()!r} is not R, A, C or I '
                    "(join letters like R/A; leave the cell empty for no involvement)"
                )
                self.error(subject, message, line)
                return []
            letters.extend(letter for letter in token if letter not in letters)
        return letters


def _quoting_message(reason: str) -> str:
    """What a csv.Error on one line means for someone editing the file."""
    if reason == "unexpected end of data":
        return ('a quoted cell opens on this line and is not closed on it (a stray \'"\'?); '
                'a cell cannot span lines')
    return f"CSV quoting error: {reason} (a quote inside a quoted cell is written twice: \"\")"


def dump_csv(doc: RaciDocument) -> str:
    """The matrix as CSV: a column per role (document order), then one per directly assigned person."""
    columns = _dump_columns(doc)
    lines = [_csv_line(["Activity", *(escape_cell(header) for _, header in columns)])]
    for activity in doc.activities:
        cells = [escape_cell(activity.name)]
        held: dict[str, list[str]] = {}
        for letter in LETTERS:
            for ref in activity.refs(letter):
                letters = held.setdefault(ref, [])
                if letter not in letters:
                    letters.append(letter)
        cells.extend("/".join(held.get(ref, ())) for ref, _ in columns)
        lines.append(_csv_line(cells))
    return "".join(lines)


def _csv_line(cells: list[str]) -> str:
    """One CSV row. Cells holding any candidate delimiter are quoted, not only ",", so a role named
    "R&D; Ops; Infra" cannot make the reader take ";" for the delimiter."""
    return ",".join(f'"{cell.replace(chr(34), chr(34) * 2)}"' if _NEEDS_QUOTES.search(cell) else cell
                    for cell in cells) + "\n"


def _dump_columns(doc: RaciDocument) -> list[tuple[str, str]]:
    """(reference, header) per column; a role's header is its name unless that names another role
    or would read as a person column ("@...")."""
    lookup = _RoleLookup(doc.roles)
    columns = [(role.key, role.key if _header_misreads(role, lookup) else role.name) for role in doc.roles]
    known = {role.key for role in doc.roles}
    handles = [f"@{person.handle}" for person in doc.people]
    used: dict[str, None] = {}
    for activity in doc.activities:
        for refs in activity.raci.values():
            used.update(dict.fromkeys(refs))
    columns += [(ref, ref) for ref in used if not person_ref(ref) and ref not in known]
    direct = [ref for ref in handles if ref in used] + [ref for ref in used if person_ref(ref) and ref not in handles]
    return columns + [(ref, ref) for ref in direct]


def _header_misreads(role: Role, lookup: _RoleLookup) -> bool:
    header = role.name.strip()
    return header.startswith("@") or lookup.find(header) != role.key
