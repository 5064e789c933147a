// The case shapes the server declares (console/server/caseschemas.ts), not copies.
import type { ApiOf } from '../../../server/apitypes';
import type { CASE, CASE_CHANGED, CASE_DETAIL, CASE_LIST } from '../../../server/caseschemas';

export type Case = ApiOf<typeof CASE>;
export type CaseList = ApiOf<typeof CASE_LIST>;
export type CaseRow = CaseList['items'][number];
export type CaseDetail = ApiOf<typeof CASE_DETAIL>;
export type CaseChanged = ApiOf<typeof CASE_CHANGED>;

export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export const OBSERVABLE_KINDS = ['ip', 'domain', 'url', 'hash', 'user', 'host', 'other'] as const;
