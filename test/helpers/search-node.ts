/**
 * The Elasticsearch store against a real search node in a test file: starts (or reuses) the node before
 * the tests, gives each store its own index prefix (a node reused across runs starts clean for us), and
 * deletes those indices and templates afterwards.
 */
import { createElasticsearchStore } from '../../core/store/elasticsearch';

type StoreConfig = Parameters<typeof createElasticsearchStore>[0];

export function searchNodeForTests(tag: string, start: () => Promise<string>) {
  const node = { url: '', run: `${tag}${Date.now().toString(36)}${process.pid}`, prefixes: [] as string[] };
  let n = 0;
  beforeAll(async () => {
    node.url = await start();
  }, 15 * 60_000);
  afterAll(async () => {
    if (!node.url) return;
    // wildcard deletes are refused by default (action.destructive_requires_name), so delete by name
    for (const p of node.prefixes) {
      const names = Object.keys((await (await fetch(`${node.url}/${p}-*`)).json()) as object);
      if (names.length) await fetch(`${node.url}/${names.join(',')}`, { method: 'DELETE' });
      await fetch(`${node.url}/_index_template/${p}-events`, { method: 'DELETE' }).catch(() => undefined);
    }
  });
  const open = (extra: Partial<StoreConfig> = {}) => {
    const indexPrefix = `${node.run}-${++n}`;
    node.prefixes.push(indexPrefix);
    return createElasticsearchStore({ url: node.url, indexPrefix, ...extra });
  };
  return { node, open };
}
