/**
 * What a rule function returns: problems addressed by a neutral path in the domain's own names
 * (`['statuses', 0, 'targetDate']`). Each entry point translates the path: the dialog into a form
 * field name (`statuses[0][target_date]`), the import into a JSON path
 * (`tenants[3].services[1].statuses[0].targetDate`).
 */
export type Path = readonly (string | number)[];

export interface Problem {
  path: Path;
  message: string;
  /** The DOMAIN.md rule it enforces (`V-26`), when there is one. */
  rule?: string;
}

/** Collects problems; `add` keeps every one (the dialog later keeps the first per field). */
export class Problems {
  readonly list: Problem[] = [];

  add(path: Path, rule: string | undefined, message: string): void {
    this.list.push({ path, rule, message });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}

/** `tenants[3].services[1]` + `['statuses', 0, 'note']` → `tenants[3].services[1].statuses[0].note`. */
export function jsonPath(prefix: string, path: Path): string {
  let out = prefix;
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out || '(file)';
}

/**
 * `['statuses', 0, 'targetDate']` → `statuses[0][target_date]`: each name segment through `names`
 * (the form's field names), unknown names as they are.
 */
function formName(path: Path, names: Readonly<Record<string, string>> = {}): string {
  const [head, ...rest] = path.map((p) => (typeof p === 'number' ? String(p) : (names[p] ?? p)));
  return `${head}${rest.map((p) => `[${p}]`).join('')}`;
}

/** Problems → the dialog's `{field: message}` map, first message per field. */
export function fieldErrors(problems: readonly Problem[], names?: Readonly<Record<string, string>>) {
  const out: Record<string, string> = {};
  for (const p of problems) out[formName(p.path, names)] ??= p.message;
  return out;
}

/** The same problems with name segments of their paths renamed (an entry point's own key names). */
export function renamed(problems: readonly Problem[], names: Readonly<Record<string, string>>): Problem[] {
  return problems.map((p) => ({ ...p, path: p.path.map((s) => (typeof s === 'string' ? (names[s] ?? s) : s)) }));
}
