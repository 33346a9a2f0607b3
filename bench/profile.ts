/** 5. Query profile: the SQL one list request runs, each statement timed on its own, with its plan. */
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { createDb } from '../src/db/db';
import { findSignInUser } from '../src/auth/users.repo';
import { accessScope } from '../src/auth/scope';
import { frpView, parseListQuery } from '../src/features/tenants/tenants.service';
import { lpad, median, ms, pad } from './format';

interface Statement {
  label: string;
  sql: string;
  bindings: unknown[];
}

function labelStatements(captured: { sql: string; bindings: unknown[] }[]): Statement[] {
  // countTabs: the My tabs grouped by Tenant State in one statement, then the Partner List.
  const tabs = ['My Active and My Inactive', 'Partner List'];
  let counts = 0;
  return captured.map((c) => {
    const sql = c.sql;
    let label = sql.replace(/\s+/g, ' ').slice(0, 50);
    if (/where `t`\.`id` in \(\?/i.test(sql)) label = "the page's rows with their figures";
    else if (/count\(\*\)/i.test(sql) && /from `tenants`/i.test(sql)) label = `tab counts (${tabs[counts++] ?? '?'})`;
    else if (/from `tenants`/i.test(sql)) label = "the page's ids (tenants, ORDER BY … LIMIT)";
    else if (/from `assignments`/i.test(sql)) label = "the page's roles of the user";
    return { label, sql, bindings: c.bindings };
  });
}

/** better-sqlite3 takes no booleans; knex's dialect binds them as 1/0. */
const bindable = (bindings: unknown[]) => bindings.map((b) => (typeof b === 'boolean' ? Number(b) : b));

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

function planTree(rows: PlanRow[]): string[] {
  const depth = new Map<number, number>([[0, 0]]);
  return rows.map((r) => {
    const d = (depth.get(r.parent) ?? 0) + 1;
    depth.set(r.id, d);
    return `${'  '.repeat(d)}${r.detail}`;
  });
}

/** Median ms of a statement over `runs` executions, and its row count. */
function timeStatement(raw: Database.Database, s: Statement, runs = 15): { ms: number; rows: number } {
  const stmt = raw.prepare(s.sql);
  const args = bindable(s.bindings);
  let rows = 0;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    rows = stmt.all(...args).length;
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: median(times), rows };
}

function explain(raw: Database.Database, s: Statement): string[] {
  return planTree(raw.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...bindable(s.bindings)) as PlanRow[]);
}

/**
 * Captures the SQL frpView() runs for each route through SQL (as Refresh and PostgreSQL do; on SQLite the
 * server answers from memory otherwise, decision 126) (knex 'query' events), times every statement on its own
 * with better-sqlite3, prints its plan, then runs ANALYZE on the throw-away copy and times them again
 * (the product never runs ANALYZE, so the planner works without sqlite_stat1 statistics).
 */
export async function profile(
  file: string,
  upn: string,
  routes: { name: string; query: Record<string, string> }[],
): Promise<string[]> {
  const lines: string[] = [];
  const db = createDb(`sqlite:${file}`);
  const perRoute: {
    name: string;
    whole: number;
    statements: (Statement & { ms: number; rows: number; plan: string[] })[];
  }[] = [];
  let raw = new Database(file);
  try {
    const user = await findSignInUser(db, { upn });
    if (!user) throw new Error(`profile: ${upn} cannot sign in`);
    const scope = accessScope(user);
    for (const route of routes) {
      const query = parseListQuery(route.query);
      const captured: { sql: string; bindings: unknown[] }[] = [];
      const onQuery = (q: { sql: string; bindings?: unknown[] }) =>
        captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
      await frpView(db, scope, query, true); // warm
      db.on('query', onQuery);
      await frpView(db, scope, query, true);
      db.removeListener('query', onQuery);
      const whole: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = process.hrtime.bigint();
        await frpView(db, scope, query, true);
        whole.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      const statements = labelStatements(captured).map((s) => ({
        ...s,
        ...timeStatement(raw, s),
        plan: explain(raw, s),
      }));
      perRoute.push({ name: route.name, whole: median(whole), statements });
    }

    // What one session-row write costs: an UPDATE of the row, one WAL commit with synchronous=FULL.
    // (src/auth/session.ts makes store.touch() a no-op; a session is re-saved at most once a minute.)
    raw.pragma('synchronous = FULL');
    const sid = `bench-${crypto.randomUUID()}`;
    raw
      .prepare('INSERT INTO sessions (sid, sess, expired) VALUES (?, ?, ?)')
      .run(sid, '{}', new Date(Date.now() + 3600_000).toISOString());
    const touch = raw.prepare('UPDATE sessions SET expired = ? WHERE sid = ? AND expired >= ?');
    const touchTimes: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = process.hrtime.bigint();
      touch.run(new Date(Date.now() + 3600_000 + i).toISOString(), sid, new Date().toISOString());
      touchTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    raw.prepare('DELETE FROM sessions WHERE sid = ?').run(sid);

    // The same statements with planner statistics (fresh connection: statistics load at open).
    const t = process.hrtime.bigint();
    raw.exec('ANALYZE');
    const analyzeMs = Number(process.hrtime.bigint() - t) / 1e6;
    raw.close();
    raw = new Database(file);
    const printedPlans = new Map<string, string>();
    for (const route of perRoute) {
      lines.push(
        '',
        `${route.name}: frpView() through SQL in-process (knex, no HTTP, no render): median ${ms(route.whole)} ms over 20 calls`,
      );
      lines.push(
        `  ${pad('statement', 40)} ${lpad('median ms', 10)} ${lpad('share', 6)} ${lpad('rows', 5)} ${lpad('after ANALYZE', 14)}`,
      );
      const total = route.statements.reduce((a, s) => a + s.ms, 0);
      let totalAnalyzed = 0;
      const changedPlans: { label: string; plan: string[] }[] = [];
      for (const s of route.statements) {
        const analyzed = timeStatement(raw, s);
        totalAnalyzed += analyzed.ms;
        const plan = explain(raw, s);
        if (plan.join('\n') !== s.plan.join('\n')) changedPlans.push({ label: s.label, plan });
        lines.push(
          `  ${pad(s.label, 40)} ${lpad(ms(s.ms), 10)} ${lpad(`${Math.round((100 * s.ms) / total)}%`, 6)} ${lpad(String(s.rows), 5)} ${lpad(ms(analyzed.ms), 14)}`,
        );
      }
      lines.push(
        `  ${pad('sum', 40)} ${lpad(ms(total), 10)} ${lpad('', 6)} ${lpad('', 5)} ${lpad(ms(totalAnalyzed), 14)}`,
      );
      // Plans are printed once: a later route whose statement has the same plan says so instead.
      let repeated = 0;
      const printPlan = (heading: string, key: string, plan: string[]) => {
        const text = plan.join('\n');
        if (printedPlans.get(key) === text) {
          repeated++;
          return;
        }
        printedPlans.set(key, text);
        lines.push(`  ${heading}:`);
        for (const l of plan) lines.push(`  ${l}`);
      };
      for (const s of route.statements) {
        if (s.label.startsWith('tab count') || s.label.startsWith('page rows'))
          printPlan(`EXPLAIN QUERY PLAN — ${s.label}`, s.label, s.plan);
      }
      for (const c of changedPlans)
        printPlan(`EXPLAIN QUERY PLAN after ANALYZE — ${c.label}`, `analyzed ${c.label}`, c.plan);
      if (repeated) lines.push(`  (${repeated} plan(s) identical to the ones printed above)`);
    }
    lines.push(
      '',
      `one session-row write (at most once a minute per session; WAL + synchronous=FULL): median ${ms(median(touchTimes))} ms over 50 commits`,
      `ANALYZE of the whole database: ${ms(analyzeMs)} ms`,
    );
  } finally {
    if (raw.open) raw.close();
    await db.destroy();
  }
  return lines;
}
