import { Canvas, type Rgb } from './canvas.js';

const INK: Rgb = [33, 37, 41];
const GRID: Rgb = [222, 226, 230];
/** One colour per rules file, in order; distinct for the colour-blind as well. */
export const LINE_COLOURS: readonly Rgb[] = [
  [59, 111, 216],
  [230, 120, 20],
  [40, 160, 90],
  [150, 70, 180],
  [200, 40, 60],
];

export interface PlotLine {
  label: string;
  /** One value per x label (null where not measured), from 0 to 1. */
  values: (number | null)[];
}

export const PLOT = { width: 760, height: 480, left: 90, top: 70, plotWidth: 440, plotHeight: 320 };

/**
 * A line chart as a PNG: evenly spaced categories on x (the k values, where `all` has no
 * number), accuracy from 0 to 1 on y, one line with dots per rules file and a legend.
 */
export function accuracyPlot(title: string, xTitle: string, xLabels: string[], lines: PlotLine[]): Buffer {
  const { width, height, left, top, plotWidth, plotHeight } = PLOT;
  const canvas = new Canvas(width, height);
  const step = xLabels.length > 1 ? plotWidth / (xLabels.length - 1) : 0;
  const x = (i: number) => left + (xLabels.length > 1 ? i * step : plotWidth / 2);
  const y = (v: number) => top + plotHeight - v * plotHeight;

  canvas.text(left, 20, title, INK, 2);
  for (let i = 0; i <= 5; i++) {
    const v = i / 5;
    canvas.line(left, y(v), left + plotWidth, y(v), GRID);
    canvas.text(left - 8, y(v) - 3, `${Math.round(v * 100)}%`, INK, 1, 'right');
  }
  for (const [i, label] of xLabels.entries()) {
    canvas.line(x(i), top, x(i), top + plotHeight, GRID);
    canvas.text(x(i), top + plotHeight + 8, label, INK, 1, 'center');
  }
  canvas.text(left + plotWidth / 2, top + plotHeight + 26, xTitle, INK, 2, 'center');
  canvas.text(left - 80, top - 14, 'ACCURACY', INK, 1);
  canvas.strokeRect(left, top, plotWidth, plotHeight, INK);

  for (const [index, line] of lines.entries()) {
    const colour = LINE_COLOURS[index % LINE_COLOURS.length] as Rgb;
    let previous: [number, number] | null = null;
    for (const [i, value] of line.values.entries()) {
      if (value === null) {
        previous = null;
        continue;
      }
      const point: [number, number] = [x(i), y(value)];
      if (previous) canvas.line(previous[0], previous[1], point[0], point[1], colour, 2);
      canvas.fillRect(point[0] - 3, point[1] - 3, 7, 7, colour);
      previous = point;
    }
    const legendY = top + index * 24;
    canvas.fillRect(left + plotWidth + 30, legendY, 14, 14, colour);
    canvas.text(left + plotWidth + 52, legendY + 4, line.label, INK, 1);
  }
  return canvas.toBuffer();
}
