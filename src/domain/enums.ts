/**
 * Enumerations from DOMAIN.md §3. The migrations repeat them as CHECK constraints on purpose: a
 * migration is a frozen snapshot and must not change when this file does.
 */
export const OVERALL_STATUSES = ['Active', 'Blocked', 'Paused'] as const;

export const L1_VALUES = ['Status Unknown', 'In Progress', 'Blocked', 'No Intent', 'Duplicate/Invalid'] as const;
export type L1 = (typeof L1_VALUES)[number];

export const PARTNER_ASSIGNMENT_TYPES = ['P-RM', 'P-FM', 'P-FE'] as const;
export const INTERNAL_ASSIGNMENT_TYPES = [
  'Onboarding RM',
  'FPM',
  'RM',
  'FM',
  'FE',
  'SME',
  'AAM',
  'G-RM',
  'G-TM',
  'FAv2',
  'FA',
  'GMFTA',
  'MVM',
  'MEL',
] as const;
export const ASSIGNMENT_TYPES = [...PARTNER_ASSIGNMENT_TYPES, ...INTERNAL_ASSIGNMENT_TYPES] as const;
export const TENANT_SCOPE = 'TENANT';

export const ENGAGEMENT_SCENARIOS = [
  'FTC-FTP Led',
  'Customer-Led with FTP Assist',
  'Customer Led',
  'Non-FastTrack Partner Led',
  'FTC-CSS Led',
  'CXP',
] as const;
export const PHASES = ['Initiate', 'Assess', 'Remediate', 'Enable', 'Migrate', 'Adoption', 'Operation'] as const;
export const CONTACT_TYPES = ['Customer', 'Partner', 'Microsoft'] as const;
export const NOTE_CATEGORIES = [
  'Engagement Management',
  'Technical Enablement',
  'Service Intent',
  'Environment',
  'Enterprise Status',
  'Service Status',
  'Customer Readiness',
  'Customer Satisfaction Issue',
  'System Message',
] as const;
export const USER_KINDS = ['partner', 'internal', 'admin', 'queue'] as const;
export type UserKind = (typeof USER_KINDS)[number];
export const INTERNAL_ROLES = ['Onboarding RM', 'FPM'] as const;
export const CLAIM_STATUSES = ['Pending', 'Approved', 'Rejected'] as const;
export const SEGMENTS = ['S1500', 'S500', 'Other'] as const;
