import {
  type CalibrationBin,
  type ClassScore,
  calibratedEceRange,
  calibration,
  classScores,
  confusionMatrix,
  NONE,
  nullDetection,
  type Outcome,
  percentile,
  type Summary,
  scoredOutcomes,
  summarize,
} from './metrics.js';

/** One document in one pass, as the evaluation records it. */
export interface EvalRecord extends Outcome {
  path: string;
  label: string;
  /** The data set's format column (pdf, pdf-scanned, image/jpeg, ...). */
  format: string;
  /** The format the parse stage detected, when known. */
  detected_format: string | null;
  status: string;
  error_message: string | null;
  job_id: string | null;
  upload_ms: number | null;
  wait_ms: number | null;
  job_ms: number | null;
  parse_ms: number | null;
  classify_ms: number | null;
  /** The classifier's own time inside the worker (from its log), when the eval started the service. */
  classifier_ms?: number | null;
}

export interface Spread {
  n: number;
  p50: number | null;
  p95: number | null;
}

export interface GroupScore extends Summary {
  group: string;
}

export interface RulesReport {
  rules: string;
  /** Pass 1: every document with every rule. */
  summary: Summary;
  perClass: ClassScore[];
  perFormat: GroupScore[];
  perDetectedFormat: GroupScore[];
  confusion: { labels: string[]; columns: string[]; rows: number[][] };
  nulls: {
    /** Pass 1: documents labelled none should get null. */
    labelledNone: ReturnType<typeof nullDetection>;
    /** Pass 2: each labelled document again without its own rule; null is right. */
    heldOut: { n: number; recall: number; wrongType: number; failed: number };
    /** Both passes pooled: precision counts pass-1 null answers on labelled documents against it. */
    pooled: ReturnType<typeof nullDetection>;
  };
  calibration: {
    pass1: {
      ece: number;
      n: number;
      bins: CalibrationBin[];
      /** The ECE perfect calibration would show with the same confidences (calibratedEceRange). */
      ifCalibrated: { median: number; p5: number; p95: number };
    };
    pooled: { ece: number; n: number };
  };
  latency: Record<
    'pass1' | 'heldOut',
    Record<'job_ms' | 'client_ms' | 'parse_ms' | 'classify_ms' | 'classifier_ms', Spread>
  >;
  /** Jobs that did not complete, once per document and reason, with the passes it happened in. */
  failures: { path: string; passes: (1 | 2)[]; status: string; error_message: string | null }[];
}

const spread = (values: (number | null)[]): Spread => {
  const known = values.filter((v): v is number => typeof v === 'number');
  return { n: known.length, p50: percentile(known, 50), p95: percentile(known, 95) };
};

function latency(records: EvalRecord[]) {
  return {
    job_ms: spread(records.map((r) => r.job_ms)),
    client_ms: spread(records.map((r) => (r.upload_ms ?? 0) + (r.wait_ms ?? 0))),
    parse_ms: spread(records.map((r) => r.parse_ms)),
    classify_ms: spread(records.map((r) => r.classify_ms)),
    classifier_ms: spread(records.map((r) => r.classifier_ms ?? null)),
  };
}

function byGroup(records: EvalRecord[], key: (r: EvalRecord) => string): GroupScore[] {
  const groups = new Map<string, EvalRecord[]>();
  for (const r of records) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return [...groups]
    .map(([group, members]) => ({ group, ...summarize(members) }))
    .sort((a, b) => b.n - a.n || a.group.localeCompare(b.group));
}

/**
 * Every figure for one rules file. `classes` are the rule types; `none` is added as the
 * label of documents no rule fits. `pass1` has every document, `heldOut` the labelled ones
 * classified without their own rule (expected null).
 */
export function evaluateRules(
  rules: string,
  classes: string[],
  pass1: EvalRecord[],
  heldOut: EvalRecord[],
): RulesReport {
  const labels = [...classes, NONE];
  const held = heldOut.length;
  // One row per document and reason: a file that cannot be read fails the same way in both passes.
  const failures = new Map<string, RulesReport['failures'][number]>();
  for (const [pass, records] of [
    [1, pass1],
    [2, heldOut],
  ] as const) {
    for (const r of records.filter((x) => x.status !== 'COMPLETED')) {
      const key = `${r.path}\0${r.status}\0${r.error_message}`;
      const seen = failures.get(key);
      if (seen) seen.passes.push(pass);
      else
        failures.set(key, { path: r.path, passes: [pass], status: r.status, error_message: r.error_message });
    }
  }
  const pooledCalibration = calibration([...pass1, ...heldOut]);
  return {
    rules,
    summary: summarize(pass1),
    perClass: classScores(pass1, labels),
    perFormat: byGroup(pass1, (r) => r.format),
    perDetectedFormat: byGroup(pass1, (r) => r.detected_format ?? '(unknown)'),
    confusion: { labels, ...confusionMatrix(pass1, labels) },
    nulls: {
      labelledNone: nullDetection(pass1),
      heldOut: {
        n: held,
        recall: held ? heldOut.filter((r) => r.predicted === null).length / held : 0,
        wrongType: held ? heldOut.filter((r) => typeof r.predicted === 'string').length / held : 0,
        failed: heldOut.filter((r) => r.predicted === undefined).length,
      },
      pooled: nullDetection([...pass1, ...heldOut]),
    },
    calibration: {
      pass1: {
        ...calibration(pass1),
        ifCalibrated: calibratedEceRange(scoredOutcomes(pass1).map((o) => o.confidence as number)),
      },
      pooled: { ece: pooledCalibration.ece, n: pooledCalibration.n },
    },
    latency: { pass1: latency(pass1), heldOut: latency(heldOut) },
    failures: [...failures.values()],
  };
}
