// The print button of plan and project pages: shown only where it can work.
document.querySelectorAll("[data-bm-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
});
