import Joi from 'joi';
import { ASSIGNMENT_TYPES, CLAIM_STATUSES, INTERNAL_ROLES, NOTE_CATEGORIES, PHASES } from '../../domain/enums';
import { isEmail, isIsoDate, isIsoDateTime, isTotal, LIMITS, MESSAGES, normalizeName } from '../../domain/values';

/**
 * The import file (CONTRACT.md §5) as joi schemas and the TypeScript shapes they produce.
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

const text = (max: number = LIMITS.text) => Joi.string().trim().min(1).max(max);
// '' is accepted and stored as null (a cleared field), like null itself.
const optText = (max: number = LIMITS.text) => Joi.string().trim().max(max).allow(null, '');
// Values a domain rule owns (src/domain/rules/): only their JSON type is checked here, the rule says the rest.
const ruled = Joi.string().trim().allow(null, '');
const ruledNumber = Joi.number().allow(null);
const date = Joi.string().custom((v: string, h) => (isIsoDate(v) ? v : h.message({ custom: MESSAGES.date })));
const dateTime = Joi.string().custom((v: string, h) =>
  isIsoDateTime(v) ? v : h.message({ custom: MESSAGES.dateTime }),
);
const email = Joi.string()
  .trim()
  .lowercase()
  .custom((v: string, h) => (isEmail(v) ? v : h.message({ custom: MESSAGES.email })));
const guid = Joi.string().trim().lowercase().guid();
const total = Joi.number().custom((v: number, h) => (isTotal(v) ? v : h.message({ custom: MESSAGES.total })));
const optDate = date.allow(null);
const code = Joi.string().trim().uppercase().min(1).max(LIMITS.code);

const org = Joi.object<ImportOrg>({
  name: text().custom((v: string) => normalizeName(v)),
  domains: Joi.array().items(Joi.string().trim().lowercase().min(1)).min(1).required(),
  entraTenantId: guid.allow(null),
  mpnId: optText(LIMITS.code),
  active: Joi.boolean(),
});

const user = Joi.object<ImportUser>({
  email: email.required(),
  name: text().required(),
  kind: Joi.string().valid('partner', 'internal', 'admin'),
  org: Joi.when('kind', {
    is: Joi.valid('internal', 'admin').required(),
    then: Joi.forbidden().messages({ 'any.unknown': 'is only allowed for partner users' }),
    otherwise: text().required(),
  }),
  partnerAdmin: Joi.when('kind', {
    is: Joi.valid('internal', 'admin').required(),
    then: Joi.forbidden().messages({ 'any.unknown': 'is only allowed for partner users' }),
    otherwise: Joi.boolean(),
  }),
  internalRole: Joi.when('kind', {
    is: Joi.valid('internal').required(),
    then: Joi.string()
      .valid(...INTERNAL_ROLES)
      .required(),
    otherwise: Joi.forbidden().messages({ 'any.unknown': 'is only allowed for internal users' }),
  }),
  managedOrgs: Joi.when('kind', {
    is: Joi.valid('internal').required(),
    then: Joi.array().items(text()).unique(),
    otherwise: Joi.forbidden().messages({ 'any.unknown': 'is only allowed for internal users' }),
  }),
});

// V-21…V-29 are src/domain/rules/status-grid.rules.ts; V-30…V-35 forecast.rules.ts.
const status = Joi.object<ImportStatus>({
  l1: Joi.string().trim().required(),
  l2: ruled,
  l3: ruled,
  entitlements: Joi.number().required(),
  note: Joi.string().trim().allow('').required(),
  targetDate: ruled,
  owner: ruled,
  nextActionDate: ruled,
});

const forecast = Joi.object<ImportForecast>({
  rfaSubmitted: ruled,
  firstAu: ruled,
  fortyAu: ruled,
  maxAu: ruled,
});

const cpor = Joi.object<ImportCpor>({
  partner: text().required(),
  mpnId: optText(40),
  status: Joi.string()
    .valid(...CLAIM_STATUSES)
    .required(),
  claimedAt: optDate,
  approvedAt: optDate,
  sourceRef: optText(),
});

// V-40…V-43 are src/domain/rules/migration.rules.ts.
const migration = Joi.object<ImportMigration>({
  msPerforming: Joi.boolean().allow(null).required(),
  startDate: ruled,
  endDate: ruled,
  lines: Joi.array().items(
    Joi.object<ImportMigrationLine>({
      type: Joi.string().trim().required(),
      entitlements: Joi.number().required(),
      estimatedDate: ruled.required(),
      notes: ruled,
      dataSizeGb: ruledNumber,
    }),
  ),
  rejectionReason: ruled,
  rejectionNote: ruled,
});

const service = Joi.object<ImportService>({
  code: code.required(),
  entitlements: total.required(),
  activeUsers: total,
  engagementScenario: ruled, // V-50 (the active lookup values)
  phase: Joi.string()
    .valid(...PHASES)
    .allow(null),
  engagementStartDate: optDate,
  statuses: Joi.array().items(status),
  forecast,
  cpor,
  migration,
});

const assignment = Joi.object<ImportAssignment>({
  type: Joi.string()
    .valid(...ASSIGNMENT_TYPES)
    .required(),
  user: email.required(),
  scopes: Joi.array().items(code).min(1).unique().required(),
  primary: Joi.array().items(code).unique().default([]),
});

// V-10…V-14 are src/domain/rules/contact.rules.ts (types, lengths, email, lookups, services).
const contact = Joi.object<ImportContact>({
  type: Joi.string().trim().allow('').default(''),
  name: Joi.string().trim().allow('').default(''),
  email: Joi.string().trim().lowercase().allow(null, ''),
  phone: ruled,
  roleTitle: ruled,
  country: ruled,
  location: ruled,
  timeZone: ruled,
  engaged: Joi.boolean(),
  surveyEligible: Joi.boolean(),
  surveyLanguage: ruled,
  services: Joi.array().items(code).unique(),
  doNotCall: Joi.boolean(),
  skillType: ruled,
  msRole: ruled,
  source: Joi.string().valid('manual', 'sync'),
});

const note = Joi.object<ImportNote>({
  category: Joi.string()
    .valid(...NOTE_CATEGORIES)
    .required(),
  author: email.required(),
  createdAt: dateTime.required(),
  body: text(LIMITS.noteBody).required(),
  services: Joi.array().items(code).unique().default([]),
  escalated: Joi.boolean().default(false),
  nextAction: optText(LIMITS.nextAction), // V-72
  nextActionDate: optDate,
  nextActionOwner: optText(),
  overallStatus: ruled, // V-01…V-03: src/domain/rules/overall-status.rules.ts
  overallStatusDate: ruled,
});

const enterpriseEntry = Joi.object<ImportEnterpriseEntry>({
  status: text().required(),
  statusDate: date.required(),
  note: text(LIMITS.noteBody).required(),
  by: email.required(),
  at: dateTime.required(),
});

const eligibility = Joi.object<ImportEligibility>({
  eligible: Joi.boolean().required(),
  customerType: Joi.string().valid('Commercial', 'Education').required(),
  eligibleSeats: total,
  eligiblePlans: Joi.array().items(text()),
  evaluatedAt: date.required(),
});

const tenant = Joi.object<ImportTenant>({
  tenantId: guid.required(),
  name: Joi.string().trim().lowercase().min(3).max(253).required(),
  customer: text().required(),
  tpid: optText(LIMITS.code),
  country: optText(),
  segment: optText(LIMITS.code),
  subsidiary: optText(),
  enterprise: Joi.boolean(),
  enterpriseLevel: optText(LIMITS.code),
  active: Joi.boolean(),
  volumeLicensing: Joi.boolean(),
  totalSeats: total.allow(null),
  priority: Joi.string().valid('High', 'Medium', 'Low').allow(null),
  enteredFtcAt: optDate,
  overallStatus: ruled, // V-01, V-02
  overallStatusDate: ruled,
  eligibility,
  enterpriseStatus: Joi.array().items(enterpriseEntry),
  services: Joi.array().items(service).default([]),
  assignments: Joi.array().items(assignment).default([]),
  contacts: Joi.array().items(contact).default([]),
  notes: Joi.array().items(note).default([]),
});

export const importFileSchema = Joi.object<ImportFile>({
  orgs: Joi.array().items(org).default([]),
  users: Joi.array().items(user).default([]),
  tenants: Joi.array().items(tenant).default([]),
})
  .required()
  .messages({ 'object.base': 'the file must contain a JSON object with orgs, users and tenants' });
