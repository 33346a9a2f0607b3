/** One formatter for every call (toLocaleString builds a new one each time: 15 µs a call). */
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Small formatting helpers available to every view as `fmt`. */
export const fmt = {
  /** 1234567 → "1,234,567". */
  int(n: number | null | undefined): string {
    return n === null || n === undefined ? '' : INT.format(Math.round(n));
  },
  /** ISO datetime or date → "YYYY-MM-DD" (dates are shown as stored, in ISO form). */
  date(value: string | null | undefined): string {
    return value ? value.slice(0, 10) : '';
  },
  pct(value: number | null | undefined): string {
    return value === null || value === undefined ? '—' : `${value.toFixed(1)}%`;
  },
  /** CSS modifier for a status chip; the chip always shows its text as well (never colour alone). */
  chip(value: string | null | undefined): string {
    return (value ?? 'none').toLowerCase().replace(/[^a-z]+/g, '-');
  },
};

/** Builds a same-path URL from a query object, dropping empty values and defaults. */
export function queryHref(path: string, params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) search.set(k, String(v));
  const s = search.toString();
  return s ? `${path}?${s}` : path;
}
