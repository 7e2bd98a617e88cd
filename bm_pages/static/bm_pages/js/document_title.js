// Wagtail fills a new document's title from its file name; suggest a readable one
// instead ("jaarverslag_2025-def.pdf" -> "Jaarverslag 2025 def"). The same rule
// runs on the server (bm_pages.document_forms.readable_title) for a title left as
// the raw file name, so the result does not depend on this script.
document.addEventListener("wagtail:documents-upload", function (event) {
    var data = event.detail && event.detail.data;
    if (!data || !data.title) { return; }
    var words = data.title.replace(/\.[^.\s]+$/, "").replace(/[\s_\-.]+/g, " ").trim();
    if (words) { data.title = words.charAt(0).toUpperCase() + words.slice(1); }
});
