/**
 * The store an admin command works on: the one the server uses with the same config file and
 * CANHGAC_* settings. The command says which data directory that is and why. A store that does
 * not exist yet is made only in a directory the operator named (CANHGAC_DATA_DIR or a config
 * file: preparing agencies and users before the first start); the implicit ./data of whatever
 * directory the command runs from is refused instead of silently becoming a second, empty store.
 */
import fs from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../core/config';
import type { Logger } from '../core/log';
import { createStore } from '../core/runtime';
import type { Store } from '../core/store/store';

export interface AdminTarget {
  config: Config;
  /** One line for the operator: the data directory and where that choice came from. */
  describe: string;
  /** The data directory came from CANHGAC_DATA_DIR or a config file, not the working-directory default. */
  explicit: boolean;
}

export function adminTarget(opts: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string }): AdminTarget {
  const env = opts.env ?? process.env;
  const { config, file } = loadConfig({ file: opts.file ?? null, env, cwd: opts.cwd });
  const why = env.CANHGAC_DATA_DIR ? 'from CANHGAC_DATA_DIR' : file ? `from ${file}` : 'the default ./data of the working directory (no canhgac.yml here)';
  const store = config.store.kind === 'sqlite' ? `store ${config.store.sqlite.path}` : `store ${config.store.kind} ${config.store.elasticsearch.url}`;
  return { config, describe: `canhgac: data directory ${config.data_dir} (${why}), ${store}`, explicit: !!(env.CANHGAC_DATA_DIR || file) };
}

/** Opens the server's store for an admin command; an embedded store that does not exist yet is an error, not a new file. */
export async function openAdminStore(target: AdminTarget, logger: Logger, say: (line: string) => void): Promise<Store> {
  say(target.describe);
  const c = target.config;
  if (c.store.kind === 'sqlite' && c.store.sqlite.path !== ':memory:' && !fs.existsSync(c.store.sqlite.path!)) {
    if (!target.explicit)
      throw new ConfigError(
        `canhgac: no store at ${c.store.sqlite.path}: the center has not run with data directory ${c.data_dir}. Run the command where the center runs, or point it there with --config FILE or CANHGAC_DATA_DIR (also to prepare a new one); nothing was created`,
      );
    say(`canhgac: no store there yet; making a new one`);
  }
  return createStore(c, logger);
}
