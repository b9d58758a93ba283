import type { OursFile } from '../children/parse-pdf-ours.js';
import type { Benchmark, BenchOutcome } from '../lib/benchmark.js';
import { startChild } from '../lib/child.js';
import { loadPdfCorpus } from '../lib/pdf-corpus.js';
import { PDFTOTEXT_INSTALL, pdftotextFile, pdftotextLoop, pdftotextVersion } from '../lib/pdftotext.js';
import { fmt, median, printTable, ratio, round } from '../lib/stats.js';

/** The goal: our PDF text extraction at least half as fast as poppler's. */
const GOAL_RATIO = 0.5;

interface PassFigures {
  passSeconds: number[];
  /** Median pass. */
  seconds: number;
  pagesPerSecond: number;
}

function figures(passSeconds: number[], pages: number): PassFigures {
  const seconds = median(passSeconds);
  return {
    passSeconds: passSeconds.map((s) => round(s, 3)),
    seconds: round(seconds, 3),
    pagesPerSecond: round(pages / seconds, 1),
  };
}

export const parsePdf: Benchmark = {
  name: 'parse-pdf',
  summary: "PDF text pages/s, one core: @classifyd/parser's parseDocument vs poppler's pdftotext",
  async run(context): Promise<BenchOutcome> {
    const passes = context.quick ? 1 : 3;
    const corpus = await loadPdfCorpus();
    const ours = startChild('parse-pdf-ours', { BENCH_PDF_FILES: JSON.stringify(corpus.files) });
    try {
      const cold = await ours.message<{ coldSeconds: number; results: OursFile[] }>('ready', 300_000);
      const version = pdftotextVersion();
      // A file is measured when both tools read it; the page total is ours, checked against pdftotext's.
      const failed = cold.results.filter((r) => r.error !== undefined);
      let usable = cold.results.filter((r) => r.error === undefined);
      if (version !== null) {
        const check: boolean[] = [];
        for (const r of usable) check.push((await pdftotextFile(r.path)).ok);
        for (const [i, r] of usable.entries()) {
          if (!check[i]) failed.push({ ...r, error: 'pdftotext could not read it' });
        }
        usable = usable.filter((_, i) => check[i]);
      }
      const pages = usable.reduce((sum, r) => sum + r.pages, 0);
      const oursPasses: number[] = [];
      const perFilePasses: number[] = [];
      const loopPasses: number[] = [];
      let pdftotextPages = 0;
      for (let p = 0; p < passes; p++) {
        // File by file, ours and pdftotext side by side (taking turns to go first), so that a
        // change in the machine's load hits both; the loop then runs over all files at once.
        let oursSeconds = 0;
        let perFileSeconds = 0;
        pdftotextPages = 0;
        for (const [i, file] of usable.entries()) {
          const measure = async (tool: 'ours' | 'pdftotext') => {
            if (tool === 'pdftotext' && version === null) return;
            ours.send({ type: 'file', path: file.path, tool });
            const run = await ours.message<{ seconds: number; pages: number }>('file', 120_000);
            if (tool === 'ours') oursSeconds += run.seconds;
            else {
              perFileSeconds += run.seconds;
              pdftotextPages += run.pages;
            }
          };
          for (const tool of i % 2 === 0
            ? (['ours', 'pdftotext'] as const)
            : (['pdftotext', 'ours'] as const)) {
            await measure(tool);
          }
        }
        oursPasses.push(oursSeconds);
        if (version === null) continue;
        perFilePasses.push(perFileSeconds);
        loopPasses.push(await pdftotextLoop(usable.map((r) => r.path)));
      }
      const oursFigures = { ...figures(oursPasses, pages), coldFirstPassSeconds: round(cold.coldSeconds, 3) };
      const perFile = version === null ? null : figures(perFilePasses, pages);
      const loop = version === null ? null : figures(loopPasses, pages);
      const outcome = {
        status: 'ok' as const,
        settings: {
          corpus: corpus.source,
          files: usable.length,
          pages,
          pdftotextPages: version === null ? null : pdftotextPages,
          timedPasses: passes,
          pdftotext: version ?? PDFTOTEXT_INSTALL,
          method:
            'sequential, one core: ours in one Node process after an untimed warm-up pass (file read included); ' +
            'pdftotext one process per file spawned from that same process, timed from spawn to exit, taking turns ' +
            'with ours file by file; and all files in one sh loop',
        },
        skippedFiles: failed.map((r) => ({ path: r.path, error: r.error })),
        ours: oursFigures,
        pdftotextPerFile: perFile,
        pdftotextLoop: loop,
        ratio: ratio(oursFigures.pagesPerSecond, perFile?.pagesPerSecond),
        ratioVsLoop: ratio(oursFigures.pagesPerSecond, loop?.pagesPerSecond),
        goalRatio: GOAL_RATIO,
      };
      console.log(`  ${usable.length} files, ${pages} pages: ${corpus.source}`);
      printTable([
        ['', 'pages/s', 'median pass s', 'passes s'],
        [
          'classifyd parseDocument',
          fmt(oursFigures.pagesPerSecond),
          fmt(oursFigures.seconds, 2),
          oursFigures.passSeconds.map((s) => fmt(s, 2)).join(' '),
        ],
        ...(perFile && loop
          ? [
              [
                'pdftotext, per file from Node',
                fmt(perFile.pagesPerSecond),
                fmt(perFile.seconds, 2),
                perFile.passSeconds.map((s) => fmt(s, 2)).join(' '),
              ],
              [
                'pdftotext, one sh loop',
                fmt(loop.pagesPerSecond),
                fmt(loop.seconds, 2),
                loop.passSeconds.map((s) => fmt(s, 2)).join(' '),
              ],
            ]
          : []),
      ]);
      console.log(`  ours, first (cold) pass: ${fmt(cold.coldSeconds, 2)} s`);
      if (version === null) {
        console.log(`  pdftotext pair skipped: ${PDFTOTEXT_INSTALL}`);
      } else {
        if (pdftotextPages !== pages)
          console.log(`  note: pdftotext counted ${pdftotextPages} pages, ours ${pages}`);
        const verdict = (outcome.ratio ?? 0) >= GOAL_RATIO ? 'meets' : 'MISSES';
        console.log(
          `  ratio ours/pdftotext (pages/s): ${fmt(outcome.ratio, 3)} per file, ${fmt(outcome.ratioVsLoop, 3)} vs the loop` +
            ` (${verdict} the goal of >= ${GOAL_RATIO} per file)`,
        );
      }
      if (failed.length > 0)
        console.log(`  ${failed.length} file(s) one of the tools refused were left out of both sides`);
      return outcome;
    } finally {
      await ours.stop();
      corpus.cleanup();
    }
  },
};
