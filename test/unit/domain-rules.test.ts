import { checkContact, type ContactValues } from '../../src/domain/rules/contact.rules';
import { checkForecast, forecastLabels } from '../../src/domain/rules/forecast.rules';
import { checkMigration, type MigrationValues } from '../../src/domain/rules/migration.rules';
import { checkStatusGrid, type StatusRowValues } from '../../src/domain/rules/status-grid.rules';
import { isCount, isEmail, isIsoDate, isSizeGb, normalizeName } from '../../src/domain/values';

/** The pure rule functions of src/domain/ (STYLE.md › Rules live in one place), without an entry point. */

describe('src/domain/values.ts', () => {
  it.each([
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-04-31', false],
    ['1900-01-01', true],
    ['1899-12-31', false],
    ['0050-01-01', false],
    ['2026-1-01', false],
  ])('isIsoDate(%p) is %p', (v, ok) => expect(isIsoDate(v)).toBe(ok));

  it.each([
    ['li.wei@adatum.example', true],
    ['jörg@example.com', true],
    ['x@ab.c', false],
    ['a b@example.com', false],
    ['@example.com', false],
    [`${'a'.repeat(250)}@x.example`, false],
  ])('isEmail(%p) is %p', (v, ok) => expect(isEmail(v)).toBe(ok));

  it('counts are whole numbers 1…999,999,999; sizes have at most 2 decimals', () => {
    expect([0, 1, 999_999_999, 1_000_000_000, 1.5, NaN].map(isCount)).toEqual([false, true, true, false, false, false]);
    expect([0, 120, 120.55, 0.125, -1].map(isSizeGb)).toEqual([true, true, true, false, false]);
  });

  it('org names are trimmed with inner white space collapsed', () => {
    expect(normalizeName('  Northwind   Partners ')).toBe('Northwind Partners');
  });
});

const row = (over: Partial<StatusRowValues> = {}): StatusRowValues => ({
  l1: 'In Progress',
  l2: 'Migration',
  l3: null,
  entitlements: 10,
  note: 'Mailboxes move in batches',
  targetDate: '2027-01-01',
  owner: null,
  nextActionDate: null,
  ...over,
});
const grid = { effectiveTotal: 10, l3Of: () => [], today: '2026-12-01' };

describe('checkStatusGrid (V-21…V-29)', () => {
  it('V-28: a new one-word note is refused, the same stored note is not checked again', () => {
    const legacy = row({ note: 'Legacy' });
    expect(checkStatusGrid([{ values: legacy }], grid).problems.map((p) => p.rule)).toEqual(['V-28']);
    expect(checkStatusGrid([{ values: legacy, stored: legacy }], grid).problems).toEqual([]);
  });

  it('V-24: a past target date passes when stored, fails when typed, and passes for imported history', () => {
    const past = row({ targetDate: '2020-01-01' });
    expect(checkStatusGrid([{ values: past, stored: past }], grid).problems).toEqual([]);
    expect(checkStatusGrid([{ values: past, stored: row() }], grid).problems.map((p) => p.path)).toEqual([
      ['statuses', 0, 'targetDate'],
    ]);
    expect(checkStatusGrid([{ values: past }], { ...grid, today: null }).problems).toEqual([]);
  });

  it('V-26 looks at the whole grid even when the rows are unchanged', () => {
    const r = row({ entitlements: 9 });
    const { problems } = checkStatusGrid([{ values: r, stored: r }], grid);
    expect(problems).toEqual([
      {
        path: ['statuses'],
        rule: 'V-26',
        message: 'Entitlement statuses must add up to 10 entitlements (currently 9).',
      },
    ]);
  });

  it('A-13: an L2 alias is stored as the canonical L2', () => {
    const alias = row({ l1: 'Blocked', l2: 'billing, licensing, subscription', targetDate: null });
    expect(checkStatusGrid([{ values: alias }], grid).rows[0].l2).toBe('Billing, Licensing and Subscription');
  });
});

describe('checkForecast (V-30…V-35)', () => {
  const stored = { rfaSubmitted: '2026-09-01', firstAu: null, fortyAu: null, maxAu: '2027-06-30' };
  const ctx = { today: '2026-12-01', labels: forecastLabels(15), mayChangeRfa: false };

  it('V-30: the RFA date is never emptied, not even by an administrator or the import', () => {
    for (const c of [ctx, { ...ctx, mayChangeRfa: true, today: null }])
      expect(checkForecast(stored, { rfaSubmitted: null }, c).map((p) => p.rule)).toEqual(['V-30']);
  });

  it('V-35: a stored date that has passed does not block an unrelated change', () => {
    const old = { ...stored, firstAu: '2026-10-01' };
    expect(checkForecast(old, { fortyAu: '2027-02-01' }, ctx)).toEqual([]);
  });
});

describe('checkMigration (V-40…V-43)', () => {
  const section: MigrationValues = {
    msPerforming: false,
    startDate: null,
    endDate: null,
    lines: [{ type: 'Mig-ExHybrid', entitlements: 10, estimatedDate: '2027-01-01', notes: null, dataSizeGb: null }],
    rejectionReason: 'Customer Choice',
    rejectionNote: 'They move mail themselves',
  };
  const ctx = {
    entry: { today: '2026-12-01', imported: false },
    types: ['Mig-ExHybrid'],
    rejectionReasons: ['Customer Choice'],
    statuses: [],
    maySetLineStatus: false,
    basis: 10,
  };

  it('V-42: with Microsoft not performing the migration, lines are removed (with a warning), not refused', () => {
    const checked = checkMigration(section, ctx);
    expect(checked.problems).toEqual([]);
    expect(checked.values.lines).toEqual([]);
    expect(checked.warnings.map((w) => w.rule)).toEqual(['V-42']);
  });

  it('V-40: an undecided answer is refused for a user, and for the import only over a decided one', () => {
    const undecided = { ...section, msPerforming: null, lines: [] };
    const imported = { ...ctx, entry: { today: '2026-12-01', imported: true } };
    expect(checkMigration(undecided, ctx).problems.map((p) => p.rule)).toEqual(['V-40']);
    expect(checkMigration(undecided, imported).problems).toEqual([]);
    expect(checkMigration(undecided, { ...imported, stored: section }).problems.map((p) => p.rule)).toEqual(['V-40']);
  });
});

describe('checkContact (V-10…V-14)', () => {
  const contact: ContactValues = {
    type: 'Customer',
    name: 'Li Wei',
    email: 'li.wei@adatum.example',
    phone: null,
    roleTitle: null,
    country: 'United States',
    location: null,
    timeZone: null,
    engaged: true,
    surveyEligible: true,
    surveyLanguage: 'English',
    services: ['EXO'],
    doNotCall: false,
    skillType: null,
    msRole: null,
  };
  const ctx = { entitled: new Set(['EXO']), languages: ['English'], skillTypes: [] };

  it('V-14: a service the tenant lost is kept when stored, refused when newly chosen', () => {
    const lost = { ...ctx, entitled: new Set<string>() };
    expect(checkContact(contact, { ...lost, stored: contact })).toEqual([]);
    expect(checkContact(contact, lost).map((p) => p.rule)).toEqual(['V-14']);
  });
});
