export function AuditView(_p: Record<string, unknown>) {
  return <div class="view">…</div>;
}
