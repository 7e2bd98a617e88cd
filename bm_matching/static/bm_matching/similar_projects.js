/* Similar projects as you type: the editor panel and the "Find projects" page.
 *
 * A container marked data-bm-similar names the inputs to read (data-sources: ids,
 * joined as the query), optional filter inputs (data-filters: ids, sent by name) and
 * fixed parameters (data-params: JSON). Typing waits DEBOUNCE_MS, cancels a request
 * still running, and replaces the results with the HTML the server renders, so
 * messages and translations stay on the server.
 */
(() => {
  'use strict';

  const DEBOUNCE_MS = 250;
  const MAX_QUERY = 2000;

  const byIds = (value) =>
    (value || '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean)
      .map((id) => document.getElementById(id))
      .filter(Boolean);

  function setup(root) {
    const url = root.dataset.searchUrl;
    const sources = byIds(root.dataset.sources);
    const filters = byIds(root.dataset.filters);
    const results = root.querySelector('[data-bm-similar-results]');
    let fixed = {};
    try {
      fixed = JSON.parse(root.dataset.params || '{}');
    } catch (error) {
      fixed = {};
    }
    let timer = null;
    let controller = null;
    let lastKey = null;

    const query = () =>
      sources
        .map((el) => el.value.trim())
        .filter(Boolean)
        .join('\n')
        .slice(0, MAX_QUERY);

    const showError = () => {
      const p = document.createElement('p');
      p.className = 'bm-similar__hint bm-similar__hint--error';
      p.textContent = root.dataset.errorText || '';
      results.replaceChildren(p);
    };

    async function run() {
      const params = new URLSearchParams(fixed);
      params.set('q', query());
      filters.forEach((el) => {
        if (el.value) params.set(el.name, el.value);
      });
      const key = params.toString();
      if (key === lastKey) return;
      lastKey = key;
      if (controller) controller.abort();
      controller = new AbortController();
      root.setAttribute('aria-busy', 'true');
      try {
        const response = await fetch(`${url}?${key}`, {
          headers: { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
          credentials: 'same-origin',
          signal: controller.signal,
        });
        const data = await response.json();
        results.innerHTML = data.html;
        root.dataset.state = response.ok ? 'ok' : 'error';
        root.dataset.count = String(data.count || 0);
      } catch (error) {
        if (error.name === 'AbortError') return;
        lastKey = null;
        root.dataset.state = 'error';
        showError();
      } finally {
        root.removeAttribute('aria-busy');
      }
    }

    const schedule = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, DEBOUNCE_MS);
    };

    sources.forEach((el) => el.addEventListener('input', schedule));
    filters.forEach((el) => el.addEventListener('change', schedule));
    if (root.dataset.autorun === 'true' && query()) run();
  }

  const init = () => document.querySelectorAll('[data-bm-similar]').forEach(setup);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
