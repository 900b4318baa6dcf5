/*
 * Run records through built browser prints (generator/offline/print_js.py) in one node process.
 *
 *   node tests/js/print_batch.cjs INPUT.json OUTPUT.json
 *
 * INPUT: {"bundles": {name: [validator path, print path]},
 *         "records": [[name, record], ...],         -> printDocument(record)
 *         "sheets": [[name, record], ...],          -> sheets(record)
 *         "formats": [[name, formatter, value, options], ...], -> printer.format(...)
 *         "views": path of fields.js,
 *         "calls": [[function, [args]], ...]}       -> fields.js export(...args)
 * OUTPUT: {"records": [...], "sheets": [...], "formats": [...], "calls": [...], "ms": time
 * spent printing},
 * results in input order;
 * an exception becomes {"error": message}. The validator bundle gives the units and the
 * runtime the print needs, as window.lienthong does in the browser.
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
  const printers = {};
  for (const [name, [validatorFile, printFile]] of Object.entries(job.bundles || {})) {
    const validator = require(path.resolve(validatorFile));
    printers[name] = require(path.resolve(printFile)).printer({
      units: validator.units,
      runtime: validator.runtime,
    });
  }
  const started = process.hrtime.bigint();
  const records = (job.records || []).map(([name, record]) =>
    attempt(() => printers[name].printDocument(record))
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const sheets = (job.sheets || []).map(([name, record]) =>
    attempt(() => printers[name].sheets(record))
  );
  const formats = (job.formats || []).map(([name, formatter, value, options]) =>
    attempt(() => printers[name].format(formatter, value, options))
  );
  const views = job.views ? require(path.resolve(job.views)) : {};
  const calls = (job.calls || []).map(([name, args]) => attempt(() => views[name](...args)));
  fs.writeFileSync(output, JSON.stringify({ records, sheets, formats, calls, ms }));
}

main();
