"""Daily files: CSV and xlsx read with a force's column mapping, every row through the contract
and the intake store (with its outbox row), bad rows reported by row and column with the rest
imported, a second import adding nothing, the command line's messages and exit status, and the
browser flow (mapping from a sample, upload, progress, rejected rows)."""

from __future__ import annotations

import io
import json
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

import dvscreen
from models.daily_file import DailyFileError, read_table
from models.db import session_scope
from models.file_import import begin_import, run_import
from models.file_mapping import FileMapping, document_of, guess_field
from models.file_mapping_store import mapping_for, save_mapping
from models.key_store import ensure_source
from models.settings import Settings
from models.tables import AuditEvent, NotificationRecord, OutboxRow
from models.types import utcnow
from tests.web_support import add_user, client_for, csrf_of, make_settings, sign_in

SOURCE = "Test Police"
HEADER = [
    "Occurrence No", "Date/Time", "Type", "Street", "Postcode", "Officer account",
    "Victim forename", "Victim surname", "Victim DOB", "Suspect forename", "Suspect surname",
    "Child 1 name", "Child 1 age", "Child 2 name", "Child 2 age", "Children present", "Force",
]
COLUMNS = {
    "Occurrence No": "reference", "Date/Time": "occurred_at", "Type": "incident_type",
    "Street": "address_line1", "Postcode": "address_postcode", "Officer account": "narrative",
    "Victim forename": "victim_given_name", "Victim surname": "victim_family_name",
    "Victim DOB": "victim_date_of_birth", "Suspect forename": "suspect_given_name",
    "Suspect surname": "suspect_family_name", "Child 1 name": "child_1_given_name",
    "Child 1 age": "child_1_age", "Child 2 name": "child_2_given_name",
    "Child 2 age": "child_2_age", "Children present": "children_present", "Force": "force",
}


def good(reference: str, **changes: str) -> list[str]:
    row = {
        "Occurrence No": reference, "Date/Time": "20/11/2026 23:14", "Type": "Crime",
        "Street": "12 Example Road", "Postcode": "le2 1aa",
        "Officer account": "Officers attended a verbal argument between the couple.",
        "Victim forename": "Amy", "Victim surname": "Smith", "Victim DOB": "02/03/1994",
        "Suspect forename": "Dean", "Suspect surname": "Smith", "Child 1 name": "Lily",
        "Child 1 age": "4", "Child 2 name": "", "Child 2 age": "", "Children present": "Y",
        "Force": "",
    }
    row.update(changes)
    return [row[h] for h in HEADER]


# Rows 2..7 of the file: row 3 has a date that is not one, row 4 an age and a tick box that
# cannot be read, row 5 no street and an unknown type, row 7 another force's name.
ROWS = [
    good("LE/1"),
    good("LE/2", **{"Date/Time": "31/13/2026 10:00"}),
    good("LE/3", **{"Child 1 age": "four", "Children present": "perhaps"}),
    good("LE/4", Street="", Type="Burglary"),
    good("LE/5", **{"Child 2 name": "Tom", "Child 2 age": "7", "Type": "Non-crime"}),
    good("LE/6", Force="Other Police"),
]
EXPECTED_PROBLEMS = {
    (3, "Date/Time", "occurred_at"),
    (4, "Child 1 age", "child_1_age"),
    (4, "Children present", "children_present"),
    (5, "Type", "incident_type"),
    (5, "Street", "address.line1"),
    (7, "Force", "force"),
}


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = make_settings(tmp_path)
    with session_scope(settings.database) as session:
        source_id = ensure_source(session, name=SOURCE)
        save_mapping(
            session,
            source_id=source_id,
            mapping=FileMapping(columns=COLUMNS),
            actor="system:test",
            now=utcnow(),
        )
    return settings


def counts(settings: Settings) -> tuple[int, int, int]:
    with session_scope(settings.database) as session:
        return (
            session.scalar(select(func.count()).select_from(NotificationRecord)) or 0,
            session.scalar(select(func.count()).select_from(OutboxRow)) or 0,
            session.scalar(
                select(func.count()).where(AuditEvent.action == "notification_received")
            )
            or 0,
        )


def import_bytes(settings: Settings, data: bytes, name: str = "day.csv") -> Any:
    with session_scope(settings.database) as session:
        source_id = ensure_source(session, name=SOURCE)
        import_id = begin_import(
            session, source_id=source_id, file_name=name, data=data, actor="system:test",
            now=utcnow(),
        )
    seen: list[tuple[int, int]] = []
    summary = run_import(
        partial(session_scope, settings.database), import_id=import_id, data=data,
        progress=lambda d, t: seen.append((d, t)),
    )
    return summary, seen


def stored(settings: Settings, reference: str) -> dict[str, Any]:
    with session_scope(settings.database) as session:
        raw = session.scalar(
            select(NotificationRecord.raw_json).where(NotificationRecord.reference == reference)
        )
    assert raw is not None, reference
    return json.loads(raw)


def test_bad_rows_are_reported_by_row_and_column_and_the_rest_are_imported(settings):
    summary, progress = import_bytes(settings, csv_bytes(ROWS))
    assert (summary.total, summary.created, summary.repeated, summary.rejected) == (6, 2, 0, 4)
    assert {(p.row, p.column, p.field) for p in summary.problems} == EXPECTED_PROBLEMS
    assert progress[0] == (0, 6) and progress[-1] == (6, 6)
    assert counts(settings)[:2] == (2, 2)  # each imported row has its outbox row
    document = stored(settings, "LE/5")
    assert document["occurred_at"] == "2026-11-20T23:14:00+00:00"  # UK time, no DST in Nov
    assert document["incident_type"] == "incident"
    assert [p["role"] for p in document["people"]] == ["victim", "suspect", "child", "child"]
    assert document["people"][3] == {"role": "child", "given_name": "Tom", "age": 7}
    assert document["children_present"] is True
    # Messages name the column and field, never the value that was wrong.
    assert all("31/13" not in p.message and "four" not in p.message for p in summary.problems)


def test_importing_the_same_file_twice_changes_nothing(settings):
    data = csv_bytes(ROWS)
    import_bytes(settings, data)
    before = counts(settings)
    again, _ = import_bytes(settings, data)
    assert (again.created, again.repeated, again.rejected) == (0, 2, 4)
    assert counts(settings) == before


def test_a_row_with_a_known_reference_and_other_details_is_a_conflict_on_its_reference(settings):
    import_bytes(settings, csv_bytes([good("LE/1")]))
    changed, _ = import_bytes(settings, csv_bytes([good("LE/1", Street="1 Other Road")]))
    assert changed.rejected == 1 and changed.created == 0
    assert [(p.row, p.column, p.field) for p in changed.problems] == [
        (2, "Occurrence No", "reference")
    ]


def test_an_excel_file_is_read_with_its_cell_types(settings):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    row: list[Any] = good("XL/1")
    row[1] = datetime(2026, 7, 1, 22, 30)  # a date cell, in British Summer Time
    row[12] = 4  # a number cell
    sheet.append(row)
    bad: list[Any] = good("XL/2")
    bad[8] = "not a date"
    sheet.append(bad)
    buffer = io.BytesIO()
    book.save(buffer)
    summary, _ = import_bytes(settings, buffer.getvalue(), "day.xlsx")
    assert (summary.created, summary.rejected) == (1, 1)
    assert [(p.row, p.column) for p in summary.problems] == [(3, "Victim DOB")]
    document = stored(settings, "XL/1")
    assert document["occurred_at"] == "2026-07-01T22:30:00+01:00"
    assert document["address"]["postcode"] == "le2 1aa"  # as sent; the contract normalises
    assert document["people"][2]["age"] == 4


def test_reading_tables_and_mapping_rows():
    table = read_table(b"Ref;Narrative\nA/1;text\n;\nA/2;more\n", filename="x.csv")
    assert table.header == ("Ref", "Narrative")
    assert [r.number for r in table.rows] == [2, 4]  # an empty row is skipped, keeps its number
    with pytest.raises(DailyFileError):
        read_table(b"", filename="x.csv")
    with pytest.raises(DailyFileError):
        read_table(b"PK\x03\x04not really a workbook", filename="x.xlsx")
    assert read_table(b"A,A,\n1,2,3\n").header == ("A", "A (2)", "Column 3")
    mapping = FileMapping(columns={"Ref": "reference", "Narrative": "narrative"})
    assert "occurred_at" in mapping.missing()
    assert document_of(mapping, table.header, table.rows[0]).document == {
        "reference": "A/1", "narrative": "text",
    }
    assert guess_field("Victim given name") == "victim_given_name"
    assert guess_field("Child 1 age") == "child_1_age" and guess_field("Notes") is None
    with pytest.raises(ValueError):
        FileMapping(columns={"A": "reference", "B": "reference"})
    with pytest.raises(ValueError):
        FileMapping(columns={"A": "victim_shoe_size"})


def run_cli(settings: Settings, monkeypatch, *args: str) -> int:
    monkeypatch.setenv("DVSCREEN_DATA_DIR", str(settings.data_dir))
    return dvscreen.main(list(args))


def test_the_command_line_reports_each_bad_row_and_exits_1(settings, tmp_path, monkeypatch, capsys):
    path = tmp_path / "day.csv"
    path.write_bytes(csv_bytes(ROWS))
    assert run_cli(settings, monkeypatch, "import", str(path), "--source", SOURCE) == 1
    out, err = capsys.readouterr()
    assert "day.csv: 6 rows: 2 new, 0 already received, 4 rejected" in out
    assert f"{path}: row 3, column 'Date/Time' (occurred_at): is not a date-time" in err
    assert f"{path}: row 5, column 'Street' (address.line1): Field required" in err
    assert "importing day.csv: 6/6 rows (100%)" in err
    assert "Amy" not in err and "31/13" not in err
    assert run_cli(settings, monkeypatch, "import", str(path), "--source", SOURCE) == 1
    out, _ = capsys.readouterr()
    assert "0 new, 2 already received, 4 rejected" in out
    clean = tmp_path / "clean.csv"
    clean.write_bytes(csv_bytes([good("LE/9")]))
    assert run_cli(settings, monkeypatch, "import", str(clean), "--source", SOURCE, "--quiet") == 0
    assert counts(settings)[0] == 3


def test_the_command_line_usage_errors_exit_2(settings, tmp_path, monkeypatch, capsys):
    path = tmp_path / "day.csv"
    path.write_bytes(csv_bytes(ROWS))
    assert run_cli(settings, monkeypatch, "import", str(tmp_path / "nope.csv"), "--source",
                   SOURCE) == 2
    assert "no such file" in capsys.readouterr().err
    assert run_cli(settings, monkeypatch, "import", str(path), "--source", "Nobody") == 2
    assert "no source called 'Nobody'" in capsys.readouterr().err
    with session_scope(settings.database) as session:
        ensure_source(session, name="Unmapped Police")
    assert run_cli(settings, monkeypatch, "import", str(path), "--source", "Unmapped Police") == 2
    assert "has no column mapping" in capsys.readouterr().err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04garbage")
    assert run_cli(settings, monkeypatch, "import", str(broken), "--source", SOURCE) == 2
    assert "not a readable Excel workbook" in capsys.readouterr().err


def test_mappings_set_and_show_on_the_command_line(settings, tmp_path, monkeypatch, capsys):
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"columns": {"Ref": "reference"}}))
    assert run_cli(settings, monkeypatch, "mappings", "set", "--source", "New Police",
                   "--file", str(mapping)) == 2
    assert "no column for occurred_at" in capsys.readouterr().err
    mapping.write_text(json.dumps({"columns": COLUMNS, "date_format": "%Y%m%d"}))
    assert run_cli(settings, monkeypatch, "mappings", "set", "--source", "New Police",
                   "--file", str(mapping)) == 0
    capsys.readouterr()
    assert run_cli(settings, monkeypatch, "mappings", "show", "--source", "New Police") == 0
    assert json.loads(capsys.readouterr().out)["date_format"] == "%Y%m%d"


def test_the_browser_flow_from_sample_to_mapping_to_upload(settings):
    add_user(settings, "hana", "head_of_safeguarding")
    add_user(settings, "bea", "business_support")
    add_user(settings, "dora", "duty_worker")
    sample = csv_bytes(ROWS[:2], ["Ref no", "Occurred at", *HEADER[2:]])
    with client_for(settings) as head:
        sign_in(head, "hana")
        page = head.get("/imports/mappings")
        assert page.status_code == 200
        form = head.post(
            "/imports/mappings/sample",
            data={"source_name": "Sample Police", "csrf_token": csrf_of(page.text)},
            files={"file": ("sample.csv", sample, "text/csv")},
        )
        assert form.status_code == 200
        assert "Ref no" in form.text and "Amy" in form.text  # the header and first rows
        fields = {f"column_{i}": h for i, h in enumerate(["Ref no", "Occurred at", *HEADER[2:]])}
        choices = {f"field_{i}": COLUMNS.get(h, "") for i, h in enumerate(HEADER)}
        data = {"source_name": "Sample Police", "count": str(len(HEADER)), **fields, **choices,
                "datetime_format": "%d/%m/%Y %H:%M", "date_format": "%d/%m/%Y",
                "csrf_token": csrf_of(form.text)}
        incomplete = head.post("/imports/mappings/save", data={**data, "field_0": ""})
        assert incomplete.status_code == 400 and "Choose a column for: reference" in incomplete.text
        saved = head.post("/imports/mappings/save", data=data)
        assert saved.status_code == 303
    with session_scope(settings.database) as session:
        source_id = ensure_source(session, name="Sample Police")
        mapping = mapping_for(session, source_id=source_id)
    assert mapping is not None and mapping.columns["Ref no"] == "reference"
    with client_for(settings) as worker:
        sign_in(worker, "dora")
        assert worker.get("/imports").status_code == 403
    with client_for(settings) as support:
        sign_in(support, "bea")
        page = support.get("/imports")
        assert "Sample Police" in page.text
        assert support.get("/imports/mappings").status_code == 403
        upload = support.post(
            "/imports",
            data={"source_id": str(source_id), "csrf_token": csrf_of(page.text)},
            files={"file": ("day.csv", csv_bytes(ROWS, ["Ref no", "Occurred at", *HEADER[2:]]),
                            "text/csv")},
        )
        assert upload.status_code == 303
        run = support.get(upload.headers["location"])
        assert "2 new, 0 already received, 4 rejected" in run.text
        assert "Rejected rows" in run.text and "Occurred at" in run.text
        progress = support.get(upload.headers["location"] + "/progress")
        assert 'data-status="done"' in progress.text and "hx-trigger" not in progress.text
        problems = support.get(upload.headers["location"] + "/problems.csv")
        assert problems.text.splitlines()[1].startswith("3,Occurred at,occurred_at,")
        empty = support.post("/imports", data={"csrf_token": csrf_of(page.text)})
        assert empty.status_code == 400 and "Select the police force" in empty.text
