"""RACI files: load and dump YAML and CSV matrices, and check them against the format's rules."""

from __future__ import annotations

from pathlib import Path

from bot.errors import RaciError
from bot.raci_file.csv_io import CsvMatrix, dump_csv, load_csv
from bot.raci_file.findings import Finding
from bot.raci_file.model import RaciDocument, Role
from bot.raci_file.rules import check
from bot.raci_file.schedule import CronSpec, parse_cron, parse_duration
from bot.raci_file.yaml_io import dump_yaml, load_yaml

__all__ = [
    "CronSpec",
    "CsvMatrix",
    "check",
    "dump_csv",
    "dump_yaml",
    "load_csv",
    "load_file",
    "load_yaml",
    "parse_cron",
    "parse_duration",
    "read_text",
]

YAML_SUFFIXES = (".yaml", ".yml")
CSV_SUFFIXES = (".csv",)


def load_file(path: str | Path, *, roles: list[Role] | None = None) -> tuple[RaciDocument | CsvMatrix, list[Finding]]:
    """Load a RACI file, YAML or CSV by its extension; CSV headers are matched against `roles`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in YAML_SUFFIXES + CSV_SUFFIXES:
        accepted = ", ".join(YAML_SUFFIXES + CSV_SUFFIXES)
        raise RaciError(f"{path}: not a RACI file (accepted extensions: {accepted})")
    text = read_text(path)
    if suffix in CSV_SUFFIXES:
        return load_csv(text, source=str(path), roles=roles or [])
    return load_yaml(text, source=str(path))


def read_text(path: str | Path) -> str:
    """A file's text decoded as UTF-8 (a BOM is dropped); a missing or unreadable file is a RaciError."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RaciError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise RaciError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise RaciError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RaciError(f"{path}: not UTF-8 text (byte {exc.start + 1}); save it as UTF-8 and retry") from None
