/** The vulnerability findings repository contract on the embedded store. */
import { createSqliteStore } from './sqlite';
import { describeVulnContract } from './vulns.contract';

describeVulnContract('sqlite', () => createSqliteStore({ path: ':memory:' }));
