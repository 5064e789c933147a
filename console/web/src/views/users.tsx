export function UsersView(_p: Record<string, unknown>) {
  return <div class="view">…</div>;
}
