/** Number formats for the lab's labels (en-GB-style grouping, no locale surprises in tests). */

const group = (n: number) => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** 12345 → "12,345". */
export function formatInt(n: number): string {
  return group(n);
}

/** 1500 → "1.5 k", 12 → "12". */
export function formatK(n: number): string {
  if (Math.abs(n) < 1000) return String(Math.round(n));
  const k = n / 1000;
  return `${k >= 100 ? k.toFixed(0) : k >= 10 ? k.toFixed(1) : k.toFixed(2).replace(/0$/, '')} k`;
}

/** Parameters: 2320 → "2.3 k", 1.2e6 → "1.2 M". */
export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)} k`;
  return String(n);
}

/** FLOPs: 3.1e5 → "0.31 MFLOPs". */
export function formatFlops(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GFLOPs`;
  return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 2)} MFLOPs`;
}

export { formatScore } from '../worker/labConfig';
