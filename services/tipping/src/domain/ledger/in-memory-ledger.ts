import { assertBalanced, type Entry, reversalEntries } from './ledger.ts';

export interface PostedTransaction {
  id: string;
  entries: Entry[];
  reverses?: string;
}

/**
 * The ledger's rules without storage (the PostgreSQL adapter enforces the same ones with
 * constraints): balanced transactions only, append-only, a transaction reversed at most once,
 * a reversal never reversed itself.
 */
export class InMemoryLedger {
  readonly transactions: PostedTransaction[] = [];
  private readonly reversed = new Set<string>();
  private nextId = 1;

  post(entries: Entry[]): PostedTransaction {
    assertBalanced(entries);
    const txn = { id: `t${this.nextId++}`, entries: entries.map((e) => ({ ...e })) };
    this.transactions.push(txn);
    return txn;
  }

  /** Reverses `id` with a new transaction; undefined when it was already reversed or is a reversal. */
  reverse(id: string): PostedTransaction | undefined {
    const original = this.transactions.find((t) => t.id === id);
    if (!original) throw new Error(`no transaction ${id}`);
    if (original.reverses || this.reversed.has(id)) return undefined;
    const entries = reversalEntries(original.entries);
    assertBalanced(entries);
    this.reversed.add(id);
    const txn = { id: `t${this.nextId++}`, entries, reverses: id };
    this.transactions.push(txn);
    return txn;
  }

  entries(): Entry[] {
    return this.transactions.flatMap((t) => t.entries);
  }
}
