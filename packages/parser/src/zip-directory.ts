/**
 * The central directory of a ZIP archive, read without inflating anything, so that the
 * parser can tell a DOCX from other archives and check the sizes an archive declares
 * before any of it is unpacked.
 */

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; anything else is refused by the readers. */
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export type ZipDirectory =
  | { ok: true; entries: ZipEntry[] }
  /** `zip64`: the archive needs ZIP64 records, which only archives past 4 GiB or 65 535 entries need. */
  | { ok: false; reason: 'not_zip' | 'damaged' | 'zip64' };

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_RECORD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const UTF8_NAMES = 0x0800;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function startsLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && view(bytes).getUint32(0, true) === LOCAL_HEADER;
}

/** An archive with no entries is only its end record. */
export function startsLikeEmptyZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && view(bytes).getUint32(0, true) === END_OF_DIRECTORY;
}

/** Where the end-of-central-directory record starts: searched backwards over a possible comment. */
function endRecordOffset(bytes: Uint8Array): number {
  const data = view(bytes);
  const last = bytes.length - END_RECORD_SIZE;
  for (let offset = last; offset >= 0 && offset >= last - MAX_COMMENT; offset--) {
    if (data.getUint32(offset, true) === END_OF_DIRECTORY) return offset;
  }
  return -1;
}

function decodeName(bytes: Uint8Array, utf8: boolean): string {
  return new TextDecoder(utf8 ? 'utf-8' : 'latin1').decode(bytes);
}

export function readZipDirectory(bytes: Uint8Array): ZipDirectory {
  if (bytes.length < END_RECORD_SIZE)
    return { ok: false, reason: startsLikeZip(bytes) ? 'damaged' : 'not_zip' };
  const end = endRecordOffset(bytes);
  if (end < 0) return { ok: false, reason: startsLikeZip(bytes) ? 'damaged' : 'not_zip' };
  const data = view(bytes);
  const count = data.getUint16(end + 10, true);
  const directorySize = data.getUint32(end + 12, true);
  const directoryOffset = data.getUint32(end + 16, true);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    return { ok: false, reason: 'zip64' };
  }
  if (directoryOffset + directorySize > end) return { ok: false, reason: 'damaged' };

  const entries: ZipEntry[] = [];
  let offset = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (offset + 46 > end || data.getUint32(offset, true) !== DIRECTORY_ENTRY) {
      return { ok: false, reason: 'damaged' };
    }
    const nameLength = data.getUint16(offset + 28, true);
    const extraLength = data.getUint16(offset + 30, true);
    const commentLength = data.getUint16(offset + 32, true);
    const flags = data.getUint16(offset + 8, true);
    const entry: ZipEntry = {
      name: decodeName(bytes.subarray(offset + 46, offset + 46 + nameLength), (flags & UTF8_NAMES) !== 0),
      method: data.getUint16(offset + 10, true),
      flags,
      compressedSize: data.getUint32(offset + 20, true),
      uncompressedSize: data.getUint32(offset + 24, true),
      localHeaderOffset: data.getUint32(offset + 42, true),
    };
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff) {
      return { ok: false, reason: 'zip64' };
    }
    entries.push(entry);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return { ok: true, entries };
}

/**
 * The compressed bytes of an entry, found through its local header (whose name and extra
 * field lengths may differ from the central directory's), or null when they lie outside
 * the archive.
 */
export function entryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array | null {
  const start = entry.localHeaderOffset;
  if (start + 30 > bytes.length) return null;
  const data = view(bytes);
  if (data.getUint32(start, true) !== LOCAL_HEADER) return null;
  const dataStart = start + 30 + data.getUint16(start + 26, true) + data.getUint16(start + 28, true);
  const dataEnd = dataStart + entry.compressedSize;
  return dataEnd > bytes.length ? null : bytes.subarray(dataStart, dataEnd);
}

/** The name of the first entry from its local header, for archives whose directory is missing. */
export function firstLocalEntryName(bytes: Uint8Array): string | null {
  if (!startsLikeZip(bytes) || bytes.length < 30) return null;
  const data = view(bytes);
  const nameLength = data.getUint16(26, true);
  if (30 + nameLength > bytes.length) return null;
  return decodeName(bytes.subarray(30, 30 + nameLength), (data.getUint16(6, true) & UTF8_NAMES) !== 0);
}
