/** One row of a labelled set's labels.csv (the doctypes-dev layout). */
export interface LabelledDocument {
  /** Relative to the data set folder, e.g. docs/dev_0001.pdf. */
  path: string;
  /** A rule type, or `none` when no rule fits. */
  label: string;
  /** The set's own format column: pdf, pdf-scanned, image/jpeg, html, text, docx, ... */
  format: string;
  language: string;
}

/** RFC 4180 fields: quoted cells may hold commas, doubled quotes and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((value) => value !== ''));
}

/** labels.csv: needs the columns path and label; format and language when present. */
export function parseLabels(text: string): LabelledDocument[] {
  const [header, ...rows] = parseCsv(text);
  const column = (name: string) => header?.indexOf(name) ?? -1;
  const [path, label, format, language] = ['path', 'label', 'format', 'language'].map(column);
  if (path === undefined || label === undefined || path < 0 || label < 0) {
    throw new Error('labels.csv needs a header row with "path" and "label" columns');
  }
  return rows.map((row, i) => {
    const get = (index: number | undefined) => (index === undefined || index < 0 ? '' : (row[index] ?? ''));
    if (!get(path) || !get(label)) throw new Error(`labels.csv row ${i + 2} has no path or label`);
    return { path: get(path), label: get(label), format: get(format) || 'unknown', language: get(language) };
  });
}
