export function SearchView(_p: Record<string, unknown>) {
  return <div class="view">…</div>;
}
