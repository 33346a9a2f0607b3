import type { Knex } from 'knex';
import { nowIso } from '../../db/db';
import { AdminInputError } from './admin.errors';
import { bidiInName, isDomain, isGuid, LIMITS, normalizeName } from '../../domain/values';
import { QUEUE_DOMAIN, queuePrincipal } from './admin.validators';
import * as orgs from './orgs.repo';
import * as users from './users.repo';

export interface AddOrgInput {
  name: string;
  domains: string[];
  entraTenantId?: string | null;
  mpnId?: string | null;
}

export interface AddedOrg {
  id: number;
  name: string;
  domains: string[];
  queue: { id: number; upn: string; displayName: string };
}

/**
 * Normalises and checks a list of whitelisted domains: lower-cased, DNS-shaped, not the queue domain,
 * no repeats. Returns the lower-cased list or a message for the first bad entry.
 */
export function normaliseDomains(raw: string[]): { domains: string[] } | { error: string } {
  const domains: string[] = [];
  for (const value of raw) {
    const domain = value.trim().toLowerCase();
    if (!isDomain(domain)) return { error: `"${value}" is not a valid domain name` };
    if (domain === QUEUE_DOMAIN || domain.endsWith(`.${QUEUE_DOMAIN}`))
      return { error: `${domain} is reserved for queue principals` };
    if (domains.includes(domain)) return { error: `domain ${domain} is listed twice` };
    domains.push(domain);
  }
  return { domains };
}

/**
 * Creates the queue principal of an org (DOMAIN.md §1.1): a non-login `queue` user named "FTP <name>".
 * The UPN is derived from the org name's slug; a numeric suffix keeps it unique when two names share a slug.
 */
export async function createQueuePrincipal(
  trx: Knex,
  orgId: number,
  orgName: string,
  at: string,
  actorId: number | null,
): Promise<{ id: number; upn: string; displayName: string }> {
  const { upn: base, displayName } = queuePrincipal(orgName);
  let upn = base;
  for (let n = 2; await users.findUserByUpn(trx, upn); n++) upn = base.replace('@', `-${n}@`);
  const id = await users.insertUser(
    trx,
    { orgId, upn, displayName, kind: 'queue', internalRole: null, isPartnerAdmin: false, status: 'active' },
    at,
    actorId,
  );
  return { id, upn, displayName };
}

/**
 * Adds a partner org with its whitelisted domains and its queue principal, in one transaction.
 * Invariants: org names are unique (case-insensitively); every domain is lower-case and whitelisted for
 * one org only, system-wide; the Entra tenant id, when given, is a GUID owned by one org only.
 * @throws AdminInputError naming the first problem; nothing is written then.
 */
export async function addOrg(db: Knex, input: AddOrgInput, actorId: number | null = null): Promise<AddedOrg> {
  const name = normalizeName(input.name);
  if (!name) throw new AdminInputError('--name must not be empty');
  if (bidiInName(name)) throw new AdminInputError(`--name: ${bidiInName(name)}`);
  if (name.length > LIMITS.text) throw new AdminInputError(`--name must be at most ${LIMITS.text} characters`);
  if (input.domains.length === 0) throw new AdminInputError('at least one --domain is required');
  const checked = normaliseDomains(input.domains);
  if ('error' in checked) throw new AdminInputError(checked.error);
  const entraTenantId = input.entraTenantId?.trim().toLowerCase() || null;
  if (entraTenantId && !isGuid(entraTenantId))
    throw new AdminInputError(`--entra-tenant-id "${input.entraTenantId}" is not a GUID`);

  if (await orgs.findOrgByName(db, name)) throw new AdminInputError(`an org named "${name}" already exists`);
  const owners = await orgs.findDomainOwners(db, checked.domains);
  if (owners.length)
    throw new AdminInputError(`domain ${owners[0].domain} is already whitelisted for ${owners[0].org_name}`);
  if (entraTenantId) {
    const owner = await orgs.findOrgByEntraTenantId(db, entraTenantId);
    if (owner) throw new AdminInputError(`Entra tenant id ${entraTenantId} already belongs to ${owner.name}`);
  }

  const at = nowIso();
  return db.transaction(async (trx) => {
    const { displayName } = queuePrincipal(name);
    const id = await orgs.insertOrg(
      trx,
      { name, mpnId: input.mpnId?.trim() || null, entraTenantId, isActive: true },
      displayName,
      at,
      actorId,
    );
    await orgs.insertDomains(trx, id, checked.domains, at);
    const queue = await createQueuePrincipal(trx, id, name, at, actorId);
    return { id, name, domains: checked.domains, queue };
  });
}
