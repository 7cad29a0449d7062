"""Streaming readers of DECP files: never the whole file in memory (issue 16, 100,000 rows in
less than 300 MB).

Each reader yields ``(position, item)``: the rank of the record in the file (a line for the CSV, the
contract's rank for the JSON) and a ``ContractRecord``, a ``RowError`` (the row is refused, the
reading goes on) or ``None`` (a row the import passes over: an old version of a contract).
A file that cannot be read at all raises ``FileError``.
"""

import codecs
import csv
import io
import re

import ijson

from .decp_records import RowError, from_json, from_table, is_current_version

SNIFF_BYTES = 64 * 1024
_V1_LIST = re.compile(rb'"marches"\s*:\s*\[')
csv.field_size_limit(10 * 1024 * 1024)


class FileError(ValueError):
    """The file as a whole is unreadable; the message is for the facilitator."""


def detect_format(name, head):
    """ "json" or "csv", from the file's name, else from its first bytes."""
    lowered = (name or "").lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith((".csv", ".txt")):
        return "csv"
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip()
    if stripped[:1] in (b"{", b"["):
        return "json"
    if b"\n" in head or b";" in head or b"," in head:
        return "csv"
    raise FileError("Format de fichier inconnu : déposez le JSON réglementaire ou la table consolidée en CSV.")


def read_json(binary):
    """The regulatory JSON: ``{"marches": {"marche": [...]}}`` (v2) or ``{"marches": [...]}`` (v1)."""
    head = binary.read(SNIFF_BYTES)
    binary.seek(0)
    prefix = "marches.item" if _V1_LIST.search(head) else "marches.marche.item"
    position = 0
    try:
        for position, marche in enumerate(ijson.items(binary, prefix, use_float=False), start=1):
            try:
                yield position, from_json(marche)
            except RowError as error:
                yield position, error
    except ijson.JSONError as error:
        raise FileError(
            f"Le fichier JSON est illisible après le marché n° {position} ({error}). "
            "Les marchés lus avant ont été enregistrés ; corrigez le fichier et déposez-le à nouveau."
        ) from None
    if position == 0:
        raise FileError(
            'Aucun marché dans ce fichier : le JSON réglementaire commence par {"marches": {"marche": [ … ]}}.'
        )


def _delimiter(first_line):
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    return max(counts, key=counts.get)


def read_csv(binary):
    """The consolidated table in CSV (``;``, ``,`` or tab between columns, UTF-8 or Windows-1252)."""
    head = binary.read(SNIFF_BYTES)
    binary.seek(0)
    try:
        head.decode("utf-8")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as error:
        # A cut in the middle of a character at the end of the sample is still UTF-8.
        encoding = "utf-8-sig" if error.start > len(head) - 4 else "cp1252"
    stream = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
    try:
        first_line = stream.readline()
        stream.seek(0)
    except (OSError, ValueError):
        raise FileError("Le fichier CSV est illisible.") from None
    reader = csv.DictReader(stream, delimiter=_delimiter(first_line))
    fields = set(reader.fieldnames or [])
    if not fields & {"id", "id_marche"} or not fields & {"montant"}:
        stream.detach()
        raise FileError(
            "Ce fichier CSV n'est pas la table consolidée des DECP : il lui manque les colonnes "
            "« id » et « montant » (une ligne par marché et par titulaire)."
        )
    try:
        for row in reader:
            position = reader.line_num
            yield position, _table_item(row)
    except csv.Error as error:
        raise FileError(f"Le fichier CSV est illisible à la ligne {reader.line_num} ({error}).") from None
    finally:
        stream.detach()  # the caller closes the file


def _table_item(row):
    if not isinstance(row, dict):
        return RowError("Ligne illisible (ce n'est pas un enregistrement de la table).")
    if None in row:  # more cells than columns
        return RowError("Ligne illisible : plus de cellules que de colonnes.", key=str(row.get("uid") or ""))
    if not is_current_version(row):
        return None
    try:
        return from_table(row)
    except RowError as error:
        return error


def read_table_rows(rows, start=0):
    """Rows of the tabular API (dicts), numbered from ``start`` + 1."""
    for position, row in enumerate(rows, start=start + 1):
        yield position, _table_item(row)


def read_file(binary, name):
    head = binary.read(SNIFF_BYTES)
    binary.seek(0)
    kind = detect_format(name, head)
    return kind, (read_json(binary) if kind == "json" else read_csv(binary))
