/** Reading the PEM files a config names (certificates, keys, CAs), with errors that name the config key. */
import fs from 'node:fs';

/** The file's bytes, or undefined when no file is set; `key` is the config key named in errors (e.g. bus.kafka.tls.ca). */
export function readPemFile(key: string, file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new Error(`${key}: cannot read ${file}: ${(e as Error).message}`);
  }
}
