/**
 * Blob ids become file names and object keys, so only plain ids (`dfl-<uuid>`) pass:
 * nothing that could climb out of the store's directory or prefix.
 */
export function checkBlobId(id: string): string {
  if (!/^[A-Za-z0-9-]{1,128}$/.test(id))
    throw new Error(`invalid blob id ${JSON.stringify(id.slice(0, 140))}`);
  return id;
}
