export function AccountView(_p: Record<string, unknown>) {
  return <div class="view">…</div>;
}
