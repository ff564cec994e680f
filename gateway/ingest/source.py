"""Feed sources: a file, bytes or a byte stream, gunzipped when needed, re-openable, with its header."""

from __future__ import annotations

import gzip
import hashlib
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

import orjson

from gateway.ingest.feed import FeedError, FeedKind, kind_from_columns

GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 20

Format = Literal["csv", "ndjson"]


@dataclass
class Source:
    """A feed file that can be read more than once (a first pass may need a second, exact, one)."""

    name: str
    _path: Path | None = None
    _data: bytes | None = field(default=None, repr=False)
    _spooled: bool = False
    _digest: str | None = field(default=None, repr=False)

    @classmethod
    def from_path(cls, path: Path) -> Source:
        return cls(name=path.name, _path=path)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> Source:
        return cls(name=name, _data=data)

    @classmethod
    def from_chunks(cls, name: str, chunks: Iterable[bytes]) -> Source:
        """Spool a one-shot stream to a temporary file so it can be re-read; close() removes it."""
        with tempfile.NamedTemporaryFile(prefix="gateway-feed-", delete=False) as spool:
            for chunk in chunks:
                spool.write(chunk)
        return cls(name=name, _path=Path(spool.name), _spooled=True)

    def open(self) -> IO[bytes]:
        """The decompressed content from the start (gzip is recognised by its magic number)."""
        if self._path is not None:
            with self._path.open("rb") as probe:
                gzipped = probe.read(2) == GZIP_MAGIC
            return gzip.open(self._path, "rb") if gzipped else self._path.open("rb")  # type: ignore[return-value]
        data = self._data or b""
        if data[:2] == GZIP_MAGIC:
            return gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb")  # type: ignore[return-value]
        return io.BytesIO(data)

    def is_gzip(self) -> bool:
        """Whether the content as stored starts with gzip's magic number."""
        if self._path is not None:
            with self._path.open("rb") as probe:
                return probe.read(2) == GZIP_MAGIC
        return (self._data or b"")[:2] == GZIP_MAGIC

    def is_empty(self) -> bool:
        if self._path is not None:
            return self._path.stat().st_size == 0
        return not self._data

    def chunks(self) -> Iterator[bytes]:
        with self.open() as stream:
            while chunk := stream.read(CHUNK):
                yield chunk

    def sha256(self) -> str:
        """SHA-256 of the decompressed content (remembered if a full read already computed it)."""
        if self._digest is None:
            digest = hashlib.sha256()
            for chunk in self.chunks():
                digest.update(chunk)
            self._digest = digest.hexdigest()
        return self._digest

    def remember_sha256(self, hexdigest: str) -> None:
        self._digest = hexdigest

    def close(self) -> None:
        if self._spooled and self._path is not None:
            self._path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Header:
    """What the first line says: format, kind and (for CSV) the column order."""

    format: Format
    kind: FeedKind
    columns: tuple[str, ...]
    header_bytes: int  # length of the CSV header line including its newline (0 for NDJSON)


def read_header(source: Source) -> Header:
    """Tell the format and kind from the first line; FeedError if it is neither a feed CSV nor NDJSON."""
    with source.open() as stream:
        first = stream.readline()
    if not first.strip():
        raise FeedError(f"{source.name}: empty file or empty first line")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedError(f"{source.name}: first line is not UTF-8") from exc
    if text.lstrip().startswith("{"):
        try:
            obj = orjson.loads(first)
        except orjson.JSONDecodeError as exc:
            raise FeedError(f"{source.name}: first line is not a JSON object") from exc
        if not isinstance(obj, dict):
            raise FeedError(f"{source.name}: first line is not a JSON object")
        kind = kind_from_columns(list(obj))
        if kind is None:
            raise FeedError(f"{source.name}: the keys of line 1 match no feed kind")
        return Header("ndjson", kind, tuple(obj), 0)
    columns = tuple(c.strip() for c in text.rstrip("\r\n").split(","))
    kind = kind_from_columns(columns)
    if kind is None:
        raise FeedError(f"{source.name}: the header matches no feed kind (schools, roster or marks)")
    return Header("csv", kind, columns, len(first))
