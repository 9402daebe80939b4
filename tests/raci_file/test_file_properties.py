"""Properties of the RACI file readers and writers, for any input hypothesis can think of.

Deterministic (derandomize, no example database) and small enough to keep the suite fast.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.ownership.matrix import export_store, import_file, merge_csv
from bot.raci_file.csv_io import dump_csv, load_csv
from bot.raci_file.model import RaciDocument
from bot.raci_file.rules import check
from bot.raci_file.yaml_io import dump_yaml, load_yaml
from bot.store.db import Store
from tests.raci_file.strategies import documents

PROPERTY = settings(deadline=None, max_examples=60, derandomize=True, database=None)
STORED = settings(deadline=None, max_examples=10, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])
YAML_ISH = st.text(st.sampled_from(list("ab1 :-[]{}&*!#|>'\"\n\t,?<%@`\\0x.~=")), max_size=300)
CSV_ISH = st.text(st.sampled_from(list("ab RACI/,;\t\"'=\n\r@-+")), max_size=300)


@PROPERTY
@given(st.one_of(st.text(max_size=300), YAML_ISH))
def test_any_text_is_a_yaml_document_or_clean_findings(text: str) -> None:
    doc, findings = load_yaml(text, source="any.yaml")
    check(doc, source="any.yaml")
    assert all(str(finding) for finding in findings)


@PROPERTY
@given(st.one_of(st.text(max_size=300), CSV_ISH), documents())
def test_any_text_is_a_csv_matrix_or_clean_findings(text: str, current: RaciDocument) -> None:
    matrix, findings = load_csv(text, source="any.csv", roles=current.roles)
    check(merge_csv(current, matrix), source="any.csv")
    assert all(str(finding) for finding in findings)


@PROPERTY
@given(documents())
def test_yaml_dump_load_dump_is_a_fixed_point(doc: RaciDocument) -> None:
    text = dump_yaml(doc)
    loaded, findings = load_yaml(text, source="export.yaml")
    assert [f for f in findings + check(loaded) if f.kind == "error"] == []
    assert loaded == doc and dump_yaml(loaded) == text


@PROPERTY
@given(documents())
def test_csv_dump_load_dump_is_a_fixed_point_and_names_are_unchanged(doc: RaciDocument) -> None:
    text = dump_csv(doc)
    matrix, findings = load_csv(text, source="export.csv", roles=doc.roles)
    assert findings == [] and matrix.new_roles == []
    merged = merge_csv(doc, matrix)
    assert [a.name for a in merged.activities] == [a.name for a in doc.activities]
    assert dump_csv(merged) == text


@STORED
@given(doc=documents())
def test_export_import_export_through_the_store_is_a_fixed_point(doc: RaciDocument, store: Store,
                                                                   tmp_path: Path) -> None:
    source = tmp_path / "generated.yaml"
    source.write_text(dump_yaml(doc), encoding="utf-8")
    with store.session() as session:
        import_file(session=session, path=source, allow_mass_removal=True)
    for fmt in ("yaml", "csv"):
        with store.session() as session:
            first = export_store(session=session, fmt=fmt)
        exported = tmp_path / f"export.{fmt}"
        exported.write_text(first, encoding="utf-8")
        with store.session() as session:
            import_file(session=session, path=exported, allow_mass_removal=True)
        with store.session() as session:
            assert export_store(session=session, fmt=fmt) == first
