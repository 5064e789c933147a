/**
 * "Someone's access changed" inside this process: logout, a token revoked, a user disabled,
 * re-scoped or given a new password. The console's routes announce it and the WebSocket hub
 * re-checks that user's sockets at once; changes made by another process (the CLI, another
 * console) are caught by the hub's periodic re-check instead. One notifier per store object,
 * so the console and its push hub meet without being wired to each other.
 */
import type { Store } from '../../core/store/store';

export interface AccessChange {
  username: string;
  why: string; // for the log: "logout", "token revoked", "user changed"…
}

export interface AccessNotifier {
  /** Resolves when every listener has acted on the change (the sockets are closed or re-scoped). */
  changed(change: AccessChange): Promise<void>;
  subscribe(listener: (change: AccessChange) => Promise<void>): () => void;
}

const notifiers = new WeakMap<Store, AccessNotifier>();

export function accessNotifier(store: Store): AccessNotifier {
  let n = notifiers.get(store);
  if (!n) {
    const listeners = new Set<(change: AccessChange) => Promise<void>>();
    n = {
      async changed(change) {
        await Promise.all([...listeners].map((l) => l(change)));
      },
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    notifiers.set(store, n);
  }
  return n;
}
