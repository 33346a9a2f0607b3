import { Policy, signedIn } from './policy';

const readable = signedIn(200, 200, 404, 200, 200);

/**
 * The detailed tenant view (issue: Status, Services, Contacts and Eligibility tabs). POST bodies are
 * refused after authorization so the outcome does not depend on the order callers run in: an unknown
 * phase is a 422 (V-85); the matrix tenant is not an enterprise customer, so an entry is a 409 (V-80).
 * Success paths: test/routes/tenant-view.test.ts, phases.test.ts, enterprise-status.test.ts.
 */
export const policies: Record<string, Policy> = {
  'GET /tenants/:tenantId/status': { path: ({ tenant }) => `/tenants/${tenant.guid}/status`, expect: readable },
  'GET /tenants/:tenantId/services': { path: ({ tenant }) => `/tenants/${tenant.guid}/services`, expect: readable },
  'GET /tenants/:tenantId/services/:code': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/services/EXO`,
    expect: readable,
  },
  'GET /tenants/:tenantId/eligibility': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/eligibility`,
    expect: readable,
  },
  'GET /tenants/:tenantId/service-status': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/service-status`,
    expect: readable,
  },
  'POST /tenants/:tenantId/services/:code/phase': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/services/EXO/phase`,
    form: { phase: 'Celebrate' },
    expect: signedIn(422, 403, 404, 403, 422),
  },
  'GET /tenants/:tenantId/enterprise-status': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/enterprise-status`,
    expect: readable,
  },
  'POST /tenants/:tenantId/enterprise-status': {
    path: ({ tenant }) => `/tenants/${tenant.guid}/enterprise-status`,
    form: { status: 'Active', note: 'Quarterly review held.' },
    expect: signedIn(409, 403, 404, 403, 409),
  },
};
