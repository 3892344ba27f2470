"""Reading and writing the exchange format as CSV, XLSX and JSON.

Writers take flat records (record type, values); readers give back :class:`Record` objects
whose values are all text, as a spreadsheet cell holds them, with where each came from (a row
number, or a JSON path) so that every error can point at its place.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .schema import FORMAT_NAME, FORMAT_VERSION, RECORD_TYPES, csv_columns, field_of, to_cell

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
# The limits on a file: its size (the import page's, PALERMO_IMPORT_MAX_BYTES; the command
# takes larger files), and, in CSV and XLSX, one record per 200 bytes of that size (100,000
# records in 20 MB), so that a file of near-empty rows cannot hold millions.
MAX_BYTES = 20_000_000  # the default of PALERMO_IMPORT_MAX_BYTES
COMMAND_MAX_BYTES = 500_000_000  # palermo import_directory, unless --max-bytes says otherwise
BYTES_PER_RECORD = 200
MAX_RECORDS = MAX_BYTES // BYTES_PER_RECORD


def page_max_bytes() -> int:
    """The largest file the import page takes (PALERMO_IMPORT_MAX_BYTES)."""
    return int(getattr(settings, "PALERMO_IMPORT_MAX_BYTES", MAX_BYTES))


def max_records(max_bytes: int) -> int:
    return max(1, max_bytes // BYTES_PER_RECORD)


def megabytes(max_bytes: int) -> str:
    return f"{max_bytes / 1_000_000:g}"


def too_large(max_bytes: int) -> str:
    size = max_bytes / 1_000_000
    return ngettext("The file is larger than %(size)s MB.", "The file is larger than %(size)s MB.",
                    int(size) if size.is_integer() else 2) % {"size": megabytes(max_bytes)}


def _at_most_records(most: int) -> str:
    return ngettext("A file may hold at most %(max)d record.",
                    "A file may hold at most %(max)d records.", most) % {"max": most}


class FormatError(ValueError):
    """The file as a whole cannot be read: wrong type, empty, not encoded as it should be."""


@dataclass
class Record:
    type: str
    row: str  # a row number in CSV and XLSX (1 is the header), a path in JSON
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class ReadError:
    record: str
    row: str
    column: str
    message: str


Exported = list[tuple[str, dict[str, Any]]]


# Writing

def write(fmt: str, records: Exported, meta: dict[str, Any]) -> bytes:
    if fmt == "csv":
        return write_csv(records)
    if fmt == "xlsx":
        return write_xlsx(records)
    return write_json(records, meta)


def write_csv(records: Exported) -> bytes:
    out = io.StringIO()
    columns = csv_columns()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for record_type, values in records:
        cells = {"record": record_type} | {k: to_cell(v) for k, v in values.items()}
        writer.writerow([cells.get(column, "") for column in columns])
    # The byte order mark makes spreadsheet programs open the file as UTF-8.
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(records: Exported) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def text_cell(sheet: Any, value: Any) -> Any:
        """Text, always: a name that starts with "=" must not become a formula."""
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", to_cell(value)))
        cell.data_type = "s"
        return cell

    workbook = Workbook(write_only=True)
    sheets = {}
    for record in RECORD_TYPES.values():
        sheet = workbook.create_sheet(record.name)
        sheet.append(record.columns())
        sheets[record.name] = (sheet, record.columns())
    for record_type, values in records:
        sheet, columns = sheets[record_type]
        # Every cell is text, so that telephone numbers and codes come back as they went.
        sheet.append([text_cell(sheet, values.get(column)) for column in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_json(records: Exported, meta: dict[str, Any]) -> bytes:
    states: dict[str, dict[str, Any]] = {}
    authorities: dict[tuple[str, str], dict[str, Any]] = {}
    sections: dict[tuple[str, str], dict[str, Any]] = {}
    for record_type, values in records:
        record = RECORD_TYPES[record_type]
        state = states.setdefault(values["state"], {
            "state": values["state"], "authorities": [], "profile_sections": []})
        inherited = {"state", "authority_ref"} if record.parent == "authority" else (
            {"state", "measure"} if record.parent == "profile_section" else {"state"})
        item = {k: _json_value(v) for k, v in values.items() if k not in inherited}
        if record_type == "authority":
            item |= {"office_hours": [], "designations": [], "contacts": []}
            authorities[(values["state"], values["authority_ref"])] = item
            state["authorities"].append(item)
        elif record_type == "profile_section":
            item |= {"checklist": [], "laws": []}
            sections[(values["state"], values["measure"])] = item
            state["profile_sections"].append(item)
        elif record.parent == "authority":
            authorities[(values["state"], values["authority_ref"])][record.json_key].append(item)
        else:
            sections[(values["state"], values["measure"])][record.json_key].append(item)
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, **meta,
                "states": list(states.values())}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# Reading

def read(fmt: str, data: bytes, *,
         max_bytes: int | None = None) -> tuple[list[Record], list[ReadError]]:
    """The records of a file, or a FormatError saying why it cannot be read at all.

    ``max_bytes``: the largest file taken, by default the import page's (see MAX_BYTES).
    """
    limit = page_max_bytes() if max_bytes is None else max_bytes
    if not data:
        raise FormatError(_("The file is empty."))
    if len(data) > limit:
        raise FormatError(too_large(limit))
    if fmt == "csv":
        return read_csv(data, max_records(limit))
    if fmt == "xlsx":
        return read_xlsx(data, max_records(limit))
    if fmt == "json":
        return read_json(data)
    raise FormatError(_("Unknown format “%(format)s”: choose CSV, JSON or XLSX.")
                      % {"format": fmt})


def _unknown_record(value: str) -> str:
    return _("Unknown record type “%(value)s”; the types are: %(types)s.") % {
        "value": value, "types": ", ".join(RECORD_TYPES)}


def _check_columns(record_type: str, row: str, values: dict[str, str],
                   errors: list[ReadError]) -> None:
    record = RECORD_TYPES[record_type]
    for column, value in values.items():
        if value and field_of(record, column) is None:
            errors.append(ReadError(record_type, row, column, _(
                "A record of type “%(type)s” has no field “%(column)s”; leave it empty.")
                % {"type": record_type, "column": column}))


def read_csv(data: bytes, most: int = MAX_RECORDS) -> tuple[list[Record], list[ReadError]]:
    if b"\x00" in data[:4096] or data[:2] == b"PK":
        raise FormatError(_("This is not a text (CSV) file."))
    if not _is_utf8(data):
        raise FormatError(_("The file is not encoded in UTF-8."))
    # Read as it is decoded, a line at a time: the whole file as text would take up to four
    # times its size in memory (Python keeps text with Arabic or Chinese in four bytes a letter).
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="\n")
    try:
        return _read_csv_rows(csv.reader(text), most)
    except csv.Error as exc:  # a cell longer than the csv module takes, a stray quote …
        raise FormatError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def _is_utf8(data: bytes, chunk: int = 1 << 20) -> bool:
    """Whether the whole file is UTF-8, checked a megabyte at a time (nothing kept)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(view[start:start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _read_csv_rows(reader: Iterator[list[str]],
                   most: int) -> tuple[list[Record], list[ReadError]]:
    """The records of CSV rows (the first the header). Each record keeps its type's columns
    and any other cell that is not empty (an error); blank lines are skipped as csv.DictReader
    skips them, and rows are numbered as before (a blank line takes no number)."""
    raw_header = next(reader, None)  # the first line, as csv.DictReader takes it
    header = [name.strip() for name in (raw_header or [])]
    if "record" not in header:
        raise FormatError(_("The header has no column “record”."))
    errors: list[ReadError] = []
    known = set(csv_columns())
    for name in header:
        if name not in known:
            errors.append(ReadError("", "1", name, _("Unknown column “%(name)s”.")
                                    % {"name": name}))
    # A name given twice in the header: the last of its cells counts, as in a dict.
    position = {name: index for index, name in enumerate(header)}
    record_at = position.pop("record")
    width = len(header)
    # For each record type: the names of its columns in this file and a function taking
    # their cells out of a row, and the same for the other columns (which must be empty).
    own: dict[str, tuple[list[str], Any]] = {}
    others: dict[str, tuple[list[tuple[str, int]], Any]] = {}
    for record_type, record in RECORD_TYPES.items():
        columns = set(record.columns())
        mine = [(n, i) for n, i in position.items() if n in columns]
        rest = [(n, i) for n, i in position.items() if n not in columns]
        own[record_type] = ([n for n, _ in mine], _cells([i for _, i in mine]))
        others[record_type] = (rest, _cells([i for _, i in rest]))
    records: list[Record] = []
    index = -1
    for cells in reader:
        if cells == []:
            continue
        index += 1
        row = str(index + 2)
        if index >= most:
            errors.append(ReadError("", row, "", _at_most_records(most)))
            break
        if len(cells) > width:
            errors.append(ReadError("", row, "", _("This row has more cells than the header.")))
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        record_type = cells[record_at].strip()
        if record_type not in RECORD_TYPES:
            if not record_type and not any(cells[i].strip() for i in position.values()):
                continue
            errors.append(ReadError(record_type, row, "record", _unknown_record(record_type)))
            continue
        names, take = own[record_type]
        values = dict(zip(names, map(str.strip, take(cells)), strict=True))
        rest, take_rest = others[record_type]
        if any(take_rest(cells)):  # rare: cells that do not belong to the record type
            for name, i in rest:
                value = cells[i].strip()
                if value:
                    values[name] = value
                    errors.append(ReadError(record_type, row, name, _(
                        "A record of type “%(type)s” has no field “%(column)s”; leave it "
                        "empty.") % {"type": record_type, "column": name}))
        records.append(Record(record_type, row, values))
    return records, errors


def _cells(indexes: list[int]) -> Any:
    """A function giving the tuple of a row's cells at these places."""
    if not indexes:
        return lambda cells: ()
    if len(indexes) == 1:
        return lambda cells: (cells[indexes[0]],)
    return itemgetter(*indexes)


def read_xlsx(data: bytes, most: int = MAX_RECORDS) -> tuple[list[Record], list[ReadError]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FormatError(_("This is not an XLSX spreadsheet.")) from exc
    except Exception as exc:  # openpyxl raises its own errors for damaged files
        raise FormatError(_("This is not an XLSX spreadsheet.")) from exc
    records: list[Record] = []
    errors: list[ReadError] = []
    try:
        for sheet in workbook.worksheets:
            if sheet.title not in RECORD_TYPES:
                errors.append(ReadError(sheet.title, "", "", _unknown_record(sheet.title)))
                continue
            _read_sheet(sheet, records, errors, most)
    finally:
        workbook.close()
    return records, errors


def _read_sheet(sheet: Any, records: list[Record], errors: list[ReadError],
                most: int) -> None:
    rows = sheet.iter_rows(values_only=True)
    header = [to_cell(cell).strip() for cell in next(rows, ())]
    for name in header:
        if name and field_of(RECORD_TYPES[sheet.title], name) is None:
            errors.append(ReadError(sheet.title, "1", name, _("Unknown column “%(name)s”.")
                                    % {"name": name}))
    for index, cells in enumerate(rows):
        row = str(index + 2)
        if len(records) >= most:
            errors.append(ReadError(sheet.title, row, "", _at_most_records(most)))
            return
        values = {name: to_cell(cell).strip()
                  for name, cell in zip(header, cells, strict=False) if name}
        if any(values.values()):
            records.append(Record(sheet.title, row, values))


def read_json(data: bytes) -> tuple[list[Record], list[ReadError]]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormatError(_("This is not a JSON file.")) from exc
    if not isinstance(document, dict) or not isinstance(document.get("states"), list):
        raise FormatError(_("The JSON file must be an object with a list “states”."))
    records: list[Record] = []
    errors: list[ReadError] = []
    states = document["states"]
    for s_index, state in enumerate(states):
        states[s_index] = None  # each State's part of the document is let go once read
        path = f"states[{s_index}]"
        if not isinstance(state, dict):
            errors.append(ReadError("", path, "", _("Expected an object.")))
            continue
        code = to_cell(state.get("state"))
        for key in state:
            if key not in ("state", "authorities", "profile_sections"):
                errors.append(ReadError("", path, key, _("Unknown key “%(name)s”.")
                                        % {"name": key}))
        for record_type, child_types, inherit in (
                ("authority", ("office_hours", "designation", "contact"), "authority_ref"),
                ("profile_section", ("checklist_item", "law_link"), "measure")):
            key = RECORD_TYPES[record_type].json_key
            for index, item in enumerate(_json_list(state, key, path, errors)):
                item_path = f"{path}.{key}[{index}]"
                parent = _json_record(record_type, item_path, item, {"state": code},
                                      set(RECORD_TYPES[c].json_key for c in child_types),
                                      records, errors)
                if parent is None:
                    continue
                inherited = {"state": code, inherit: parent.values.get(inherit, "")}
                for child_type in child_types:
                    child_key = RECORD_TYPES[child_type].json_key
                    for c_index, child in enumerate(_json_list(item, child_key, item_path,
                                                               errors)):
                        _json_record(child_type, f"{item_path}.{child_key}[{c_index}]", child,
                                     inherited, set(), records, errors)
    return records, errors


def _json_list(parent: dict[str, Any], key: str, path: str,
               errors: list[ReadError]) -> Iterable[Any]:
    value = parent.get(key, [])
    if not isinstance(value, list):
        errors.append(ReadError("", path, key, _("Expected a list.")))
        return []
    return value


def _json_record(record_type: str, path: str, item: Any, inherited: dict[str, str],
                 children: set[str], records: list[Record],
                 errors: list[ReadError]) -> Record | None:
    if not isinstance(item, dict):
        errors.append(ReadError(record_type, path, "", _("Expected an object.")))
        return None
    record = RECORD_TYPES[record_type]
    values = dict(inherited)
    for key, value in item.items():
        if key in children:
            continue
        schema_field = field_of(record, key)
        if type(value) is str and schema_field is not None and key not in inherited:
            values[key] = value.strip()  # most values: text, as to_cell gives it
            continue
        if schema_field is None or key in inherited:
            errors.append(ReadError(record_type, path, key, _("Unknown key “%(name)s”.")
                                    % {"name": key}))
        elif isinstance(value, dict) or (isinstance(value, list)
                                         and schema_field.kind != "list"):
            errors.append(ReadError(record_type, path, key, _("Expected a single value.")))
        elif isinstance(value, list) and not all(isinstance(v, str) for v in value):
            errors.append(ReadError(record_type, path, key, _("Expected a list of codes.")))
        else:
            values[key] = to_cell(value).strip()
    result = Record(record_type, path, values)
    records.append(result)
    return result
