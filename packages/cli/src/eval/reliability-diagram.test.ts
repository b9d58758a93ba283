import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { calibration } from './metrics.js';
import { DIAGRAM, reliabilityDiagram } from './reliability-diagram.js';

describe('reliability diagram', () => {
  it('is a PNG with a bar up to the accuracy of each filled bin and nothing in empty bins', () => {
    const outcomes = [
      { expected: 'a', predicted: 'a', confidence: 0.95 },
      { expected: 'a', predicted: 'b', confidence: 0.92 },
      { expected: 'a', predicted: 'a', confidence: 0.35 },
    ];
    const { bins, ece, n } = calibration(outcomes);
    const png = PNG.sync.read(reliabilityDiagram(bins, { title: 'Reliability: test', ece, n }));
    expect([png.width, png.height]).toEqual([DIAGRAM.width, DIAGRAM.height]);
    const pixel = (binCentre: number, value: number) => {
      const x = Math.round(DIAGRAM.left + binCentre * DIAGRAM.size);
      const y = Math.round(DIAGRAM.top + DIAGRAM.size - value * DIAGRAM.size);
      const i = (y * png.width + x) * 4;
      return [png.data[i], png.data[i + 1], png.data[i + 2]];
    };
    const blue = [59, 111, 216];
    // Bin 0.9-1.0 is half right: blue below 0.5, the red band (blended) between 0.5 and its confidence.
    expect(pixel(0.95, 0.25)).toEqual(blue);
    expect(pixel(0.95, 0.7)).not.toEqual(blue);
    expect(pixel(0.95, 0.7)).not.toEqual([255, 255, 255]);
    // Bin 0.3-0.4 is all right but only 0.35 confident: blue to the top, banded above 0.35.
    expect(pixel(0.35, 0.2)).toEqual(blue);
    expect(pixel(0.35, 0.9)).not.toEqual(blue);
    expect(pixel(0.35, 0.9)).not.toEqual([255, 255, 255]);
    // Bin 0.6-0.7 is empty: background, away from the grid lines.
    expect(pixel(0.65, 0.55)).toEqual([255, 255, 255]);
  });
});
