/** 2. Who signs in, and which search text. */
import Database from 'better-sqlite3';
import { opts } from './options';

export interface Subject {
  upn: string;
  orgName: string;
  orgTenants: number;
  q: string;
  qMatches: number;
}

/** The largest org (most P-RM tenants), its first active partner user, and a search text matching a few dozen of its tenants. */
export function pickSubject(file: string): Subject {
  const raw = new Database(file);
  try {
    const org = raw
      .prepare(
        `SELECT a.org_id AS id, o.name AS name, count(DISTINCT a.tenant_id) AS n
           FROM assignments a JOIN partner_orgs o ON o.id = a.org_id
          WHERE a.type = 'P-RM' AND a.org_id IS NOT NULL
          GROUP BY a.org_id ORDER BY n DESC, a.org_id LIMIT 1`,
      )
      .get() as { id: number; name: string; n: number } | undefined;
    if (!org) throw new Error('the bench database has no org holding P-RM assignments');
    const user = raw
      .prepare(
        `SELECT upn FROM users WHERE org_id = ? AND kind = 'partner' AND status <> 'disabled'
          ORDER BY (upn LIKE 'user1@%') DESC, id LIMIT 1`,
      )
      .get(org.id) as { upn: string } | undefined;
    if (!user) throw new Error(`${org.name} has no active partner user to sign in as`);
    const tenants = raw
      .prepare(
        `SELECT tenant_name AS name, tenant_guid AS guid FROM tenants WHERE id IN (SELECT tenant_id FROM assignments WHERE type = 'P-RM' AND org_id = ?)`,
      )
      .all(org.id) as { name: string; guid: string }[];
    // Same semantics as the repo: case-insensitive substring of the tenant name or the Tenant ID.
    const matches = (q: string) => {
      const needle = q.toLowerCase();
      let n = 0;
      for (const t of tenants) if (t.name.toLowerCase().includes(needle) || t.guid.includes(needle)) n++;
      return n;
    };
    let q = opts.q;
    if (!q) {
      const words = new Map<string, number>();
      for (const t of tenants) {
        for (const w of new Set(t.name.toLowerCase().split(/[^a-z0-9]+/)))
          if (w.length >= 3) words.set(w, (words.get(w) ?? 0) + 1);
      }
      // Whole words first; then 3–4 letter fragments of words when no word lands in the range.
      const pick = (candidates: Iterable<string>) => {
        let best: { q: string; n: number } | undefined;
        for (const c of candidates) {
          const n = matches(c);
          if (n < 20 || n > 60) continue;
          if (
            !best ||
            Math.abs(n - 36) < Math.abs(best.n - 36) ||
            (Math.abs(n - 36) === Math.abs(best.n - 36) && c < best.q)
          )
            best = { q: c, n };
        }
        return best?.q;
      };
      const fragments = new Set<string>();
      for (const w of words.keys())
        for (let len = 3; len <= 4; len++) for (let i = 0; i + len <= w.length; i++) fragments.add(w.slice(i, i + len));
      q =
        pick([...words.keys()].filter((w) => (words.get(w) ?? 0) >= 20 && (words.get(w) ?? 0) <= 60)) ??
        pick(fragments);
      if (!q) throw new Error('found no search text matching 20–60 of the org’s tenants; pass one with --q');
    }
    return { upn: user.upn, orgName: org.name, orgTenants: org.n, q, qMatches: matches(q) };
  } finally {
    raw.close();
  }
}
