/**
 * The team's brand colour, made readable: text on the brand colour is white or near-black,
 * whichever contrasts more, and where the brand colour is itself text or an outline on white it
 * is darkened until it reaches WCAG AA (4.5:1). Any colour an admin picks stays accessible.
 */

type Rgb = [number, number, number];

const parse = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const toHex = (c: Rgb): string => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
const mix = (a: Rgb, b: Rgb, t: number): Rgb => a.map((v, i) => v + (b[i]! - v) * t) as Rgb;

function luminance(c: Rgb): number {
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(parse(a)), luminance(parse(b))].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];
const INK = '#111827';

/** Darken (towards black) until the colour reaches `ratio` against white. */
function darkenFor(hex: string, ratio: number): string {
  const c = parse(hex);
  for (let t = 0; t <= 1; t += 0.05) {
    const out = toHex(mix(c, BLACK, t));
    if (contrast(out, '#ffffff') >= ratio) return out;
  }
  return INK;
}

export interface Palette {
  /** Header, launcher, the customer's bubbles. */
  brand: string;
  /** Text and icons on `brand`. */
  on: string;
  /** The brand colour as text/outline on white (links, secondary buttons): ≥ 4.5:1. */
  ink: string;
  /** Hover/pressed shade of `brand`. */
  hover: string;
  /** A light tint for backgrounds (status strip, hover). */
  soft: string;
}

export function palette(brandColor: string): Palette {
  let brand = /^#[0-9a-f]{6}$/i.test(brandColor) ? brandColor.toLowerCase() : '#1d4ed8';
  let on = [INK, '#000000', '#ffffff'].reduce((best, c) => (contrast(brand, c) > contrast(brand, best) ? c : best));
  // A mid-tone neither white nor black reads well on: the nearest darker shade of it that does.
  if (contrast(brand, on) < 4.5) [brand, on] = [darkenFor(brand, 4.5), '#ffffff'];
  return {
    brand,
    on,
    ink: darkenFor(brand, 5.5),
    hover: toHex(mix(parse(brand), on === '#ffffff' ? BLACK : WHITE, 0.15)),
    soft: toHex(mix(parse(brand), WHITE, 0.9)),
  };
}

/** CSS custom properties every widget rule reads. */
export function paletteVars(p: Palette): string {
  return `--ad-brand:${p.brand};--ad-on:${p.on};--ad-ink:${p.ink};--ad-hover:${p.hover};--ad-soft:${p.soft}`;
}
