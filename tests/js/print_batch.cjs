/*
 * Run records through built browser prints (generator/offline/print_js.py) in one node process.
 *
 *   node tests/js/print_batch.cjs INPUT.json OUTPUT.json
 *
 * INPUT: {"bundles": {name: [validator path, print path]},
 *         "records": [[name, record, codes], ...],  -> printDocument(record, codes)
 *         "sheets": [[name, record], ...],          -> sheets(record)
 *         "formats": [[name, formatter, value, options], ...], -> printer.format(...)
 *         "views": path of fields.js,
 *         "calls": [[function, [args]], ...],       -> fields.js export(...args)
 *         "encode": [[name, record], ...],          -> the record's code texts
 *         "decode": [[name, [text, ...]], ...],     -> the record the texts carry
 *         "figures": [[name, [text, ...]], ...]}    -> the codes' SVG markup
 * OUTPUT: {"records": [...], "sheets": [...], "formats": [...], "calls": [...], "encode": [...],
 * "decode": [...], "figures": [...], "ms": time
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

async function attemptAsync(fn) {
  try {
    return await fn();
  } catch (exc) {
    return { error: String(exc && exc.message ? exc.message : exc) };
  }
}

async function main() {
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
  const records = (job.records || []).map(([name, record, codes]) =>
    attempt(() => printers[name].printDocument(record, codes))
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
  const encode = [];
  for (const [name, record] of job.encode || [])
    encode.push(await attemptAsync(() => printers[name].recordCode.texts(record)));
  const decode = [];
  for (const [name, texts] of job.decode || [])
    decode.push(await attemptAsync(() => printers[name].recordCode.decode(texts)));
  const figures = (job.figures || []).map(([name, texts]) =>
    attempt(() => printers[name].recordCode.figures(texts))
  );
  fs.writeFileSync(
    output,
    JSON.stringify({ records, sheets, formats, calls, encode, decode, figures, ms })
  );
}

main().catch((exc) => {
  console.error(exc);
  process.exit(1);
});
