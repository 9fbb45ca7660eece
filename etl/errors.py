"""Errors that carry enough context for an analyst to find the bad value."""

from __future__ import annotations


class EtlError(Exception):
    """Base class for every failure the ETL reports to its user."""


class FetchError(EtlError):
    """A raw file could not be obtained (HTTP error, timeout, missing mirror file, bad checksum)."""

    def __init__(self, source: str, file: str, location: str, reason: str) -> None:
        self.source, self.file, self.location, self.reason = source, file, location, reason
        super().__init__(
            f"[{source}] could not get {file} from {location}: {reason}. "
            "Nothing was published; the previous database is unchanged."
        )


class SourceError(EtlError):
    """A source file was obtained but its content is not what the parser expects."""

    def __init__(
        self,
        source: str,
        file: str,
        message: str,
        column: str | None = None,
        value: object = None,
        row: int | None = None,
    ) -> None:
        self.source, self.file, self.column, self.value, self.row = source, file, column, value, row
        where = [f"file {file}"]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        if value is not None:
            shown = repr(value)
            where.append(f"value {shown[:200]}")
        self.detail = message
        super().__init__(f"[{source}] {message} ({', '.join(where)})")
