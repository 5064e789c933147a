/**
 * The one back-pressure policy of the stream listeners (syslog TCP/TLS, Beats): a connection
 * that finds the intake busy pauses and waits in a queue shared by every listener on that
 * intake. One 'drain' listener serves the queue: connections resume one at a time, in the
 * order they paused, each on its own turn of the event loop, and the queue stops as soon as
 * the intake is busy again, so a drain never wakes every paused sender at once.
 */
import type { Intake } from '../intake';

type Resume = () => void;

export class ResumeQueue {
  private readonly waiting = new Set<Resume>();
  private scheduled = false;

  constructor(private readonly intake: Pick<Intake, 'busy' | 'on' | 'off'>) {
    intake.on('drain', this.onDrain);
  }

  /** Waiting connections, for tests and logs. */
  get size(): number {
    return this.waiting.size;
  }

  /** Queue `resume` to run once the intake has room; returns a function that takes it out again (the connection closed). */
  wait(resume: Resume): () => void {
    this.waiting.add(resume);
    if (!this.intake.busy) this.schedule();
    return () => this.waiting.delete(resume);
  }

  private readonly onDrain = () => this.schedule();

  private schedule(): void {
    if (this.scheduled || this.waiting.size === 0) return;
    this.scheduled = true;
    setImmediate(this.next);
  }

  // the resumed connection reads (and may fill the intake) before the next one is considered
  private readonly next = () => {
    this.scheduled = false;
    if (this.intake.busy) return; // the next 'drain' continues
    const first = this.waiting.values().next();
    if (first.done) return;
    this.waiting.delete(first.value);
    first.value();
    this.schedule();
  };

  close(): void {
    this.intake.off('drain', this.onDrain);
    this.waiting.clear();
  }
}

const queues = new WeakMap<object, ResumeQueue>();

/** The queue of an intake, made on first use: one 'drain' listener per intake whatever the number of listeners and connections. */
export function resumeQueueOf(intake: Intake): ResumeQueue {
  let q = queues.get(intake);
  if (!q) queues.set(intake, (q = new ResumeQueue(intake)));
  return q;
}
