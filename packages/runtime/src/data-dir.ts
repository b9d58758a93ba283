import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A relative DATA_DIR is taken from the install root (three levels above an app's
 * dist/main.js), not the working directory, so the API and the workers agree on it
 * however each was started.
 */
export function resolveDataDir(dataDir: string, mainModuleUrl: string): string {
  if (isAbsolute(dataDir)) return dataDir;
  return resolve(fileURLToPath(new URL('../../../', mainModuleUrl)), dataDir);
}
