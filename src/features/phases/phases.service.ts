import type { SessionUser } from '../../auth/users.repo';
import { today, type Config } from '../../config';
import type { Db } from '../../db/db';
import { nowIso } from '../../db/db';
import { PHASES } from '../../domain/enums';
import { fieldErrors } from '../../domain/problems';
import { ADOPTION_FROM_PCT, checkPhase, OPERATION_ABOVE_PCT, phaseHint } from '../../domain/rules/phase.rules';
import { ledByFtc } from '../../domain/rules/scenario.rules';
import { Conflict, Forbidden, NotFound, ValidationError } from '../../http/errors';
import { field, type FormBody } from '../../http/forms';
import { saveServiceSection } from '../services/services-write.repo';
import { assertCanEdit, type TenantContext } from '../tenants/tenants.service';
import { findPhaseRow, phaseHistory, phaseRows, type PhaseRow } from './phases.repo';
import { tenantWrite } from '../../db/locks';

type OwnershipConfig = Pick<Config, 'enforceScenarioOwnership'>;

/** What one row shows after a save of that row: the user's value, and the outcome next to it. */
export interface RowOverlay {
  code: string;
  value: string;
  error?: string;
  conflict?: { message: string; phase: string | null; by: string | null; at: string };
  saved?: boolean;
}

/** with ENFORCE_SCENARIO_OWNERSHIP a partner only views the phase of a service FTC maintains. */
function ownedByFtc(config: OwnershipConfig, row: PhaseRow, user: SessionUser): boolean {
  return config.enforceScenarioOwnership && user.kind === 'partner' && ledByFtc(row.scenario);
}

/** The phase guide (DOMAIN.md §5.7.2) in the project's words; the AU thresholds come from the V-85 rule. */
export const PHASE_GUIDE: Record<(typeof PHASES)[number], string> = {
  Initiate:
    'Onboarding starts: walk the customer through the programme, check the tenant data and arrange the kickoff. Build intent for services the customer has no plan for yet.',
  Assess:
    "Look at the customer's current environment and requirements; report what blocks the service and what has to change.",
  Remediate:
    'Agree the fixes with the customer and work through them, with support or other teams where needed; assess again when done.',
  Enable:
    'Core infrastructure is in place and the service is provisioned. Engineers step back; the managers stay with the customer.',
  Migrate: 'Microsoft runs or helps with the mail and data migration.',
  Adoption: `Users are switching on: from ${ADOPTION_FROM_PCT}% to ${OPERATION_ABOVE_PCT}% of the entitlements are active.`,
  Operation: `More than ${OPERATION_ABOVE_PCT}% of the entitlements are active: onboarding of this service is complete.`,
};

/** The Service Status sub-tab: one row per entitled service with its phase, AU% and hint; the phase history. */
export async function phasesPanel(
  db: Db,
  config: OwnershipConfig,
  tenant: TenantContext,
  user: SessionUser,
  overlay: RowOverlay | null = null,
) {
  const [rows, history] = await Promise.all([phaseRows(db, tenant.id), phaseHistory(db, tenant.id)]);
  return {
    rows: rows.map((r) => {
      const mine = overlay?.code === r.code ? overlay : null;
      return {
        ...r,
        auPercent: r.effectiveTotal > 0 ? Math.round((r.activeUsers / r.effectiveTotal) * 1000) / 10 : null,
        hint: phaseHint(r.activeUsers, r.effectiveTotal),
        readOnly: tenant.access !== 'edit' || ownedByFtc(config, r, user),
        value: mine ? mine.value : (r.phase ?? ''),
        outcome: mine,
      };
    }),
    history,
    phases: PHASES,
    guide: PHASE_GUIDE,
  };
}

/**
 * Saves the phase of one entitled service (V-85) through the tenant service's one writer, which bumps
 * its version; the phase history row is written in the same transaction (migration 009's trigger).
 * `version` in the body is optional (CONTRACT.md names only `phase`); when given, a stale one is a 409.
 * Throws NotFound (no such entitled service), Forbidden (read-only), ValidationError (422), Conflict (409).
 */
export async function savePhase(
  db: Db,
  config: Pick<Config, 'appTz'> & OwnershipConfig,
  tenant: TenantContext,
  code: string,
  body: FormBody,
  user: SessionUser,
): Promise<{ name: string; phase: string; changed: boolean }> {
  const row = /^[A-Z0-9_-]{1,20}$/.test(code) ? await findPhaseRow(db, tenant.id, code) : undefined;
  if (!row) throw new NotFound();
  assertCanEdit(tenant);
  if (ownedByFtc(config, row, user))
    throw new Forbidden("FTC maintains this service's data; add notes about your activities instead.");
  const phase = field(body, 'phase');
  const problems = checkPhase(phase, { today: today(config), imported: false });
  if (problems.length) throw new ValidationError(fieldErrors(problems));
  const version = field(body, 'version');
  const outcome = await tenantWrite(db, tenant.id, async (trx) => {
    const stored = await findPhaseRow(trx, tenant.id, code);
    if (!stored) throw new NotFound();
    if (version && version !== String(stored.version)) throw stale(stored);
    return saveServiceSection(trx, {
      tenantServiceId: stored.id,
      expectedVersion: stored.version,
      actorId: user.id,
      now: nowIso(),
      fields: { phase },
      rows: null,
      lines: null,
      note: { tenantId: tenant.id, code, searchTenant: tenant.tenantName, searchServices: stored.name },
    });
  });
  if (outcome === 'conflict') throw stale((await findPhaseRow(db, tenant.id, code))!);
  return { name: row.name, phase, changed: outcome === 'written' };
}

function stale(stored: PhaseRow): Conflict {
  return new Conflict('Someone else changed this service after you opened the page. The phase was not saved.', {
    current: { phase: stored.phase, updatedBy: stored.updatedBy, updatedAt: stored.updatedAt },
  });
}
