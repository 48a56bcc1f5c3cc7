"""Streaming reader of the registry's open-data file (a local path or an http(s) URL).

The national file is about 99 MB: one JSON object whose `polozky` array holds one item per
registered service. It is never loaded whole: `ijson` parses the byte stream and yields
one item at a time, so memory stays bounded by the largest item. A `.gz` file (or a
gzipped download) is decompressed on the fly.

The stream counts the bytes it has read (of the file as stored or sent), which drives
the progress percentage.
"""

from __future__ import annotations

import gzip
import io
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ijson

ITEMS_PREFIX = "polozky.item"
USER_AGENT = "Spojka MPSV import (+https://github.com/)"
TIMEOUT_S = 60


class SourceError(Exception):
    """The file cannot be opened or read: a message for the person running the import."""


class BrokenFileError(SourceError):
    """The JSON breaks off or is malformed after some items were read."""


class CountingStream(io.RawIOBase):
    """A byte stream that counts what was read from the underlying one."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.bytes_read += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class Source:
    """An opened file or download: `stream` to parse, `total_bytes` if known, `label`."""

    def __init__(self, label: str, counting: CountingStream, total: int | None, gzipped: bool):
        self.label = label
        self.counting = counting
        self.total_bytes = total
        self.stream = gzip.GzipFile(fileobj=counting) if gzipped else counting

    @property
    def bytes_read(self) -> int:
        return self.counting.bytes_read


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


@contextmanager
def open_source(location: str) -> Iterator[Source]:
    """Open a local path or an http(s) URL for streaming."""
    if is_url(location):
        request = urllib.request.Request(
            location, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        )
        try:
            response = urllib.request.urlopen(request, timeout=TIMEOUT_S)
        except urllib.error.HTTPError as exc:
            raise SourceError(f"{location}: HTTP {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise SourceError(f"{location}: cannot download ({reason})") from exc
        with response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            gzipped = location.lower().endswith(".gz") or (
                response.headers.get("Content-Encoding", "").lower() == "gzip"
            )
            yield Source(location, CountingStream(response), total, gzipped)
        return
    path = Path(location)
    if not path.is_file():
        raise SourceError(f"{location}: no such file")
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise SourceError(f"{location}: cannot open ({exc.strerror})") from exc
    with handle:
        yield Source(str(path), CountingStream(handle), path.stat().st_size, path.suffix == ".gz")


def iter_items(source: Source) -> Iterator[Any]:
    """Yield the items of `polozky` one by one; a broken file raises `BrokenFileError`."""
    count = 0
    try:
        for item in ijson.items(source.stream, ITEMS_PREFIX, use_float=True):
            count += 1
            yield item
    except (ijson.JSONError, ijson.IncompleteJSONError, gzip.BadGzipFile, EOFError) as exc:
        raise BrokenFileError(
            f"{source.label}: the file is broken after item {count} "
            f"(byte {source.bytes_read:,}): {exc}"
        ) from exc
    except (OSError, urllib.error.URLError) as exc:
        raise BrokenFileError(
            f"{source.label}: reading stopped after item {count} "
            f"(byte {source.bytes_read:,}): {exc}"
        ) from exc
    if count == 0:
        raise SourceError(f"{source.label}: no items under the root key 'polozky'")
