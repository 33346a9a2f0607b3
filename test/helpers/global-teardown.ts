import { asAdmin } from './pg';

/** Drops the PostgreSQL databases this run created (one per test file, and the template); other runs' stay. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.FTOP_TEST_PG !== '1') return;
  await asAdmin(async (admin) => {
    const { rows } = (await admin.raw('SELECT datname FROM pg_database WHERE datname LIKE ? OR datname = ?', [
      `ftop\\_t\\_${process.env.FTOP_TEST_RUN}\\_%`,
      process.env.FTOP_TEST_PG_TEMPLATE ?? '',
    ])) as { rows: { datname: string }[] };
    for (const { datname } of rows) await admin.raw(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  });
}
