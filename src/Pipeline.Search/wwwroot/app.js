// The analyst page: plain JavaScript over the search API (/search, /articles/{id}, /entities/{qid}, /suggest/entities).
// The state lives in the URL hash, so every view can be bookmarked and the back button works.
"use strict";

// The publication dates are the timeline chart's (charts.js), which filters the same way and shows gaps.
const FACETS = ["claim_type", "entity", "outlet", "attribution", "entity_type", "language", "status"];
// Parameters of the page only, never sent to /search: the chart bucket width.
const PAGE_ONLY = ["bucket"];
const FACET_TITLES = {
  claim_type: "Claim type", entity: "Entities", outlet: "Outlet", attribution: "Attribution", entity_type: "Entity type",
  language: "Language", status: "Analysis status", published: "Published",
};
const FILTER_KEYS = ["entity", "entity_type", "claim_type", "attribution", "outlet", "language", "status"];

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
};
/** The search's own parameters: a copy of the page's without the page-only ones, for /search, /export and a watch. */
const searchParams = (params) => {
  const request = new URLSearchParams(params || "");
  for (const key of PAGE_ONLY) request.delete(key);
  return request;
};
const wikidata = (qid) => `https://www.wikidata.org/wiki/${encodeURIComponent(qid)}`;
// An emerging entity: a name no knowledge base knows, with a corpus id (nil: and a hash) instead of a QID.
const emerging = (id) => typeof id === "string" && id.startsWith("nil:");
const NOT_IN_KB = "not in Wikidata";
const notInKb = () => el("span", { className: "not-in-kb", textContent: NOT_IN_KB, title: "An emerging entity: no knowledge base knows this name yet" });
const day = (iso) => (iso ? iso.slice(0, 10) : "undated");
const html = (markup) => {
  // Highlights come from the server HTML-escaped, with <mark> as the only markup.
  const span = document.createElement("span");
  span.innerHTML = markup;
  return span;
};

let entityLabels = {};
let lastParams = null;
let nextCursor = null;

// The search API needs a read key (X-Api-Key). The page asks for it on the first 401 and keeps it for the tab's
// session only (sessionStorage), so closing the tab forgets it.
const KEY_STORAGE = "pipeline-api-key";
const apiKey = () => sessionStorage.getItem(KEY_STORAGE) || "";

// One prompt for all the calls that were refused at once (a search and its suggestions, say): they all wait for it.
let keyPrompt = null;

function askForKey(message) {
  $("key-message").textContent = message;
  if (keyPrompt) return keyPrompt;
  const dialog = $("key-dialog");
  $("api-key").value = "";
  keyPrompt = new Promise((resolve) => {
    $("key-form").onsubmit = (event) => {
      event.preventDefault();
      const key = $("api-key").value.trim();
      if (!key) return;
      sessionStorage.setItem(KEY_STORAGE, key);
      dialog.close();
      keyPrompt = null;
      resolve();
    };
    dialog.showModal();
    $("api-key").focus();
  });
  return keyPrompt;
}

/**
 * Calls the API with the read key, asking for one on a 401/403; a refused call throws an Error whose message names
 * the fields at fault. options: { method, body (sent as JSON), raw (return the Response itself, for downloads) }.
 */
async function api(path, options = {}) {
  for (;;) {
    const headers = { Accept: "application/json" };
    if (apiKey()) headers["X-Api-Key"] = apiKey();
    const init = { method: options.method || "GET", headers };
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    const response = await fetch(path, init);
    if (options.raw && response.ok) return response;
    if (response.status === 204) return null;
    const body = await response.json().catch(() => null);
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem(KEY_STORAGE);
      await askForKey(body && body.title ? `${body.title}. ${body.detail || ""}` : "This page needs an API key.");
      continue;
    }
    if (!response.ok) {
      const errors = body && body.errors ? Object.entries(body.errors).map(([k, v]) => `${k}: ${v.join(" ")}`).join("; ") : "";
      throw new Error(errors || (body && (body.detail || body.title)) || `HTTP ${response.status}`);
    }
    return body;
  }
}

function showError(error) {
  const box = $("error");
  box.hidden = !error;
  box.textContent = error ? error.message || String(error) : "";
}

function show(view) {
  for (const section of document.querySelectorAll("main > [data-view]")) section.hidden = section.id !== view;
}

function route() {
  showError(null);
  const hash = location.hash || "#/search";
  const [path, query = ""] = hash.slice(1).split("?");
  const params = new URLSearchParams(query);
  if (path.startsWith("/article/")) return showArticle(decodeURIComponent(path.slice(9)));
  if (path.startsWith("/entity/")) return showEntity(decodeURIComponent(path.slice(8)), params);
  const plugin = Object.keys(Workbench.views).find((prefix) => path.startsWith(prefix));
  if (plugin) return Workbench.views[plugin](path, params);
  return showSearch(params);
}

function go(path, params) {
  const query = params ? params.toString() : "";
  location.hash = `#${path}${query ? "?" + query : ""}`;
}

// ---- search ----

// Each search takes a ticket; an answer that arrives after a newer search started is dropped, so a slow first
// search never paints over the results (or the error) of the one the analyst asked for last.
let searchTicket = 0;

async function showSearch(params) {
  const ticket = ++searchTicket;
  show("search-view");
  $("q").value = params.get("q") || "";
  $("sort").value = params.get("sort") || "relevance";
  $("worthiness").value = params.get("worthiness") || "";
  const request = searchParams(params);
  for (const facet of FACETS) request.append("facet", facet);
  request.set("facet_size", "8");
  lastParams = params;
  // The charts count the same search (all of it, not one page), fetched alongside the hits.
  const charts = loadCharts(params, ticket);
  try {
    const results = await api(`/search?${request}`);
    if (ticket !== searchTicket) return;
    renderFilters(params);
    renderFacets(results.facets, params);
    $("results").replaceChildren(...results.hits.map(renderHit));
    $("summary").textContent = `${results.total} article${results.total === 1 ? "" : "s"}`;
    nextCursor = results.nextCursor;
    $("more").hidden = !nextCursor;
    for (const hook of Workbench.onSearch) hook(params, results);
    await charts;
  } catch (error) {
    if (ticket !== searchTicket) return;
    $("results").replaceChildren();
    $("facets").replaceChildren();
    $("charts").replaceChildren();
    $("summary").textContent = "";
    $("more").hidden = true;
    showError(error);
  }
}

async function more() {
  const request = new URLSearchParams(lastParams);
  request.set("cursor", nextCursor);
  try {
    const results = await api(`/search?${request}`);
    const items = results.hits.map(renderHit);
    $("results").append(...items);
    nextCursor = results.nextCursor;
    $("more").hidden = !nextCursor;
    if (items.length) items[0].querySelector("a").focus();
  } catch (error) {
    showError(error);
  }
}

// ---- charts ----

let lastCharts = null;

/** Fetches /charts for the search and draws them; a failure leaves the hits alone (the search itself reports errors). */
async function loadCharts(params, ticket) {
  const request = new URLSearchParams(params);
  for (const key of ["sort", "cursor"]) request.delete(key);
  request.set("top", "8");
  try {
    const charts = await api(`/charts?${request}`);
    if (ticket !== searchTicket) return;
    lastCharts = { charts, params };
    renderCharts();
  } catch {
    if (ticket === searchTicket) $("charts").replaceChildren();
  }
}

/** The next search: the current one with cursor dropped, filters added (toggled on) and parameters set. */
function narrow(add = [], set = {}) {
  const next = new URLSearchParams(lastParams || "");
  next.delete("cursor");
  for (const [key, value] of add) if (!next.getAll(key).includes(value)) next.append(key, value);
  for (const [key, value] of Object.entries(set)) { if (value == null) next.delete(key); else next.set(key, value); }
  go("/search", next);
}

function chartWidth() {
  return Math.max(280, Math.floor($("charts").clientWidth) - 4);
}

function renderCharts() {
  if (!lastCharts) return;
  const { charts, params } = lastCharts;
  const width = chartWidth();
  for (const bucket of [...charts.entities.rows, ...charts.entities.columns]) if (bucket.label) entityLabels[bucket.value] = bucket.label;
  const pickRange = (bucket) => narrow([], { published_from: bucket.from, published_to: bucket.to });

  const widths = el("select", { id: "chart-bucket", ariaLabel: "Bars per" });
  for (const value of ["auto", "day", "week", "month", "year"]) widths.append(el("option", { value, textContent: value === "auto" ? `auto (${charts.bucket})` : value }));
  widths.value = params.get("bucket") || "auto";
  widths.addEventListener("change", () => narrow([], { bucket: widths.value === "auto" ? null : widths.value }));
  const header = el("div", { className: "charts-header" }, el("h2", { textContent: `Charts of ${charts.total.toLocaleString("en")} article${charts.total === 1 ? "" : "s"}` }),
    el("label", { htmlFor: "chart-bucket", textContent: "bars per " }), widths);
  if (params.get("published_from") || params.get("published_to")) {
    const all = el("button", { type: "button", className: "link-button", textContent: "all dates" });
    all.addEventListener("click", () => narrow([], { published_from: null, published_to: null }));
    header.append(all);
  }

  const outlets = charts.outletsOverTime;
  const byOutlet = charts.claimTypesByOutlet;
  const entities = charts.entities;
  $("charts").replaceChildren(
    header,
    Charts.timeline(charts.timeline, width, pickRange),
    Charts.stacked(charts.timeline, outlets.series, outlets.counts, width, (bucket, k) =>
      narrow([["outlet", outlets.series[k].value]], bucket ? { published_from: bucket.from, published_to: bucket.to } : {}), "Outlets over time"),
    Charts.matrix(entities, width, (i, j) => narrow([i, j].filter((k) => k != null).map((k) => ["entity", (i != null ? entities.rows : entities.columns)[k].value])), {
      title: "Entities that appear together", hint: "articles mentioning both; click a cell for both, a name for one", symmetric: true, empty: "No linked entities.",
    }),
    Charts.matrix(byOutlet, width, (i, j) => narrow([...(i != null ? [["outlet", byOutlet.rows[i].value]] : []), ...(j != null ? [["claim_type", byOutlet.columns[j].value]] : [])]), {
      title: "Claim types by outlet", hint: "articles with a claim of the type; click a cell, an outlet or a type", symmetric: false, empty: "No claims.",
    }));
}

let resizeTimer = null;
window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(renderCharts, 200); });

function renderHit(hit) {
  const title = el("a", { href: `#/article/${encodeURIComponent(hit.articleId)}`, className: "result-link" });
  title.append(hit.titleHighlight ? html(hit.titleHighlight) : hit.title);
  const meta = el("div", { className: "meta" },
    el("span", { textContent: hit.source || "unknown outlet" }),
    el("span", { textContent: day(hit.publishedAt) }),
    el("span", { textContent: `${hit.claimCount} claim${hit.claimCount === 1 ? "" : "s"}` }));
  if (hit.maxCheckWorthiness != null) meta.append(el("span", { textContent: `max check-worthiness ${hit.maxCheckWorthiness.toFixed(2)}` }));
  if (hit.claimTypes.length) meta.append(el("span", { textContent: hit.claimTypes.join(", ") }));
  const item = el("li", { className: "result" }, el("h2", {}, title), meta);
  const fragments = hit.highlights.length ? hit.highlights : [];
  if (fragments.length) for (const fragment of fragments) item.append(el("p", { className: "fragment" }, html(`…${fragment}…`)));
  else item.append(el("p", { className: "fragment", textContent: hit.snippet }));
  return item;
}

function renderFilters(params) {
  const chips = [];
  for (const key of FILTER_KEYS) {
    for (const value of params.getAll(key)) {
      const label = key === "entity" && entityLabels[value] ? `${entityLabels[value]} (${value})` : value;
      const marked = key === "entity" && emerging(value) ? `${label}, ${NOT_IN_KB}` : label;
      const chip = el("button", { type: "button", textContent: `${FACET_TITLES[key] || key}: ${marked} ✕`, title: "Remove this filter" });
      chip.addEventListener("click", () => toggleFilter(key, value, false));
      chips.push(chip);
    }
  }
  for (const key of ["published_from", "published_to"]) {
    if (params.get(key)) {
      const chip = el("button", { type: "button", textContent: `${key.replace("_", " ")}: ${params.get(key)} ✕` });
      chip.addEventListener("click", () => { const next = new URLSearchParams(params); next.delete(key); next.delete("cursor"); go("/search", next); });
      chips.push(chip);
    }
  }
  $("active-filters").replaceChildren(...chips);
}

function toggleFilter(key, value, on) {
  const next = new URLSearchParams(lastParams || "");
  const values = next.getAll(key).filter((v) => v !== value);
  next.delete(key);
  for (const v of values) next.append(key, v);
  if (on) next.append(key, value);
  go("/search", next);
}

function renderFacets(facets, params) {
  const groups = [];
  for (const facet of facets) {
    if (!facet.buckets.length) continue;
    const fieldset = el("fieldset", { className: `facet facet-${facet.field}` }, el("legend", { textContent: FACET_TITLES[facet.field] || facet.field }));
    const selected = new Set(params.getAll(facet.field));
    for (const bucket of facet.buckets) {
      if (bucket.label) entityLabels[bucket.value] = bucket.label;
      const id = `facet-${facet.field}-${bucket.value}`.replace(/[^A-Za-z0-9_-]/g, "_");
      const box = el("input", { type: "checkbox", id, checked: selected.has(bucket.value) });
      box.dataset.field = facet.field;
      box.dataset.value = bucket.value;
      box.addEventListener("change", () => toggleFilter(facet.field, bucket.value, box.checked));
      const name = bucket.label ? `${bucket.label}` : bucket.value;
      const nameNode = el("span", { textContent: name });
      if (facet.field === "entity" && emerging(bucket.value)) nameNode.append(" ", notInKb());
      fieldset.append(el("label", { htmlFor: id }, box, nameNode, el("span", { className: "count", textContent: String(bucket.count) })));
    }
    groups.push(fieldset);
  }
  $("facets").replaceChildren(...groups);
}

// ---- article ----

async function showArticle(id) {
  show("article-view");
  const view = $("article-view");
  view.replaceChildren(el("p", { textContent: "Loading…" }));
  try {
    const data = await api(`/articles/${encodeURIComponent(id)}`);
    const article = data.article;
    const linked = data.entities.filter((m) => m.qid);
    const back = el("a", { href: lastParams ? `#/search?${lastParams}` : "#/search", textContent: "← Back to results" });
    const meta = el("div", { className: "meta" },
      el("span", { textContent: article.source || "unknown outlet" }),
      el("span", { textContent: day(article.publishedAt) }),
      el("span", { textContent: `${data.claims.length} claims, ${linked.length} linked mentions` }));
    if (article.canonicalUrl) meta.append(el("a", { href: article.canonicalUrl, textContent: "original", rel: "noopener noreferrer" }));
    const legend = el("p", { className: "legend", textContent: "Claims are highlighted (darker: check-worthiness ≥ 0.5); hover or focus one (Tab) for its type, check-worthiness and attribution. Linked entities open Wikidata; emerging ones, not in Wikidata, open their entity page." });
    const entities = [...new Map(linked.map((m) => [m.qid, m])).values()];
    const entityList = el("ul", { className: "entity-list" }, ...entities.map((m) => el("li", {},
      el("a", { href: `#/entity/${encodeURIComponent(m.qid)}`, textContent: m.label || m.text, className: "entity-page-link" }),
      " ", emerging(m.qid) ? notInKb() : el("a", { href: wikidata(m.qid), textContent: m.qid, className: "entity", rel: "noopener noreferrer" }),
      ` ${m.type}`)));
    view.replaceChildren(back, el("h2", { id: "article-title", textContent: article.title }), meta, legend,
      el("div", { className: "article-text" }, ...renderText(article.text, data.claims, linked)),
      el("h3", { textContent: "Entities" }), entityList);
    view.querySelector("h2").tabIndex = -1;
    view.querySelector("h2").focus();
  } catch (error) {
    view.replaceChildren();
    showError(error);
  }
}

function claimTip(claim) {
  const who = claim.attribution ? `${claim.attribution.source} (${claim.attribution.kind})` : "none";
  return `Type: ${claim.type} · Check-worthiness: ${claim.checkWorthiness.toFixed(2)} · Attribution: ${who} · Evidence: ${claim.evidenceLevel}`;
}

/** The text as nodes: claims as focusable marks with a tooltip, linked mentions as Wikidata links (inside claims too). */
function renderText(text, claims, mentions) {
  const points = new Set([0, text.length]);
  for (const span of [...claims, ...mentions]) {
    if (span.start >= 0 && span.end <= text.length && span.start < span.end) { points.add(span.start); points.add(span.end); }
  }
  const sorted = [...points].sort((a, b) => a - b);
  const nodes = [];
  let openClaim = null, claimMark = null, openMention = null, mentionLink = null, tipId = 0;
  for (let i = 0; i < sorted.length - 1; i++) {
    const [start, end] = [sorted[i], sorted[i + 1]];
    const claim = claims.find((c) => c.start <= start && end <= c.end) || null;
    const mention = mentions.find((m) => m.start <= start && end <= m.end) || null;
    if (claim !== openClaim) {
      openClaim = claim;
      openMention = null;
      if (claim) {
        const tip = el("span", { className: "claim-tip", id: `claim-tip-${tipId++}`, role: "tooltip", textContent: claimTip(claim) });
        claimMark = el("mark", { className: `claim${claim.checkWorthiness >= 0.5 ? " worthy" : ""}`, tabIndex: 0 });
        claimMark.setAttribute("aria-describedby", tip.id);
        claimMark.dataset.type = claim.type;
        claimMark.dataset.worthiness = claim.checkWorthiness;
        claimMark.append(tip);
        nodes.push(claimMark);
      }
    }
    const parent = claim ? claimMark : null;
    const add = (node) => (parent ? parent.insertBefore(node, parent.lastChild) : nodes.push(node));
    const piece = text.slice(start, end);
    if (mention) {
      if (mention !== openMention) {
        openMention = mention;
        mentionLink = emerging(mention.qid)
          ? el("a", { href: `#/entity/${encodeURIComponent(mention.qid)}`, className: "entity emerging", title: `${mention.label || mention.text} (${mention.type}, ${NOT_IN_KB})` })
          : el("a", { href: wikidata(mention.qid), className: "entity", title: `${mention.label || mention.text} (${mention.qid}, ${mention.type})`, rel: "noopener noreferrer" });
        add(mentionLink);
      }
      mentionLink.append(piece);
    } else {
      openMention = null;
      add(document.createTextNode(piece));
    }
  }
  return nodes;
}

// ---- entity ----

async function showEntity(qid, params) {
  show("entity-view");
  const view = $("entity-view");
  view.replaceChildren(el("p", { textContent: "Loading…" }));
  const request = new URLSearchParams();
  if (params.get("worthiness")) request.set("worthiness", params.get("worthiness"));
  try {
    const overTime = new URLSearchParams(request);
    overTime.set("entity", qid);
    overTime.set("top", "2");
    const [page, charts] = await Promise.all([api(`/entities/${encodeURIComponent(qid)}?${request}`), api(`/charts?${overTime}`)]);
    // The same bars for the articles whose claims mention it (a mention inside a claim's span), as the line.
    const about = new URLSearchParams(request);
    about.set("claim_entity", qid);
    about.set("bucket", charts.bucket);
    about.set("top", "1");
    const claimsAbout = await api(`/charts?${about}`).catch(() => null);
    const aboutCounts = new Map((claimsAbout ? claimsAbout.timeline : []).map((b) => [b.bucket, b.articles]));
    const name = page.label || qid;
    const threshold = el("input", { type: "number", id: "entity-worthiness", min: 0, max: 1, step: 0.05, value: params.get("worthiness") || "" });
    const form = el("form", {}, el("label", { htmlFor: "entity-worthiness", textContent: "Only articles with claims at least this check-worthy " }), threshold, " ", el("button", { type: "submit", textContent: "Apply" }));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const next = new URLSearchParams();
      if (threshold.value) next.set("worthiness", threshold.value);
      go(`/entity/${encodeURIComponent(qid)}`, next);
    });
    const [timelineBox, relatedBox] = [el("div"), el("div")];
    const search = new URLSearchParams();
    search.append("entity", qid);
    if (page.minWorthiness != null) search.set("worthiness", page.minWorthiness);
    const claims = el("ol", { className: "claim-list" }, ...page.claims.map((c) => el("li", {},
      el("q", { textContent: c.claim.text }),
      el("div", { className: "meta" }, el("span", { textContent: claimTip(c.claim) }), el("span", { textContent: day(c.publishedAt) }),
        el("a", { href: `#/article/${encodeURIComponent(c.articleId)}`, textContent: c.articleTitle })))));
    view.replaceChildren(
      el("h2", { id: "entity-title", textContent: name, tabIndex: -1 }),
      el("p", {}, page.inKb === false ? el("span", {}, notInKb(), ` (${qid}: a name no knowledge base knows yet)`) : el("a", { href: wikidata(qid), textContent: `${qid} on Wikidata`, rel: "noopener noreferrer" }), " · ",
        el("a", { href: `#/search?${search}`, textContent: `search its ${page.articles} article${page.articles === 1 ? "" : "s"}` })),
      form,
      el("div", { id: "entity-charts" }, timelineBox, relatedBox),
      el("h3", { textContent: "Claim types" }),
      el("p", { textContent: page.claimTypes.map((b) => `${b.value} ${b.count}`).join(" · ") || "none" }),
      el("h3", { textContent: `Claims mentioning ${name} (latest articles)` }),
      page.claims.length ? claims : el("p", { textContent: "No claim of the latest articles mentions it." }),
      el("h3", { textContent: "Latest articles" }),
      el("ol", { id: "entity-articles" }, ...page.latest.map((hit) => el("li", {},
        el("a", { href: `#/article/${encodeURIComponent(hit.articleId)}`, textContent: hit.title }), ` ${hit.source || ""} ${day(hit.publishedAt)}`))));
    // Drawn once in the page, at the width their grid cells got.
    timelineBox.append(Charts.timeline(charts.timeline, timelineBox.clientWidth - 24, (bucket) => {
      const next = new URLSearchParams(search);
      next.set("published_from", bucket.from);
      next.set("published_to", bucket.to);
      go("/search", next);
    }, {
      title: `Articles mentioning ${name}, and those with a claim about it, per ${charts.bucket}`,
      hint: "click a bar for its articles",
      line: { label: `articles with a claim mentioning ${name}`, sameScale: true, describe: (n) => `${n} with a claim about it`, values: charts.timeline.map((b) => aboutCounts.get(b.bucket) || 0) },
    }));
    relatedBox.append(Charts.bars(page.related, relatedBox.clientWidth - 24, (i) => {
      const next = new URLSearchParams(search);
      next.append("entity", page.related[i].value);
      go("/search", next);
    }, "Appears with", "articles mentioning both; click for them"));
    view.querySelector("h2").focus();
  } catch (error) {
    view.replaceChildren();
    showError(error);
  }
}

// ---- entity suggestions ----

let suggestTimer = null;
async function suggest() {
  const prefix = $("entity-prefix").value.trim();
  if (!prefix) { $("suggestions").replaceChildren(); return; }
  try {
    const suggestions = await api(`/suggest/entities?prefix=${encodeURIComponent(prefix)}`);
    $("suggestions").replaceChildren(...suggestions.map((s) => el("li", {},
      el("a", { href: `#/entity/${encodeURIComponent(s.qid)}`, textContent: `${s.label} (${s.qid}) · ${s.articles}` }, ...(s.inKb === false ? [" ", notInKb()] : [])))));
  } catch (error) {
    showError(error);
  }
}

// ---- plug-ins ----

// The page's other scripts (watches.js, export.js) build on these: they register views under a hash prefix
// (Workbench.views["/watches"] = (path, params) => ...) and hooks run after each search with its parameters and results.
const Workbench = {
  $, el, api, go, show, showError, searchParams,
  /** The parameters of the search on screen (the hash's query, page-only ones included), or null before the first search. */
  currentParams: () => lastParams,
  views: {},
  onSearch: [],
};
window.Workbench = Workbench;

// ---- wiring ----

$("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const next = new URLSearchParams();
  for (const key of FILTER_KEYS) for (const v of (lastParams || new URLSearchParams()).getAll(key)) next.append(key, v);
  for (const key of ["published_from", "published_to", ...PAGE_ONLY]) if (lastParams && lastParams.get(key)) next.set(key, lastParams.get(key));
  if ($("q").value.trim()) next.set("q", $("q").value.trim());
  if ($("sort").value !== "relevance") next.set("sort", $("sort").value);
  if ($("worthiness").value) next.set("worthiness", $("worthiness").value);
  const target = `#/search?${next}`;
  if (location.hash === target) route(); else location.hash = target;
});
$("more").addEventListener("click", more);
$("entity-prefix").addEventListener("input", () => { clearTimeout(suggestTimer); suggestTimer = setTimeout(suggest, 150); });
$("entity-prefix").addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown" || event.key === "Enter") {
    const first = $("suggestions").querySelector("a");
    if (first) { event.preventDefault(); event.key === "Enter" ? first.click() : first.focus(); }
  }
  if (event.key === "Escape") $("suggestions").replaceChildren();
});
$("suggestions").addEventListener("click", () => { $("suggestions").replaceChildren(); $("entity-prefix").value = ""; });
window.addEventListener("hashchange", route);
// Scripts after this one register their views first; the first route runs once the whole page has loaded.
window.addEventListener("DOMContentLoaded", route);
