// Polls the status API and renders it. Every value is written with textContent, never as markup,
// because VM names, tags and NACK texts come from outside.
"use strict";

const REFRESH_MS = 5000;
const TOKEN_KEY = "azmesh-status-token";
const SVG_NS = "http://www.w3.org/2000/svg";
const EVENTS_SHOWN = 20;
const EVENTS_FETCHED = 200;

// What an event means for an operator, by kind: a draining or removed VM is expected, not red.
const EVENT_TONE = {
  "instance-added": "good", "instance-restored": "good", "service-appeared": "good",
  "removal-released": "good", "discovery-recovered": "good", "change-feed-reading": "good",
  "instance-draining": "neutral", "instance-removed": "neutral", "snapshot-published": "neutral",
  "proxy-connected": "neutral", "proxy-disconnected": "neutral",
  "service-emptied": "warn", "removal-held": "warn", "proxy-stale": "warn",
  "snapshot-rejected": "bad", "discovery-failed": "bad", "proxy-nacked": "bad",
  "change-feed-failing": "bad",
};

// Power states a VM is in on purpose: not running, but nothing is wrong.
const STOPPED_POWER = ["stopping", "stopped", "deallocating", "deallocated"];

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  if (className) {
    node.className = className;
  }
  return node;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    tr.appendChild(cell instanceof Node ? cell : el("td", cell));
  }
  return tr;
}

function fill(tableId, rows, columns, emptyText) {
  const body = document.querySelector("#" + tableId + " tbody");
  body.replaceChildren();
  if (rows.length === 0) {
    const td = el("td", emptyText, "empty");
    td.colSpan = columns;
    body.appendChild(row([td]));
    return;
  }
  for (const r of rows) {
    body.appendChild(r);
  }
}

async function getJson(path) {
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) {
    headers.Authorization = "Bearer " + token;
  }
  const response = await fetch(path, { headers: headers, cache: "no-store" });
  if (response.status === 401) {
    document.getElementById("token-form").hidden = false;
    throw new Error("the API needs a bearer token");
  }
  const body = await response.json();
  if (!response.ok) {
    throw new Error(path + ": " + (body.message || response.status));
  }
  return body;
}

function renderServices(view) {
  fill("services", view.services.map((s) => row([
    s.service === null ? "—" : s.service,
    s.cluster,
    s.ports.join(", "),
    el("td", s.endpoints_serving, s.endpoints_serving > 0 ? "state-serving" : "state-excluded"),
    el("td", s.endpoints_draining, s.endpoints_draining > 0 ? "state-draining" : ""),
    s.endpoints_total,
  ])), 6, "no services published");
}

function renderVms(view) {
  document.getElementById("summary").textContent =
    view.total_vms + " VMs, snapshot " + view.snapshot_version;
  document.getElementById("updated").textContent =
    view.last_update ? "last discovery " + view.last_update : "no successful discovery yet";
  fill("vms", view.vms.map((vm) => row([
    vm.name,
    el("td", vm.state, vmStateClass(vm)),
    vm.private_ip,
    vm.public_ip === null ? "—" : vm.public_ip,
    vm.zone === null ? "—" : vm.zone,
    el("td", vm.power_state, "power-" + vm.power_state),
    vm.endpoints.map((e) => e.service + " " + e.address + ":" + e.port).join(", "),
    el("td", vm.problems.join("; "), vm.problems.length > 0 ? "problem" : ""),
  ])), 8, "no instances in the published snapshot");
}

// Excluded because of a problem is red; excluded because the VM is stopped or deallocated is a
// normal state, even when the VM also has a problem (that shows, in red, in its problems cell).
function vmStateClass(vm) {
  if (vm.state === "excluded" && STOPPED_POWER.includes(vm.power_state)) {
    return "state-stopped";
  }
  return "state-" + vm.state;
}

function typeSummary(types) {
  return Object.keys(types).map((type) => {
    const t = types[type];
    let text = type + " " + (t.acked_version || "-") + "/" + (t.sent_version || "-");
    if (t.last_nack) {
      text += " NACK " + t.last_nack.version + ": " + t.last_nack.error_detail;
    }
    return text;
  }).join("\n");
}

function renderNodes(view) {
  fill("nodes", view.nodes.map((n) => row([
    n.node_id,
    n.cluster,
    el("td", n.sync, "sync-" + n.sync),
    n.user_agent,
    n.connected_since === null ? "disconnected" : n.connected_since,
    el("td", typeSummary(n.types), "types"),
  ])), 6, "no proxies connected");
}

function renderProblems(view) {
  let text = "provider " + view.provider + ", last success " + (view.last_success || "never") +
    ", consecutive failures " + view.consecutive_failures;
  if (view.last_error) {
    text += ", last error (" + view.last_error.cause + ") " + view.last_error.message;
  }
  document.getElementById("discovery").textContent = text;
  const list = document.getElementById("problems");
  list.replaceChildren();
  const lines = view.problems.map((p) => p.source + ": " + p.message);
  for (const held of view.held_removals) {
    lines.push("held removal: " + held.service + " " + held.current + " -> " + held.proposed +
      " (" + held.seen + "/" + held.required + ")");
  }
  if (view.last_rejection) {
    lines.push("rejected snapshot at " + view.last_rejection.at + ": " +
      view.last_rejection.violations.join("; "));
  }
  for (const line of lines.length > 0 ? lines : ["none"]) {
    list.appendChild(el("li", line));
  }
}

function toneOf(kind) {
  return "tone-" + (EVENT_TONE[kind] || "neutral");
}

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const name of Object.keys(attributes || {})) {
    node.setAttribute(name, String(attributes[name]));
  }
  if (text !== undefined) {
    node.textContent = String(text);
  }
  return node;
}

function timeLabel(iso) {
  return iso.substring(11, 19);
}

// A chart area inside a viewBox: x from time, y from value, with axis labels; returns a scaler.
function frame(chart, times, maxValue, unit) {
  const box = chart.viewBox.baseVal;
  const left = 48, right = box.width - 10, top = 10, bottom = box.height - 22;
  const start = Math.min(...times), end = Math.max(...times);
  const span = Math.max(end - start, 1);
  const ceiling = maxValue > 0 ? maxValue : 1;
  chart.appendChild(svg("line", { x1: left, y1: bottom, x2: right, y2: bottom, class: "axis" }));
  chart.appendChild(svg("line", { x1: left, y1: top, x2: left, y2: bottom, class: "axis" }));
  for (const fraction of [0.5, 1]) {
    const y = bottom - (bottom - top) * fraction;
    chart.appendChild(svg("line", { x1: left, y1: y, x2: right, y2: y, class: "grid" }));
    chart.appendChild(svg("text", { x: 4, y: y + 4 }, formatValue(ceiling * fraction, unit)));
  }
  chart.appendChild(svg("text", { x: 4, y: bottom + 4 }, formatValue(0, unit)));
  chart.appendChild(svg("text", { x: left, y: box.height - 6 }, timeLabel(new Date(start).toISOString())));
  chart.appendChild(svg("text", { x: right - 50, y: box.height - 6 }, timeLabel(new Date(end).toISOString())));
  return {
    x: (t) => left + (right - left) * (t - start) / span,
    y: (v) => bottom - (bottom - top) * Math.min(v, ceiling) / ceiling,
  };
}

function formatValue(value, unit) {
  if (unit === "s") {
    return value >= 1 ? value.toFixed(1) + " s" : Math.round(value * 1000) + " ms";
  }
  return String(Math.round(value));
}

function noData(chart, text) {
  const box = chart.viewBox.baseVal;
  chart.appendChild(svg("text", { x: box.width / 2 - 80, y: box.height / 2, class: "nodata" }, text));
}

function renderEvents(view) {
  const newest = view.events.slice(-EVENTS_SHOWN).reverse();
  fill("events", newest.map((e) => row([
    e.at.replace(/\.\d+Z$/, "Z"),
    el("td", e.severity === "warning" ? "Warning" : "Normal", e.severity === "warning" ? "tone-warn" : ""),
    el("td", e.kind, toneOf(e.kind)),
    e.subject,
    e.service === null ? "—" : e.service,
    e.reason,
  ])), 6, "no events recorded yet");

  const chart = document.getElementById("events-timeline");
  chart.replaceChildren();
  if (view.events.length === 0) {
    noData(chart, "no events recorded yet");
    return;
  }
  const times = view.events.map((e) => Date.parse(e.at));
  const box = chart.viewBox.baseVal;
  const left = 10, right = box.width - 10, middle = 28;
  const start = Math.min(...times), span = Math.max(Math.max(...times) - start, 1);
  chart.appendChild(svg("line", { x1: left, y1: middle, x2: right, y2: middle, class: "axis" }));
  view.events.forEach((e, i) => {
    const dot = svg("circle", {
      cx: left + (right - left) * (times[i] - start) / span, cy: middle, r: 6,
      class: "event " + toneOf(e.kind),
    });
    dot.appendChild(svg("title", {}, e.at + " " + e.kind + " " + e.subject + ": " + e.reason));
    chart.appendChild(dot);
  });
  chart.appendChild(svg("text", { x: left, y: box.height - 6 }, timeLabel(view.events[0].at)));
  chart.appendChild(svg("text", { x: right - 50, y: box.height - 6 },
    timeLabel(view.events[view.events.length - 1].at)));
}

function polyline(chart, scale, points, series) {
  if (points.length === 1) {
    chart.appendChild(svg("circle", { cx: scale.x(points[0][0]), cy: scale.y(points[0][1]), r: 3,
      class: "series-" + series }));
  }
  chart.appendChild(svg("polyline", {
    points: points.map((p) => scale.x(p[0]).toFixed(1) + "," + scale.y(p[1]).toFixed(1)).join(" "),
    class: "series series-" + series,
  }));
}

function renderEndpointsChart(history) {
  const chart = document.getElementById("endpoints-chart");
  const legend = document.getElementById("endpoints-legend");
  chart.replaceChildren();
  legend.replaceChildren();
  const names = [...new Set(history.samples.flatMap((s) => s.services.map((c) => c.service)))].sort();
  if (names.length === 0) {
    noData(chart, "no services published yet");
    return;
  }
  const times = history.samples.map((s) => Date.parse(s.at));
  const max = Math.max(...history.samples.flatMap((s) => s.services.map((c) => c.total)));
  const scale = frame(chart, times, max, "");
  names.forEach((name, i) => {
    const points = [];
    history.samples.forEach((s, j) => {
      const count = s.services.find((c) => c.service === name);
      points.push([times[j], count ? count.serving : 0]);
    });
    polyline(chart, scale, points, i % 6);
    const last = points[points.length - 1][1];
    legend.appendChild(el("span", name + " " + last, "series-" + (i % 6)));
  });
}

function renderAckChart(history) {
  const chart = document.getElementById("ack-chart");
  chart.replaceChildren();
  const measured = history.samples.filter((s) => s.change_to_ack !== null);
  if (measured.length === 0) {
    noData(chart, "no ACK of a change yet");
    return;
  }
  const times = measured.map((s) => Date.parse(s.at));
  const max = Math.max(...measured.map((s) => s.change_to_ack.p99_seconds));
  const scale = frame(chart, times, max, "s");
  polyline(chart, scale, measured.map((s, i) => [times[i], s.change_to_ack.p99_seconds]), 0);
  polyline(chart, scale, measured.map((s, i) => [times[i], s.change_to_ack.mean_seconds]), 1);
}

async function refresh() {
  const error = document.getElementById("error");
  try {
    const [vms, services, nodes, problems, events, history] = await Promise.all([
      getJson("/api/vms"), getJson("/api/services"), getJson("/api/nodes"),
      getJson("/api/problems"), getJson("/api/events?limit=" + EVENTS_FETCHED),
      getJson("/api/history"),
    ]);
    renderVms(vms);
    renderServices(services);
    renderNodes(nodes);
    renderProblems(problems);
    renderEvents(events);
    renderEndpointsChart(history);
    renderAckChart(history);
    error.hidden = true;
    // Tells a reader (and the browser test) that every table and chart holds the API's answer.
    document.body.dataset.loaded = "true";
  } catch (e) {
    error.textContent = "cannot refresh: " + e.message;
    error.hidden = false;
  }
}

document.getElementById("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, document.getElementById("token").value.trim());
  document.getElementById("token-form").hidden = true;
  refresh();
});

refresh();
setInterval(refresh, REFRESH_MS);
