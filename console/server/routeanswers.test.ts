/** Each route the web app requests through routeanswers.ts is registered with that method and path, and answers with that very schema. */
import { ROUTE_ANSWERS } from './routeanswers';
import { startKit, type Kit } from './testkit';

let kit: Kit;
beforeAll(async () => {
  kit = await startKit();
});
afterAll(async () => kit.close());

test.each(Object.keys(ROUTE_ANSWERS))('%s is registered and answers the schema the web app types it by', (key) => {
  const [method, url] = key.split(' ');
  const route = kit.app.routeTable.find((r) => r.method === method && r.url === url);
  expect(route).toBeDefined();
  expect(route!.answer).toBe(ROUTE_ANSWERS[key as keyof typeof ROUTE_ANSWERS]);
});
