import { crc32, deflateSync } from 'node:zlib';

/**
 * A minimal PNG encoder (8-bit RGBA, no interlace) and the default app icons, drawn from
 * shapes so the repository holds no binaries. Drop your own `color.png` (192×192) and
 * `outline.png` (32×32, white on transparent) into teams/ to replace them.
 */

export type Rgba = [number, number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  // compression, filter, interlace: 0
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 4);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r, g, b, a], row + 1 + x * 4);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Width and height from a PNG's IHDR, or undefined when the bytes are not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } | undefined {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

// --- the default icon: a speech bubble ---------------------------------------------------

type Point = [number, number];

/** Signed distance to a rounded rectangle (negative inside); unit square coordinates. */
function roundRect(p: Point, x0: number, y0: number, x1: number, y1: number, r: number): number {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const qx = Math.abs(p[0] - cx) - ((x1 - x0) / 2 - r);
  const qy = Math.abs(p[1] - cy) - ((y1 - y0) / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Signed distance to a polygon (negative inside). */
function polygon(p: Point, points: Point[]): number {
  let d = Infinity;
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const a = points[j]!;
    const b = points[i]!;
    const ex = b[0] - a[0];
    const ey = b[1] - a[1];
    const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * ex + (p[1] - a[1]) * ey) / (ex * ex + ey * ey)));
    d = Math.min(d, Math.hypot(p[0] - a[0] - ex * t, p[1] - a[1] - ey * t));
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside ? -d : d;
}

function bubble(p: Point): number {
  return Math.min(roundRect(p, 0.16, 0.2, 0.84, 0.68, 0.12), polygon(p, [[0.3, 0.6], [0.3, 0.84], [0.5, 0.6]]));
}

function dots(p: Point): number {
  return Math.min(...[0.34, 0.5, 0.66].map((x) => Math.hypot(p[0] - x, p[1] - 0.44) - 0.05));
}

/** Supersampled coverage of `inside` over one pixel (4×4 samples). */
function coverage(x: number, y: number, size: number, inside: (p: Point) => boolean): number {
  let hits = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (inside([(x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size])) hits++;
  return hits / 16;
}

const ACCENT: Rgba = [0x3b, 0x5b, 0xdb, 255];

/** 192×192 full-colour icon: white bubble with three dots on the accent colour. */
export function colorIcon(size = 192): Buffer {
  return encodePng(size, size, (x, y) => {
    const white = coverage(x, y, size, (p) => bubble(p) < 0 && dots(p) >= 0);
    const mix = (c: number) => Math.round(c * (1 - white) + 255 * white);
    return [mix(ACCENT[0]), mix(ACCENT[1]), mix(ACCENT[2]), 255];
  });
}

/** 32×32 outline icon: the bubble's outline in white on transparent, as Teams requires. */
export function outlineIcon(size = 32): Buffer {
  const stroke = 2.2 / size;
  return encodePng(size, size, (x, y) => {
    const a = coverage(x, y, size, (p) => {
      const d = bubble(p);
      return (d < 0 && d > -stroke) || dots(p) < -0.005;
    });
    return [255, 255, 255, Math.round(a * 255)];
  });
}
