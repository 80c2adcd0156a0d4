// Rules for what the user types on Min profil.

export const MAX_HORIZON_DAYS = 365;

/** A whole number of days from 1 to 365, or null. */
export function parseHorizon(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return null;
  const days = Number(trimmed);
  return days >= 1 && days <= MAX_HORIZON_DAYS ? days : null;
}
