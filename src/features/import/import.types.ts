import type { CLAIM_STATUSES, INTERNAL_ROLES } from '../../domain/enums';

/**
 * The import file (CONTRACT.md §5) as shapes (./shape.ts) and the TypeScript types they produce.
 * Upsert semantics: an optional key that is absent leaves the stored value alone, a key given as null
 * clears it; so the schemas set no defaults for updatable fields (defaults apply when a row is created).
 */

export interface ImportOrg {
  name: string;
  domains: string[];
  entraTenantId?: string | null;
  mpnId?: string | null;
  active?: boolean;
}

export interface ImportUser {
  email: string;
  name: string;
  kind?: 'partner' | 'internal' | 'admin';
  org?: string;
  partnerAdmin?: boolean;
  internalRole?: (typeof INTERNAL_ROLES)[number];
  managedOrgs?: string[];
}

export interface ImportStatus {
  l1: string;
  l2?: string | null;
  l3?: string | null;
  entitlements: number;
  note: string;
  targetDate?: string | null;
  owner?: string | null;
  nextActionDate?: string | null;
}

export interface ImportForecast {
  rfaSubmitted?: string | null;
  firstAu?: string | null;
  fortyAu?: string | null;
  maxAu?: string | null;
}

export interface ImportCpor {
  partner: string;
  mpnId?: string | null;
  status: (typeof CLAIM_STATUSES)[number];
  claimedAt?: string | null;
  approvedAt?: string | null;
  sourceRef?: string | null;
}

export interface ImportMigrationLine {
  type: string;
  entitlements: number;
  estimatedDate: string;
  notes?: string | null;
  dataSizeGb?: number | null;
}

export interface ImportMigration {
  msPerforming: boolean | null;
  startDate?: string | null;
  endDate?: string | null;
  lines?: ImportMigrationLine[];
  rejectionReason?: string | null;
  rejectionNote?: string | null;
}

export interface ImportService {
  code: string;
  entitlements: number;
  activeUsers?: number;
  engagementScenario?: string | null;
  phase?: string | null;
  engagementStartDate?: string | null;
  statuses?: ImportStatus[];
  forecast?: ImportForecast;
  cpor?: ImportCpor;
  migration?: ImportMigration;
}

export interface ImportAssignment {
  type: string;
  user: string;
  scopes: string[];
  primary: string[];
}

export interface ImportContact {
  type: string;
  name: string;
  email?: string | null;
  phone?: string | null;
  roleTitle?: string | null;
  country?: string | null;
  location?: string | null;
  timeZone?: string | null;
  engaged?: boolean;
  surveyEligible?: boolean;
  surveyLanguage?: string | null;
  services?: string[];
  doNotCall?: boolean;
  skillType?: string | null;
  msRole?: string | null;
  source?: 'manual' | 'sync';
}

export interface ImportNote {
  category: string;
  author: string;
  createdAt: string;
  body: string;
  services: string[];
  escalated: boolean;
  nextAction?: string | null;
  nextActionDate?: string | null;
  nextActionOwner?: string | null;
  overallStatus?: string | null;
  overallStatusDate?: string | null;
}

export interface ImportEnterpriseEntry {
  status: string;
  statusDate: string;
  note: string;
  by: string;
  at: string;
}

export interface ImportEligibility {
  eligible: boolean;
  customerType: 'Commercial' | 'Education';
  eligibleSeats?: number;
  eligiblePlans?: string[];
  evaluatedAt: string;
}

export interface ImportTenant {
  tenantId: string;
  name: string;
  customer: string;
  tpid?: string | null;
  country?: string | null;
  segment?: string | null;
  subsidiary?: string | null;
  enterprise?: boolean;
  enterpriseLevel?: string | null;
  active?: boolean;
  volumeLicensing?: boolean;
  totalSeats?: number | null;
  priority?: 'High' | 'Medium' | 'Low' | null;
  enteredFtcAt?: string | null;
  overallStatus?: string | null;
  overallStatusDate?: string | null;
  eligibility?: ImportEligibility;
  enterpriseStatus?: ImportEnterpriseEntry[];
  services: ImportService[];
  assignments: ImportAssignment[];
  contacts: ImportContact[];
  notes: ImportNote[];
}

export interface ImportFile {
  orgs: ImportOrg[];
  users: ImportUser[];
  tenants: ImportTenant[];
}
