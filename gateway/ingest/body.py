"""A feed body received as a stream: spooled to disk, with caps on its sent size, unpacked size and lines.

Nothing of the body is held in memory beyond one chunk: the sent bytes go to a temporary file and, when
they are gzip, are unpacked piece by piece (at most `PIECE` bytes at a time, so a small bomb never
expands in memory) only to count the unpacked size and measure lines. Past any cap the spool is removed
and `CapExceededError` names the cap, before any batch exists.
"""

from __future__ import annotations

import asyncio
import tempfile
import zlib
from collections.abc import AsyncIterable
from dataclasses import dataclass
from pathlib import Path

from gateway.ingest.feed import FeedError
from gateway.ingest.source import GZIP_MAGIC, Source

PIECE = 1 << 16  # the most unpacked bytes produced by one step of the decompressor


@dataclass(frozen=True, slots=True)
class BodyLimits:
    max_body_bytes: int
    max_unpacked_bytes: int
    max_line_bytes: int


class CapExceededError(Exception):
    """The body is over one of its caps; `cap` is the setting's name, `limit` its value in bytes."""

    def __init__(self, cap: str, limit: int, what: str) -> None:
        super().__init__(f"{what} is over the cap {cap} ({limit} bytes)")
        self.cap = cap
        self.limit = limit


class _Meter:
    """Counts unpacked bytes and the longest line so far, one piece at a time."""

    def __init__(self, limits: BodyLimits) -> None:
        self.limits = limits
        self.unpacked = 0
        self.line = 0  # length of the line still open at the end of the last piece

    def feed(self, piece: bytes) -> None:
        self.unpacked += len(piece)
        if self.unpacked > self.limits.max_unpacked_bytes:
            raise CapExceededError("max_unpacked_bytes", self.limits.max_unpacked_bytes, "the unpacked body")
        start = 0
        while (end := piece.find(b"\n", start)) != -1:
            self._line(self.line + end - start)
            self.line, start = 0, end + 1
        self.line += len(piece) - start
        self._line(self.line)

    def _line(self, length: int) -> None:
        if length > self.limits.max_line_bytes:
            raise CapExceededError("max_line_bytes", self.limits.max_line_bytes, "a line of the body")


class _Gunzip:
    """Streaming gunzip of concatenated members (as gzip.open reads them), in bounded pieces."""

    def __init__(self, meter: _Meter) -> None:
        self.meter = meter
        self.inflate = zlib.decompressobj(wbits=31)
        self.fresh = True  # no byte of the current member seen yet

    def feed(self, data: bytes) -> None:
        while data:
            self.fresh = False
            piece = self.inflate.decompress(data, PIECE)
            self.meter.feed(piece)
            # A full piece may leave output pending inside zlib even when all the input is taken.
            while len(piece) == PIECE and not self.inflate.eof and not self.inflate.unconsumed_tail:
                piece = self.inflate.decompress(b"", PIECE)
                self.meter.feed(piece)
            if self.inflate.eof:
                data = self.inflate.unused_data
                self.inflate, self.fresh = zlib.decompressobj(wbits=31), True
            else:
                data = self.inflate.unconsumed_tail

    def finished(self) -> bool:
        """Every member read to its end (a body cut short is not a feed)."""
        return self.fresh


async def spool_body(name: str, chunks: AsyncIterable[bytes], limits: BodyLimits) -> Source:
    """The body as a re-readable Source (close() removes its spool), or CapExceededError / zlib.error."""
    meter = _Meter(limits)
    gunzip: _Gunzip | None = None
    sent = 0
    head: bytes | None = b""  # the first bytes, held until there are two to tell gzip by its magic number
    spool = tempfile.NamedTemporaryFile(prefix="gateway-feed-", delete=False)  # noqa: SIM115
    path = Path(spool.name)

    def take(data: bytes) -> None:
        spool.write(data)
        if gunzip is not None:
            gunzip.feed(data)
        else:
            meter.feed(data)

    try:
        with spool:
            async for chunk in chunks:
                sent += len(chunk)
                if sent > limits.max_body_bytes:
                    raise CapExceededError("max_body_bytes", limits.max_body_bytes, "the body as sent")
                if head is not None:
                    head += chunk
                    if len(head) < 2:
                        continue
                    gunzip = _Gunzip(meter) if head[:2] == GZIP_MAGIC else None
                    chunk, head = head, None
                take(chunk)
            if head:
                take(head)
        if gunzip is not None and not gunzip.finished():
            raise FeedError(f"{name}: the gzip stream is truncated")
    except BaseException:
        await asyncio.to_thread(path.unlink, missing_ok=True)
        raise
    return Source(name=name, _path=path, _spooled=True)
