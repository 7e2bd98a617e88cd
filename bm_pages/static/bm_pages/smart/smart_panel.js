// The project editor's SMART panel: kept above the tabs, re-checked as the editor types.
(function () {
    "use strict";

    function fieldElement(form, name) {
        return (
            document.getElementById("id_" + name) ||
            document.getElementById("id_" + name + "-FORMS") ||
            form.querySelector('[name="' + name + '"]')
        );
    }

    function showField(form, name) {
        var element = fieldElement(form, name);
        if (!element) return;
        var tabPanel = element.closest('[role="tabpanel"]');
        if (tabPanel && tabPanel.hidden) {
            var tab = document.querySelector('[role="tab"][href="#' + tabPanel.id + '"]');
            if (tab) tab.click();
        }
        element.scrollIntoView({ block: "center" });
        if (typeof element.focus === "function") element.focus();
    }

    function setUp(panel) {
        var form = panel.closest("form");
        if (!form) return;
        var tabs = form.querySelector(".w-tabs");
        if (tabs && tabs.parentNode) tabs.parentNode.insertBefore(panel, tabs);

        var body = panel.querySelector("[data-bm-smart-body]");
        var timer = null;
        var latest = 0;

        function check() {
            var request = ++latest;
            fetch(panel.dataset.checkUrl, {
                method: "POST",
                body: new FormData(form),
                credentials: "same-origin",
                headers: { "X-Requested-With": "XMLHttpRequest" },
            })
                .then(function (response) { return response.ok ? response.json() : null; })
                .then(function (data) {
                    if (data && request === latest) {
                        body.innerHTML = data.html;
                        panel.dataset.score = data.score;
                    }
                })
                .catch(function () { /* keep the last result; the next edit retries */ });
        }

        function schedule() {
            window.clearTimeout(timer);
            timer = window.setTimeout(check, 400);
        }

        form.addEventListener("input", schedule);
        form.addEventListener("change", schedule);
        // Indicator rows added or removed change the form without an input event.
        var indicators = document.getElementById("id_indicators-FORMS");
        if (indicators) {
            new MutationObserver(schedule).observe(indicators, { childList: true, subtree: true, attributes: true });
        }
        panel.addEventListener("click", function (event) {
            var link = event.target.closest("[data-bm-fix-field]");
            if (!link) return;
            event.preventDefault();
            showField(form, link.dataset.bmFixField);
        });
    }

    function init() {
        document.querySelectorAll('[data-bm="smart-panel"]').forEach(setUp);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
