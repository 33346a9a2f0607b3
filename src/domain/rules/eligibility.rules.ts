/**
 * The FastTrack program's eligibility thresholds (DOMAIN.md §2.16), for display on the Eligibility tab:
 * licensed seats of eligible plans a customer needs. The record itself is read-only and fed upstream.
 */
export const ELIGIBILITY_THRESHOLDS = {
  Commercial: { seats: 150, who: 'licensed seats of eligible plans' },
  Education: { seats: 1000, who: 'licensed seats of eligible plans, counting faculty and staff only' },
} as const;

export type CustomerType = keyof typeof ELIGIBILITY_THRESHOLDS;

/** Whether a number of eligible seats reaches the threshold of the customer type (null for an unknown type). */
export function meetsThreshold(customerType: string, seats: number): boolean | null {
  const t = ELIGIBILITY_THRESHOLDS[customerType as CustomerType];
  return t ? seats >= t.seats : null;
}
