/*
 * Build-time half of the browser print (run by generator/offline/print_js.py).
 *
 * Reads {"templates": {name: Jinja source}} as JSON on stdin: the print templates of one
 * group (generator/templates/forms/document.html.j2, _macros.html.j2 and
 * forms/<form-id>/template.html.j2), written in the subset of Jinja2 that Nunjucks 3.2.4
 * reads the same way (forms/README.md). Writes to stdout, as JSON, {name: the compiled
 * template's code}; print_js.py wraps them into the object nunjucks.PrecompiledLoader takes.
 * Precompiled templates run on nunjucks-slim without eval or new Function.
 *
 * The environment matches generator.render_pdf.Renderer's Jinja one: autoescape,
 * trim_blocks, lstrip_blocks; and, as Jinja's default keep_trailing_newline=False, one
 * newline at the end of a template is dropped.
 */
"use strict";

const fs = require("fs");
const nunjucks = require("nunjucks");

function main() {
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  const env = new nunjucks.Environment([], {
    autoescape: true,
    trimBlocks: true,
    lstripBlocks: true,
  });
  const compiled = {};
  for (const [name, source] of Object.entries(input.templates)) {
    compiled[name] = nunjucks.precompileString(source.replace(/\r?\n$/, ""), {
      name: name,
      env: env,
      wrapper: (templates) => templates[0].template,
    });
  }
  process.stdout.write(JSON.stringify(compiled));
}

main();
