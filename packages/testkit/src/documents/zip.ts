import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipInput {
  name: string;
  data: Uint8Array | string;
  /** Deflate (default) or store. */
  deflate?: boolean;
}

/** An entry given as already compressed bytes with the sizes to declare, true or not. */
export interface RawZipInput {
  name: string;
  deflated: Uint8Array;
  declaredSize: number;
  crc?: number;
}

type Entry = { name: Buffer; method: number; crc: number; size: number; body: Uint8Array };

function toEntry(input: ZipInput | RawZipInput): Entry {
  const name = Buffer.from(input.name, 'utf8');
  if ('deflated' in input) {
    return { name, method: 8, crc: input.crc ?? 0, size: input.declaredSize, body: input.deflated };
  }
  const data = typeof input.data === 'string' ? Buffer.from(input.data, 'utf8') : input.data;
  const deflate = input.deflate ?? true;
  return {
    name,
    method: deflate ? 8 : 0,
    crc: crc32(data),
    size: data.length,
    body: deflate ? deflateRawSync(data) : data,
  };
}

function header(signature: number, fields: [number, 2 | 4][]): Buffer {
  const out = Buffer.alloc(4 + fields.reduce((sum, [, size]) => sum + size, 0));
  out.writeUInt32LE(signature, 0);
  let at = 4;
  for (const [value, size] of fields) {
    if (size === 2) out.writeUInt16LE(value, at);
    else out.writeUInt32LE(value >>> 0, at);
    at += size;
  }
  return out;
}

/** A ZIP archive, written by hand so that hostile fixtures can lie about sizes. */
export function zipArchive(inputs: readonly (ZipInput | RawZipInput)[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of inputs.map(toEntry)) {
    const common: [number, 2 | 4][] = [
      [0x0800, 2], // UTF-8 names
      [entry.method, 2],
      [0, 2],
      [0x21, 2], // 1980-01-01
      [entry.crc, 4],
      [entry.body.length, 4],
      [entry.size, 4],
      [entry.name.length, 2],
      [0, 2],
    ];
    const local = Buffer.concat([header(0x04034b50, [[20, 2], ...common]), entry.name, entry.body]);
    const central = header(0x02014b50, [
      [20, 2],
      [20, 2],
      ...common,
      [0, 2],
      [0, 2],
      [0, 2],
      [0, 4],
      [offset, 4],
    ]);
    locals.push(local);
    centrals.push(Buffer.concat([central, entry.name]));
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = header(0x06054b50, [
    [0, 2],
    [0, 2],
    [inputs.length, 2],
    [inputs.length, 2],
    [directory.length, 4],
    [offset, 4],
    [0, 2],
  ]);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * A raw deflate stream of `mebibytes` MiB of zeros, built in milliseconds: one
 * full-flushed block of 1 MiB (about 1 KB) repeated, then a final empty block.
 */
export function deflatedZeros(mebibytes: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: constants.Z_FULL_FLUSH });
  const final = Buffer.from([0x03, 0x00]);
  return Buffer.concat([...Array.from({ length: mebibytes }, () => block), final]);
}
