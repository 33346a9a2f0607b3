import { Policy, signedIn } from './policy';

/**
 * Forecast Dates autosave (issue 3). The form is an invalid date so the outcome does not depend on the
 * order callers run in (a successful save would bump the version and the next caller would get 409);
 * 422 proves the caller got past authorization. Success paths: test/routes/forecast.test.ts.
 */
export const policies: Record<string, Policy> = {
  'POST /tenants/:tenantId/services/:code/forecast': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/services/EXO/forecast`,
    form: { version: '1', target_max_au_date: '2025-02-30' },
    expect: signedIn(422, 403, 404, 403, 422),
  },
};
