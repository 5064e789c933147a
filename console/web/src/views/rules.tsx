export function RulesView(_p: Record<string, unknown>) {
  return <div class="view">…</div>;
}
