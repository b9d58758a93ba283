import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './exit-codes.js';

const isHidden = (name: string) => name.startsWith('.');

/**
 * The files to classify, in a stable order: each named file as given (even a hidden one,
 * since the user named it), and the non-hidden files of each named folder, sorted; sub-folders
 * only with `recursive`. Paths stay relative as typed, so the output names what the user gave.
 */
export async function collectFiles(inputs: string[], recursive: boolean): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) throw new UsageError(`"${input}" does not exist`);
    if (info.isFile()) files.push(input);
    else if (info.isDirectory()) files.push(...(await filesIn(input, recursive)));
    else throw new UsageError(`"${input}" is neither a file nor a folder`);
  }
  const unique = [...new Set(files)];
  if (unique.length === 0) {
    throw new UsageError(
      `no files to classify in ${inputs.map((i) => `"${i}"`).join(', ')}${recursive ? '' : ' (use --recursive for sub-folders)'}`,
    );
  }
  return unique;
}

async function filesIn(folder: string, recursive: boolean): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: string[] = [];
  for (const entry of entries) {
    if (isHidden(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isFile()) found.push(path);
    else if (entry.isDirectory() && recursive) found.push(...(await filesIn(path, true)));
    // A link to a file counts; links to folders are not followed, so a loop cannot hang us.
    else if (entry.isSymbolicLink() && (await stat(path).catch(() => null))?.isFile()) found.push(path);
  }
  return found;
}
