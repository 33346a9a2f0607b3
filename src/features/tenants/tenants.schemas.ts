import Joi from 'joi';

export const TABS = ['my-active', 'my-inactive', 'partner'] as const;
export type Tab = (typeof TABS)[number];
export const SORTS = ['name', 'customer', 'country', 'status', 'statusDate', 'lastNote', 'priority'] as const;
export type Sort = (typeof SORTS)[number];
export const PAGE_SIZES = [25, 50, 100] as const;
export const ACTIVITY = ['all', 'active', 'inactive'] as const;

export interface ListQuery {
  tab: Tab;
  q: string;
  sort: Sort;
  dir: 'asc' | 'desc';
  page: number;
  pageSize: number;
  /** Partner List only: Active/Inactive filter. */
  activity: (typeof ACTIVITY)[number];
}

/**
 * GET /tenants query. Repeated parameters take their first value (SECURITY.md case 33); an unknown
 * sort, tab or page size is a 400 (allow-list, case 32). Without a tab the user's landing tab applies
 * (validation context `defaultTab`, see tenants.service landingTab). The Partner List sorts by priority
 * by default (DOMAIN.md §5.3), the My tabs by tenant name.
 */
export const listQuerySchema = Joi.object<ListQuery>({
  tab: Joi.string()
    .valid(...TABS)
    .default(Joi.ref('$defaultTab')),
  q: Joi.string().trim().allow('').max(200).default(''),
  sort: Joi.string()
    .valid(...SORTS)
    .default(Joi.ref('tab', { adjust: (tab: string) => (tab === 'partner' ? 'priority' : 'name') })),
  dir: Joi.string().valid('asc', 'desc').default('asc'),
  page: Joi.number().integer().min(1).max(100000).default(1),
  pageSize: Joi.number()
    .integer()
    .valid(...PAGE_SIZES)
    .default(25),
  activity: Joi.string()
    .valid(...ACTIVITY)
    .default('all'),
}).options({ stripUnknown: true, convert: true });
