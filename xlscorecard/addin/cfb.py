"""Write a compound file ([MS-CFB], version 3): the container format of ``vbaProject.bin``.

olefile reads compound files but cannot create one, so this is a small writer for what a VBA
project needs: a root storage, sub-storages, and streams. It writes 512-byte sectors, puts
streams under 4096 bytes in the mini stream, orders and colours each storage's children as a
valid red-black tree, and sets every time stamp to zero, so the same streams always give the
same bytes. olefile, oletools and LibreOffice read what it writes (see tests/test_addin.py).
"""

from __future__ import annotations

import io
import struct
import uuid
from dataclasses import dataclass, field

import olefile

from ..errors import ScorecardError

SECTOR = 512
MINI_SECTOR = 64
MINI_STREAM_CUTOFF = 4096
ENTRIES_PER_SECTOR = SECTOR // 128
IDS_PER_SECTOR = SECTOR // 4
DIFAT_IN_HEADER = 109

FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF

STORAGE, STREAM, ROOT = 1, 2, 5
RED, BLACK = 0, 1
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


class CompoundFileError(ScorecardError):
    """Streams that cannot be written as a compound file."""


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    clsid: bytes = bytes(16)
    children: list[_Entry] = field(default_factory=list)
    id: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = BLACK
    start: int = ENDOFCHAIN


def _sort_key(name: str) -> tuple[int, str]:
    """[MS-CFB] 2.6.4: shorter names first, then by upper-cased UTF-16 code units."""
    return len(name.encode("utf-16-le")) // 2, name.upper()


def _build_tree(children: list[_Entry]) -> int:
    """Link sorted siblings as a balanced binary search tree and colour it red-black: every
    level above the deepest is full, so colouring the deepest level red (and everything else
    black) gives every path the same number of black nodes. Returns the root's id."""
    ordered = sorted(children, key=lambda entry: _sort_key(entry.name))
    depths: dict[int, int] = {}

    def link(low: int, high: int, depth: int) -> int:
        if low > high:
            return NOSTREAM
        middle = (low + high + 1) // 2
        node = ordered[middle]
        depths[id(node)] = depth
        node.left = link(low, middle - 1, depth + 1)
        node.right = link(middle + 1, high, depth + 1)
        return node.id

    root = link(0, len(ordered) - 1, 0)
    deepest = max(depths.values(), default=0)
    for node in ordered:
        node.color = RED if deepest > 0 and depths[id(node)] == deepest else BLACK
    return root


def _chain(fat: list[int], first: int, count: int) -> None:
    for index in range(first, first + count - 1):
        fat[index] = index + 1
    if count:
        fat[first + count - 1] = ENDOFCHAIN


def _pad(data: bytes, size: int) -> bytes:
    return data + bytes(-len(data) % size)


def write_compound_file(streams: dict[str, bytes], clsids: dict[str, bytes] | None = None) -> bytes:
    """The bytes of a compound file holding ``streams`` ({"VBA/dir": b"...", ...}).

    Storages are made for every folder in a path; ``clsids`` may give a storage (by path, ""
    for the root) its class id."""
    clsids = clsids or {}
    root = _Entry("Root Entry", ROOT, clsid=clsids.get("", bytes(16)))
    storages = {"": root}
    for path in sorted(streams):
        parts = path.split("/")
        if any(not part or len(part) > 31 or set(part) & set("/\\:!") for part in parts):
            raise CompoundFileError(f"{path!r} is not a valid compound file path")
        parent = root
        for depth in range(len(parts) - 1):
            key = "/".join(parts[: depth + 1])
            if key not in storages:
                storage = _Entry(parts[depth], STORAGE, clsid=clsids.get(key, bytes(16)))
                storages[key] = storage
                parent.children.append(storage)
            parent = storages[key]
        if any(child.name.upper() == parts[-1].upper() for child in parent.children):
            raise CompoundFileError(f"{path!r} is given twice")
        parent.children.append(_Entry(parts[-1], STREAM, data=streams[path]))

    entries: list[_Entry] = []

    def number(entry: _Entry) -> None:
        entry.id = len(entries)
        entries.append(entry)
        for child in sorted(entry.children, key=lambda e: _sort_key(e.name)):
            number(child)

    number(root)
    for entry in entries:
        if entry.children:
            entry.child = _build_tree(entry.children)
    root.color = BLACK

    # The mini stream: every stream under the cutoff, in 64-byte mini sectors.
    mini_stream = bytearray()
    mini_fat: list[int] = []
    for entry in entries:
        if entry.kind == STREAM and 0 < len(entry.data) < MINI_STREAM_CUTOFF:
            entry.start = len(mini_fat)
            count = -(-len(entry.data) // MINI_SECTOR)
            mini_fat.extend([0] * count)
            _chain(mini_fat, entry.start, count)
            mini_stream += _pad(entry.data, MINI_SECTOR)

    # Sector layout: FAT, directory, mini FAT, mini stream, then the large streams.
    def sectors(size: int) -> int:
        return -(-size // SECTOR)

    directory_sectors = sectors(len(entries) * 128)
    mini_fat_sectors = sectors(len(mini_fat) * 4)
    mini_stream_sectors = sectors(len(mini_stream))
    large = [e for e in entries if e.kind == STREAM and len(e.data) >= MINI_STREAM_CUTOFF]
    data_sectors = (
        directory_sectors
        + mini_fat_sectors
        + mini_stream_sectors
        + sum(sectors(len(e.data)) for e in large)
    )
    fat_sectors = 1
    while fat_sectors * IDS_PER_SECTOR < fat_sectors + data_sectors:
        fat_sectors += 1
    if fat_sectors > DIFAT_IN_HEADER:
        raise CompoundFileError("streams too large for a compound file without DIFAT sectors")

    fat = [FREESECT] * (fat_sectors * IDS_PER_SECTOR)
    for index in range(fat_sectors):
        fat[index] = FATSECT
    position = fat_sectors
    directory_start = position
    _chain(fat, position, directory_sectors)
    position += directory_sectors
    mini_fat_start = position if mini_fat_sectors else ENDOFCHAIN
    _chain(fat, position, mini_fat_sectors)
    position += mini_fat_sectors
    root.start = position if mini_stream_sectors else ENDOFCHAIN
    root.data = bytes(mini_stream)
    _chain(fat, position, mini_stream_sectors)
    position += mini_stream_sectors
    for entry in large:
        entry.start = position
        count = sectors(len(entry.data))
        _chain(fat, position, count)
        position += count

    header = bytearray(SECTOR)
    struct.pack_into(
        "<8s16sHHHHH6sIIIIIIIII",
        header,
        0,
        SIGNATURE,
        bytes(16),
        0x003E,  # minor version
        0x0003,  # major version: 512-byte sectors
        0xFFFE,  # byte order: little-endian
        9,  # sector shift: 2**9 = 512
        6,  # mini sector shift: 2**6 = 64
        bytes(6),
        0,  # directory sectors (always 0 in version 3)
        fat_sectors,
        directory_start,
        0,  # transaction signature
        MINI_STREAM_CUTOFF,
        mini_fat_start,
        mini_fat_sectors,
        ENDOFCHAIN,  # first DIFAT sector: none
        0,
    )
    difat = list(range(fat_sectors)) + [FREESECT] * (DIFAT_IN_HEADER - fat_sectors)
    struct.pack_into(f"<{DIFAT_IN_HEADER}I", header, 76, *difat)

    directory = bytearray()
    for entry in entries:
        name = entry.name.encode("utf-16-le") + b"\0\0"
        size = len(entry.data) if entry.kind != STORAGE else 0
        if entry.kind == STORAGE:
            start = 0
        elif size:
            start = entry.start
        else:
            start = ENDOFCHAIN
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            entry.kind,
            entry.color,
            entry.left,
            entry.right,
            entry.child,
            entry.clsid,
            0,  # state bits
            0,  # creation time
            0,  # modified time
            start,
            size,
        )
    unused = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                         bytes(16), 0, 0, 0, 0, 0)  # fmt: skip
    while len(directory) % SECTOR:
        directory += unused

    body = bytearray(header)
    body += struct.pack(f"<{len(fat)}I", *fat)
    body += directory
    body += _pad(struct.pack(f"<{len(mini_fat)}I", *mini_fat), SECTOR)
    body += _pad(bytes(mini_stream), SECTOR)
    for entry in large:
        body += _pad(entry.data, SECTOR)
    return bytes(body)


def read_compound_file(data: bytes) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(streams, storage class ids) of a compound file, read with olefile."""
    if not olefile.isOleFile(io.BytesIO(data)):
        raise CompoundFileError("not a compound file")
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        streams = {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
        clsids = {"": _clsid_bytes(ole.root.clsid)}
        for path in ole.listdir(streams=False, storages=True):
            clsids["/".join(path)] = _clsid_bytes(ole.getclsid(path))
    return streams, clsids


def _clsid_bytes(text: str) -> bytes:
    """olefile shows a class id as a GUID string ("" when null); the file holds it as a GUID's
    bytes in Windows order."""
    return uuid.UUID(text).bytes_le if text else bytes(16)
