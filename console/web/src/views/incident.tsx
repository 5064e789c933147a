export function IncidentView(_p: Record<string, unknown>) {
  return <div class="view">…</div>;
}
