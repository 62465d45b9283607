// The export bar beside the results summary: downloads the search on screen (GET /export) as CSV or NDJSON, one row
// per article, claim or entity mention. The file comes through Workbench.api, so the read key travels in the
// X-Api-Key header as for every call (never in a URL), and is saved from a Blob under the server's file name.
"use strict";

(() => {
  const { $, el, api, showError } = window.Workbench;
  const ROWS = [["articles", "Articles"], ["claims", "Claims"], ["mentions", "Entity mentions"]];
  const FORMATS = [["csv", "CSV"], ["ndjson", "NDJSON"]];
  // How long the saved file's object URL lives: the browser has started the download well before.
  const REVOKE_AFTER_MS = 60_000;
  const INTERRUPTED = "The export was interrupted before its end (the server failed or the connection dropped); nothing was saved.";

  let form = null;

  const select = (id, options) =>
    el("select", { id }, ...options.map(([value, text]) => el("option", { value, textContent: text })));

  function build() {
    form = el("form", { id: "export-form", ariaLabel: "Export the results" },
      el("label", { htmlFor: "export-rows", textContent: "Export rows" }), select("export-rows", ROWS),
      el("label", { htmlFor: "export-format", textContent: "Format" }), select("export-format", FORMATS),
      el("button", { id: "export-download", type: "submit", textContent: "Download" }),
      el("span", { id: "export-status", role: "status" }));
    // The bar is laid out here rather than in app.css, so that this plug-in stays one file.
    form.style.cssText = "display:flex;flex-wrap:wrap;gap:.4em;align-items:center";
    form.addEventListener("submit", download);
    $("export-bar").replaceChildren(form);
  }

  /** The file name of a Content-Disposition header (filename*=UTF-8'' or filename=), or null. */
  function fileName(disposition) {
    const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition || "");
    if (encoded) return decodeURIComponent(encoded[1]);
    const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition || "");
    return plain ? plain[1] : null;
  }

  async function download(event) {
    event.preventDefault();
    const rows = $("export-rows").value;
    const format = $("export-format").value;
    // The search on screen, even one that failed after the bar was drawn: its export fails the same way, visibly.
    const request = window.Workbench.searchParams(window.Workbench.currentParams());
    request.set("rows", rows);
    request.set("format", format);
    const button = $("export-download");
    const status = $("export-status");
    button.disabled = true;
    status.textContent = "Preparing the download…";
    showError(null);
    try {
      const response = await api(`/export?${request}`, { raw: true });
      const blob = await response.blob();
      const name = fileName(response.headers.get("Content-Disposition")) || `${rows}.${format}`;
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
      status.textContent = `Saved ${name}`;
    } catch (error) {
      status.textContent = "";
      // fetch and blob() reject with a TypeError when the connection fails: the server aborts a download it cannot
      // finish (so a truncated file is never saved as if complete), before or after the headers arrived.
      showError(error instanceof TypeError ? new Error(INTERRUPTED) : error);
    } finally {
      button.disabled = false;
    }
  }

  window.Workbench.onSearch.push((params, results) => {
    if (!form) build();
    $("export-status").textContent = "";
    const none = results.total === 0;
    $("export-download").disabled = none;
    $("export-download").title = none ? "No article matches this search" : "";
  });
})();
