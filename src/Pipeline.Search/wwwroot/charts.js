// Charts of the analyst page, drawn as SVG by this file alone (no library, nothing from the network). Each chart is
// also a filter: every bar, segment, cell and label is a button (click, or Tab then Enter/Space) that calls onPick
// with what it stands for. Sizes follow the container's width; app.js redraws on resize.
"use strict";

const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const PALETTE = ["#1f5fbf", "#d9480f", "#2b8a3e", "#862e9c", "#e67700", "#0b7285", "#c2255c", "#5c940d", "#364fc7", "#795548"];
  const CLAIMS = "#d9480f";

  function svg(tag, attrs = {}, ...children) {
    const node = document.createElementNS(NS, tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    for (const child of children) node.append(child);
    return node;
  }

  function text(x, y, content, attrs = {}) {
    return svg("text", { x, y, ...attrs }, content);
  }

  /** A focusable SVG element that acts as a button: click, Enter or Space calls pick; the label is read and shown on hover. */
  function pickable(node, label, pick) {
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", label);
    node.classList.add("pick");
    node.append(svg("title", {}, label));
    node.addEventListener("click", pick);
    node.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); pick(); }
    });
    return node;
  }

  const plural = (n, word) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
  const short = (label, max) => (label.length > max ? `${label.slice(0, max - 1)}…` : label);
  const niceMax = (max) => {
    if (max <= 5) return Math.max(1, max);
    const step = 10 ** Math.floor(Math.log10(max));
    return Math.ceil(max / (step / 2)) * (step / 2);
  };

  /** Which of the labels of n evenly spaced bars to print so that they do not overlap. */
  function labelEvery(count, width, labelWidth) {
    return Math.max(1, Math.ceil((count * labelWidth) / Math.max(1, width)));
  }

  function frame(title, description) {
    const figure = document.createElement("figure");
    figure.className = "chart";
    const caption = document.createElement("figcaption");
    caption.textContent = title;
    if (description) {
      const hint = document.createElement("span");
      hint.className = "chart-hint";
      hint.textContent = ` ${description}`;
      caption.append(hint);
    }
    figure.append(caption);
    return figure;
  }

  /**
   * Articles per bucket as bars and their check-worthy claims as a line (own scale, right); picking a bar passes its
   * bucket ({bucket, from, to, articles, worthyClaims}). options.line = { label, describe(n), values } draws another
   * series as the line instead (values aligned with the buckets; describe words a value for the bar's name).
   */
  function timeline(buckets, width, onPick, options = {}) {
    const line = options.line || { label: "check-worthy claims (≥ 0.5, right scale)", describe: (n) => plural(n, "check-worthy claim"), values: buckets.map((b) => b.worthyClaims) };
    const figure = frame(options.title || "Articles and check-worthy claims over time", options.hint ?? "click a bar to keep its dates");
    if (!buckets.length) {
      figure.append(Object.assign(document.createElement("p"), { className: "chart-empty", textContent: "No dated articles." }));
      return figure;
    }
    const [left, right, top, bottom, height] = [44, 44, 10, 26, 190];
    const plot = Math.max(80, width - left - right);
    const maxArticles = niceMax(Math.max(...buckets.map((b) => b.articles)));
    // A line of articles too (options.line.sameScale) shares the bars' scale; claims get their own, on the right.
    const maxClaims = line.sameScale ? maxArticles : niceMax(Math.max(1, ...line.values));
    const band = plot / buckets.length;
    const y = (v, max) => top + (height - top - bottom) * (1 - v / max);
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "timeline", role: "group", "aria-label": figure.firstChild.textContent });
    for (const fraction of [0, 0.5, 1]) {
      const yy = y(maxArticles * fraction, maxArticles);
      chart.append(svg("line", { x1: left, x2: left + plot, y1: yy, y2: yy, class: "grid" }));
      // Whole numbers only: a scale of 1 has no middle label.
      if (Number.isInteger(maxArticles * fraction)) chart.append(text(left - 6, yy + 4, (maxArticles * fraction).toLocaleString("en"), { class: "axis", "text-anchor": "end" }));
      if (!line.sameScale && Number.isInteger(maxClaims * fraction)) chart.append(text(left + plot + 6, yy + 4, (maxClaims * fraction).toLocaleString("en"), { class: "axis claims-axis" }));
    }
    const every = labelEvery(buckets.length, plot, 78);
    buckets.forEach((bucket, i) => {
      const x = left + i * band;
      const barTop = y(bucket.articles, maxArticles);
      const group = svg("g", { class: "bar", "data-from": bucket.from, "data-to": bucket.to },
        svg("rect", { x: x, y: top, width: band, height: height - top - bottom, class: "hit" }),
        svg("rect", { x: x + band * 0.1, y: barTop, width: Math.max(1, band * 0.8), height: Math.max(0, height - bottom - barTop), class: "articles" }));
      chart.append(pickable(group, `${bucket.bucket}: ${plural(bucket.articles, "article")}, ${line.describe(line.values[i])}`, () => onPick(bucket)));
      if (i % every === 0) chart.append(text(x + band / 2, height - 8, bucket.bucket, { class: "axis", "text-anchor": "middle" }));
    });
    const points = buckets.map((b, i) => `${left + (i + 0.5) * band},${y(line.values[i], maxClaims)}`).join(" ");
    chart.append(svg("polyline", { points, class: "claims-line", "pointer-events": "none" }));
    figure.append(chart, legend([["articles", "var(--accent)"], [line.label, CLAIMS]]));
    return figure;
  }

  function legend(entries, onPick) {
    const list = document.createElement("ul");
    list.className = "chart-legend";
    entries.forEach(([label, color, value], i) => {
      const swatch = Object.assign(document.createElement("span"), { className: "swatch" });
      swatch.style.background = color;
      const item = document.createElement("li");
      if (onPick) {
        const button = Object.assign(document.createElement("button"), { type: "button", className: "legend-pick", title: `Keep ${label} only` });
        button.append(swatch, label);
        button.dataset.value = value;
        button.addEventListener("click", () => onPick(i));
        item.append(button);
      } else {
        item.append(swatch, label);
      }
      list.append(item);
    });
    return list;
  }

  /**
   * Stacked bars: per bucket, one segment per series (the top outlets). Picking a segment passes (bucket, series index);
   * picking a legend entry passes (null, series index).
   */
  function stacked(buckets, series, counts, width, onPick, title) {
    const figure = frame(title, "click a segment for that outlet and time, a name for the outlet");
    if (!buckets.length || !series.length) {
      figure.append(Object.assign(document.createElement("p"), { className: "chart-empty", textContent: "No dated articles with an outlet." }));
      return figure;
    }
    const [left, right, top, bottom, height] = [44, 34, 10, 26, 170];
    const plot = Math.max(80, width - left - right);
    const totals = counts.map((row) => row.reduce((a, b) => a + b, 0));
    const max = niceMax(Math.max(1, ...totals));
    const band = plot / buckets.length;
    const scale = (height - top - bottom) / max;
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "stacked", role: "group", "aria-label": title });
    for (const fraction of [0, 0.5, 1]) {
      const yy = top + (height - top - bottom) * (1 - fraction);
      chart.append(svg("line", { x1: left, x2: left + plot, y1: yy, y2: yy, class: "grid" }));
      if (Number.isInteger(max * fraction)) chart.append(text(left - 6, yy + 4, (max * fraction).toLocaleString("en"), { class: "axis", "text-anchor": "end" }));
    }
    const every = labelEvery(buckets.length, plot, 78);
    buckets.forEach((bucket, i) => {
      let base = height - bottom;
      series.forEach((s, k) => {
        const n = counts[i][k];
        if (!n) return;
        const h = n * scale;
        base -= h;
        const segment = svg("rect", { x: left + i * band + band * 0.1, y: base, width: Math.max(1, band * 0.8), height: Math.max(1, h), fill: PALETTE[k % PALETTE.length], class: "segment", "data-series": s.value, "data-from": bucket.from });
        chart.append(pickable(segment, `${s.value}, ${bucket.bucket}: ${plural(n, "article")}`, () => onPick(bucket, k)));
      });
      if (i % every === 0) chart.append(text(left + (i + 0.5) * band, height - 8, bucket.bucket, { class: "axis", "text-anchor": "middle" }));
    });
    figure.append(chart, legend(series.map((s, k) => [`${s.value} (${s.count.toLocaleString("en")})`, PALETTE[k % PALETTE.length], s.value]), (k) => onPick(null, k)));
    return figure;
  }

  /**
   * A matrix of counts: rows × columns, darker for more. With symmetric, the same values on both sides (co-occurrence):
   * the diagonal (a value with itself) is shaded apart and left out of the colour scale. Picking a cell passes (row, column);
   * a row or column label passes (row, null) or (null, column).
   */
  function matrix(pivot, width, onPick, options) {
    const figure = frame(options.title, options.hint);
    const rows = pivot.rows, columns = pivot.columns;
    if (!rows.length || !columns.length) {
      figure.append(Object.assign(document.createElement("p"), { className: "chart-empty", textContent: options.empty }));
      return figure;
    }
    const name = (bucket) => bucket.label || bucket.value;
    const labelWidth = Math.min(170, Math.max(...rows.map((r) => name(r).length)) * 7 + 12);
    const columnLabel = Math.min(120, Math.max(...columns.map((c) => name(c).length)) * 6 + 14);
    const cell = Math.max(14, Math.min(40, Math.floor((width - labelWidth - 8) / columns.length)));
    const top = Math.round(columnLabel * 0.75) + 6;
    const height = top + rows.length * cell + 4;
    const chartWidth = Math.max(width, labelWidth + columns.length * cell + columnLabel * 0.7);
    let max = 1;
    rows.forEach((r, i) => columns.forEach((c, j) => { if (!(options.symmetric && i === j)) max = Math.max(max, pivot.counts[i][j]); }));
    const chart = svg("svg", { viewBox: `0 0 ${chartWidth} ${height}`, width: chartWidth, height, class: "matrix", role: "group", "aria-label": options.title });
    rows.forEach((r, i) => {
      const label = text(labelWidth - 6, top + i * cell + cell / 2 + 4, short(name(r), 24), { class: "row-label", "text-anchor": "end", "data-value": r.value });
      chart.append(pickable(label, `${name(r)}: ${plural(r.count, "article")}`, () => onPick(i, null)));
    });
    columns.forEach((c, j) => {
      const x = labelWidth + j * cell + cell / 2;
      const label = text(x, top - 6, short(name(c), 18), { class: "column-label", transform: `rotate(-40 ${x} ${top - 6})`, "data-value": c.value });
      chart.append(pickable(label, `${name(c)}: ${plural(c.count, "article")}`, () => onPick(null, j)));
    });
    rows.forEach((r, i) => columns.forEach((c, j) => {
      const n = pivot.counts[i][j];
      const diagonal = options.symmetric && i === j;
      const shade = diagonal ? "#e9ecf2" : n === 0 ? "#f7f8fa" : `rgba(31, 95, 191, ${0.12 + 0.88 * (n / max)})`;
      const x = labelWidth + j * cell, y = top + i * cell;
      const group = svg("g", { class: `cell${diagonal ? " diagonal" : ""}`, "data-row": r.value, "data-column": c.value },
        svg("rect", { x: x + 1, y: y + 1, width: cell - 2, height: cell - 2, fill: shade, rx: 2 }));
      if (cell >= 22 && n > 0) group.append(text(x + cell / 2, y + cell / 2 + 4, n > 999 ? `${Math.round(n / 100) / 10}k` : String(n), { class: n / max > 0.55 && !diagonal ? "cell-count light" : "cell-count", "text-anchor": "middle" }));
      const what = diagonal ? `${name(r)}: ${plural(n, "article")}` : `${name(r)} × ${name(c)}: ${plural(n, "article")}`;
      if (n > 0 && !diagonal) chart.append(pickable(group, what, () => onPick(i, j)));
      else chart.append(group);
    }));
    const scroller = document.createElement("div");
    scroller.className = "matrix-scroll";
    scroller.append(chart);
    figure.append(scroller);
    return figure;
  }

  /** Horizontal bars of labelled counts (an entity's companions); picking passes the index. */
  function bars(items, width, onPick, title, hint) {
    const figure = frame(title, hint);
    if (!items.length) {
      figure.append(Object.assign(document.createElement("p"), { className: "chart-empty", textContent: "None." }));
      return figure;
    }
    const row = 22, labelWidth = Math.min(200, Math.max(...items.map((b) => (b.label || b.value).length)) * 7 + 12);
    const height = items.length * row + 4;
    const plot = Math.max(60, width - labelWidth - 50);
    const max = Math.max(...items.map((b) => b.count));
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "hbars", role: "group", "aria-label": title });
    items.forEach((item, i) => {
      const name = item.label || item.value;
      const group = svg("g", { class: "hbar", "data-value": item.value },
        text(labelWidth - 6, i * row + 15, short(name, 28), { class: "row-label", "text-anchor": "end" }),
        svg("rect", { x: labelWidth, y: i * row + 4, width: Math.max(2, (item.count / max) * plot), height: row - 8, class: "articles", rx: 2 }),
        text(labelWidth + Math.max(2, (item.count / max) * plot) + 5, i * row + 15, item.count.toLocaleString("en"), { class: "axis" }));
      chart.append(pickable(group, `${name}: ${plural(item.count, "article")} together`, () => onPick(i)));
    });
    figure.append(chart);
    return figure;
  }

  return { timeline, stacked, matrix, bars };
})();
window.Charts = Charts;
