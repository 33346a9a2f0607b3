import type { Knex } from 'knex';
import { L1_VALUES } from '../src/domain/enums';
import { addDays } from '../src/features/admin/admin.validators';
import { importDocument } from '../src/features/import/import.service';
import type {
  ImportAssignment,
  ImportContact,
  ImportFile,
  ImportNote,
  ImportService,
  ImportStatus,
  ImportTenant,
  ImportUser,
} from '../src/features/import/import.types';
import { findOrgByName } from '../src/features/admin/orgs.repo';
import { Prng } from '../src/features/admin/prng';
import { insertMissingNoteTemplates } from '../src/features/admin/seed.repo';
import * as data from './demo-data';
import catalogue from './services.json';

/**
 * The demo data set (`seed --demo`, and `npm start` on an empty database). It is built as an import
 * document and loaded through the importer, so every demo row passes the same rules as imported
 * data (balanced grids, one primary per slot, whitelisted domains …). Deterministic: a fixed PRNG
 * seed, with dates relative to today. Idempotent: nothing happens when the demo orgs exist.
 */

const SEED = 20261122;
const SERVICE_NAMES = new Map(catalogue.services.map((s) => [s.code, s.name]));
const DAY = 86_400_000;
const NORTHWIND = 'Northwind Partners';
const FABRIKAM = 'Fabrikam Consulting';

interface OrgSpec {
  name: string;
  queue: string;
  rm: string;
  fm: string;
  fe: string;
  fe2?: string;
  all: string[];
}

const ORGS: OrgSpec[] = [
  {
    name: NORTHWIND,
    queue: 'queue+northwind-partners@queue.ftop.invalid',
    rm: 'ava@northwind-partners.example',
    fm: 'ben@northwind-partners.example',
    fe: 'chloe@northwind-partners.example',
    fe2: 'dan@northwindpartners.onmicrosoft.com',
    all: [
      'ava@northwind-partners.example',
      'ben@northwind-partners.example',
      'chloe@northwind-partners.example',
      'dan@northwindpartners.onmicrosoft.com',
    ],
  },
  {
    name: FABRIKAM,
    queue: 'queue+fabrikam-consulting@queue.ftop.invalid',
    rm: 'frank@fabrikam-consulting.example',
    fm: 'grace@fabrikam-consulting.example',
    fe: 'henry@fabrikam-consulting.example',
    all: [
      'frank@fabrikam-consulting.example',
      'grace@fabrikam-consulting.example',
      'henry@fabrikam-consulting.example',
    ],
  },
];
const OMAR = 'omar@onboarding.example';
const PRIYA = 'priya@onboarding.example';
const ADMIN = 'admin@ftop.example';

const USERS: ImportUser[] = [
  { email: 'ava@northwind-partners.example', name: 'Ava Smith', org: NORTHWIND, partnerAdmin: true },
  { email: 'ben@northwind-partners.example', name: 'Ben Carter', org: NORTHWIND },
  { email: 'chloe@northwind-partners.example', name: 'Chloe Nguyen', org: NORTHWIND },
  { email: 'dan@northwindpartners.onmicrosoft.com', name: 'Dan Okafor', org: NORTHWIND },
  { email: 'frank@fabrikam-consulting.example', name: 'Frank Müller', org: FABRIKAM, partnerAdmin: true },
  { email: 'grace@fabrikam-consulting.example', name: 'Grace Kim', org: FABRIKAM },
  { email: 'henry@fabrikam-consulting.example', name: 'Henry Adeyemi', org: FABRIKAM },
  {
    email: OMAR,
    name: 'Omar Reyes',
    kind: 'internal',
    internalRole: 'Onboarding RM',
    managedOrgs: [NORTHWIND, FABRIKAM],
  },
  { email: PRIYA, name: 'Priya Shah', kind: 'internal', internalRole: 'FPM', managedOrgs: [NORTHWIND, FABRIKAM] },
  { email: ADMIN, name: 'FTOP Admin', kind: 'admin' },
];

/** Indexes (within an org's list) of inactive tenants: each partner user has at least one of them. */
const INACTIVE = new Set([3, 14, 22, 30, 37]);
/** Indexes of enterprise tenants (Enterprise Status tab with history). */
const ENTERPRISE = new Set([1, 20]);
const CORE = ['EXO', 'TEAMS', 'SPO', 'ODB'];
const EXTRA = ['INTUNE', 'AADP', 'PROPLUS', 'OLM', 'PBI', 'WIN10', 'MDATP', 'AIP', 'YAMMER', 'MCAS', 'O365ATP'];
const MIGRATION_LINES: Record<string, [string, string]> = {
  EXO: ['Mig-ExHybrid', 'Mig-IMAP'],
  SPO: ['Mig-SharePointOnPrem', 'Mig-FileShare'],
  ODB: ['Mig-FileShare', 'Mig-GoogleDrive'],
};
const SCENARIOS: string[] = [
  'FTC-FTP Led',
  'FTC-FTP Led',
  'FTC-FTP Led',
  'Customer-Led with FTP Assist',
  'Customer-Led with FTP Assist',
  'Customer Led',
  'FTC-CSS Led',
  'Non-FastTrack Partner Led',
];

/** Everything the builder needs for one run: the PRNG, today and now. */
class Builder {
  readonly rng = new Prng(SEED);
  readonly today: string;
  readonly now: number;

  constructor(now: Date) {
    this.now = now.getTime();
    this.today = now.toISOString().slice(0, 10);
  }

  fill(text: string, vars: Record<string, string | number>): string {
    return text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
  }

  /** A past instant `days` days (plus some minutes) ago, in canonical ISO form. */
  ago(days: number): string {
    return new Date(this.now - days * DAY - this.rng.int(5, 600) * 60_000).toISOString();
  }

  /** V-26: rows whose entitlements add up to the service total; every L1 is represented across the data set. */
  statuses(total: number, serviceName: string, forceL1?: string): ImportStatus[] {
    const count = Math.min(total, this.rng.int(1, 4));
    const pool = data.STATUS_TEMPLATES;
    const picks = this.rng.sample(pool, count);
    if (forceL1 && !picks.some((p) => p.l1 === forceL1)) picks[picks.length - 1] = pool.find((p) => p.l1 === forceL1)!;
    const unique = picks.filter((p, i) => picks.findIndex((q) => q.l1 === p.l1 && q.l2 === p.l2) === i);
    // The first row carries most entitlements, as in real grids; the others share the rest.
    const shares: number[] = [];
    let left = total;
    unique.forEach((_, i) => {
      const remainingRows = unique.length - i - 1;
      const share =
        remainingRows === 0
          ? left
          : Math.max(1, Math.min(left - remainingRows, Math.round(left * (i === 0 ? 0.7 : 0.5))));
      shares.push(share);
      left -= share;
    });
    return unique.map((t, i) => ({
      l1: t.l1,
      l2: t.l2,
      entitlements: shares[i],
      note: this.fill(t.note, { service: serviceName, n: shares[i] }),
      targetDate: t.l1 === 'In Progress' || t.l1 === 'Blocked' ? addDays(this.today, this.rng.int(14, 150)) : null,
      owner: t.l1 === 'Blocked' ? 'Customer IT' : t.l1 === 'No Intent' ? 'Account Team' : null,
      nextActionDate: this.rng.chance(0.3) ? addDays(this.today, this.rng.int(3, 40)) : null,
    }));
  }

  service(code: string, seats: number, orgName: string, forceL1?: string): ImportService {
    const rng = this.rng;
    const total =
      code === 'MDATP' || code === 'PBI'
        ? rng.int(20, Math.max(25, Math.round(seats / 4)))
        : Math.round(seats * (0.6 + rng.next() * 0.4));
    const scenario = rng.pick(SCENARIOS);
    const rfa = addDays(this.today, -rng.int(30, 300));
    const firstAu = addDays(this.today, rng.int(14, 120));
    const fortyAu = rng.chance(0.6) ? addDays(firstAu, rng.int(30, 120)) : null;
    const svc: ImportService = {
      code,
      entitlements: total,
      activeUsers: Math.round(total * rng.next() * 0.8),
      engagementScenario: scenario,
      phase: rng.pick(['Initiate', 'Assess', 'Remediate', 'Enable', 'Migrate', 'Adoption', 'Operation']),
      engagementStartDate: addDays(rfa, 7),
      statuses: this.statuses(total, SERVICE_NAMES.get(code) ?? code, forceL1),
    };
    if (rng.chance(0.88)) {
      svc.forecast = {
        rfaSubmitted: rfa,
        firstAu,
        fortyAu,
        maxAu: rng.chance(0.9) ? addDays(fortyAu ?? firstAu, rng.int(30, 200)) : null,
      };
    }
    const lines = MIGRATION_LINES[code];
    if (lines) {
      const roll = rng.next();
      if (roll < 0.45) {
        const start = addDays(this.today, rng.int(-40, 20));
        const end = addDays(start, rng.int(60, 180));
        const first = Math.max(1, Math.round(total * (0.6 + rng.next() * 0.3)));
        svc.migration = {
          msPerforming: true,
          startDate: start,
          endDate: end,
          lines: [
            {
              type: lines[0],
              entitlements: first,
              estimatedDate: addDays(start, rng.int(10, 50)),
              notes: 'First wave',
              dataSizeGb: rng.int(50, 2000),
            },
            ...(total - first > 0
              ? [
                  {
                    type: lines[1],
                    entitlements: total - first,
                    estimatedDate: addDays(start, rng.int(51, 59)),
                    notes: null,
                    dataSizeGb: null,
                  },
                ]
              : []),
          ],
        };
      } else if (roll < 0.7) {
        svc.migration = {
          msPerforming: false,
          rejectionReason: rng.pick([
            'Customer will self-migrate',
            'Customer will use a third-party tool',
            'No data to migrate',
          ]),
          rejectionNote: 'Customer confirmed in the kick-off call.',
        };
      }
    }
    if (scenario === 'FTC-FTP Led' || scenario === 'Customer-Led with FTP Assist') {
      const status = rng.pick([
        'Approved',
        'Approved',
        'Approved',
        'Approved',
        'Approved',
        'Pending',
        'Rejected',
      ] as const);
      const claimedAt = addDays(this.today, -rng.int(40, 400));
      svc.cpor = {
        partner: orgName,
        mpnId: orgName === NORTHWIND ? '4400123' : '4400456',
        status,
        claimedAt,
        approvedAt: status === 'Approved' ? addDays(claimedAt, 14) : null,
      };
    }
    return svc;
  }

  contacts(c: data.DemoCustomer, services: string[]): ImportContact[] {
    const rng = this.rng;
    const out: ImportContact[] = [];
    const people = rng.sample(data.FIRST_NAMES, 3).map((f, i) => ({
      first: f,
      last: data.LAST_NAMES[(data.FIRST_NAMES.indexOf(f) + i * 5) % data.LAST_NAMES.length],
    }));
    const email = (p: { first: string; last: string }) =>
      `${p.first}.${p.last}`
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^a-z.]/g, '') + `@${c.slug}.example`;
    const eligible = rng.chance(0.75);
    out.push({
      type: 'Customer',
      name: `${people[0].first} ${people[0].last}`,
      email: email(people[0]),
      phone: `+1 555 01${rng.int(10, 99)}`,
      roleTitle: rng.pick(data.CUSTOMER_ROLES),
      country: c.country,
      engaged: true,
      surveyEligible: eligible,
      surveyLanguage: eligible ? (data.LANGUAGE_BY_COUNTRY[c.country] ?? 'English') : null,
      services: rng.sample(services, rng.int(1, Math.min(2, services.length))),
      doNotCall: rng.chance(0.1),
    });
    if (rng.chance(0.5)) {
      out.push({
        type: 'Customer',
        name: `${people[1].first} ${people[1].last}`,
        email: email(people[1]),
        roleTitle: rng.pick(data.CUSTOMER_ROLES),
        country: c.country,
        engaged: rng.chance(0.5),
      });
    }
    if (rng.chance(0.4))
      out.push({
        type: 'Microsoft',
        name: `${people[2].first} ${people[2].last}`,
        msRole: rng.pick(data.MS_ROLES),
        source: 'sync',
      });
    return out;
  }

  notes(c: data.DemoCustomer, org: OrgSpec, services: string[], active: boolean): ImportNote[] {
    const rng = this.rng;
    const notes: ImportNote[] = [];
    const used = new Set<number>();
    const day = (min: number, max: number) => {
      let d = rng.int(min, max);
      while (used.has(d)) d = d + 1 > max ? min : d + 1;
      used.add(d);
      return d;
    };
    const name = (code: string) => SERVICE_NAMES.get(code) ?? code;
    const vars = (svc: string) => ({
      customer: c.customer,
      service: name(svc),
      services: services.map(name).join(', '),
    });
    const note = (category: string, days: number, author: string, extra: Partial<ImportNote> = {}): ImportNote => {
      const svc = extra.services?.[0] ?? rng.pick(services);
      const recent = days < 20;
      return {
        category,
        author,
        createdAt: this.ago(days),
        body: this.fill(rng.pick(data.NOTE_TEXTS[category]), vars(svc)),
        services: [],
        escalated: rng.chance(0.08),
        ...(recent && rng.chance(0.5)
          ? {
              nextAction: rng.pick(data.NEXT_ACTIONS),
              nextActionDate: addDays(this.today, rng.int(2, 30)),
              nextActionOwner: c.customer,
            }
          : {}),
        ...extra,
      };
    };
    // Engagement Management status updates: the newest sets the overall status (most within the last 14 days, C-2).
    if (rng.chance(0.92)) {
      const updates = rng.int(1, 3);
      for (let k = 0; k < updates; k++) {
        const days = k === 0 ? day(active && rng.chance(0.8) ? 0 : 15, active ? 20 : 60) : day(21, 119);
        const status = active ? rng.pick(['Active', 'Active', 'Active', 'Blocked', 'Paused'] as const) : 'Paused';
        const n = note('Engagement Management', days, rng.pick(org.all), { overallStatus: status });
        n.overallStatusDate = n.createdAt.slice(0, 10);
        notes.push(n);
      }
    }
    for (let k = rng.int(1, 2); k > 0; k--) {
      const svc = rng.pick(services);
      notes.push(
        note('Technical Enablement', day(1, 119), rng.pick(org.all), {
          services: [svc],
          body: this.fill(rng.pick(data.NOTE_TEXTS['Technical Enablement']), vars(svc)),
        }),
      );
    }
    const intent = rng.pick(services);
    notes.push(
      note('Service Intent', day(1, 119), rng.pick(org.all), {
        services: [intent],
        body: this.fill(rng.pick(data.NOTE_TEXTS['Service Intent']), vars(intent)),
      }),
    );
    if (rng.chance(0.5)) notes.push(note('Environment', day(30, 119), rng.pick(org.all)));
    if (rng.chance(0.2))
      notes.push(
        note(
          rng.pick(['Service Status', 'Customer Readiness', 'Customer Satisfaction Issue']),
          day(100, 119),
          rng.pick(org.all),
        ),
      );
    if (rng.chance(0.15)) notes.push(note('System Message', day(1, 119), ADMIN, { escalated: false }));
    return notes;
  }

  assignments(index: number, org: OrgSpec, services: string[]): ImportAssignment[] {
    const list: ImportAssignment[] = [
      // The org queue holds the tenant-primary P-RM on every org tenant (what makes the Partner List).
      { type: 'P-RM', user: org.queue, scopes: ['TENANT'], primary: ['TENANT'] },
      { type: 'Onboarding RM', user: OMAR, scopes: ['TENANT'], primary: ['TENANT'] },
      { type: 'FPM', user: PRIYA, scopes: ['TENANT'], primary: ['TENANT'] },
    ];
    if (index % 3 === 0)
      list.push({ type: 'P-RM', user: org.rm, scopes: ['TENANT', services[0]], primary: [services[0]] });
    if (index % 2 === 0)
      list.push({
        type: 'P-FM',
        user: org.fm,
        scopes: ['TENANT', ...services.slice(0, 2)],
        primary: ['TENANT', ...services.slice(0, 2)],
      });
    if (index % 5 === 1 || index % 5 === 3)
      list.push({ type: 'P-FE', user: org.fe, scopes: services.slice(0, 2), primary: [services[0]] });
    if (org.fe2 && index % 7 === 2)
      list.push({ type: 'P-FE', user: org.fe2, scopes: [services[services.length - 1]], primary: [] });
    return list;
  }

  tenant(c: data.DemoCustomer, index: number, org: OrgSpec, globalIndex: number): ImportTenant {
    const rng = this.rng;
    const active = !INACTIVE.has(index);
    const enterprise = ENTERPRISE.has(index);
    const seats = c.education ? rng.int(1000, 20000) : rng.chance(0.1) ? rng.int(100, 149) : rng.int(300, 15000);
    const codes = [...CORE.filter((code, i) => i === 0 || rng.chance(0.8)), ...rng.sample(EXTRA, rng.int(0, 4))].slice(
      0,
      8,
    );
    while (codes.length < 2) codes.push(rng.pick(EXTRA.filter((e) => !codes.includes(e))));
    // Every L1 appears early in the list, so a small demo still shows each consumption status.
    const forceL1 = L1_VALUES[globalIndex % L1_VALUES.length];
    const services = codes.map((code, i) => this.service(code, seats, org.name, i === 0 ? forceL1 : undefined));
    const eligible = c.education ? seats >= 1000 : seats >= 150;
    const t: ImportTenant = {
      tenantId: rng.guid(),
      name: `${c.slug}.onmicrosoft.com`,
      customer: c.customer,
      tpid: String(rng.int(1_000_000, 9_999_999)),
      country: c.country,
      segment: rng.pick(['S1500', 'S1500', 'S1500', 'S500', 'Other']),
      enterprise,
      enterpriseLevel: enterprise ? rng.pick(['Strategic', 'Major']) : null,
      active,
      volumeLicensing: rng.chance(0.2),
      totalSeats: seats,
      priority: rng.pick(['High', 'Medium', 'Medium', 'Low'] as const),
      enteredFtcAt: addDays(this.today, -rng.int(60, 900)),
      eligibility: {
        eligible,
        customerType: c.education ? 'Education' : 'Commercial',
        eligibleSeats: seats,
        eligiblePlans: c.education
          ? ['Office 365 A3', 'Microsoft 365 A3']
          : rng.sample(
              ['Microsoft 365 E3', 'Microsoft 365 E5', 'Office 365 E3', 'Enterprise Mobility + Security E3'],
              2,
            ),
        evaluatedAt: addDays(this.today, -rng.int(5, 60)),
      },
      services,
      assignments: this.assignments(index, org, codes),
      contacts: this.contacts(c, codes),
      notes: this.notes(c, org, codes, active),
    };
    if (enterprise) {
      t.enterpriseStatus = ['Active', 'Paused', 'Active'].map((status, k) => {
        const at = this.ago(90 - k * 35);
        return { status, statusDate: at.slice(0, 10), note: data.ENTERPRISE_NOTES[k], by: org.rm, at };
      });
    }
    return t;
  }

  /** Relecloud: Northwind delivers the Office 365 workloads, Fabrikam the EMS ones (DOMAIN.md §1.5). */
  splitTenant(globalIndex: number): ImportTenant {
    const [nw, fc] = ORGS;
    const t = this.tenant(data.SPLIT_CUSTOMER, 5, nw, globalIndex);
    const seats = t.totalSeats ?? 2000;
    t.services = ['EXO', 'SPO', 'ODB', 'TEAMS', 'INTUNE', 'AADP'].map((code) =>
      this.service(code, seats, code === 'INTUNE' || code === 'AADP' ? FABRIKAM : NORTHWIND),
    );
    t.contacts = this.contacts(data.SPLIT_CUSTOMER, ['EXO', 'INTUNE']);
    t.notes = [
      ...this.notes(data.SPLIT_CUSTOMER, nw, ['EXO', 'SPO', 'ODB', 'TEAMS'], true),
      ...this.notes(data.SPLIT_CUSTOMER, fc, ['INTUNE', 'AADP'], true).filter((n) => !n.overallStatus),
    ];
    t.assignments = [
      {
        type: 'P-RM',
        user: nw.queue,
        scopes: ['TENANT', 'EXO', 'SPO', 'ODB', 'TEAMS'],
        primary: ['TENANT', 'EXO', 'SPO', 'ODB', 'TEAMS'],
      },
      { type: 'P-RM', user: fc.queue, scopes: ['INTUNE', 'AADP'], primary: ['INTUNE', 'AADP'] },
      { type: 'P-RM', user: nw.rm, scopes: ['TENANT'], primary: [] },
      { type: 'P-FM', user: nw.fm, scopes: ['TENANT', 'EXO'], primary: ['TENANT', 'EXO'] },
      { type: 'P-FM', user: fc.fm, scopes: ['INTUNE', 'AADP'], primary: ['INTUNE', 'AADP'] },
      { type: 'P-FE', user: fc.fe, scopes: ['INTUNE'], primary: ['INTUNE'] },
      { type: 'Onboarding RM', user: OMAR, scopes: ['TENANT'], primary: ['TENANT'] },
    ];
    return t;
  }
}

/** Builds the demo import document for a given "now" (deterministic for the same date). */
export function buildDemoDocument(now: Date = new Date()): ImportFile {
  const b = new Builder(now);
  const tenants: ImportTenant[] = [];
  ORGS.forEach((org, o) => {
    const customers = o === 0 ? data.NORTHWIND_CUSTOMERS : data.FABRIKAM_CUSTOMERS;
    customers.forEach((c, i) => tenants.push(b.tenant(c, i, org, tenants.length)));
  });
  tenants.push(b.splitTenant(tenants.length));
  return {
    orgs: [
      {
        name: NORTHWIND,
        domains: ['northwind-partners.example', 'northwindpartners.onmicrosoft.com'],
        entraTenantId: '6d3c0c9e-7a51-4c57-9d0e-1f7b5b2f4a10',
        mpnId: '4400123',
      },
      {
        name: FABRIKAM,
        domains: ['fabrikam-consulting.example'],
        entraTenantId: '2f1a7c3e-5b8d-4e2a-9c61-0d4b7e9f3a25',
        mpnId: '4400456',
      },
    ],
    users: USERS,
    tenants,
  };
}

/**
 * Loads the demo data set unless the demo orgs already exist (then nothing changes).
 * @returns created: whether anything was written.
 * @throws ImportProblemsError if the demo document breaks a rule (a defect in this file).
 */
export async function seedDemo(db: Knex, opts?: { log?: (line: string) => void }): Promise<{ created: boolean }> {
  if (await findOrgByName(db, NORTHWIND)) {
    opts?.log?.('demo data set already present; nothing changed');
    return { created: false };
  }
  const now = new Date();
  const result = await importDocument(db, buildDemoDocument(now), { nativeNotes: true, now });
  await insertMissingNoteTemplates(db, data.NOTE_TEMPLATES, now.toISOString());
  const t = result.totals;
  opts?.log?.(
    `demo data set: ${t.orgs} orgs, ${t.users} users, ${t.tenants} tenants, ${t.services} services, ${t.assignments} assignments, ${t.contacts} contacts, ${t.notes} notes`,
  );
  return { created: true };
}
