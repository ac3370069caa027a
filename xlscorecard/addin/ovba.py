"""VBA projects as Office stores them ([MS-OVBA]): the compression, and adding a module.

Excel keeps a workbook's VBA in ``xl/vbaProject.bin``, a compound file holding a ``PROJECT``
stream (text), ``PROJECTwm`` (module names), and a ``VBA`` storage with ``_VBA_PROJECT``, the
compressed ``dir`` stream (the project's records) and one stream per module. A module stream
may start with compiled "performance cache" data; MODULEOFFSET in ``dir`` says where its
compressed source begins. Writing a module with MODULEOFFSET 0 (the stream is only compressed
source) and ``_VBA_PROJECT`` version 0xFFFF makes Office ignore every cache and compile the
project from source when it opens the file ([MS-OVBA] 2.3.4.1, the _VBA_PROJECT stream): that
is how xlwings ships the module of its own add-in, and how this module writes one on a machine
without Office. Modules that are not rewritten keep their streams as they are.

The compression is [MS-OVBA] 2.4.1, implemented from the specification.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

from ..errors import ScorecardError


class VbaProjectError(ScorecardError):
    """A vbaProject.bin (or one of its streams) that does not follow [MS-OVBA]."""


# --- 2.4.1 Compression -------------------------------------------------------------------------

CHUNK_SIZE = 4096
_SIGNATURE = 0x01
_CHUNK_SIGNATURE = 0b011
_COMPRESSED_CHUNK_MAX = 4098  # header included: a 12-bit size + 3


def _copy_token_help(difference: int) -> tuple[int, int, int, int]:
    """[MS-OVBA] 2.4.1.3.19.1 CopyToken Help: (length mask, offset mask, bit count, maximum
    length) for a copy token at ``difference`` bytes from the start of its chunk."""
    bit_count = max((difference - 1).bit_length(), 4)
    length_mask = 0xFFFF >> bit_count
    offset_mask = ~length_mask & 0xFFFF
    maximum_length = length_mask + 3
    return length_mask, offset_mask, bit_count, maximum_length


def decompress(container: bytes) -> bytes:
    """Decompress a CompressedContainer ([MS-OVBA] 2.4.1.3.1)."""
    if not container or container[0] != _SIGNATURE:
        raise VbaProjectError("not a compressed VBA container (first byte is not 0x01)")
    out = bytearray()
    pos = 1
    end = len(container)
    while pos < end:
        if pos + 2 > end:
            raise VbaProjectError(f"compressed VBA container cut short at byte {pos}")
        (header,) = struct.unpack_from("<H", container, pos)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != _CHUNK_SIGNATURE:
            raise VbaProjectError(f"bad compressed chunk signature at byte {pos}")
        compressed = bool(header & 0x8000)
        chunk_end = min(pos + size, end)
        pos += 2
        chunk_start = len(out)
        if not compressed:
            # 2.4.1.3.3: a raw chunk is always 4096 bytes.
            raw = container[pos : pos + CHUNK_SIZE]
            if len(raw) != CHUNK_SIZE:
                raise VbaProjectError("raw chunk of a compressed VBA container is cut short")
            out += raw
            pos += CHUNK_SIZE
            continue
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(container[pos])
                    pos += 1
                    continue
                if pos + 2 > chunk_end:
                    raise VbaProjectError(f"copy token cut short at byte {pos}")
                (token,) = struct.unpack_from("<H", container, pos)
                pos += 2
                length_mask, offset_mask, bit_count, _ = _copy_token_help(len(out) - chunk_start)
                length = (token & length_mask) + 3
                offset = ((token & offset_mask) >> (16 - bit_count)) + 1
                source = len(out) - offset
                if source < chunk_start:
                    raise VbaProjectError(f"copy token reaches before its chunk at byte {pos - 2}")
                for i in range(length):  # byte by byte: a copy may overlap what it produces
                    out.append(out[source + i])
    return bytes(out)


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """[MS-OVBA] 2.4.1.3.7: one chunk of ``data[start:end]`` (at most 4096 bytes), header
    included. Each match is the longest earlier one in the chunk, the nearest on a tie, as in
    the specification's matching procedure (2.4.1.3.19.4), except that the search stops at the
    first candidate as long as a copy token can hold. Candidates come from an index of 3-byte
    prefixes (a shorter match is never used), so the search is not quadratic."""
    out = bytearray(b"\0\0")
    chains: dict[bytes, list[int]] = {}
    current = start

    def remember(position: int) -> None:
        if position + 3 <= end:
            chains.setdefault(data[position : position + 3], []).append(position)

    full = False
    while current < end and not full:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if current >= end:
                break
            best_length, best_candidate = 0, 0
            _, _, bit_count, maximum_length = _copy_token_help(current - start)
            limit = min(maximum_length, end - current)
            if limit >= 3:
                for candidate in reversed(chains.get(data[current : current + 3], ())):
                    length = 3
                    while length < limit and data[candidate + length] == data[current + length]:
                        length += 1
                    if length > best_length:
                        best_length, best_candidate = length, candidate
                        if length == limit:
                            break
            token_size = 2 if best_length >= 3 else 1
            if len(out) + token_size > _COMPRESSED_CHUNK_MAX:
                full = True  # 2.4.1.3.9: no room left; the chunk will be stored raw
                break
            if token_size == 2:
                offset = current - best_candidate
                out += struct.pack("<H", ((offset - 1) << (16 - bit_count)) | (best_length - 3))
                flags |= 1 << bit
                for position in range(current, current + best_length):
                    remember(position)
                current += best_length
            else:
                out.append(data[current])
                remember(current)
                current += 1
        out[flag_at] = flags
        full = full or len(out) >= _COMPRESSED_CHUNK_MAX
    if current < end:
        # 2.4.1.3.10: the chunk does not compress; store it raw, padded to 4096 bytes.
        raw = data[start:end].ljust(CHUNK_SIZE, b"\0")
        return struct.pack("<H", (CHUNK_SIZE - 1) | (_CHUNK_SIGNATURE << 12)) + raw
    struct.pack_into("<H", out, 0, (len(out) - 3) | (_CHUNK_SIGNATURE << 12) | 0x8000)
    return bytes(out)


def compress(data: bytes) -> bytes:
    """Compress ``data`` into a CompressedContainer ([MS-OVBA] 2.4.1.3.6).

    As the specification has it, a chunk that would grow is stored raw, and a raw chunk is
    always 4096 bytes: a short last chunk stored raw decompresses with trailing zeros. Text (VBA
    source, the ``dir`` stream) always compresses, so this never happens to them."""
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK_SIZE):
        out += _compress_chunk(data, start, min(start + CHUNK_SIZE, len(data)))
    return bytes(out)


# --- 2.3.4.2 The dir stream --------------------------------------------------------------------

# Record ids used below ([MS-OVBA] 2.3.4.2).
PROJECTCODEPAGE = 0x0003
PROJECTNAME = 0x0004
PROJECTVERSION = 0x0009
PROJECTMODULES = 0x000F
TERMINATOR = 0x0010
MODULENAME = 0x0019
MODULESTREAMNAME = 0x001A
MODULEDOCSTRING = 0x001C
MODULEHELPCONTEXT = 0x001E
MODULETYPE_PROCEDURAL = 0x0021
MODULETYPE_DOCUMENT = 0x0022
MODULE_TERMINATOR = 0x002B
MODULECOOKIE = 0x002C
MODULEOFFSET = 0x0031
MODULESTREAMNAME_UNICODE = 0x0032
MODULENAME_UNICODE = 0x0047
MODULEDOCSTRING_UNICODE = 0x0048


@dataclass
class Record:
    """One record of the dir stream: ``id``, then ``data`` (its u32 size is implied)."""

    id: int
    data: bytes

    def pack(self) -> bytes:
        if self.id == PROJECTVERSION:
            # The one record whose size field (always 4) does not count its data (6 bytes).
            return struct.pack("<HI", self.id, 4) + self.data
        return struct.pack("<HI", self.id, len(self.data)) + self.data


def parse_dir(data: bytes) -> list[Record]:
    """The records of a decompressed dir stream, in order."""
    records = []
    pos = 0
    while pos < len(data):
        if pos + 6 > len(data):
            raise VbaProjectError(f"dir stream cut short at byte {pos}")
        record_id, size = struct.unpack_from("<HI", data, pos)
        pos += 6
        if record_id == PROJECTVERSION:
            size = 6
        if pos + size > len(data):
            raise VbaProjectError(f"dir record 0x{record_id:04X} runs past the end of the stream")
        records.append(Record(record_id, data[pos : pos + size]))
        pos += size
        if record_id == TERMINATOR:
            break
    if not records or records[-1].id != TERMINATOR:
        raise VbaProjectError("dir stream has no terminator record")
    return records


def pack_dir(records: list[Record]) -> bytes:
    return b"".join(record.pack() for record in records)


@dataclass
class ModuleEntry:
    """What dir says about one module."""

    name: str
    stream_name: str
    offset: int
    procedural: bool
    records: list[Record] = field(repr=False)


def _codepage(records: list[Record]) -> str:
    for record in records:
        if record.id == PROJECTCODEPAGE:
            (codepage,) = struct.unpack("<H", record.data)
            return f"cp{codepage}"
    raise VbaProjectError("dir stream has no PROJECTCODEPAGE record")


def _modules(records: list[Record]) -> tuple[int, list[ModuleEntry]]:
    """(index of the PROJECTMODULES record, the modules that follow it)."""
    encoding = _codepage(records)
    try:
        start = next(i for i, r in enumerate(records) if r.id == PROJECTMODULES)
    except StopIteration:
        raise VbaProjectError("dir stream has no PROJECTMODULES record") from None
    modules: list[ModuleEntry] = []
    current: list[Record] = []
    for record in records[start + 1 : -1]:
        if record.id == MODULENAME:
            current = []
        current.append(record)
        if record.id == MODULE_TERMINATOR and current and current[0].id == MODULENAME:
            values = {r.id: r.data for r in current}
            modules.append(
                ModuleEntry(
                    name=values[MODULENAME].decode(encoding),
                    stream_name=values[MODULESTREAMNAME].decode(encoding),
                    offset=struct.unpack("<I", values[MODULEOFFSET])[0],
                    procedural=MODULETYPE_PROCEDURAL in values,
                    records=current,
                )
            )
            current = []
    (count,) = struct.unpack("<H", records[start].data)
    if count != len(modules):
        raise VbaProjectError(f"dir stream says {count} modules but describes {len(modules)}")
    return start, modules


def _module_records(name: str, encoding: str) -> list[Record]:
    """The records of a new procedural (standard) module whose stream is only source."""
    return [
        Record(MODULENAME, name.encode(encoding)),
        Record(MODULENAME_UNICODE, name.encode("utf-16-le")),
        Record(MODULESTREAMNAME, name.encode(encoding)),
        Record(MODULESTREAMNAME_UNICODE, name.encode("utf-16-le")),
        Record(MODULEDOCSTRING, b""),
        Record(MODULEDOCSTRING_UNICODE, b""),
        Record(MODULEOFFSET, struct.pack("<I", 0)),
        Record(MODULEHELPCONTEXT, struct.pack("<I", 0)),
        Record(MODULECOOKIE, struct.pack("<H", 0xFFFF)),
        Record(MODULETYPE_PROCEDURAL, b""),
        Record(MODULE_TERMINATOR, b""),
    ]


# --- The whole project -------------------------------------------------------------------------

# [MS-OVBA] 2.3.4.1: Reserved1 0x61CC, Version 0xFFFF (so that performance caches are ignored),
# Reserved2 0x00, Reserved3. The specification says to write 0x0003 there and to ignore it on
# read; xlwings' add-in, which Excel opens, has 0x0001. We keep the source project's bytes.
_VBA_PROJECT_VERSION = 0xFFFF

_MODULE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")


class VbaProject:
    """The streams of a vbaProject.bin, with the edits an add-in build needs.

    ``streams`` maps paths such as ``"VBA/dir"`` to their bytes; read them with olefile and
    write them back with :func:`xlscorecard.addin.cfb.write_compound_file`.
    """

    def __init__(self, streams: dict[str, bytes]):
        missing = {"PROJECT", "PROJECTwm", "VBA/dir", "VBA/_VBA_PROJECT"} - set(streams)
        if missing:
            raise VbaProjectError(f"not a VBA project: no {', '.join(sorted(missing))} stream")
        self.streams = dict(streams)
        self.records = parse_dir(decompress(self.streams["VBA/dir"]))
        self.encoding = _codepage(self.records)

    @property
    def modules(self) -> list[ModuleEntry]:
        return _modules(self.records)[1]

    def module_source(self, name: str) -> str:
        """A module's source, as stored (CRLF line ends, ``Attribute`` lines included)."""
        for module in self.modules:
            if module.name.lower() == name.lower():
                stream = self.streams[f"VBA/{module.stream_name}"]
                return decompress(stream[module.offset :]).decode(self.encoding)
        raise VbaProjectError(f"the VBA project has no module {name}")

    def set_standard_module(self, name: str, source: str) -> None:
        """Add the standard module ``name`` with ``source`` (or replace its source).

        The module stream becomes only the compressed source (MODULEOFFSET 0). Every stream
        left with compiled code keeps it, but with ``_VBA_PROJECT`` at version 0xFFFF Office
        ignores it and compiles the whole project from source."""
        if not _MODULE_NAME.fullmatch(name):
            raise VbaProjectError(f"{name!r} is not a valid VBA module name")
        text = source.replace("\r\n", "\n").replace("\n", "\r\n")
        if not re.match(r"Attribute VB_Name = ", text):
            text = f'Attribute VB_Name = "{name}"\r\n' + text
        try:
            encoded = text.encode(self.encoding)
        except UnicodeEncodeError as error:
            raise VbaProjectError(
                f"module {name} has a character the project's code page "
                f"({self.encoding}) cannot hold: {error.object[error.start : error.end]!r}"
            ) from None

        start, modules = _modules(self.records)
        existing = [m for m in modules if m.name.lower() == name.lower()]
        if existing:
            module = existing[0]
            if not module.procedural:
                raise VbaProjectError(f"{name} is a document or class module, not a standard one")
            for record in module.records:
                if record.id == MODULEOFFSET:
                    record.data = struct.pack("<I", 0)
            self.streams[f"VBA/{module.stream_name}"] = compress(encoded)
            self._drop_caches()
            return

        others = {p.split("/", 1)[1].lower() for p in self.streams if p.startswith("VBA/")}
        if name.lower() in others:
            raise VbaProjectError(f"the VBA storage already has a stream named {name}")
        terminator = len(self.records) - 1
        self.records[terminator:terminator] = _module_records(name, self.encoding)
        self.records[start].data = struct.pack("<H", len(modules) + 1)
        self.streams[f"VBA/{name}"] = compress(encoded)
        self._add_to_project_stream(name)
        self._add_to_project_wm(name)
        self._drop_caches()

    def set_project_name(self, name: str) -> None:
        """Rename the project (what the VBA editor lists): PROJECTNAME in ``dir`` ([MS-OVBA]
        2.3.4.2.1.6) and ``Name=`` in PROJECT (2.3.1.5)."""
        if not _MODULE_NAME.fullmatch(name):
            raise VbaProjectError(f"{name!r} is not a valid VBA project name")
        records = [record for record in self.records if record.id == PROJECTNAME]
        if len(records) != 1:
            raise VbaProjectError("the dir stream has no single PROJECTNAME record")
        records[0].data = name.encode(self.encoding)
        lines = self._project_lines()
        named = [i for i, line in enumerate(lines) if line.startswith("Name=")]
        if len(named) != 1:
            raise VbaProjectError("the PROJECT stream has no single Name= line")
        lines[named[0]] = f'Name="{name}"'
        self._set_project_lines(lines)
        self._drop_caches()

    def rename_standard_module(self, old: str, new: str) -> None:
        """Rename the standard module ``old`` to ``new``: its records in ``dir``, its stream,
        its ``Attribute VB_Name``, and its lines in PROJECT and PROJECTwm."""
        if not _MODULE_NAME.fullmatch(new):
            raise VbaProjectError(f"{new!r} is not a valid VBA module name")
        source = self.module_source(old)
        (module,) = [m for m in self.modules if m.name.lower() == old.lower()]
        if not module.procedural:
            raise VbaProjectError(f"{old} is a document or class module, not a standard one")
        names = {
            MODULENAME: new.encode(self.encoding),
            MODULENAME_UNICODE: new.encode("utf-16-le"),
            MODULESTREAMNAME: new.encode(self.encoding),
            MODULESTREAMNAME_UNICODE: new.encode("utf-16-le"),
            MODULEOFFSET: struct.pack("<I", 0),
        }
        for record in module.records:
            record.data = names.get(record.id, record.data)
        del self.streams[f"VBA/{module.stream_name}"]
        text = re.sub(r'^Attribute VB_Name = "[^"]*"', f'Attribute VB_Name = "{new}"', source)
        self.streams[f"VBA/{new}"] = compress(text.encode(self.encoding))
        lines = self._project_lines()
        for i, line in enumerate(lines):
            key, equals, rest = line.partition("=")
            if equals and key == "Module" and rest == module.name:
                lines[i] = f"Module={new}"
            elif equals and key == module.name:
                lines[i] = f"{new}={rest}"
        self._set_project_lines(lines)
        entry = module.name.encode(self.encoding) + b"\0" + module.name.encode("utf-16-le")
        renamed = new.encode(self.encoding) + b"\0" + new.encode("utf-16-le")
        wm = self.streams["PROJECTwm"]
        if wm.count(entry + b"\0\0") != 1:
            raise VbaProjectError(f"the PROJECTwm stream does not name {module.name} once")
        self.streams["PROJECTwm"] = wm.replace(entry + b"\0\0", renamed + b"\0\0")
        self._drop_caches()

    def _project_lines(self) -> list[str]:
        return self.streams["PROJECT"].decode(self.encoding).split("\r\n")

    def _set_project_lines(self, lines: list[str]) -> None:
        self.streams["PROJECT"] = "\r\n".join(lines).encode(self.encoding)

    def _add_to_project_stream(self, name: str) -> None:
        """PROJECT ([MS-OVBA] 2.3.1): a ``Module=`` line among the module lines, and a window
        position in ``[Workspace]``."""
        lines = self.streams["PROJECT"].decode(self.encoding).split("\r\n")
        module_lines = [
            i
            for i, line in enumerate(lines)
            if line.split("=", 1)[0] in {"Module", "Document", "Class", "BaseClass", "Package"}
        ]
        if not module_lines:
            raise VbaProjectError("the PROJECT stream lists no modules")
        lines.insert(module_lines[-1] + 1, f"Module={name}")
        try:
            workspace = lines.index("[Workspace]")
        except ValueError:
            pass
        else:
            after = workspace + 1
            while after < len(lines) and lines[after] and not lines[after].startswith("["):
                after += 1
            lines.insert(after, f"{name}=0, 0, 0, 0, C")
        self.streams["PROJECT"] = "\r\n".join(lines).encode(self.encoding)

    def _add_to_project_wm(self, name: str) -> None:
        """PROJECTwm ([MS-OVBA] 2.3.3): each name in MBCS and UTF-16, then a 0x0000 end."""
        data = self.streams["PROJECTwm"]
        if not data.endswith(b"\0\0"):
            raise VbaProjectError("the PROJECTwm stream has no terminator")
        entry = name.encode(self.encoding) + b"\0" + name.encode("utf-16-le") + b"\0\0"
        self.streams["PROJECTwm"] = data[:-2] + entry + b"\0\0"

    def _drop_caches(self) -> None:
        """Make Office compile from source: _VBA_PROJECT version 0xFFFF with no cache after
        the header, and no ``__SRP_*`` streams (more compiled caches)."""
        header = self.streams["VBA/_VBA_PROJECT"]
        if len(header) < 7 or header[:2] != b"\xcc\x61":
            raise VbaProjectError("the _VBA_PROJECT stream does not start with 0x61CC")
        self.streams["VBA/_VBA_PROJECT"] = (
            header[:2] + struct.pack("<H", _VBA_PROJECT_VERSION) + header[4:7]
        )
        for path in [p for p in self.streams if p.split("/")[-1].startswith("__SRP_")]:
            del self.streams[path]

    def stream_bytes(self) -> dict[str, bytes]:
        """Every stream, with the dir stream re-packed and compressed."""
        return {**self.streams, "VBA/dir": compress(pack_dir(self.records))}
