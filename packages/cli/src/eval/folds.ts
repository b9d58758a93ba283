import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';

/** Cross-validation folds of a labelled set. */
export const FOLDS = 5;

/**
 * A document's id: its file name without the extension (docs/dev_0001.pdf -> dev_0001), the
 * id the classifier's own dev-set evaluation (packages/classifier/scripts) folds by.
 */
export function documentId(path: string): string {
  return basename(path, extname(path));
}

/**
 * A stable fold for a document id, so that every run, and the classifier's evaluation, split
 * the same way: the first four bytes of its SHA-256, big-endian, modulo the fold count.
 */
export function foldOf(id: string, folds = FOLDS): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % folds;
}

/** A stable order for choosing examples that does not follow the fold split. */
export function exampleRank(id: string): string {
  return createHash('sha256').update(`example:${id}`).digest('hex');
}
