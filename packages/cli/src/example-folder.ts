import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLabels } from './eval/labels.js';
import { NONE } from './eval/metrics.js';
import { UsageError } from './exit-codes.js';

export interface LabelledFile {
  /** The file on disk. */
  path: string;
  /** As the user wrote it: the labels.csv path, or sub-folder/file. */
  name: string;
  /** A rule type; null for a negative example (labelled `none`). */
  type: string | null;
  /** Set when the file is uploaded already (the eval uploads each document once). */
  fileId?: string;
}

const isHidden = (name: string) => name.startsWith('.');
const typeOf = (label: string) => (label === NONE ? null : label);

/**
 * The labelled files of an examples folder: from its labels.csv (`path,label`, paths
 * relative to the folder) when it has one, else one sub-folder per type, named for it. The
 * label or sub-folder `none` holds negative examples. Every file is checked to exist now,
 * so that a typo stops the command before anything is uploaded.
 */
export async function readExampleFolder(folder: string): Promise<LabelledFile[]> {
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new UsageError(`"${folder}" is not a folder`);
  const csv = join(folder, 'labels.csv');
  const files = (await stat(csv).catch(() => null))?.isFile()
    ? await fromLabelsCsv(folder, csv)
    : await fromSubfolders(folder);
  if (files.length === 0)
    throw new UsageError(
      `no examples in "${folder}": give a labels.csv (path,label) or one sub-folder per type with files in it`,
    );
  return files;
}

async function fromLabelsCsv(folder: string, csv: string): Promise<LabelledFile[]> {
  let rows: { path: string; label: string }[];
  try {
    rows = parseLabels(await readFile(csv, 'utf8'));
  } catch (error) {
    throw new UsageError(`${csv}: ${(error as Error).message.replace(/^labels\.csv /, '')}`);
  }
  const files: LabelledFile[] = [];
  for (const [index, row] of rows.entries()) {
    const path = join(folder, row.path);
    if (!(await stat(path).catch(() => null))?.isFile())
      throw new UsageError(`${csv} row ${index + 2}: "${row.path}" is not a file in ${folder}`);
    files.push({ path, name: row.path, type: typeOf(row.label.trim()) });
  }
  return files;
}

async function fromSubfolders(folder: string): Promise<LabelledFile[]> {
  const entries = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && !isHidden(entry.name))
    .map((entry) => entry.name)
    .sort();
  const files: LabelledFile[] = [];
  for (const type of entries) {
    const inside = (await readdir(join(folder, type), { withFileTypes: true }))
      .filter((entry) => entry.isFile() && !isHidden(entry.name))
      .map((entry) => entry.name)
      .sort();
    for (const name of inside)
      files.push({ path: join(folder, type, name), name: `${type}/${name}`, type: typeOf(type) });
  }
  return files;
}
