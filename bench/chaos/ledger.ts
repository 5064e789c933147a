/** The chaos script's accounts: every event sent has a sequence number and a phase; what was acknowledged, what is stored. */

export interface PhaseCount {
  phase: string;
  acknowledged: number;
  stored: number; // copies in the store of this phase's events, acknowledged or not
  lost: number; // acknowledged, not in the store
  duplicated: number; // copies beyond the first
  storedUnacknowledged: number; // no 202 came back (killed mid-request), stored all the same: not a loss
  refused: Record<string, number>; // answers other than 202, and requests that got none
}

export class Ledger {
  private readonly phaseOf: string[] = [];
  private readonly acked = new Set<number>();
  private readonly refusals = new Map<string, Record<string, number>>();
  readonly phases: string[] = [];

  /** Sequence numbers for `n` new events of `phase`. */
  take(phase: string, n: number): number[] {
    if (!this.phases.includes(phase)) this.phases.push(phase);
    const first = this.phaseOf.length;
    for (let i = 0; i < n; i++) this.phaseOf.push(phase);
    return Array.from({ length: n }, (_, i) => first + i);
  }

  acknowledge(seqs: number[]): void {
    for (const s of seqs) this.acked.add(s);
  }

  refuse(phase: string, why: string, n: number): void {
    const r = this.refusals.get(phase) ?? {};
    r[why] = (r[why] ?? 0) + n;
    this.refusals.set(phase, r);
  }

  get acknowledged(): number {
    return this.acked.size;
  }

  /** Counts per phase and in total, from how many times each sequence number is in the store. */
  count(storedSeqs: Iterable<number>): PhaseCount[] {
    const copies = new Map<number, number>();
    for (const s of storedSeqs) copies.set(s, (copies.get(s) ?? 0) + 1);
    const rows = new Map<string, PhaseCount>(this.phases.map((phase) => [phase, { phase, acknowledged: 0, stored: 0, lost: 0, duplicated: 0, storedUnacknowledged: 0, refused: this.refusals.get(phase) ?? {} }]));
    this.phaseOf.forEach((phase, seq) => {
      const row = rows.get(phase)!;
      const c = copies.get(seq) ?? 0;
      row.stored += c;
      row.duplicated += Math.max(0, c - 1);
      if (this.acked.has(seq)) {
        row.acknowledged++;
        if (c === 0) row.lost++;
      } else if (c > 0) row.storedUnacknowledged++;
    });
    const total: PhaseCount = { phase: 'total', acknowledged: 0, stored: 0, lost: 0, duplicated: 0, storedUnacknowledged: 0, refused: {} };
    for (const r of rows.values()) {
      total.acknowledged += r.acknowledged;
      total.stored += r.stored;
      total.lost += r.lost;
      total.duplicated += r.duplicated;
      total.storedUnacknowledged += r.storedUnacknowledged;
      for (const [k, v] of Object.entries(r.refused)) total.refused[k] = (total.refused[k] ?? 0) + v;
    }
    const unknown = [...copies.keys()].filter((s) => s >= this.phaseOf.length).length;
    if (unknown) total.refused['stored but never sent (!)'] = unknown;
    return [...rows.values(), total];
  }
}

export function formatCount(r: PhaseCount): string {
  const refused = Object.entries(r.refused).map(([k, v]) => `${k}×${v}`).join(', ');
  return `${r.phase.padEnd(22)} acknowledged ${r.acknowledged}, stored ${r.stored}, lost ${r.lost}, duplicated ${r.duplicated}` +
    (r.storedUnacknowledged ? ` (stored without a 202: ${r.storedUnacknowledged})` : '') + (refused ? `   not acknowledged: ${refused}` : '');
}
