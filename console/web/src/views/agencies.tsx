export function AgenciesView(_p: Record<string, unknown>) {
  return <div class="view">…</div>;
}
