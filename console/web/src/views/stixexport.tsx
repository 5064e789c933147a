// "Xuất STIX 2.1" beside the report downloads: the incident as a STIX 2.1 bundle for the national centre
// (GET /api/incidents/:id/stix), fetched first so that a refusal (sharing turned off) is said on the page, not as a JSON file.
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { ErrorLine } from '../ui';

async function saveStix(incidentId: string): Promise<string | null> {
  const res = await fetch(`/api/incidents/${encodeURIComponent(incidentId)}/stix`, { credentials: 'same-origin' });
  if (res.status === 409) return t('stix.off');
  if (!res.ok) return `${t('stix.failed')} (HTTP ${res.status}): ${((await res.json().catch(() => ({}))) as { error?: string }).error ?? ''}`;
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = `stix-${incidentId}.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return null;
}

export function StixExport({ incidentId }: { incidentId: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setError(await saveStix(incidentId));
    } catch {
      setError(t('fail.network'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <div class="row" id="inc-stix">
        <span title={t('stix.hint')}>{t('stix.share')}</span>
        <button type="button" class="ghost mini" data-export="stix" disabled={busy} onClick={run}>{t('stix.export')}</button>
      </div>
      <ErrorLine error={error} />
    </>
  );
}
