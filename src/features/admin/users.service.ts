import type { Knex } from 'knex';
import { nowIso } from '../../db/db';
import { AdminInputError } from './admin.errors';
import { checkWhitelisted } from '../../domain/rules/assignment.rules';
import { bidiInName, domainOf, isEmail, normalizeName } from '../../domain/values';
import * as orgs from './orgs.repo';
import * as users from './users.repo';

export interface AddPartnerUserInput {
  email: string;
  name: string;
  org: string;
  partnerAdmin?: boolean;
}

/**
 * Adds an active partner user to an org.
 * Invariants: the UPN is stored lower-case and is unique; its domain is one of the org's whitelisted
 * domains (V-60); only partner users carry the partner-admin flag.
 * @throws AdminInputError naming the problem; nothing is written then.
 */
export async function addPartnerUser(
  db: Knex,
  input: AddPartnerUserInput,
  actorId: number | null = null,
): Promise<{ id: number; upn: string; orgName: string; partnerAdmin: boolean }> {
  const upn = input.email.trim().toLowerCase();
  const name = normalizeName(input.name);
  if (!isEmail(upn)) throw new AdminInputError(`--email "${input.email}" is not a valid email address`);
  if (!name) throw new AdminInputError('--name must not be empty');
  if (bidiInName(name)) throw new AdminInputError(`--name: ${bidiInName(name)}`);
  const org = await orgs.findOrgByName(db, normalizeName(input.org));
  if (!org) throw new AdminInputError(`unknown org "${input.org}"`);
  const whitelisted = (await orgs.listDomains(db)).filter((d) => d.org_id === org.id).map((d) => d.domain);
  if (checkWhitelisted(upn, org.name, new Set(whitelisted)).length > 0)
    throw new AdminInputError(
      `domain ${domainOf(upn)} is not whitelisted for ${org.name} (whitelisted: ${whitelisted.join(', ')})`,
    );
  if (await users.findUserByUpn(db, upn)) throw new AdminInputError(`a user ${upn} already exists`);
  const partnerAdmin = input.partnerAdmin ?? false;
  const id = await users.insertUser(
    db,
    {
      orgId: org.id,
      upn,
      displayName: name,
      kind: 'partner',
      internalRole: null,
      isPartnerAdmin: partnerAdmin,
      status: 'active',
    },
    nowIso(),
    actorId,
  );
  return { id, upn, orgName: org.name, partnerAdmin };
}
