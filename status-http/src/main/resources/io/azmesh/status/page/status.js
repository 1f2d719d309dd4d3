// Polls the status API and renders it. Every value is written with textContent, never as markup,
// because VM names, tags and NACK texts come from outside.
"use strict";

const REFRESH_MS = 5000;
const TOKEN_KEY = "azmesh-status-token";

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
    el("td", vm.state, "state-" + vm.state),
    vm.private_ip,
    vm.public_ip === null ? "—" : vm.public_ip,
    vm.zone === null ? "—" : vm.zone,
    vm.power_state,
    vm.endpoints.map((e) => e.service + " " + e.address + ":" + e.port).join(", "),
    vm.problems.join("; "),
  ])), 8, "no instances in the published snapshot");
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

async function refresh() {
  const error = document.getElementById("error");
  try {
    const [vms, services, nodes, problems] = await Promise.all([
      getJson("/api/vms"), getJson("/api/services"), getJson("/api/nodes"),
      getJson("/api/problems"),
    ]);
    renderVms(vms);
    renderServices(services);
    renderNodes(nodes);
    renderProblems(problems);
    error.hidden = true;
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
