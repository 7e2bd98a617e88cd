// The import form offers the focus areas of the chosen annual plan only: choosing
// another plan reloads the form for that plan (?plan=<id>), keeping the search.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector(
    '[data-bm-form="import-project"] select[name="target_plan"]',
  );
  if (!select) return;
  select.addEventListener("change", () => {
    const url = new URL(window.location.href);
    url.searchParams.set("plan", select.value);
    window.location.assign(url.toString());
  });
});
