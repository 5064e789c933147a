/**
 * The TLP 2.0 marking definitions of FIRST's Traffic Light Protocol, as OASIS publishes them for
 * STIX 2.1 (cti-stix-common-objects, extension-definition-specifications/tlp-2.0): fixed ids and
 * content that every consumer knows, never made up per export. STIX 2.1's own predefined TLP
 * markings are TLP 1.0 (white/green/amber/red) and lack CLEAR and AMBER+STRICT.
 */
import type { TenantSharing } from '../core/model';

export const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const TLP2_CREATED = '2022-10-01T00:00:00.000Z';

export const TLP2_IDS: Record<TenantSharing['tlp'], string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** The marking-definition object a bundle carries for a TLP 2.0 level it marks objects with. */
export function tlpMarking(tlp: TenantSharing['tlp']) {
  return {
    type: 'marking-definition' as const,
    spec_version: '2.1' as const,
    id: TLP2_IDS[tlp],
    created: TLP2_CREATED,
    name: `TLP:${tlp.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: tlp } },
  };
}
