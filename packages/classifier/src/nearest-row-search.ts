import { NEAREST_KERNEL_HEX } from './nearest-kernel-bytes.js';

// The project's TypeScript libs (ES2023, @types/node 20) do not declare WebAssembly; these
// are the few members used here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let kernel: object | undefined;

/**
 * The compiled search kernel (232 bytes of WebAssembly with 128-bit SIMD, about five times
 * faster than the same loop in JavaScript). Throws on a runtime without WebAssembly SIMD.
 */
export function nearestKernel(): object {
  kernel ??= new wasm.Module(Buffer.from(NEAREST_KERNEL_HEX, 'hex'));
  return kernel;
}

type NearestFunction = (query: number, matrix: number, rows: number, stride: number, skip: number) => number;

export interface RowMatch {
  row: number;
  similarity: number;
}

const PAGE_BYTES = 65_536;
/** Address 0 receives the best dot product; the query follows at 16, then the matrix. */
const QUERY_OFFSET = 16;

/**
 * Finds the row of a fixed matrix with the largest dot product with a query. Each instance
 * copies the matrix into its own WebAssembly memory, so classifications running at the
 * same time never share one.
 */
export class NearestRowSearch {
  private readonly search: NearestFunction;
  private readonly heap: Float32Array;
  private readonly rows: number;
  private readonly stride: number;
  private readonly matrixOffset: number;

  constructor(matrix: Float32Array, dims: number) {
    this.rows = Math.floor(matrix.length / dims);
    // Rows are zero padded to whole 4-lane vectors.
    this.stride = Math.ceil(dims / 4) * 16;
    this.matrixOffset = QUERY_OFFSET + this.stride;
    const instance = new wasm.Instance(nearestKernel());
    const memory = instance.exports.memory as WasmMemory;
    const needed = Math.ceil((this.matrixOffset + this.rows * this.stride) / PAGE_BYTES);
    const have = memory.buffer.byteLength / PAGE_BYTES;
    if (needed > have) memory.grow(needed - have);
    this.search = instance.exports.nearest as NearestFunction;
    this.heap = new Float32Array(memory.buffer);
    for (let row = 0; row < this.rows; row++) {
      this.heap.set(
        matrix.subarray(row * dims, row * dims + dims),
        (this.matrixOffset + row * this.stride) / 4,
      );
    }
  }

  /** The best row for the query (a vector of the matrix's width), ignoring skipRow; null if none. */
  nearest(query: Float32Array, skipRow = -1): RowMatch | null {
    this.heap.set(query, QUERY_OFFSET / 4);
    const row = this.search(QUERY_OFFSET, this.matrixOffset, this.rows, this.stride, skipRow);
    return row < 0 ? null : { row, similarity: this.heap[0] as number };
  }
}
