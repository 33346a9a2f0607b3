import type { Knex } from 'knex';
import { AdminInputError } from '../src/features/admin/admin.errors';
import { addDays, queuePrincipal } from '../src/features/admin/admin.validators';
import { Prng } from '../src/features/admin/prng';
import { withBulkLoad, type BulkLoad, type BulkTable } from '../src/features/admin/bulk-load';

/**
 * The synthetic data set behind `seed --tenants N` (CONTRACT.md §3): deterministic for a given
 * (N, orgs, notes per tenant, seed) and sized for demos at scale and benchmarks. Org 1 is the big
 * one (5% of the tenants, at most 5,000) so a benchmark can sign in as an org with thousands of
 * tenants; the rest are spread evenly. It loads through `withBulkLoad` (prepared statements on the raw
 * connection on SQLite, multi-row INSERTs through knex on PostgreSQL) in one transaction, yielding to
 * the event loop between chunks so progress can be shown.
 */

export interface SyntheticOptions {
  tenants: number;
  orgs: number;
  notesPerTenant: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
  /** "Now" for created_at and the date windows (tests pin it). */
  now?: Date;
}

export interface SyntheticResult {
  orgs: number;
  users: number;
  tenants: number;
  notes: number;
}

export const WORDS = (
  'alder amber apex arbor aspen aurora basalt beacon birch blue bolt brook canyon cedar cinder cobalt comet coral ' +
  'crest delta dune ember falcon fern fjord flint forge garnet glacier granite harbor hazel heron indigo iris ivory ' +
  'jade juniper kestrel lagoon larch lumen maple marble meadow mesa mistral nimbus north oak onyx opal orchid osprey ' +
  'pine polar prairie quarry quartz raven reef ridge river rowan saffron sage sequoia shale sierra slate solar spruce ' +
  'summit tidal timber topaz tundra umber valley vega willow zenith'
).split(' ');
const SUFFIXES = [
  'Holdings',
  'Industries',
  'Logistics',
  'Health',
  'Foods',
  'Energy',
  'Retail',
  'Bank',
  'Insurance',
  'Systems',
  'Group',
  'Labs',
];
const COUNTRIES = [
  'United States',
  'United Kingdom',
  'Germany',
  'France',
  'Netherlands',
  'Canada',
  'Australia',
  'Japan',
  'Brazil',
  'India',
  'Spain',
  'Sweden',
];
export const SEGMENTS = ['S1500', 'S1500', 'S1500', 'S500', 'Other'];
export const PRIORITIES = ['High', 'Medium', 'Medium', 'Low'];
export const OVERALL = ['Active', 'Active', 'Active', 'Active', 'Blocked', 'Paused'];
export const SCENARIOS = ['FTC-FTP Led', 'FTC-FTP Led', 'Customer-Led with FTP Assist', 'Customer Led', 'FTC-CSS Led'];
export const PHASES = ['Initiate', 'Assess', 'Remediate', 'Enable', 'Migrate', 'Adoption', 'Operation'];
/** Weighted towards the workloads most tenants have. */
const SERVICE_POOL = [
  'EXO',
  'EXO',
  'EXO',
  'TEAMS',
  'TEAMS',
  'SPO',
  'SPO',
  'ODB',
  'ODB',
  'INTUNE',
  'INTUNE',
  'AADP',
  'PROPLUS',
  'OLM',
  'PBI',
  'WIN10',
  'MDATP',
  'AIP',
  'YAMMER',
  'MCAS',
];
/** Valid (L1, L2) pairs (V-22): the grid rows are drawn from these. */
export const COMBOS: [string, string | null][] = [
  ['Status Unknown', 'New Subscription or Workload'],
  ['Status Unknown', 'Customer Unresponsive'],
  ['In Progress', null],
  ['In Progress', 'Migration'],
  ['In Progress', 'Technical Onboarding and Deployment'],
  ['In Progress', 'Solution or User Adoption'],
  ['Blocked', 'Customer IT Infrastructure and Remediation'],
  ['Blocked', 'Legal/Regulatory'],
  ['Blocked', 'Adoption Readiness'],
  ['No Intent', 'Using Competitive Solution'],
  ['No Intent', 'Executive Sponsorship'],
  ['Duplicate/Invalid', null],
];
const CATEGORIES = [
  'Engagement Management',
  'Engagement Management',
  'Engagement Management',
  'Engagement Management',
  'Technical Enablement',
  'Technical Enablement',
  'Service Intent',
  'Service Intent',
  'Environment',
  'Customer Readiness',
];
const NOTE_TEXT = [
  'Weekly sync held with the customer project lead',
  'Pilot group of users onboarded, feedback positive',
  'Waiting for the network team to open the required endpoints',
  'Licences assigned; deployment wave planned',
  'Migration batch completed without errors',
  'Customer asked for adoption training material',
  'Security review scheduled with the customer CISO',
  'Champions programme launched across two sites',
];

export const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** How many tenants each org gets: org 1 takes 5% (at most 5,000), the others share the rest evenly. */
export function tenantsPerOrg(tenants: number, orgs: number): number[] {
  if (orgs === 1) return [tenants];
  const first = Math.max(1, Math.min(5000, Math.floor(tenants * 0.05)));
  const rest = tenants - first;
  return [
    first,
    ...Array.from({ length: orgs - 1 }, (_, i) => Math.floor(rest / (orgs - 1)) + (i < rest % (orgs - 1) ? 1 : 0)),
  ];
}

/** Splits `total` into `parts` positive integers (total ≥ parts). */
export function split(rng: Prng, total: number, parts: number): number[] {
  const out: number[] = [];
  let left = total;
  for (let i = parts; i > 1; i--) {
    const share = rng.int(1, left - (i - 1));
    out.push(share);
    left -= share;
  }
  out.push(left);
  return out;
}

type Tables = Record<
  'org' | 'domain' | 'user' | 'tenant' | 'service' | 'status' | 'assignment' | 'scope' | 'note' | 'noteService' | 'osh',
  BulkTable
>;

/** Multi-row inserters with explicit ids; the key order is the flush order (parents first). */
function inserters(load: BulkLoad): Tables {
  const bulk = (table: string, columns: string[]) => load.table(table, columns);
  return {
    org: bulk('partner_orgs', ['id', 'name', 'queue_display_name', 'is_active', 'created_at', 'updated_at']),
    domain: bulk('partner_domains', ['org_id', 'domain', 'created_at']),
    user: bulk('users', [
      'id',
      'org_id',
      'upn',
      'display_name',
      'kind',
      'is_partner_admin',
      'status',
      'created_at',
      'updated_at',
    ]),
    tenant: bulk('tenants', [
      'id',
      'tenant_guid',
      'tenant_name',
      'customer_name',
      'country',
      'segment',
      'is_enterprise',
      'is_active',
      'total_seats',
      'priority',
      'entered_ftc_at',
      'overall_status',
      'overall_status_date',
      'last_os_note_at',
      'created_at',
      'updated_at',
    ]),
    service: bulk('tenant_services', [
      'id',
      'tenant_id',
      'service_code',
      'total_entitlements',
      'active_users',
      'engagement_scenario',
      'phase',
      'rfa_submitted_date',
      'target_first_au_date',
      'target_max_au_date',
      'created_at',
      'updated_at',
    ]),
    status: bulk('entitlement_status_rows', [
      'tenant_service_id',
      'l1',
      'l2',
      'entitlements',
      'status_note',
      'created_at',
      'updated_at',
    ]),
    assignment: bulk('assignments', [
      'id',
      'tenant_id',
      'assignee_user_id',
      'org_id',
      'type',
      'is_partner_type',
      'created_at',
      'updated_at',
    ]),
    scope: bulk('assignment_scopes', ['assignment_id', 'tenant_id', 'type', 'scope', 'is_primary']),
    note: bulk('notes', [
      'id',
      'tenant_id',
      'category',
      'body_html',
      'body_text',
      'is_escalated',
      'overall_status',
      'overall_status_date',
      'source_context',
      'is_legacy',
      'author_user_id',
      'created_at',
      'search_tenant',
      'search_services',
    ]),
    noteService: bulk('note_services', ['note_id', 'service_code']),
    osh: bulk('overall_status_history', ['tenant_id', 'overall_status', 'status_date', 'note_id', 'by', 'at']),
  };
}

/** The tables the load writes (PostgreSQL locks them against other writers for the load). */
const LOCKED = [
  'partner_orgs',
  'partner_domains',
  'users',
  'tenants',
  'tenant_services',
  'entitlement_status_rows',
  'assignments',
  'assignment_scopes',
  'notes',
  'note_services',
  'overall_status_history',
];

interface OrgPlan {
  id: number;
  queueId: number;
  users: number[];
  tenants: number;
}

/**
 * Generates and loads the synthetic data set. Refuses (AdminInputError) when synthetic data is
 * already present, so it never mixes two runs. All or nothing: one transaction.
 */
export async function seedSynthetic(db: Knex, opts: SyntheticOptions): Promise<SyntheticResult> {
  const { tenants, orgs, notesPerTenant } = opts;
  if (!Number.isInteger(tenants) || tenants < 1) throw new AdminInputError('tenants must be a positive whole number');
  if (!Number.isInteger(orgs) || orgs < 1 || orgs > 999 || orgs > tenants)
    throw new AdminInputError('orgs must be between 1 and min(999, tenants)');
  const present = await db('partner_orgs').where('name', 'like', 'Synthetic Org %').first('name');
  if (present) throw new AdminInputError(`synthetic data is already present (${present.name}); seed an empty database`);
  const names = (await db('services').select('code', 'name')) as { code: string; name: string }[];
  const serviceName = new Map(names.map((s) => [s.code, s.name]));

  const rng = new Prng(opts.seed);
  const now = opts.now ?? new Date();
  const nowMs = now.getTime();
  const today = now.toISOString().slice(0, 10);
  const at = now.toISOString();
  const dayMs = 86_400_000;
  const counts = tenantsPerOrg(tenants, orgs);
  let notes = 0;

  await withBulkLoad(db, LOCKED, async (load) => {
    const t = inserters(load);
    const ids = {
      org: await load.nextId('partner_orgs'),
      user: await load.nextId('users'),
      tenant: await load.nextId('tenants'),
      service: await load.nextId('tenant_services'),
      assignment: await load.nextId('assignments'),
      note: await load.nextId('notes'),
    };
    const flushAll = async () => {
      for (const b of Object.values(t)) await b.flush();
    };
    const plans: OrgPlan[] = [];
    for (let o = 1; o <= orgs; o++) {
      const name = `Synthetic Org ${pad(o, 3)}`;
      const domain = `org${pad(o, 3)}.synthetic.example`;
      const queue = queuePrincipal(name);
      const orgId = ids.org++;
      t.org.push(orgId, name, queue.displayName, 1, at, at);
      t.domain.push(orgId, domain, at);
      const queueId = ids.user++;
      t.user.push(queueId, orgId, queue.upn, queue.displayName, 'queue', 0, 'active', at, at);
      const users = [1, 2, 3].map((u) => {
        const id = ids.user++;
        t.user.push(
          id,
          orgId,
          `user${u}@${domain}`,
          `User ${u} (Org ${pad(o, 3)})`,
          'partner',
          u === 1 ? 1 : 0,
          'active',
          at,
          at,
        );
        return id;
      });
      plans.push({ id: orgId, queueId, users, tenants: counts[o - 1] });
    }

    let index = 0;
    const chunk = Math.max(1, Math.min(2000, Math.ceil(tenants / 20)));
    const flushEvery = 100; // tenants per flush: about 1,000 notes, a few multi-row statements per table
    for (const org of plans) {
      for (let k = 0; k < org.tenants; k++) {
        index++;
        const word = rng.pick(WORDS);
        const tenantName = `t${pad(index, 6)}-${word}.onmicrosoft.com`;
        const active = !rng.chance(0.15);
        const status = rng.pick(OVERALL);
        const statusDate = addDays(today, -rng.int(0, 60));
        const tenantId = ids.tenant++;
        t.tenant.push(
          tenantId,
          rng.guid(),
          tenantName,
          `${word[0].toUpperCase()}${word.slice(1)} ${rng.pick(SUFFIXES)}`,
          rng.pick(COUNTRIES),
          rng.pick(SEGMENTS),
          rng.chance(0.02) ? 1 : 0,
          active ? 1 : 0,
          rng.int(150, 20000),
          rng.pick(PRIORITIES),
          addDays(today, -rng.int(30, 900)),
          status,
          statusDate,
          `${statusDate}T09:00:00.000Z`,
          at,
          at,
        );

        const codes = rng.sample(SERVICE_POOL, rng.int(1, 4)).filter((c, i, all) => all.indexOf(c) === i);
        for (const code of codes) {
          const total = rng.int(50, 5000);
          const tsId = ids.service++;
          t.service.push(
            tsId,
            tenantId,
            code,
            total,
            rng.int(0, total),
            rng.pick(SCENARIOS),
            rng.pick(PHASES),
            addDays(today, -rng.int(10, 300)),
            addDays(today, rng.int(10, 120)),
            addDays(today, rng.int(121, 400)),
            at,
            at,
          );
          // V-26: the rows of a grid add up to the service's total; V-27: distinct combinations.
          const combos = rng.sample(COMBOS, rng.int(1, 3));
          split(rng, total, combos.length).forEach((n, r) =>
            t.status.push(tsId, combos[r][0], combos[r][1], n, 'Synthetic status row', at, at),
          );
        }

        // The org queue holds the tenant-primary P-RM; user1 works ~60% of the tenants as P-RM and P-FM.
        const assign = (userId: number, type: string, scopes: [string, boolean][]) => {
          const id = ids.assignment++;
          t.assignment.push(id, tenantId, userId, org.id, type, 1, at, at);
          for (const [scope, primary] of scopes) t.scope.push(id, tenantId, type, scope, primary ? 1 : 0);
        };
        assign(org.queueId, 'P-RM', [['TENANT', true]]);
        if (rng.chance(0.6)) {
          assign(org.users[0], 'P-RM', [['TENANT', false]]);
          assign(org.users[0], 'P-FM', [
            ['TENANT', true],
            [codes[0], true],
          ]);
        }
        if (rng.chance(0.25)) assign(org.users[1], 'P-FE', [[codes[0], false]]);

        for (let n = 0; n < notesPerTenant; n++) {
          // The first note is the Engagement Management status update behind the overall status.
          const isStatusNote = n === 0;
          const category = isStatusNote ? 'Engagement Management' : rng.pick(CATEGORIES);
          const createdAt = isStatusNote
            ? `${statusDate}T09:00:00.000Z`
            : new Date(nowMs - rng.int(0, 120 * dayMs)).toISOString();
          const text = `${rng.pick(NOTE_TEXT)} (${word} ${n + 1}).`;
          const noteServices =
            category === 'Technical Enablement' || category === 'Service Intent' ? [rng.pick(codes)] : [];
          const noteId = ids.note++;
          t.note.push(
            noteId,
            tenantId,
            category,
            `<p>${text}</p>`,
            text,
            rng.chance(0.05) ? 1 : 0,
            isStatusNote ? status : null,
            isStatusNote ? statusDate : null,
            isStatusNote ? 'status_tab' : 'notes_editor',
            category === 'Customer Readiness' ? 1 : 0,
            rng.pick(org.users),
            createdAt,
            tenantName,
            noteServices.map((c) => serviceName.get(c) ?? c).join(', '),
          );
          for (const c of noteServices) t.noteService.push(noteId, c);
          if (isStatusNote) t.osh.push(tenantId, status, statusDate, noteId, org.users[0], createdAt);
        }

        if (index % flushEvery === 0) await flushAll();
        if (index % chunk === 0) {
          await flushAll();
          opts.onProgress?.(index, tenants);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    }
    await flushAll();
    notes = t.note.count;
  });
  opts.onProgress?.(tenants, tenants);
  return { orgs, users: orgs * 4, tenants, notes };
}
