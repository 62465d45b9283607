// Watches on the analyst page: "Watch this search" beside the results, the #/watches list (with each watch's new
// matches since the last visit and its webhook's state), one watch's matches at #/watches/{id} (opening it marks it
// visited), and the count of new matches on the header's Watches link. Plain JavaScript over the /watches API.
"use strict";

(() => {
  const { $, el, api, go, show, showError, searchParams } = Workbench;
  const KEY_STORAGE = "pipeline-api-key";
  const REFRESH_MS = 5000;
  const TITLES = {
    q: "Text", entity: "Entity", entity_type: "Entity type", claim_type: "Claim type", worthiness: "Check-worthiness ≥",
    attribution: "Attribution", outlet: "Outlet", language: "Language", status: "Status", published_from: "Published from", published_to: "Published before",
  };
  const when = (iso) => (iso ? new Date(iso).toLocaleString() : "never");
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  let refreshTimer = null;

  // ---- the search's query as readable chips ----

  function chips(query) {
    const params = new URLSearchParams(query);
    const list = el("ul", { className: "watch-chips", ariaLabel: "Search" });
    for (const [key, value] of params) {
      const title = TITLES[key] || key.replace(/^enrichment\./, "");
      list.append(el("li", { className: "chip", textContent: `${title}: ${value}` }));
    }
    if (!list.children.length) list.append(el("li", { className: "chip", textContent: "Every article" }));
    return list;
  }

  // ---- "Watch this search" beside the results ----

  function renderWatchBar(params) {
    const bar = $("watch-bar");
    const status = el("span", { className: "watch-status", role: "status" });
    const open = el("button", { type: "button", id: "watch-search", className: "secondary", textContent: "Watch this search" });
    open.setAttribute("aria-expanded", "false");
    open.setAttribute("aria-controls", "watch-form");
    const name = el("input", { id: "watch-name", name: "name", required: true, maxLength: 100, autocomplete: "off", value: (params.get("q") || "").slice(0, 100) });
    const webhook = el("input", { id: "watch-webhook", name: "webhookUrl", type: "url", placeholder: "https://… (optional)", autocomplete: "off" });
    const form = el("form", { id: "watch-form", className: "watch-form", hidden: true },
      el("label", { htmlFor: "watch-name", textContent: "Watch name" }), name,
      el("label", { htmlFor: "watch-webhook", textContent: "Webhook URL" }), webhook,
      el("button", { type: "submit", textContent: "Save watch" }),
      el("button", { type: "button", className: "secondary", textContent: "Cancel", onclick: () => toggle(false) }));
    const toggle = (on) => {
      form.hidden = !on;
      open.setAttribute("aria-expanded", String(on));
      (on ? name : open).focus();
    };
    open.addEventListener("click", () => toggle(form.hidden));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const watch = await api("/watches", { method: "POST", body: { name: name.value.trim(), query: searchParams(params).toString(), webhookUrl: webhook.value.trim() || null } });
        form.hidden = true;
        open.setAttribute("aria-expanded", "false");
        status.replaceChildren("Watching ", el("a", { href: `#/watches/${encodeURIComponent(watch.id)}`, textContent: `“${watch.name}”` }),
          ": new matching articles will be listed there.");
        refreshBadge();
      } catch (error) {
        status.textContent = "";
        showError(error);
      }
    });
    bar.replaceChildren(open, form, status);
  }

  // ---- the header link's count of new matches ----

  async function refreshBadge() {
    if (!sessionStorage.getItem(KEY_STORAGE)) return;
    try {
      const watches = await api("/watches");
      const fresh = watches.reduce((sum, w) => sum + w.newSinceLastVisit, 0);
      const link = $("watches-link");
      link.replaceChildren("Watches");
      if (fresh > 0) link.append(" ", el("span", { className: "badge", id: "watches-badge", textContent: String(fresh), title: `${fresh} new since last visit` }));
      link.setAttribute("aria-label", fresh > 0 ? `Watches, ${fresh} new since last visit` : "Watches");
    } catch {
      // The badge is a hint; the views report errors.
    }
  }

  // ---- #/watches ----

  function webhookText(watch) {
    const hook = watch.webhook;
    if (!watch.webhookUrl && !hook) return "No webhook";
    if (!hook || hook.state === "idle") return "Webhook: nothing sent yet";
    if (hook.state === "failed") return `Webhook failed after ${plural(hook.lastAttempts, "attempt")}: ${hook.lastError || "unknown error"}`;
    if (hook.state === "pending") return `Webhook: retrying (${plural(hook.lastAttempts, "attempt")} so far${hook.lastError ? `: ${hook.lastError}` : ""})`;
    return `Webhook: ${plural(hook.delivered, "delivery")} sent`;
  }

  function newBadge(watch) {
    return el("span", { className: `new-count${watch.newSinceLastVisit ? " has-new" : ""}`, textContent: `${watch.newSinceLastVisit} new since last visit` });
  }

  function editForm(watch, item) {
    const id = (field) => `watch-${watch.id}-${field}`;
    const name = el("input", { id: id("name"), value: watch.name, required: true, maxLength: 100 });
    const query = el("input", { id: id("query"), value: watch.query, className: "wide" });
    const webhook = el("input", { id: id("webhook"), type: "url", value: watch.webhookUrl || "", className: "wide" });
    const form = el("form", { className: "watch-form" },
      el("label", { htmlFor: id("name"), textContent: "Name" }), name,
      el("label", { htmlFor: id("query"), textContent: "Search (query string)" }), query,
      el("label", { htmlFor: id("webhook"), textContent: "Webhook URL" }), webhook,
      el("button", { type: "submit", textContent: "Save" }),
      el("button", { type: "button", className: "secondary", textContent: "Cancel", onclick: () => showList() }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api(`/watches/${encodeURIComponent(watch.id)}`, { method: "PUT", body: { name: name.value.trim(), query: query.value.trim(), webhookUrl: webhook.value.trim() || null } });
        showList();
      } catch (error) {
        showError(error);
      }
    });
    item.replaceChildren(form);
    name.focus();
  }

  function renderWatch(watch) {
    const item = el("li", { className: "watch" });
    item.dataset.id = watch.id;
    const edit = el("button", { type: "button", className: "secondary", textContent: "Edit", onclick: () => editForm(watch, item) });
    const remove = el("button", { type: "button", className: "secondary danger", textContent: "Delete" });
    remove.addEventListener("click", async () => {
      if (remove.dataset.confirm !== "yes") {
        remove.dataset.confirm = "yes";
        remove.textContent = "Confirm delete";
        remove.focus();
        return;
      }
      try {
        await api(`/watches/${encodeURIComponent(watch.id)}`, { method: "DELETE" });
        showList();
        refreshBadge();
      } catch (error) {
        showError(error);
      }
    });
    item.append(
      el("h3", {}, el("a", { href: `#/watches/${encodeURIComponent(watch.id)}`, textContent: watch.name, className: "watch-link" }), " ", newBadge(watch)),
      chips(watch.query),
      el("div", { className: "meta" },
        el("a", { href: `#/search?${watch.query}`, textContent: "Run this search" }),
        el("span", { textContent: `${plural(watch.totalMatches, "match")}, last ${when(watch.lastMatchAt)}` }),
        el("span", { className: "webhook-state", textContent: webhookText(watch) }),
        ...(watch.lastError ? [el("span", { className: "watch-error", textContent: `Last evaluation failed: ${watch.lastError}` })] : [])),
      el("div", { className: "watch-actions" }, edit, remove));
    return item;
  }

  async function showList(quiet) {
    show("watches-view");
    const view = $("watches-view");
    try {
      const watches = await api("/watches");
      if (location.hash.replace(/\?.*$/, "") !== "#/watches") return;
      const editing = view.querySelector("form");
      if (quiet && editing) return;
      const heading = el("h2", { id: "watches-title", tabIndex: -1, textContent: "Watches" });
      view.replaceChildren(heading,
        el("p", { className: "legend", textContent: "A watch records the articles that fit its search and become searchable after it was saved, and can post them to a webhook." }),
        watches.length ? el("ol", { id: "watch-list" }, ...watches.map(renderWatch))
          : el("p", { textContent: "No watches yet: search, then “Watch this search” beside the results." }));
      if (!quiet) heading.focus();
      refreshBadge();
    } catch (error) {
      view.replaceChildren();
      showError(error);
    }
    schedule(() => showList(true));
  }

  // ---- #/watches/{id} ----

  async function showWatch(id) {
    show("watches-view");
    const view = $("watches-view");
    view.replaceChildren(el("p", { textContent: "Loading…" }));
    try {
      const watch = await api(`/watches/${encodeURIComponent(id)}`);
      const page = await api(`/watches/${encodeURIComponent(id)}/matches?limit=50`);
      const list = el("ol", { id: "watch-matches" });
      const more = el("button", { type: "button", className: "secondary", textContent: "More matches", hidden: page.nextOffset == null });
      const add = (p) => {
        list.append(...p.matches.map(renderMatch));
        more.hidden = p.nextOffset == null;
        more.dataset.offset = p.nextOffset ?? "";
      };
      more.addEventListener("click", async () => {
        try {
          add(await api(`/watches/${encodeURIComponent(id)}/matches?limit=50&offset=${more.dataset.offset}`));
        } catch (error) {
          showError(error);
        }
      });
      add(page);
      const heading = el("h2", { id: "watch-title", tabIndex: -1, textContent: watch.name });
      view.replaceChildren(
        el("a", { href: "#/watches", textContent: "← All watches" }),
        heading,
        chips(watch.query),
        el("p", { className: "meta" },
          el("a", { href: `#/search?${watch.query}`, textContent: "Run this search" }),
          el("span", { textContent: `${plural(page.total, "match")}, ${page.newSinceLastVisit} new since last visit` }),
          el("span", { className: "webhook-state", textContent: webhookText(watch) })),
        page.total ? list : el("p", { textContent: "Nothing yet: matching articles appear here as they become searchable." }),
        more);
      heading.focus();
      // Seen now: the next visit's "new" starts from here.
      await api(`/watches/${encodeURIComponent(id)}/visit`, { method: "POST" });
      refreshBadge();
    } catch (error) {
      view.replaceChildren();
      showError(error);
    }
  }

  function renderMatch(match) {
    const item = el("li", { className: `result match${match.new ? " new" : ""}` },
      el("h3", {}, el("a", { href: `#/article/${encodeURIComponent(match.articleId)}`, textContent: match.title, className: "result-link" }),
        ...(match.new ? [" ", el("span", { className: "new-marker", textContent: "new" })] : [])),
      el("div", { className: "meta" },
        el("span", { textContent: match.source || "unknown outlet" }),
        el("span", { textContent: match.publishedAt ? match.publishedAt.slice(0, 10) : "undated" }),
        el("span", { textContent: `matched ${when(match.matchedAt)}` })));
    return item;
  }

  function schedule(refresh) {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      if (!$("watches-view").hidden && location.hash.replace(/\?.*$/, "") === "#/watches") refresh();
    }, REFRESH_MS);
  }

  Workbench.views["/watches"] = (path) => (path.startsWith("/watches/") ? showWatch(decodeURIComponent(path.slice("/watches/".length))) : showList());
  Workbench.onSearch.push((params) => { renderWatchBar(params); refreshBadge(); });
  setInterval(refreshBadge, 30000);
})();
