#!/usr/bin/env node
// ios/check's Swift checks, with tree-sitter's Swift grammar (pinned in
// package.json / package-lock.json):
//  1. every .swift file of the app (ios/Deko) and of DekoKit parses without
//     ERROR or MISSING nodes (the generated bindings are parsed too: the
//     names below come from them);
//  2. every core name the Swift uses exists in the generated bindings:
//     - calls on the database (`db.name(label: …)`) are methods of the
//       generated `Database`, with exactly its argument labels;
//     - a generated record built by its initialiser (`PersonDraft(given: …)`)
//       passes labels the initialiser has, in its order, and every one
//       without a default; generated top-level functions likewise;
//     - an app class adopting a generated protocol (`SyncListener`,
//       `DiscoveryPlatform`, `LogSink`) implements each of its functions with
//       the protocol's labels;
//     - every UpperCamel type or constructor name is declared in the generated
//       bindings, in the app or DekoKit, or is a platform name listed in
//       platform-names.txt (Swift, Foundation, SwiftUI, …): a misspelt or
//       removed core type fails;
//  3. bare `Task` is not used for concurrency: the bindings declare a record
//     `Task`, so Swift's is written `_Concurrency.Task` (the record is
//     `CoreTask` outside DekoKit).
// usage: node swift-check.js IOS_DIR
"use strict";
const fs = require("fs");
const path = require("path");
const Parser = require("tree-sitter");
const Swift = require("tree-sitter-swift");

const ios = path.resolve(process.argv[2] || path.join(__dirname, ".."));
const generatedDir = path.join(ios, "DekoKit/Sources/DekoKit/Generated");
const parser = new Parser();
parser.setLanguage(Swift);
const errors = [];
const fail = (file, node, msg) =>
  errors.push(`${path.relative(ios, file)}:${node ? node.startPosition.row + 1 : 0}: ${msg}`);

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (![".build", ".swiftpm", "DekoFFI.xcframework"].includes(e.name)) walk(p, out);
    } else if (e.name.endsWith(".swift")) out.push(p);
  }
  return out;
}

function* nodes(n) {
  yield n;
  for (let i = 0; i < n.childCount; i++) yield* nodes(n.child(i));
}
const childOf = (n, type) => { for (let i = 0; i < n.childCount; i++) if (n.child(i).type === type) return n.child(i); return null; };
const childrenOf = (n, type) => { const r = []; for (let i = 0; i < n.childCount; i++) if (n.child(i).type === type) r.push(n.child(i)); return r; };
const unquote = (s) => s.replace(/`/g, "");

// ---- parse everything
const files = walk(path.join(ios, "Deko")).concat(walk(path.join(ios, "DekoKit")));
const generated = files.filter((f) => f.startsWith(generatedDir + path.sep));
if (generated.length === 0) {
  console.error(`no generated Swift in ${generatedDir}: run ./scripts/bindings`);
  process.exit(1);
}
const trees = new Map();
// Large files need a bigger buffer than the default 32 KiB.
// The grammar does not take conditional compilation around attributes
// (`#if swift(>=5.8) @_documentation(…) #endif`), which uniffi writes: in the
// generated files (which have no #else) the directive lines are blanked, so
// both branches' code stays and line numbers hold.
const blankDirectives = (src) => src.replace(/^[ \t]*#(if|endif|elseif)\b.*$/gm, "");
for (const f of files) {
  let src = fs.readFileSync(f, "utf8");
  if (generated.includes(f)) {
    if (/^[ \t]*#else\b/m.test(src)) fail(f, null, "#else in generated Swift: the directive blanking no longer holds");
    src = blankDirectives(src);
  }
  const tree = parser.parse(src, undefined, { bufferSize: Math.max(65536, src.length * 2) });
  trees.set(f, tree);
  // uniffi's output uses constructs the grammar lacks (`nonisolated(unsafe)`,
  // `{ () }`); it is read for its declarations only (checked below).
  if (tree.rootNode.hasError && !generated.includes(f)) {
    for (const n of nodes(tree.rootNode)) {
      if (n.type === "ERROR") fail(f, n, `syntax error near: ${n.text.split("\n")[0].slice(0, 60)}`);
      else if (n.isMissing) fail(f, n, `missing ${n.type}`);
    }
    if (!errors.some((e) => e.startsWith(path.relative(ios, f)))) fail(f, null, "syntax error");
  }
}

// ---- declarations
function paramsOf(decl) {
  // [{label, hasDefault}] of a function/init declaration's parameters
  const out = [];
  for (let i = 0; i < decl.childCount; i++) {
    const c = decl.child(i);
    if (c.type !== "parameter") continue;
    const ext = c.childForFieldName("external_name");
    const name = childOf(c, "simple_identifier");
    const label = unquote(ext ? ext.text : name ? name.text : "");
    let j = i + 1;
    while (j < decl.childCount && decl.child(j).type === "multiline_comment") j++;
    const hasDefault = j < decl.childCount && decl.child(j).type === "=";
    out.push({ label: label === "_" ? null : label, hasDefault });
  }
  return out;
}

function declarations(fileList) {
  const types = new Set();
  const methods = new Map(); // "Type.name" -> [params]
  const inits = new Map(); // Type -> [[params]]
  const protocols = new Map(); // Protocol -> [{name, params}]
  const functions = new Map(); // top-level name -> params
  const conformances = []; // {file, node, type, protocols}
  for (const f of fileList) {
    for (const n of nodes(trees.get(f).rootNode)) {
      if (["class_declaration", "protocol_declaration", "typealias_declaration"].includes(n.type)) {
        const nameNode = n.childForFieldName("name");
        const kind = n.childForFieldName("declaration_kind");
        const name = nameNode ? unquote(nameNode.text) : null;
        if (!name) continue;
        if (!kind || kind.text !== "extension") types.add(name);
        const inherits = childrenOf(n, "inheritance_specifier").map((s) => s.text);
        if (inherits.length) conformances.push({ file: f, node: n, type: name, protocols: inherits });
        const body = n.childForFieldName("body");
        if (!body) continue;
        for (let i = 0; i < body.childCount; i++) {
          const m = body.child(i);
          if (m.type === "function_declaration" || m.type === "protocol_function_declaration") {
            const mName = unquote(m.childForFieldName("name").text);
            const params = paramsOf(m);
            methods.set(`${name}.${mName}`, params);
            if (n.type === "protocol_declaration") {
              if (!protocols.has(name)) protocols.set(name, []);
              protocols.get(name).push({ name: mName, params });
            }
          } else if (m.type === "init_declaration") {
            if (!inits.has(name)) inits.set(name, []);
            inits.get(name).push(paramsOf(m));
          }
        }
      } else if (n.type === "function_declaration" && n.parent && n.parent.type === "source_file") {
        functions.set(unquote(n.childForFieldName("name").text), paramsOf(n));
      }
    }
  }
  return { types, methods, inits, protocols, functions, conformances };
}

const own = files.filter((f) => !generated.includes(f));
const gen = declarations(generated);
// The generated API must have been read whole: the database object with its
// calls, the foreign protocols, the records and the top-level functions.
const dbCalls = [...gen.methods.keys()].filter((k) => k.startsWith("DatabaseProtocol.")).length;
for (const [what, ok] of [
  [`Database's calls (${dbCalls})`, dbCalls >= 60],
  ["SyncListener, LogSink, DiscoveryPlatform", ["SyncListener", "LogSink", "DiscoveryPlatform"].every((p) => gen.protocols.has(p))],
  ["PersonDraft's initialiser", gen.inits.has("PersonDraft")],
  ["libraryVersion()", gen.functions.has("libraryVersion")],
  ["DekoError", gen.types.has("DekoError")],
]) if (!ok) fail(generatedDir, null, `could not read ${what} from the generated Swift`);
const app = declarations(own);
const platform = new Set(
  fs.readFileSync(path.join(__dirname, "platform-names.txt"), "utf8")
    .split("\n").flatMap((l) => l.replace(/#.*/, "").trim().split(/\s+/)).filter(Boolean)
);
// Nested types the app declares (`Mode`, `Kind`, …) are in app.types too.
const known = (name) => gen.types.has(name) || app.types.has(name) || platform.has(name);

function argLabels(call) {
  const suffix = childOf(call, "call_suffix");
  const args = suffix && childOf(suffix, "value_arguments");
  if (!args) return null; // trailing closure only
  return childrenOf(args, "value_argument").map((a) => {
    const l = childOf(a, "value_argument_label");
    return l ? unquote(l.text) : null;
  });
}
const show = (labels) => `(${labels.map((l) => (l === null ? "_" : l) + ":").join("")})`;

function labelsFit(used, params) {
  // used labels in order, each matching the next parameter that has it;
  // parameters skipped must have defaults
  let i = 0;
  for (const l of used) {
    while (i < params.length && params[i].label !== l) {
      if (!params[i].hasDefault) return false;
      i++;
    }
    if (i === params.length) return false;
    i++;
  }
  for (; i < params.length; i++) if (!params[i].hasDefault) return false;
  return true;
}

const usedCore = new Set();
for (const f of own) {
  const root = trees.get(f).rootNode;
  for (const n of nodes(root)) {
    if (n.type === "type_identifier") {
      const name = n.text;
      if (/^[A-Z]/.test(name) && !known(name)) fail(f, n, `unknown type ${name} (not in the generated bindings, the app, or platform-names.txt)`);
      if (gen.types.has(name)) usedCore.add(name);
    } else if (n.type === "call_expression") {
      const head = n.child(0);
      const labels = argLabels(n);
      if (head.type === "simple_identifier") {
        const name = head.text;
        if (name === "Task") fail(f, n, "bare Task: the bindings declare a record Task; write _Concurrency.Task");
        if (/^[A-Z]/.test(name) && !known(name)) fail(f, n, `unknown type ${name}`);
        if (gen.inits.has(name) && gen.types.has(name) && !app.types.has(name) && labels) {
          usedCore.add(name);
          if (!gen.inits.get(name).some((p) => labelsFit(labels, p)))
            fail(f, n, `${name}${show(labels)}: no such initialiser in the bindings`);
        }
        if (gen.functions.has(name) && !app.functions.has(name) && labels) {
          usedCore.add(name);
          if (!labelsFit(labels, gen.functions.get(name))) fail(f, n, `${name}${show(labels)}: not the bindings' labels`);
        }
      } else if (head.type === "navigation_expression") {
        const target = head.childForFieldName("target");
        const suffix = head.childForFieldName("suffix");
        const member = suffix && childOf(suffix, "simple_identifier");
        if (!target || !member) continue;
        if (target.text === "Task" && target.type === "simple_identifier") fail(f, n, "bare Task: write _Concurrency.Task");
        const name = unquote(member.text);
        const owner = target.text === "db" ? "Database" : gen.types.has(target.text) ? target.text : null;
        if (!owner) continue;
        const params = gen.methods.get(`${owner}.${name}`) || gen.methods.get(`${owner}Protocol.${name}`);
        usedCore.add(`${owner}.${name}`);
        if (!params) fail(f, n, `${owner}.${name}: no such method in the bindings`);
        else if (labels && !labelsFit(labels, params)) fail(f, n, `${owner}.${name}${show(labels)}: the bindings take ${show(params.map((p) => p.label))}`);
      }
    } else if (n.type === "simple_identifier" && n.text === "Task" && n.parent &&
               n.parent.type === "navigation_expression" && n.parent.child(0) === n) {
      fail(f, n, "bare Task: write _Concurrency.Task");
    }
  }
}
for (const c of app.conformances) {
  if (!own.includes(c.file)) continue;
  for (const p of c.protocols) {
    const reqs = gen.protocols.get(p.replace(/^.*\./, ""));
    if (!reqs) continue;
    usedCore.add(p);
    for (const r of reqs) {
      const impl = app.methods.get(`${c.type}.${r.name}`);
      if (!impl) fail(c.file, c.node, `${c.type} adopts ${p} but has no ${r.name}${show(r.params.map((x) => x.label))}`);
      else if (impl.map((x) => x.label).join(",") !== r.params.map((x) => x.label).join(","))
        fail(c.file, c.node, `${c.type}.${r.name}${show(impl.map((x) => x.label))}: ${p} wants ${show(r.params.map((x) => x.label))}`);
    }
  }
}

if (errors.length) {
  console.error(errors.join("\n"));
  console.error(`${errors.length} problem(s) in the Swift`);
  process.exit(1);
}
console.log(`${files.length} Swift files parse (${generated.length} generated); ` +
  `${usedCore.size} core names used, all in the bindings`);
