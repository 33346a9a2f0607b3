import { ASSIGNMENT_TYPES, CLAIM_STATUSES, INTERNAL_ROLES, NOTE_CATEGORIES } from '../../domain/enums';
import {
  bidiInName,
  isEmail,
  isGuid,
  isIsoDate,
  isIsoDateTime,
  isTotal,
  LIMITS,
  MESSAGES,
  normalizeName,
} from '../../domain/values';
import { arr, BAD, bool, def, num, obj, opt, req, str, type Check } from './shape';
import type {
  ImportOrg,
  ImportUser,
  ImportStatus,
  ImportForecast,
  ImportCpor,
  ImportMigrationLine,
  ImportMigration,
  ImportService,
  ImportAssignment,
  ImportContact,
  ImportNote,
  ImportEnterpriseEntry,
  ImportEligibility,
  ImportTenant,
  ImportFile,
} from './import.types';

/** The import file's shapes (CONTRACT.md §5): JSON types, required and unknown keys, conversions. */

const text = (max: number = LIMITS.text) => str({ min: 1, max });
// '' is accepted and stored as null (a cleared field), like null itself.
const optText = (max: number = LIMITS.text) => str({ max, nullable: true, empty: true });
// Values a domain rule owns (src/domain/rules/): only their JSON type is checked here, the rule says the rest.
const ruled = str({ nullable: true, empty: true });
const ruledNumber = num({ nullable: true });
const date = str({ test: (v) => (isIsoDate(v) ? undefined : MESSAGES.date) });
const optDate = str({ nullable: true, test: (v) => (isIsoDate(v) ? undefined : MESSAGES.date) });
const dateTime = str({ test: (v) => (isIsoDateTime(v) ? undefined : MESSAGES.dateTime) });
const email = str({ case: 'lower', test: (v) => (isEmail(v) ? undefined : MESSAGES.email) });
const guid = str({ case: 'lower', test: (v) => (isGuid(v) ? undefined : 'must be a valid GUID') });
const optGuid = str({ case: 'lower', nullable: true, test: (v) => (isGuid(v) ? undefined : 'must be a valid GUID') });
const total = num({ test: (v) => (isTotal(v) ? undefined : MESSAGES.total) });
const optTotal = num({ nullable: true, test: (v) => (isTotal(v) ? undefined : MESSAGES.total) });
const code = str({ case: 'upper', min: 1, max: LIMITS.code });
const oneOf = (values: readonly string[], nullable = false) => str({ valid: values, nullable });
const none = () => [];
/** A person's, org's or customer's name: text-direction controls are refused in names. */
const name = str({ min: 1, max: LIMITS.text, test: bidiInName });

const org = obj<ImportOrg>({
  name: req(str({ min: 1, max: LIMITS.text, test: bidiInName, map: normalizeName })),
  domains: req(arr(str({ case: 'lower' }), { min: 1 })),
  entraTenantId: opt(optGuid),
  mpnId: opt(optText(LIMITS.code)),
  active: opt(bool),
});

const userFields = obj<ImportUser>({
  email: req(email),
  name: req(name),
  kind: opt(oneOf(['partner', 'internal', 'admin'])),
  org: opt(text()),
  partnerAdmin: opt(bool),
  internalRole: opt(oneOf(INTERNAL_ROLES)),
  managedOrgs: opt(arr(text(), { unique: true })),
});

/** A user's fields depend on its kind: an org for partner users, a role for internal ones. */
const user: Check<ImportUser> = (v, path, issues) => {
  const u = userFields(v, path, issues);
  if (u === BAD) return BAD;
  const kind = u.kind ?? 'partner';
  const only = (key: keyof ImportUser, message: string) => {
    if (u[key] !== undefined) issues.push({ path: `${path}.${key}`, message });
  };
  if (kind === 'partner' && u.org === undefined) issues.push({ path: `${path}.org`, message: 'is required' });
  if (kind !== 'partner') only('org', 'is only allowed for partner users');
  if (kind !== 'partner') only('partnerAdmin', 'is only allowed for partner users');
  if (kind === 'internal' && u.internalRole === undefined)
    issues.push({ path: `${path}.internalRole`, message: 'is required' });
  if (kind !== 'internal') only('internalRole', 'is only allowed for internal users');
  if (kind !== 'internal') only('managedOrgs', 'is only allowed for internal users');
  return u;
};

// V-21…V-29 are src/domain/rules/status-grid.rules.ts; V-30…V-35 forecast.rules.ts.
const status = obj<ImportStatus>({
  l1: req(str()),
  l2: opt(ruled),
  l3: opt(ruled),
  entitlements: req(num()),
  note: req(str({ empty: true })),
  targetDate: opt(ruled),
  owner: opt(ruled),
  nextActionDate: opt(ruled),
});

const forecast = obj<ImportForecast>({
  rfaSubmitted: opt(ruled),
  firstAu: opt(ruled),
  fortyAu: opt(ruled),
  maxAu: opt(ruled),
});

const cpor = obj<ImportCpor>({
  partner: req(text()),
  mpnId: opt(optText(LIMITS.code)),
  status: req(oneOf(CLAIM_STATUSES)),
  claimedAt: opt(optDate),
  approvedAt: opt(optDate),
  sourceRef: opt(optText()),
});

// V-40…V-43 are src/domain/rules/migration.rules.ts.
const migration = obj<ImportMigration>({
  msPerforming: req((v, path, issues) => (v === null ? null : bool(v, path, issues))),
  startDate: opt(ruled),
  endDate: opt(ruled),
  lines: opt(
    arr(
      obj<ImportMigrationLine>({
        type: req(str()),
        entitlements: req(num()),
        estimatedDate: req(ruled),
        notes: opt(ruled),
        dataSizeGb: opt(ruledNumber),
      }),
    ),
  ),
  rejectionReason: opt(ruled),
  rejectionNote: opt(ruled),
});

const service = obj<ImportService>({
  code: req(code),
  entitlements: req(total),
  activeUsers: opt(total),
  engagementScenario: opt(ruled), // V-50 (the active lookup values)
  phase: opt(str({ nullable: true })), // V-85: src/domain/rules/phase.rules.ts
  engagementStartDate: opt(optDate),
  statuses: opt(arr(status)),
  forecast: opt(forecast),
  cpor: opt(cpor),
  migration: opt(migration),
});

const assignment = obj<ImportAssignment>({
  type: req(oneOf(ASSIGNMENT_TYPES)),
  user: req(email),
  scopes: req(arr(code, { min: 1, unique: true })),
  primary: def(arr(code, { unique: true }), none),
});

// V-10…V-14 are src/domain/rules/contact.rules.ts (types, lengths, email, lookups, services).
const contact = obj<ImportContact>({
  type: def(str({ empty: true }), () => ''),
  name: def(str({ empty: true }), () => ''),
  email: opt(str({ case: 'lower', nullable: true, empty: true })),
  phone: opt(ruled),
  roleTitle: opt(ruled),
  country: opt(ruled),
  location: opt(ruled),
  timeZone: opt(ruled),
  engaged: opt(bool),
  surveyEligible: opt(bool),
  surveyLanguage: opt(ruled),
  services: opt(arr(code, { unique: true })),
  doNotCall: opt(bool),
  skillType: opt(ruled),
  msRole: opt(ruled),
  source: opt(oneOf(['manual', 'sync'])),
});

const note = obj<ImportNote>({
  category: req(oneOf(NOTE_CATEGORIES)),
  author: req(email),
  createdAt: req(dateTime),
  body: req(text(LIMITS.noteBody)),
  services: def(arr(code, { unique: true }), none),
  escalated: def(bool, () => false),
  nextAction: opt(optText(LIMITS.nextAction)), // V-72
  nextActionDate: opt(optDate),
  nextActionOwner: opt(optText()),
  overallStatus: opt(ruled), // V-01…V-03: src/domain/rules/overall-status.rules.ts
  overallStatusDate: opt(ruled),
});

// V-80 (status from the lookup, the date, the note) is src/domain/rules/enterprise-status.rules.ts.
const enterpriseEntry = obj<ImportEnterpriseEntry>({
  status: req(str()),
  statusDate: req(str()),
  note: req(str({ empty: true })),
  by: req(email),
  at: req(dateTime),
});

const eligibility = obj<ImportEligibility>({
  eligible: req(bool),
  customerType: req(oneOf(['Commercial', 'Education'])),
  eligibleSeats: opt(total),
  eligiblePlans: opt(arr(text())),
  evaluatedAt: req(date),
});

/** One tenant of the file (checked on its own, so the file can be read as a stream). */
export const tenantShape = obj<ImportTenant>({
  tenantId: req(guid),
  name: req(str({ case: 'lower', min: 3, max: 253 })),
  customer: req(name),
  tpid: opt(optText(LIMITS.code)),
  country: opt(optText()),
  segment: opt(optText(LIMITS.code)),
  subsidiary: opt(optText()),
  enterprise: opt(bool),
  enterpriseLevel: opt(optText(LIMITS.code)),
  active: opt(bool),
  volumeLicensing: opt(bool),
  totalSeats: opt(optTotal),
  priority: opt(oneOf(['High', 'Medium', 'Low'], true)),
  enteredFtcAt: opt(optDate),
  overallStatus: opt(ruled), // V-01, V-02
  overallStatusDate: opt(ruled),
  eligibility: opt(eligibility),
  enterpriseStatus: opt(arr(enterpriseEntry)),
  services: def(arr(service), none),
  assignments: def(arr(assignment), none),
  contacts: def(arr(contact), none),
  notes: def(arr(note), none),
});

export const orgShape = org;
export const userShape = user;

/** The whole file: `{ orgs, users, tenants }`, each optional. */
export const importFileShape = obj<ImportFile>(
  {
    orgs: def(arr(org), none),
    users: def(arr(user), none),
    tenants: def(arr(tenantShape), none),
  },
  'the file must contain a JSON object with orgs, users and tenants',
);
