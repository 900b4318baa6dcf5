/*
 * Build-time half of the browser validator (run by generator/offline/validator_js.py).
 *
 * Reads {"schemas": [...], "root": "$id", "rules": [names]} as JSON on stdin: the
 * catalog's schemas already prepared by validator_js.py (annotations stripped,
 * patterns rewritten for Python's semantics, every keyword's message code in
 * "x-msg"). Compiles the root with Ajv's standalone code generation and writes
 * to stdout one JavaScript expression: a function (__lt_runtime) returning the
 * validation function, with Ajv's few runtime helpers bundled in. The result
 * needs no eval, no new Function and no network.
 *
 * Messages: reportError is wrapped so that every error site gets, instead of
 * Ajv's English text, the code that validator_js.py computed for the failing
 * subschema and keyword ("x-msg"); runtime.js turns it into the Python message.
 */
"use strict";

const fs = require("fs");
const path = require("path");

const Ajv2020 = require("ajv/dist/2020").default;
const standaloneCode = require("ajv/dist/standalone").default;
const errors = require("ajv/dist/compile/errors");
const { _ } = require("ajv/dist/compile/codegen");
const createRuntime = require("./runtime.js");

// Annotation keywords of the project vocabulary (schemas/VOCABULARY.md), plus the
// message codes added at build time.
const ANNOTATIONS = [
  "x-messages",
  "x-enum-labels",
  "x-source",
  "x-checked",
  "x-procedure",
  "x-group",
  "x-print",
  "x-msg",
];

function messageCode(cxt) {
  const keyword = cxt.keyword;
  if (keyword === "if") return ""; // Ajv's wrapper error; Python reports the branch only
  if (keyword === "x-rules") return cxt.params.code;
  const codes = cxt.parentSchema && cxt.parentSchema["x-msg"];
  if (!codes || typeof codes[keyword] !== "string") {
    throw new Error(
      `no message code for keyword "${keyword}" at ${cxt.it.errSchemaPath} (validator_js.py)`
    );
  }
  return codes[keyword];
}

// Only while compiling the project's schemas (not Ajv's meta-schema).
let active = false;

function withMessage(cxt, error) {
  if (!active) return error;
  const code = messageCode(cxt);
  // Only required/additionalProperties need their params (the property's name); dropping
  // the others keeps the schemas (enum lists) out of the generated code.
  const keep = cxt.keyword === "required" || cxt.keyword === "additionalProperties";
  return { message: () => _`${code}`, params: keep ? error.params : () => _`{}` };
}

const reportError = errors.reportError;
const reportExtraError = errors.reportExtraError;
errors.reportError = (cxt, error = errors.keywordError, paths, override) =>
  reportError(cxt, withMessage(cxt, error), paths, override);
errors.reportExtraError = (cxt, error = errors.keywordError, paths) =>
  reportExtraError(cxt, withMessage(cxt, error), paths);

function compile(input) {
  const runtime = createRuntime({ provinces: [], communes: {} }, {});
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    // Infinity (JSON such as 1e400) is no number, as in Python's validator: same message.
    strictNumbers: true,
    messages: true,
    verbose: false,
    inlineRefs: input.inlineRefs !== false,
    code: { source: true, lines: false, formats: _`__lt_runtime.formats` },
  });
  for (const keyword of ANNOTATIONS) ajv.addKeyword(keyword);

  for (const [name, check] of Object.entries(runtime.formats)) ajv.addFormat(name, check);
  for (const name of input.rules) {
    if (typeof runtime.rules[name] !== "function") {
      throw new Error(`rule "${name}" is not implemented in runtime.js`);
    }
  }

  ajv.addKeyword({
    keyword: "x-rules",
    type: "object",
    schemaType: "array",
    code(cxt) {
      const { gen, data, schema } = cxt;
      const rt = gen.scopeValue("func", { ref: runtime, code: _`__lt_runtime` });
      for (const spec of schema) {
        if (typeof runtime.rules[spec.rule] !== "function") {
          throw new Error(`rule "${spec.rule}" is not implemented in runtime.js`);
        }
        const args = gen.scopeValue("obj", { ref: spec.args, code: _`${spec.args}` });
        const call = _`${rt}.rules[${spec.rule}](${data}, ${args}) === false`;
        gen.if(call, () => cxt.error(false, { code: `R${spec.at}\u0000${spec.message}` }));
      }
    },
    error: { message: "", params: () => _`{}` },
  });

  for (const schema of input.schemas) ajv.addSchema(schema);
  active = true;
  const validate = ajv.getSchema(input.root);
  active = false;
  if (!validate) throw new Error(`schema ${input.root} not found`);
  // Ajv names each schema's $id in a sourceURL comment: not needed, and not a URL to keep.
  const code = standaloneCode(ajv, validate).replace(/\/\*# sourceURL=("[^"]*"|[^*]*) \*\//g, "");
  return pruneSchemas(code);
}

// Standalone code declares "const schemaN = {...};" for every compiled schema, most of them
// never read (only error params and long property lists use them). Drop the unused ones, and
// shrink those read only for their property names (additionalProperties with many properties:
// `func1.call(schemaN.properties, key)`) to those names.
function pruneSchemas(code) {
  const decl = /const (schema[0-9]+) = /g;
  const cuts = [];
  let m;
  while ((m = decl.exec(code)) !== null) {
    const name = m[1];
    const uses = code.match(new RegExp(`\\b${name}\\b`, "g")).length;
    const end = literalEnd(code, m.index + m[0].length);
    if (code[end] !== ";") throw new Error(`cannot prune ${name}`);
    if (uses === 1) {
      cuts.push([m.index, end + 1, ""]);
      continue;
    }
    const paths = [...code.matchAll(new RegExp(`\\.call\\(${name}((?:\\.\\w+)*\\.properties), `, "g"))];
    if (paths.length !== uses - 1) continue;
    const schema = JSON.parse(code.slice(m.index + m[0].length, end));
    const slim = {};
    for (const [, path] of paths) {
      let from = schema;
      let to = slim;
      const steps = path.slice(1).split(".");
      for (const step of steps.slice(0, -1)) {
        from = from[step];
        to = to[step] || (to[step] = {});
      }
      to.properties = Object.fromEntries(Object.keys(from.properties).map((k) => [k, 1]));
    }
    cuts.push([m.index, end + 1, `const ${name} = ${JSON.stringify(slim)};`]);
  }
  let out = "";
  let last = 0;
  for (const [start, end, replacement] of cuts) {
    out += code.slice(last, start) + replacement;
    last = end;
  }
  return dropSchemaPaths(out + code.slice(last));
}

// Every error object names its schemaPath ("#/properties/.../maxLength"); runtime.js words an
// error from its message code and instancePath only, so the paths (about a tenth of the
// gzipped validator) are left out.
function dropSchemaPaths(code) {
  return code.replace(/schemaPath:"(?:[^"\\]|\\.)*",/g, "");
}

// End (exclusive) of the JSON literal starting at i.
function literalEnd(code, i) {
  let depth = 0;
  for (let j = i; j < code.length; j++) {
    const c = code[j];
    if (c === '"') {
      for (j++; code[j] !== '"'; j++) if (code[j] === "\\") j++;
    } else if (c === "{" || c === "[") {
      depth++;
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return j + 1;
    } else if (depth === 0) {
      // a scalar literal
      const rest = /^[^;,]*/.exec(code.slice(j))[0];
      return j + rest.length;
    }
  }
  throw new Error("unterminated literal");
}

// Wrap the CommonJS module Ajv generated, and the runtime helpers it requires, into one
// function expression (a tiny bundler: only require() of files under node_modules).
function bundle(moduleCode) {
  const modules = new Map();
  const ajvDir = path.dirname(require.resolve("ajv/package.json"));

  function load(specifier, fromFile) {
    const file = require.resolve(specifier, { paths: [fromFile ? path.dirname(fromFile) : ajvDir] });
    if (modules.has(file)) return file;
    modules.set(file, null);
    // Full-line comments go (source maps, links to articles): the file must name no URL.
    let source = fs.readFileSync(file, "utf8").replace(/^\s*\/\/.*$/gm, "");
    source = source.replace(/\brequire\((["'])([^"']+)\1\)/g, (_m, _q, spec) => {
      return `require(${JSON.stringify(load(spec, file))})`;
    });
    modules.set(file, source);
    return file;
  }

  const main = moduleCode.replace(/\brequire\((["'])([^"']+)\1\)/g, (_m, _q, spec) => {
    return `require(${JSON.stringify(load(spec, null))})`;
  });
  // Module ids are paths on the build machine; replace them by short names.
  const ids = new Map();
  for (const file of modules.keys()) ids.set(file, `m${ids.size}`);
  const rename = (code) =>
    code.replace(/require\(("[^"]+")\)/g, (m, lit) => {
      const id = ids.get(JSON.parse(lit));
      return id ? `require("${id}")` : m;
    });
  const defs = [];
  for (const [file, source] of modules) {
    defs.push(`${JSON.stringify(ids.get(file))}: function (module, exports, require) {\n${rename(source)}\n}`);
  }
  return [
    "(function (__lt_runtime) {",
    `var __lt_defs = {${defs.join(",\n")}};`,
    "var __lt_cache = {};",
    "function require(id) {",
    "  if (!__lt_cache[id]) {",
    "    var m = { exports: {} };",
    "    __lt_cache[id] = m;",
    "    __lt_defs[id](m, m.exports, require);",
    "  }",
    "  return __lt_cache[id].exports;",
    "}",
    "var module = { exports: {} };",
    "var exports = module.exports;",
    "(function () {",
    rename(main),
    "})();",
    "return module.exports;",
    "})",
  ].join("\n");
}

function main() {
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  process.stdout.write(bundle(compile(input)));
}

main();
