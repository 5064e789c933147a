// A tiny observable value and its hook: app-wide state without another dependency.
import { useEffect, useState } from 'preact/hooks';

export interface Signal<T> { get(): T; set(v: T): void; subscribe(fn: (v: T) => void): () => void }

export function signal<T>(initial: T): Signal<T> {
  let value = initial;
  const subs = new Set<(v: T) => void>();
  return {
    get: () => value,
    set(v) { value = v; for (const fn of [...subs]) fn(v); },
    subscribe(fn) { subs.add(fn); return () => subs.delete(fn); },
  };
}

export function useSignal<T>(s: Signal<T>): T {
  const [, force] = useState(0);
  useEffect(() => s.subscribe(() => force((n) => n + 1)), [s]);
  return s.get();
}
