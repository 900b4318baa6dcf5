/*
 * Run many checks through built browser validators in one node process.
 *
 *   node tests/js/batch.cjs INPUT.json OUTPUT.json
 *
 * INPUT: {"validators": {group: path of a built validator},
 *         "records": [[group, record], ...],          -> validate(record)
 *         "texts": [[group, JSON text], ...],          -> validate(JSON.parse(text))
 *         "formats": [[group, name, value], ...],     -> runtime.formats[name](value)
 *         "calls": [[group, function, [args]], ...]}  -> runtime[function](...args)
 * OUTPUT: {"records": [...], "texts": [...], "formats": [...], "calls": [...]}, results in input order;
 * an exception becomes {"error": message}.
 */
"use strict";

const fs = require("fs");
const path = require("path");

function attempt(fn) {
  try {
    return fn();
  } catch (exc) {
    return { error: String(exc && exc.stack ? exc.stack : exc) };
  }
}

function main() {
  const [input, output] = process.argv.slice(2);
  const job = JSON.parse(fs.readFileSync(input, "utf8"));
  const validators = {};
  for (const [group, file] of Object.entries(job.validators || {})) {
    validators[group] = require(path.resolve(file));
  }
  const result = {
    records: (job.records || []).map(([group, record]) =>
      attempt(() => validators[group].validate(record))
    ),
    // As the form imports a file: JSON.parse reads 1e400 as Infinity.
    texts: (job.texts || []).map(([group, text]) =>
      attempt(() => validators[group].validate(JSON.parse(text)))
    ),
    formats: (job.formats || []).map(([group, name, value]) =>
      attempt(() => validators[group].runtime.formats[name](value))
    ),
    calls: (job.calls || []).map(([group, name, args]) =>
      attempt(() => validators[group].runtime[name](...args))
    ),
  };
  fs.writeFileSync(output, JSON.stringify(result));
}

main();
