import Joi from 'joi';
import { LIMITS } from '../../domain/values';

export interface OverallStatusInput {
  overall_status: string;
  status_date: string;
  note: string;
  version: string;
}

/**
 * POST /tenants/:tenantId/overall-status: the shape only (strings, the version); V-01…V-03 are
 * src/domain/rules/overall-status.rules.ts.
 */
export const overallStatusSchema = Joi.object<OverallStatusInput>({
  overall_status: Joi.string().allow('').default(''),
  status_date: Joi.string().allow('').default(''),
  note: Joi.string()
    .allow('')
    .max(LIMITS.engagementNote)
    .messages({
      'string.max': `The note is too long (at most ${LIMITS.engagementNote.toLocaleString('en-US')} characters).`,
    }),
  version: Joi.string().required().pattern(/^\d+$/),
}).options({ stripUnknown: true });
