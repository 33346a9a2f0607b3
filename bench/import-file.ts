/**
 * A deterministic import file (CONTRACT.md §5) in the shape of the synthetic data set (`seed --tenants N`,
 * seeds/synthetic.ts): orgs with a domain and three partner users, tenants with 1–4 services whose status grids
 * add up to their entitlements, a forecast, a tenant-primary P-RM and K notes each. The same options give the
 * same bytes on every machine and every day: dates count back from a fixed anchor, so every note is in the past.
 *
 * It is written tenant by tenant to a WriteStream (waiting for 'drain'), so a 500 MB file never sits in memory.
 *
 * CLI: tsx bench/import-file.ts --out FILE [--tenants 100000] [--orgs 10] [--notes-per-tenant 10] [--seed 1]
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { addDays } from '../src/features/admin/admin.validators';
import { Prng } from '../src/features/admin/prng';
import {
  WORDS,
  SEGMENTS,
  PRIORITIES,
  OVERALL,
  SCENARIOS,
  PHASES,
  COMBOS,
  pad,
  split,
  tenantsPerOrg,
} from '../seeds/synthetic';

export interface ImportFileOptions {
  tenants: number;
  orgs: number;
  notesPerTenant: number;
  seed: number;
  /** The anchor the dates count back from; fixed by default so the file does not depend on the day. */
  now?: Date;
}

export interface ImportFileResult {
  bytes: number;
  orgs: number;
  users: number;
  tenants: number;
  services: number;
  notes: number;
}

const ANCHOR = new Date('2026-01-01T00:00:00.000Z');

const SUFFIXES = ['Holdings', 'Industries', 'Logistics', 'Health', 'Foods', 'Energy', 'Retail', 'Bank', 'Group'];
const COUNTRIES = ['United States', 'United Kingdom', 'Germany', 'France', 'Netherlands', 'Canada', 'Japan', 'Brazil'];
/** Catalogue codes (seeds/services.json), weighted towards the workloads most tenants have. */
const SERVICE_POOL = [
  ...['EXO', 'EXO', 'EXO', 'TEAMS', 'TEAMS', 'SPO', 'SPO', 'ODB', 'ODB', 'INTUNE', 'INTUNE', 'AADP', 'PROPLUS'],
  ...['OLM', 'PBI', 'WIN10', 'MDATP', 'AIP', 'YAMMER', 'MCAS'],
];
/** Valid (L1, L2) pairs (V-22, seeds/taxonomy.json): each grid takes 1–3 distinct ones (V-27). */
/** The nine note categories, the editor ones more often than the legacy/system ones. */
const CATEGORIES = [
  ...['Engagement Management', 'Engagement Management', 'Engagement Management', 'Technical Enablement'],
  ...['Technical Enablement', 'Service Intent', 'Service Intent', 'Environment', 'Environment', 'Enterprise Status'],
  ...['Service Status', 'Customer Readiness', 'Customer Satisfaction Issue', 'System Message'],
];
const NOTE_TEXT = [
  'Weekly sync held with the customer project lead; the next steps were agreed and minuted.',
  'Pilot group of users onboarded, feedback positive. Müller from the service desk will collect issues.',
  'Waiting for the network team to open the required endpoints before the next wave can start.',
  'Licences assigned; deployment wave planned for the São Paulo and Zürich offices.',
  'Migration batch completed without errors, mailbox sizes verified against the source report.',
  'Customer asked for adoption training material in their own language for the champions.',
  'Security review scheduled with the customer CISO; conditional access policies to be drafted first.',
  'Champions programme launched across two sites, with office hours every Thursday afternoon.',
];
const STATUS_TEXT: Record<string, string> = {
  'Status Unknown': 'Intent not yet confirmed with the customer',
  'In Progress': 'Deployment work is under way with the customer',
  Blocked: 'Work is blocked until the customer resolves the issue',
  'No Intent': 'The customer does not plan to use this service',
  'Duplicate/Invalid': 'These entitlements were counted twice in the source report',
};

interface Org {
  name: string;
  users: string[];
  tenants: number;
}

function service(rng: Prng, code: string, today: string) {
  const total = rng.int(50, 5000);
  const combos = rng.sample(COMBOS, rng.int(1, 3));
  const statuses = split(rng, total, combos.length).map((entitlements, r) => {
    const [l1, l2] = combos[r];
    const targetDate = (l1 === 'In Progress' || l1 === 'Blocked') && rng.chance(0.3);
    return {
      l1,
      l2,
      entitlements,
      note: `${STATUS_TEXT[l1]} (${code}, ${entitlements} seats).`,
      ...(targetDate ? { targetDate: addDays(today, rng.int(10, 200)) } : {}),
    };
  });
  // V-30…V-33: rfaSubmitted < firstAu < fortyAu <= maxAu.
  const rfaSubmitted = addDays(today, -rng.int(10, 300));
  const firstAu = addDays(rfaSubmitted, rng.int(10, 120));
  const fortyAu = addDays(firstAu, rng.int(1, 120));
  const maxAu = addDays(fortyAu, rng.int(0, 200));
  return {
    code,
    entitlements: total,
    activeUsers: rng.int(0, total),
    engagementScenario: rng.pick(SCENARIOS),
    phase: rng.pick(PHASES),
    statuses,
    forecast: { rfaSubmitted, firstAu, fortyAu, maxAu },
  };
}

function tenant(rng: Prng, org: Org, index: number, notesPerTenant: number, anchor: Date) {
  const today = anchor.toISOString().slice(0, 10);
  const word = rng.pick(WORDS);
  const name = `t${pad(index, 6)}-${word}.onmicrosoft.com`;
  const overallStatus = rng.pick(OVERALL);
  const statusDate = addDays(today, -rng.int(1, 60));
  const codes = [...new Set(rng.sample(SERVICE_POOL, rng.int(1, 4)))];
  const services = codes.map((code) => service(rng, code, today));
  const assignments = [{ type: 'P-RM', user: rng.pick(org.users), scopes: ['TENANT'], primary: ['TENANT'] }];
  if (rng.chance(0.25)) assignments.push({ type: 'P-FE', user: org.users[2], scopes: [codes[0]], primary: [] });
  const notes = Array.from({ length: notesPerTenant }, (_, n) => {
    // The first note is the Engagement Management status update behind the overall status.
    const category = n === 0 ? 'Engagement Management' : rng.pick(CATEGORIES);
    // Whole minutes plus n ms: (author, createdAt) is unique within the tenant whatever the draw.
    const createdAt =
      n === 0
        ? `${statusDate}T09:00:00.000Z`
        : new Date(anchor.getTime() - rng.int(1, 120 * 24 * 60) * 60_000 + n).toISOString();
    const withService = category === 'Technical Enablement' || category === 'Service Intent';
    return {
      category,
      author: rng.pick(org.users),
      createdAt,
      body: `${rng.pick(NOTE_TEXT)} ${rng.pick(NOTE_TEXT)} (${word} ${n + 1})`,
      services: withService ? [rng.pick(codes)] : [],
      escalated: rng.chance(0.05),
      ...(n === 0 ? { overallStatus, overallStatusDate: statusDate } : {}),
    };
  });
  return {
    tenantId: rng.guid(),
    name,
    customer: `${word[0].toUpperCase()}${word.slice(1)} ${rng.pick(SUFFIXES)}`,
    country: rng.pick(COUNTRIES),
    segment: rng.pick(SEGMENTS),
    enterprise: rng.chance(0.02),
    active: !rng.chance(0.15),
    totalSeats: rng.int(150, 20000),
    priority: rng.pick(PRIORITIES),
    enteredFtcAt: addDays(today, -rng.int(30, 900)),
    overallStatus,
    overallStatusDate: statusDate,
    services,
    assignments,
    notes,
  };
}

/**
 * Writes the import file to `file`. Deterministic for (tenants, orgs, notesPerTenant, seed, now).
 * @throws RangeError for options outside 1 ≤ orgs ≤ min(999, tenants).
 */
export async function writeImportFile(file: string, opts: ImportFileOptions): Promise<ImportFileResult> {
  const { tenants, orgs, notesPerTenant } = opts;
  if (!Number.isInteger(tenants) || tenants < 1) throw new RangeError('tenants must be a positive whole number');
  if (!Number.isInteger(orgs) || orgs < 1 || orgs > 999 || orgs > tenants)
    throw new RangeError('orgs must be between 1 and min(999, tenants)');
  if (!Number.isInteger(notesPerTenant) || notesPerTenant < 0 || notesPerTenant > 1000)
    throw new RangeError('notes per tenant must be between 0 and 1000');
  const rng = new Prng(opts.seed);
  const anchor = opts.now ?? ANCHOR;
  const counts = tenantsPerOrg(tenants, orgs);
  const plan: Org[] = counts.map((n, o) => ({
    name: `Synthetic Org ${pad(o + 1, 3)}`,
    users: [1, 2, 3].map((u) => `user${u}@org${pad(o + 1, 3)}.synthetic.example`),
    tenants: n,
  }));
  const orgDocs = plan.map((org, o) => ({
    name: org.name,
    domains: [`org${pad(o + 1, 3)}.synthetic.example`],
    entraTenantId: rng.guid(),
    mpnId: `44${pad(o + 1, 5)}`,
  }));
  const userDocs = plan.flatMap((org, o) =>
    org.users.map((email, u) => ({
      email,
      name: `User ${u + 1} (Org ${pad(o + 1, 3)})`,
      org: org.name,
      partnerAdmin: u === 0,
    })),
  );

  const out = fs.createWriteStream(file);
  const failed = once(out, 'error').then(([err]) => Promise.reject(err as Error));
  failed.catch(() => undefined); // observed below; avoids an unhandled rejection when all goes well
  const write = async (text: string) => {
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };
  const result: ImportFileResult = { bytes: 0, orgs, users: userDocs.length, tenants, services: 0, notes: 0 };
  await write(`{"orgs":${JSON.stringify(orgDocs)},\n"users":${JSON.stringify(userDocs)},\n"tenants":[\n`);
  let index = 0;
  for (const org of plan) {
    for (let k = 0; k < org.tenants; k++) {
      const doc = tenant(rng, org, ++index, notesPerTenant, anchor);
      result.services += doc.services.length;
      result.notes += doc.notes.length;
      await write(`${index > 1 ? ',\n' : ''}${JSON.stringify(doc)}`);
    }
  }
  out.end('\n]}\n');
  await Promise.race([once(out, 'finish'), failed]);
  result.bytes = out.bytesWritten;
  return result;
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      tenants: { type: 'string', default: '100000' },
      orgs: { type: 'string', default: '10' },
      'notes-per-tenant': { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (!values.out) {
    console.error(
      'usage: tsx bench/import-file.ts --out FILE [--tenants N] [--orgs M] [--notes-per-tenant K] [--seed S]',
    );
    process.exit(1);
  }
  const started = Date.now();
  writeImportFile(values.out, {
    tenants: Number(values.tenants),
    orgs: Number(values.orgs),
    notesPerTenant: Number(values['notes-per-tenant']),
    seed: Number(values.seed),
  }).then(
    (r) =>
      console.log(
        `${values.out}: ${r.tenants} tenants, ${r.services} services, ${r.notes} notes, ` +
          `${(r.bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ),
    (err: Error) => {
      console.error(`error: ${err.message}`);
      process.exit(1);
    },
  );
}
