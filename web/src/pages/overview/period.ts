// The deadline period chosen on Overblik, kept in the address as ?dage=N.

export const PERIODS = [90, 180, 365] as const;
export type Period = (typeof PERIODS)[number];

export function readPeriod(params: URLSearchParams): Period {
  const days = Number(params.get("dage"));
  return (PERIODS as readonly number[]).includes(days) ? (days as Period) : 90;
}

/** The next longer period, or null for the longest. */
export function longerPeriod(period: Period): Period | null {
  return PERIODS.find((p) => p > period) ?? null;
}

/** A decimal amount string as a number for drawing; tables show the string itself. */
export function chartNumber(amount: string): number {
  const value = Number(amount);
  return Number.isFinite(value) ? value : 0;
}

const whole = new Intl.NumberFormat("da-DK", { maximumFractionDigits: 0 });
const millions = new Intl.NumberFormat("da-DK", { maximumFractionDigits: 1 });

/** A chart axis value in kroner, short: "500.000 kr.", "2,5 mio. kr.". */
export function axisKroner(value: number): string {
  return Math.abs(value) >= 1_000_000 ? `${millions.format(value / 1_000_000)} mio. kr.` : `${whole.format(value)} kr.`;
}

/** The chart's box, sized by its number of bars so the page does not jump when it draws. */
export function chartBoxClass(rows: readonly { label: string }[]): string {
  return `spend-chart spend-chart-rows-${String(Math.min(rows.length, 15))}`;
}
