/** How far the compressed streams of one PDF may unpack (see ParserSettings). */
export interface StreamLimits {
  maxStreamBytes: number;
  maxTotalBytes: number;
}
