// Extracts, from the jsii manifest of @cdktf/provider-azurerm (generated from the azurerm
// provider's own schema), the arguments and blocks of every azurerm resource and data source the
// modules and examples use, with their required flags, into azurerm.json. SchemaTest reads that
// file, so the build needs neither npm nor the 90 MB manifest. Regenerate with ./update.sh.
//
// Usage: node extract.mjs <path to the package's .jsii> <terraform dir> > azurerm.json
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const [jsiiPath, terraformDir] = process.argv.slice(2);
if (!jsiiPath || !terraformDir) {
  console.error("usage: node extract.mjs <.jsii> <terraform dir>");
  process.exit(2);
}

const jsii = JSON.parse(readFileSync(jsiiPath, "utf8"));
const types = jsii.types;
// "Docs at Terraform Registry: {@link https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/lb#name Lb#name}"
const LINK = /providers\/hashicorp\/azurerm\/([0-9.]+)\/docs\/(resources|data-sources)\/([a-z0-9_]+)#([a-z0-9_]+)/;

function link(property) {
  const docs = property.docs ?? {};
  return LINK.exec(`${docs.summary ?? ""} ${docs.remarks ?? ""}`);
}

// The provider's own nested-block type a property holds, and whether it holds a list of them.
function blockType(typeRef) {
  if (typeRef.fqn) {
    const t = types[typeRef.fqn];
    return t && t.assembly === jsii.name && t.datatype ? { fqn: typeRef.fqn, list: false } : null;
  }
  if (typeRef.collection) {
    const inner = blockType(typeRef.collection.elementtype);
    return inner ? { fqn: inner.fqn, list: true } : null;
  }
  if (typeRef.union) {
    for (const member of typeRef.union.types) {
      const inner = blockType(member);
      if (inner) return inner;
    }
  }
  return null;
}

// Own properties plus those of interfaces from this assembly it extends (never cdktf's meta-args).
function properties(fqn) {
  const t = types[fqn];
  const inherited = (t.interfaces ?? []).filter((i) => types[i]?.assembly === jsii.name);
  return [...inherited.flatMap(properties), ...(t.properties ?? [])];
}

function schemaOf(fqn, seen = new Set()) {
  const args = {};
  const blocks = {};
  for (const property of properties(fqn)) {
    const found = link(property);
    if (!found) throw new Error(`${fqn}.${property.name} has no docs link to name it`);
    const name = found[4];
    const required = !property.optional;
    const block = blockType(property.type);
    if (block && !seen.has(block.fqn)) {
      const nested = schemaOf(block.fqn, new Set([...seen, fqn]));
      blocks[name] = { required, list: block.list, ...nested };
    } else {
      args[name] = { required };
    }
  }
  return { arguments: sorted(args), blocks: sorted(blocks) };
}

function sorted(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}

// Every resource and data source type the .tf files declare.
function usedTypes(dir) {
  const used = { resources: new Set(), "data-sources": new Set() };
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (!["src", "schema", "target", ".terraform"].includes(entry)) {
        const inner = usedTypes(path);
        inner.resources.forEach((t) => used.resources.add(t));
        inner["data-sources"].forEach((t) => used["data-sources"].add(t));
      }
    } else if (entry.endsWith(".tf")) {
      const text = readFileSync(path, "utf8");
      for (const m of text.matchAll(/^\s*(resource|data)\s+"(azurerm_[a-z0-9_]+)"/gm)) {
        used[m[1] === "resource" ? "resources" : "data-sources"].add(m[2]);
      }
    }
  }
  return used;
}

// The top-level config type of each resource and data source: <Namespace>Config.
const configs = { resources: {}, "data-sources": {} };
let providerVersion;
for (const [fqn, t] of Object.entries(types)) {
  if (!t.datatype || !t.namespace || t.name !== t.namespace[0].toUpperCase() + t.namespace.slice(1) + "Config") continue;
  const found = (t.properties ?? []).map(link).find(Boolean);
  if (!found) continue;
  providerVersion = found[1];
  configs[found[2]]["azurerm_" + found[3]] = fqn;
}

const used = usedTypes(terraformDir);
const out = {
  source: `${jsii.name} ${jsii.version} (hashicorp/azurerm ${providerVersion})`,
  resources: {},
  data_sources: {},
};
for (const [kind, key] of [["resources", "resources"], ["data-sources", "data_sources"]]) {
  for (const type of [...used[kind]].sort()) {
    const fqn = configs[kind][type];
    if (!fqn) throw new Error(`${type}: no such ${kind === "resources" ? "resource" : "data source"} in ${jsii.name} ${jsii.version}`);
    out[key][type] = schemaOf(fqn);
  }
}
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
