import type { Candidate } from './notes-search.tally';

/** What the facets and the sort read of one note, as the database returns it. */
export type NoteFact = Omit<Candidate, 'createdMs' | 'rank'> & { createdAt: string };

const KNOWN = 1;
/** Ids from here on are held in a map instead of the arrays (which are as long as the highest id). */
const ARRAY_IDS = 16_000_000;
const ESCALATED = 2;
const LEGACY = 4;

/** Strings stored once, referred to by number (categories, dates, service lists repeat across notes). */
class Interned {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];
  id(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.push(value) - 1;
      this.index.set(value, i);
    }
    return i;
  }
}

/**
 * The facet columns of notes kept in memory, by note id, in typed arrays (about 26 bytes a note), so
 * that a search reads its matching ids from the index and everything the facets count from here
 * instead of one row per match (docs/decisions.md 85).
 *
 * Not a cache: notes are immutable (the database refuses UPDATE and DELETE on `notes` and
 * `note_services`), so a fact once read is true for good, in every instance. A note this process has
 * not read yet — written a moment ago here or on another instance — is read from the database on
 * first sight, before it is counted.
 */
export class NoteFacts {
  private flags = new Uint8Array(0);
  private tenant = new Int32Array(0);
  private author = new Int32Array(0);
  private created = new Float64Array(0);
  private category = new Uint8Array(0);
  private next = new Uint32Array(0);
  private services = new Uint32Array(0);
  private readonly categories = new Interned();
  private readonly strings = new Interned();
  private readonly beyond = new Map<number, Omit<Candidate, 'rank'>>();

  /** `load` reads the facts of the given note ids (any order; ids that do not exist are left out). */
  constructor(private readonly load: (ids: number[]) => Promise<NoteFact[]>) {
    this.strings.id('');
  }

  /** The notes `ids` as search candidates, `ranks[i]` the relevance of `ids[i]` (0 without). */
  async candidates(ids: number[], ranks: number[] | null = null): Promise<Candidate[]> {
    const unknown = ids.filter((id) => !this.knows(id));
    if (unknown.length) for (const fact of await this.load(unknown)) this.remember(fact);
    const out: Candidate[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const far = id >= ARRAY_IDS ? this.beyond.get(id) : undefined;
      if (far) out.push({ ...far, rank: ranks ? ranks[i] : 0 });
      const flags = this.flags[id];
      if (!(flags & KNOWN)) continue;
      const next = this.strings.values[this.next[id]];
      out.push({
        id,
        category: this.categories.values[this.category[id]],
        escalated: Boolean(flags & ESCALATED),
        legacy: Boolean(flags & LEGACY),
        tenantId: this.tenant[id],
        authorId: this.author[id] || null,
        nextDate: next || null,
        createdMs: this.created[id],
        services: this.strings.values[this.services[id]],
        rank: ranks ? ranks[i] : 0,
      });
    }
    return out;
  }

  /** How many notes are held, and the bytes their arrays take (for the bench's memory report). */
  size(): { notes: number; bytes: number } {
    const arrays = [this.flags, this.tenant, this.author, this.created, this.category, this.next, this.services];
    return {
      notes: this.flags.reduce((n, f) => n + (f & KNOWN), this.beyond.size),
      bytes: arrays.reduce((n, a) => n + a.byteLength, 0),
    };
  }

  private knows(id: number): boolean {
    return id < ARRAY_IDS ? Boolean(this.flags[id] & KNOWN) : this.beyond.has(id);
  }

  private remember(f: NoteFact): void {
    if (!Number.isSafeInteger(f.id) || f.id < 1) return;
    if (f.id >= ARRAY_IDS) {
      const { createdAt, ...rest } = f;
      this.beyond.set(f.id, { ...rest, createdMs: Date.parse(createdAt) });
      return;
    }
    if (f.id >= this.flags.length) this.grow(f.id + 1);
    const category = this.categories.id(f.category);
    if (category > 255) throw new Error('more than 256 note categories');
    this.category[f.id] = category;
    this.tenant[f.id] = f.tenantId;
    this.author[f.id] = f.authorId ?? 0;
    this.created[f.id] = Date.parse(f.createdAt);
    this.next[f.id] = this.strings.id(f.nextDate ?? '');
    this.services[f.id] = this.strings.id(f.services);
    this.flags[f.id] = KNOWN | (f.escalated ? ESCALATED : 0) | (f.legacy ? LEGACY : 0);
  }

  private grow(min: number): void {
    const size = Math.max(min, Math.ceil(this.flags.length * 1.5), 1024);
    const grown = <T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.flags = grown(this.flags);
    this.tenant = grown(this.tenant);
    this.author = grown(this.author);
    this.created = grown(this.created);
    this.category = grown(this.category);
    this.next = grown(this.next);
    this.services = grown(this.services);
  }
}
