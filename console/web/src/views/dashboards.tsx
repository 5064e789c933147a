export function DashboardsView(_p: Record<string, unknown>) {
  return <div class="view">…</div>;
}
