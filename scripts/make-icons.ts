/**
 * Draws the two Teams app icons with pngjs and writes them to `manifest/`:
 *
 * - `color.png`   192x192: a gold ring on a deep-blue square, with a golden
 *                 thread (a gentle wave) running through it.
 * - `outline.png` 32x32: the same ring and thread in white on a transparent
 *                 background (Teams requires white-on-transparent).
 *
 * The PNGs are committed; run this again only when the motif changes:
 *   npx ts-node scripts/make-icons.ts
 *
 * Edges are anti-aliased by supersampling each pixel. In the outline icon the
 * anti-aliasing only changes the alpha channel, so every pixel stays pure white
 * (or fully transparent).
 */
import * as fs from 'fs';
import * as path from 'path';
import { PNG } from 'pngjs';

type Rgb = readonly [number, number, number];

export const DEEP_BLUE: Rgb = [0x14, 0x28, 0x5a];
export const GOLD: Rgb = [0xd4, 0xa0, 0x17];
export const PALE_GOLD: Rgb = [0xf2, 0xc9, 0x4c];
const WHITE: Rgb = [0xff, 0xff, 0xff];

/** One shape of the motif in unit coordinates (0..1 across the icon). */
interface Motif {
  ringRadius: number;
  ringWidth: number;
  threadWidth: number;
  threadAmplitude: number;
}

const SUBSAMPLES = 4; // 4x4 samples per pixel

/** Distance from (x, y) to the ring centred in the icon. */
function ringDistance(x: number, y: number, m: Motif): number {
  const d = Math.hypot(x - 0.5, y - 0.5);
  return Math.abs(d - m.ringRadius);
}

/**
 * Approximate distance from (x, y) to the thread: one full sine wave across
 * the icon, through its centre. Vertical distance divided by the slope factor
 * is close enough for a stroke this thin.
 */
function threadDistance(x: number, y: number, m: Motif): number {
  const k = 2 * Math.PI;
  const fy = 0.5 - m.threadAmplitude * Math.sin(k * x);
  const slope = -m.threadAmplitude * k * Math.cos(k * x);
  return Math.abs(y - fy) / Math.sqrt(1 + slope * slope);
}

/** Fraction (0..1) of a pixel's samples for which `inside` holds. */
function coverage(px: number, py: number, size: number, inside: (x: number, y: number) => boolean): number {
  let hits = 0;
  for (let sy = 0; sy < SUBSAMPLES; sy++) {
    for (let sx = 0; sx < SUBSAMPLES; sx++) {
      const x = (px + (sx + 0.5) / SUBSAMPLES) / size;
      const y = (py + (sy + 0.5) / SUBSAMPLES) / size;
      if (inside(x, y)) hits++;
    }
  }
  return hits / (SUBSAMPLES * SUBSAMPLES);
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [
    Math.round(a[0] + (b[0] - a[0]) * t),
    Math.round(a[1] + (b[1] - a[1]) * t),
    Math.round(a[2] + (b[2] - a[2]) * t),
  ];
}

/** The 192x192 full-colour icon. */
export function renderColourIcon(): PNG {
  const size = 192;
  const m: Motif = { ringRadius: 0.3, ringWidth: 0.075, threadWidth: 0.035, threadAmplitude: 0.12 };
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const ring = coverage(px, py, size, (x, y) => ringDistance(x, y, m) <= m.ringWidth / 2);
      const thread = coverage(px, py, size, (x, y) => threadDistance(x, y, m) <= m.threadWidth / 2);
      // Background, then the ring, then the thread drawn over it.
      let c = mix(DEEP_BLUE, GOLD, ring);
      c = mix(c, PALE_GOLD, thread);
      const i = (py * size + px) * 4;
      png.data[i] = c[0];
      png.data[i + 1] = c[1];
      png.data[i + 2] = c[2];
      png.data[i + 3] = 255;
    }
  }
  return png;
}

/** The 32x32 outline icon: white ring and thread on transparent. */
export function renderOutlineIcon(): PNG {
  const size = 32;
  const m: Motif = { ringRadius: 0.36, ringWidth: 0.085, threadWidth: 0.07, threadAmplitude: 0.13 };
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const a = coverage(
        px,
        py,
        size,
        (x, y) => ringDistance(x, y, m) <= m.ringWidth / 2 || threadDistance(x, y, m) <= m.threadWidth / 2,
      );
      const alpha = Math.round(a * 255);
      const i = (py * size + px) * 4;
      // Fully transparent pixels are written as 0,0,0,0; all others are white.
      const c = alpha === 0 ? ([0, 0, 0] as const) : WHITE;
      png.data[i] = c[0];
      png.data[i + 1] = c[1];
      png.data[i + 2] = c[2];
      png.data[i + 3] = alpha;
    }
  }
  return png;
}

/** Writes `color.png` and `outline.png` into `outDir`; returns their paths. */
export function makeIcons(outDir: string): { color: string; outline: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const color = path.join(outDir, 'color.png');
  const outline = path.join(outDir, 'outline.png');
  fs.writeFileSync(color, PNG.sync.write(renderColourIcon()));
  fs.writeFileSync(outline, PNG.sync.write(renderOutlineIcon()));
  return { color, outline };
}

if (require.main === module) {
  const outDir = path.resolve(__dirname, '..', 'manifest');
  const written = makeIcons(outDir);
  console.log(`Wrote ${path.relative(process.cwd(), written.color)} (192x192) and ${path.relative(process.cwd(), written.outline)} (32x32).`);
}
