/**
 * Errors raised by the admin services. The CLI prints their message as one `error: …` line;
 * nothing has been written when one is thrown (each service validates before it writes).
 */
export class AdminInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminInputError';
  }
}

/** One problem found in an import file, addressed by its JSON path (`tenants[3].assignments[1].user`). */
export interface ImportProblem {
  path: string;
  message: string;
}

/** The import file broke one or more rules; `problems` lists every one of them (validation never stops early). */
export class ImportProblemsError extends Error {
  constructor(
    readonly problems: ImportProblem[],
    /** Problems found beyond the ones listed (a badly broken file: only the first ones are kept). */
    readonly omitted = 0,
  ) {
    const total = problems.length + omitted;
    super(
      `${total} problem${total === 1 ? '' : 's'} in the import file; nothing was imported` +
        (omitted ? ` (the first ${problems.length} are listed)` : ''),
    );
    this.name = 'ImportProblemsError';
  }

  /** The problems as `path: message` lines, in file order. */
  lines(): string[] {
    return this.problems.map((p) => `${p.path}: ${p.message}`);
  }
}
