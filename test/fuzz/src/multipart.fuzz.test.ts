import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  completeUpload,
  cutUpload,
  fileName,
  longFileName,
  type UploadCase,
  uploadContentType,
} from './arbitraries/multipart.js';
import { encodeQuery } from './arbitraries/queries.js';
import { unicodeText } from './arbitraries/strings.js';
import { AUTH, useFuzzSession } from './fuzz-file.js';
import { type FuzzRequest, rawRequest, sendRaw } from './http-client.js';
import { encodeMultipart, multipartContentType, type Part, wellFormed } from './multipart-body.js';
import { regressions } from './regressions.js';
import { describeExchange, FuzzFailure } from './response-checks.js';
import { ROUTES, UPLOAD_ROUTES } from './routes.js';

const { session, timeout } = useFuzzSession('multipart');

function uploadRequest(upload: UploadCase): FuzzRequest {
  const spec = ROUTES[upload.route];
  const contentType = uploadContentType(upload);
  return {
    method: 'POST',
    path: `${spec.path}${encodeQuery({ pairs: upload.query, encoding: 'component' })}`,
    headers: { ...AUTH, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
    body: encodeMultipart(upload.body),
  };
}

/** Uploads one small file under `filename`; the answer, as the route gave it. */
async function uploadNamed(filename: NonNullable<Part['filename']>) {
  const boundary = 'round-trip-boundary';
  return session().exchange(ROUTES.fileUpload, {
    method: 'POST',
    path: ROUTES.fileUpload.path,
    headers: { ...AUTH, 'content-type': multipartContentType(boundary) },
    body: encodeMultipart({
      boundary,
      ending: 'complete',
      parts: [
        { name: 'purpose', value: 'classify' },
        { name: 'file', filename, contentType: 'text/plain', value: ROUND_TRIP_BYTES },
      ],
    }),
  });
}

const ROUND_TRIP_BYTES = 'round trip body';

describe('multipart uploads: no 5xx, no crash, FastAPI-shaped errors', () => {
  it('the three upload routes: fields, names, files, boundaries and content types', {
    timeout: timeout({ weight: 2 }),
  }, async () => {
    await session().property(
      'complete uploads',
      (fixtures) => completeUpload(fixtures, UPLOAD_ROUTES),
      async (upload) => {
        await session().exchange(ROUTES[upload.route], uploadRequest(upload));
      },
      { weight: 2 },
    );
  });

  it('bodies that end early or badly (the request itself whole)', { timeout: timeout() }, async () => {
    await session().property(
      'cut uploads',
      (fixtures) => cutUpload(fixtures, UPLOAD_ROUTES),
      async (upload) => {
        await session().exchange(ROUTES[upload.route], uploadRequest(upload));
      },
      { examples: regressions.cutUpload },
    );
  });

  it('a client that goes away in the middle of the body leaves the API serving', {
    timeout: timeout({ weight: 0.5 }),
  }, async () => {
    await session().property(
      'aborted uploads',
      (fixtures) =>
        fc.record({
          upload: completeUpload(fixtures, UPLOAD_ROUTES),
          sentFraction: fc.double({ min: 0, max: 0.95, noNaN: true }),
          waitMs: fc.constantFrom(0, 5, 50),
        }),
      async ({ upload, sentFraction, waitMs }) => {
        const api = session().api;
        const req = uploadRequest(upload);
        const whole = rawRequest(req, api.host);
        const declared = whole.length - Buffer.from(req.body ?? '').length;
        const cut = whole.subarray(0, declared + Math.floor((whole.length - declared) * sentFraction));
        const res = await sendRaw(api.baseUrl, cut, { abortAfterMs: waitMs });
        session().tally.count(`${req.method} ${ROUTES[upload.route].path} (aborted)`, res.status);
        if (res.status >= 500 || (await api.exitedSoon(150))) {
          const crash = api.exited() ? `\n\nits last output:\n${api.crashOf().output}` : '';
          throw new FuzzFailure(`an aborted upload hurt the API\n${describeExchange(req, res)}${crash}`);
        }
      },
      { weight: 0.5 },
    );
  });

  it('any file name survives upload, content link and signed download', { timeout: timeout() }, async () => {
    await session().property(
      'file name round trip',
      () =>
        fc.record({
          value: fc.oneof(fileName, longFileName),
          form: fc.constantFrom<'plain' | 'star'>('plain', 'star'),
        }),
      async (filename) => {
        const uploaded = await uploadNamed(filename);
        if (uploaded.status !== 201) return;
        const id = (JSON.parse(uploaded.body.toString()) as { id: string }).id;
        const content = await session().exchange(ROUTES.fileContent, {
          method: 'GET',
          path: ROUTES.fileContent.path.replace('{id}', id),
          headers: AUTH,
        });
        const link = new URL((JSON.parse(content.body.toString()) as { url: string }).url);
        const download = await session().exchange(ROUTES.fileDownload, {
          method: 'GET',
          path: `${link.pathname}${link.search}`,
        });
        if (download.status !== 200 || download.body.toString() !== ROUND_TRIP_BYTES) {
          throw new FuzzFailure(`the signed download of ${id} answered ${download.status}: ${download.body}`);
        }
      },
      { examples: regressions.fileNameRoundTrip },
    );
  });

  it('a file name comes back as it was sent, as UTF-8 (the SDK, browsers) or RFC 5987', {
    timeout: timeout(),
  }, async () => {
    // Printable names a form can carry as they are: no quotes, backslashes, slashes or controls,
    // and not "." or "..", which are path steps rather than names (the upload is then "upload").
    const sendable = unicodeText(60).filter(
      (name) =>
        name.trim() !== '' &&
        name !== '.' &&
        name !== '..' &&
        name === wellFormed(name) &&
        !/["\\/]/.test(name) &&
        ![...name].some((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === '\x7f'),
    );
    await session().property(
      'file names kept',
      () => fc.record({ value: sendable, form: fc.constantFrom<'plain' | 'star'>('plain', 'star') }),
      async (filename) => {
        const uploaded = await uploadNamed(filename);
        if (uploaded.status !== 201) return;
        const { name } = JSON.parse(uploaded.body.toString()) as { name: string };
        if (name !== filename.value) {
          throw new FuzzFailure(
            `the file name ${JSON.stringify(filename.value)} sent ${filename.form === 'plain' ? 'as UTF-8 in filename=' : "as filename*=UTF-8''"} came back as ${JSON.stringify(name)}`,
            `file name not kept (${filename.form} form)`,
          );
        }
      },
      { examples: regressions.fileNamesKept },
    );
  });
});
