import { Canvas, type Rgb } from './canvas.js';
import type { CalibrationBin } from './metrics.js';

const INK: Rgb = [33, 37, 41];
const GRID: Rgb = [222, 226, 230];
const BAR: Rgb = [59, 111, 216];
const GAP: Rgb = [220, 53, 69];
const IDEAL: Rgb = [120, 120, 120];
const COUNT: Rgb = [134, 142, 150];

export interface DiagramLabels {
  title: string;
  ece: number;
  n: number;
}

export const DIAGRAM = {
  width: 760,
  height: 640,
  left: 90,
  top: 70,
  size: 400,
  histTop: 520,
  histHeight: 70,
};

/**
 * The reliability diagram as a PNG: per confidence bin, a bar up to the bin's accuracy, a red
 * band from there to the bin's mean confidence (the miscalibration), the diagonal a perfectly
 * calibrated classifier would follow, and below it how many answers fell in each bin.
 */
export function reliabilityDiagram(bins: CalibrationBin[], labels: DiagramLabels): Buffer {
  const { width, height, left, top, size, histTop, histHeight } = DIAGRAM;
  const canvas = new Canvas(width, height);
  const x = (v: number) => left + v * size;
  const y = (v: number) => top + size - v * size;

  canvas.text(left, 20, labels.title, INK, 2);
  canvas.text(left, 44, `ECE ${labels.ece.toFixed(3)}  N=${labels.n}  ${bins.length} BINS`, INK, 1);
  for (let i = 0; i <= 5; i++) {
    const v = i / 5;
    canvas.line(x(v), top, x(v), top + size, GRID);
    canvas.line(left, y(v), left + size, y(v), GRID);
    canvas.text(x(v), top + size + 8, v.toFixed(1), INK, 1, 'center');
    canvas.text(left - 8, y(v) - 3, v.toFixed(1), INK, 1, 'right');
  }
  canvas.text(left + size / 2, top + size + 24, 'CONFIDENCE', INK, 2, 'center');
  canvas.text(left - 80, top - 12, 'ACCURACY', INK, 1);

  for (const bin of bins) {
    if (bin.count === 0) continue;
    const barLeft = x(bin.from) + 3;
    const barWidth = (bin.to - bin.from) * size - 6;
    canvas.fillRect(barLeft, y(bin.accuracy), barWidth, bin.accuracy * size, BAR);
    const low = Math.min(bin.accuracy, bin.meanConfidence);
    const high = Math.max(bin.accuracy, bin.meanConfidence);
    canvas.fillRect(barLeft, y(high), barWidth, (high - low) * size, GAP, 0.35);
    canvas.line(barLeft, y(bin.meanConfidence), barLeft + barWidth, y(bin.meanConfidence), GAP, 2);
  }
  canvas.line(x(0), y(0), x(1), y(1), IDEAL, 2, 6);
  canvas.strokeRect(left, top, size, size, INK);

  const most = Math.max(1, ...bins.map((b) => b.count));
  canvas.text(left - 80, histTop, 'COUNT', INK, 1);
  for (const bin of bins) {
    const h = (bin.count / most) * histHeight;
    canvas.fillRect(x(bin.from) + 3, histTop + histHeight - h, (bin.to - bin.from) * size - 6, h, COUNT);
    canvas.text(x((bin.from + bin.to) / 2), histTop + histHeight + 6, String(bin.count), INK, 1, 'center');
  }
  canvas.line(left, histTop + histHeight, left + size, histTop + histHeight, INK);

  const legendX = left + size + 30;
  const row = (i: number) => top + i * 24;
  canvas.fillRect(legendX, row(0), 14, 14, BAR);
  canvas.line(legendX, row(1) + 7, legendX + 14, row(1) + 7, GAP, 2);
  canvas.fillRect(legendX, row(2), 14, 14, GAP, 0.35);
  canvas.line(legendX, row(3) + 7, legendX + 14, row(3) + 7, IDEAL, 2, 4);
  canvas.fillRect(legendX, row(4), 14, 14, COUNT);
  const legend = [
    'ACCURACY IN BIN',
    'MEAN CONFIDENCE IN BIN',
    'GAP (MISCALIBRATION)',
    'PERFECT CALIBRATION',
    'ANSWERS PER BIN',
  ];
  for (const [i, text] of legend.entries()) canvas.text(legendX + 22, row(i) + 4, text, INK, 1);
  return canvas.toBuffer();
}
