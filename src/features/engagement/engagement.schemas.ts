import Joi from 'joi';
import { OVERALL_STATUSES } from '../../domain/enums';
import { isoDate } from '../../http/forms';

export interface OverallStatusInput {
  overall_status: (typeof OVERALL_STATUSES)[number];
  status_date: string;
  note: string;
  version: string;
}

/** POST /tenants/:tenantId/overall-status (V-01, V-02 shape; V-02's "not in the future" and V-03 live in the service). */
export const overallStatusSchema = Joi.object<OverallStatusInput>({
  overall_status: Joi.string()
    .valid(...OVERALL_STATUSES)
    .required()
    .messages({
      'any.only': 'Choose Active, Blocked or Paused.',
      'any.required': 'Choose the overall status.',
      'string.empty': 'Choose the overall status.',
    }),
  status_date: isoDate()
    .required()
    .messages({ 'any.required': 'Enter the status date.', 'string.empty': 'Enter the status date.' }),
  note: Joi.string()
    .allow('')
    .max(20000)
    .messages({ 'string.max': 'The note is too long (at most 20,000 characters).' }),
  version: Joi.string().required().pattern(/^\d+$/),
}).options({ stripUnknown: true });
