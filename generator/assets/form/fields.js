/*
 * Printed declarations of the offline form, computed in the browser.
 *
 * The interpreter of the forms' fields files (forms/<id>/fields.yml): the browser's twin of
 * generator/forms/view.py and formatters.py, with sheets.group_parts, checklist_items and the
 * applies_if evaluation, plus the last step of generator.render_pdf.Renderer.html: the views
 * laid out with the same print templates, compiled to JavaScript functions at build time
 * (generator/offline/jinja_js.py, run time assets/form/templates.js). Nothing here knows a
 * form: every field comes from the data. The formatters follow Python's quirks (str.strip,
 * str.upper, repr of floats): tests/cases/formatters.json pins both, and
 * tests/offline/test_print_js.py compares the HTML of about two thousand records, byte for byte.
 *
 * createPrinter(data, deps) is called by the bundle generator/offline/print_js.py builds, with
 * data = the build-time tables of one group (fields files, sheets, documents, enum labels, QR
 * codes, CSS)
 * and deps = {templates, units, runtime, dateWords, recordCode}: the compiled templates
 * (templates.js createTemplates), generator.units.browser_data(), the browser validator's runtime (NFC, Python's
 * str.strip(), dates, phone numbers: generator/assets/validator/runtime.js) and
 * generator/assets/date-words.js, and the group's record codes (record-code.js). ES2015 plus BigInt and Unicode property escapes; no eval.
 */
(function () {
  "use strict";

  var hasOwn = Object.prototype.hasOwnProperty;

  function isObject(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }

  function isString(v) {
    return typeof v === "string";
  }

  // A Python int, as JSON gives it: a number without a fraction (2.0 reads as 2).
  function isInt(v) {
    return typeof v === "number" && Number.isInteger(v);
  }

  // dict.get(key) on a JSON object: own members only; None (null) when absent.
  function member(obj, key) {
    return isObject(obj) && hasOwn.call(obj, key) && obj[key] !== undefined ? obj[key] : null;
  }

  // " ".join(p for p in parts if p)
  function joinTruthy(parts, sep) {
    return parts.filter(Boolean).join(sep);
  }

  // ---------------------------------------------------------------- Python formatting

  function zeros(n) {
    return n > 0 ? new Array(n + 1).join("0") : "";
  }

  // f"{n:0<width>d}" for an int.
  function padInt(n, width) {
    var s = BigInt(n).toString();
    var sign = s.charAt(0) === "-" ? "-" : "";
    var digits = s.slice(sign.length);
    return sign + zeros(width - s.length) + digits;
  }

  // str(n): an int in full, a float as repr() (shortest round trip, exponent below 1e-4
  // and from 1e16, at least two exponent digits: 1e-05, 1.5e+16).
  function numberText(n) {
    if (Number.isInteger(n)) return BigInt(n).toString();
    if (n !== n) return "nan";
    if (n === Infinity || n === -Infinity) return n > 0 ? "inf" : "-inf";
    var m = /^(-?)([0-9])(?:\.([0-9]+))?e([+-][0-9]+)$/.exec(n.toExponential());
    var sign = m[1];
    var frac = m[3] || "";
    var digits = m[2] + frac;
    var exp = +m[4];
    if (exp < -4 || exp >= 16) {
      var e = Math.abs(exp);
      return sign + m[2] + (frac ? "." + frac : "") + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" : "") + e;
    }
    if (exp < 0) return sign + "0." + zeros(-exp - 1) + digits;
    var whole = digits.slice(0, exp + 1) + zeros(exp + 1 - digits.length);
    return sign + whole + "." + (digits.slice(exp + 1) || "0");
  }

  // A character class from "start,length,start,length..." in base 36, each start relative to
  // the previous end (validator_js._ranges).
  function rangeClass(encoded, flags) {
    var nums = encoded ? encoded.split(",") : [];
    var out = "";
    var prev = 0;
    for (var i = 0; i + 1 < nums.length; i += 2) {
      var start = prev + parseInt(nums[i], 36);
      var end = start + parseInt(nums[i + 1], 36);
      out += "\\u{" + start.toString(16) + "}-\\u{" + end.toString(16) + "}";
      prev = end;
    }
    return new RegExp(out ? "[" + out + "]" : "[^\\s\\S]", flags);
  }

  // formatters.same: JSON equality of scalars (true is not 1, "1" is not 1).
  function same(a, b) {
    return a === b && a !== null && typeof a !== "object";
  }

  // ---------------------------------------------------------------- applies_if

  // jsonschema's equality: booleans are not numbers, 1 == 1.0, containers compared deeply.
  function jsonEqual(a, b) {
    if (a === b) return true;
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
      for (var i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
      return true;
    }
    if (isObject(a) && isObject(b)) {
      var keys = Object.keys(a);
      if (keys.length !== Object.keys(b).length) return false;
      for (var j = 0; j < keys.length; j++) {
        if (!hasOwn.call(b, keys[j]) || !jsonEqual(a[keys[j]], b[keys[j]])) return false;
      }
      return true;
    }
    return false;
  }

  // generator.check.applies: whether a record satisfies an applies_if schema. Only the
  // keywords print_js.APPLIES_KEYWORDS lists (the build stops on any other).
  function applies(schema, value) {
    if (!schema) return true;
    if (hasOwn.call(schema, "const") && !jsonEqual(value, schema["const"])) return false;
    if (hasOwn.call(schema, "enum")) {
      var found = schema["enum"].some(function (option) {
        return jsonEqual(value, option);
      });
      if (!found) return false;
    }
    if (isObject(value)) {
      var required = schema.required || [];
      for (var i = 0; i < required.length; i++) if (!hasOwn.call(value, required[i])) return false;
      var props = schema.properties || {};
      var names = Object.keys(props);
      for (var j = 0; j < names.length; j++) {
        var name = names[j];
        if (hasOwn.call(value, name) && !applies(props[name], value[name])) return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- the printer

  function createPrinter(data, deps) {
    var rt = deps.runtime;
    var templates = deps.templates;
    var recordCode = deps.recordCode;
    if (!rt || !deps.units || !deps.dateWords || !templates || !recordCode) {
      throw new Error(
        "lienthong: bản in cần trình kiểm tra hồ sơ (validator) và date-words.js được nạp trước."
      );
    }
    var UPPER = rangeClass(data.upper, "gu");
    var PROVINCES = new Map(deps.units.provinces);
    var COMMUNES = new Map();
    Object.keys(deps.units.communes).forEach(function (prov) {
      deps.units.communes[prov].forEach(function (c) {
        COMMUNES.set(c[0], c[1]);
      });
    });

    // str.upper(), with the case mappings of Python's Unicode database.
    function pyUpper(s) {
      return s.replace(UPPER, function (c) {
        return c.toUpperCase();
      });
    }

    // records.date_slash
    function dateSlash(value) {
      if (!isString(value) || !value) return null;
      var parts = rt.parsePartialDate(value);
      if (parts === null) return value;
      if (parts.length === 3) {
        return padInt(parts[2], 2) + "/" + padInt(parts[1], 2) + "/" + padInt(parts[0], 4);
      }
      if (parts.length === 2) return padInt(parts[1], 2) + "/" + padInt(parts[0], 4);
      return padInt(parts[0], 4);
    }

    // records.day_month_year
    function dayMonthYear(value) {
      var day = isString(value) ? rt.parseDate(value) : null;
      if (day === null) return null;
      var month = day[1] < 3 ? padInt(day[1], 2) : String(day[1]);
      return [padInt(day[2], 2), month, String(day[0])];
    }

    // records.digits12: exactly twelve digits, one per box.
    function digits12(value) {
      if (isString(value) && /^[0-9]{12}$/.test(value)) return value.split("");
      return ["", "", "", "", "", "", "", "", "", "", "", ""];
    }

    function commune(code) {
      return isString(code) && COMMUNES.has(code) ? COMMUNES.get(code) : null;
    }

    function province(code) {
      return isString(code) && PROVINCES.has(code) ? PROVINCES.get(code) : null;
    }

    // formatters.text: a string or number as stripped text; anything else is blank.
    function text(value) {
      var t;
      if (typeof value === "number") t = numberText(value);
      else if (isString(value)) t = rt.pyStrip(value);
      else return null;
      return t || null;
    }

    function unit(value) {
      if (!isObject(value)) return [null, null];
      return [commune(member(value, "commune")), province(member(value, "province"))];
    }

    // "hh:mm" -> [hour, minute] (str.split(":", 1)), else [None, None].
    function hourMinute(value) {
      var time = text(value);
      if (!time || time.indexOf(":") < 0) return [null, null];
      var i = time.indexOf(":");
      return [time.slice(0, i), time.slice(i + 1)];
    }

    // ------------------------------------------------------------ formatters

    // generator/forms/formatters.py FORMATTERS: f(record, pointer, expression) -> display value.
    var FORMATTERS = {
      text: function (r, ptr) {
        return text(r.get(ptr));
      },
      upper: function (r, ptr) {
        var value = text(r.get(ptr));
        return value ? pyUpper(value) : null;
      },
      phone: function (r, ptr) {
        var value = text(r.get(ptr));
        return value ? rt.normalizePhone(value) : null;
      },
      date: function (r, ptr) {
        return dateSlash(r.get(ptr));
      },
      "date-parts": function (r, ptr) {
        return dayMonthYear(r.get(ptr));
      },
      "date-words": function (r, ptr) {
        var value = r.get(ptr);
        var day = isString(value) ? rt.parseDate(value) : null;
        if (day === null) return null;
        return deps.dateWords.dateInWords(padInt(day[0], 4) + "-" + padInt(day[1], 2) + "-" + padInt(day[2], 2));
      },
      digits12: function (r, ptr) {
        return digits12(r.get(ptr));
      },
      address: function (r, ptr) {
        var value = r.get(ptr);
        if (!isObject(value)) return null;
        var detail = isString(member(value, "detail")) ? value.detail : null;
        return joinTruthy([detail].concat(unit(value)), ", ") || null;
      },
      commune: function (r, ptr) {
        return unit(r.get(ptr))[0];
      },
      province: function (r, ptr) {
        return unit(r.get(ptr))[1];
      },
      office: function (r, ptr, expr) {
        var u = unit(r.get(ptr));
        if (!u[0]) return null;
        // Inside a name the unit type is lower case: "Ủy ban nhân dân phường Ba Đình".
        var first = String.fromCodePoint(u[0].codePointAt(0));
        return expr.body + " " + first.toLowerCase() + u[0].slice(first.length) + (u[1] ? ", " + u[1] : "");
      },
      "id-document": function (r, ptr, expr) {
        if (ptr === null) return null;
        var doc = r.get(ptr + "/id_document");
        if (isObject(doc) && isString(member(doc, "number"))) {
          var kind = member(doc, "type");
          kind = isString(kind) ? r.label(expr.from + "/id_document/type", kind) : null;
          var line = (kind || "Giấy tờ tùy thân") + " số " + doc.number;
          if (isString(member(doc, "issued_by"))) line += " do " + doc.issued_by;
          var issued = dateSlash(member(doc, "issued_on"));
          if (issued) line += " cấp ngày " + issued;
          return line;
        }
        var personalId = text(r.get(ptr + "/personal_id"));
        return personalId ? "Số định danh cá nhân " + personalId : null;
      },
      label: function (r, ptr, expr) {
        var value = r.get(ptr);
        return isString(value) ? r.label(expr.from || "", value) : null;
      },
      copies: function (r, ptr) {
        var value = r.get(ptr);
        var requested = member(value, "requested");
        var count = member(value, "count");
        return {
          yes: requested === true,
          no: requested === false,
          count: isInt(count) && requested === true ? padInt(count, 2) : null,
        };
      },
      checkbox: function (r, ptr, expr) {
        return same(r.get(ptr), expr.equals);
      },
      hour: function (r, ptr) {
        return hourMinute(r.get(ptr))[0];
      },
      minute: function (r, ptr) {
        return hourMinute(r.get(ptr))[1];
      },
    };

    // ------------------------------------------------------------ the interpreter

    // generator/forms/view.py Record: the record as expressions and conditions read it.
    function Record(record, labels, procedure, sections) {
      this.data = record === null ? {} : rt.nfc(record);
      this.labels = labels || {};
      this.procedure = procedure === undefined ? null : procedure;
      this.sections = sections || [];
    }

    // Record.get: the value at a JSON pointer (the runtime's resolve_pointer), null if none.
    Record.prototype.get = function (ptr) {
      if (ptr === null || ptr === undefined || !isObject(this.data)) return null;
      var node = rt.resolvePointer(this.data, ptr);
      return node === undefined ? null : node;
    };

    Record.prototype.label = function (pattern, value) {
      var table = hasOwn.call(this.labels, pattern) ? this.labels[pattern] : null;
      return table && hasOwn.call(table, value) ? table[value] : value;
    };

    var BLANK = new Record(null);

    // ptr with each "*" replaced by the index of the enclosing "each" item.
    function at(ptr, index) {
      if (ptr === undefined || ptr === null) return null;
      if (ptr.indexOf("*") < 0) return ptr;
      var n = 0;
      return ptr
        .split("/")
        .map(function (p) {
          return p === "*" ? (n < index.length ? String(index[n++]) : "*") : p;
        })
        .join("/");
    }

    function evaluateFields(fields, r, index) {
      var out = {};
      Object.keys(fields).forEach(function (name) {
        out[name] = evaluate(fields[name], r, index || []);
      });
      return out;
    }

    function evaluate(expr, r, index) {
      if (hasOwn.call(expr, "when") && !holds(expr.when, r, index)) return blank(expr);
      if (hasOwn.call(expr, "each")) {
        var items = r.get(at(expr.each, index));
        if (!Array.isArray(items)) return [];
        return items.map(function (_, i) {
          return evaluateFields(expr.fields, r, index.concat([i]));
        });
      }
      if (hasOwn.call(expr, "fields")) return evaluateFields(expr.fields, r, index);
      var value;
      if (hasOwn.call(expr, "first")) {
        for (var i = 0; i < expr.first.length; i++) {
          var option = expr.first[i];
          if (hasOwn.call(option, "when") && !holds(option.when, r, index)) continue;
          value = evaluate(option, r, index);
          if (value !== null) return value;
        }
        return null;
      }
      if (hasOwn.call(expr, "join")) {
        var parts = expr.of.map(function (part) {
          return evaluate(part, r, index);
        });
        value =
          parts
            .filter(function (p) {
              return isString(p) && p;
            })
            .join(expr.join) || null;
      } else if (hasOwn.call(expr, "value")) {
        value = expr.value;
      } else {
        value = FORMATTERS[expr.as || "text"](r, at(expr.from, index), expr);
      }
      if (isString(value) && value) value = (expr.prefix || "") + value + (expr.suffix || "");
      return value;
    }

    function blank(expr) {
      if (hasOwn.call(expr, "each")) return [];
      if (hasOwn.call(expr, "fields")) {
        var out = {};
        Object.keys(expr.fields).forEach(function (name) {
          out[name] = blank(expr.fields[name]);
        });
        return out;
      }
      if (hasOwn.call(expr, "first") || hasOwn.call(expr, "join") || hasOwn.call(expr, "value")) return null;
      return FORMATTERS[expr.as || "text"](BLANK, null, expr);
    }

    function holds(cond, r, index) {
      if (hasOwn.call(cond, "all")) return cond.all.every(function (c) { return holds(c, r, index); });
      if (hasOwn.call(cond, "any")) return cond.any.some(function (c) { return holds(c, r, index); });
      if (hasOwn.call(cond, "not")) return !holds(cond.not, r, index);
      if (hasOwn.call(cond, "procedure")) return r.procedure === cond.procedure;
      if (hasOwn.call(cond, "filled")) return (r.procedure !== null) === cond.filled;
      if (hasOwn.call(cond, "section")) return r.sections.indexOf(cond.section) >= 0;
      var value = r.get(at(cond.field, index));
      if (hasOwn.call(cond, "equals")) return same(value, cond.equals);
      if (hasOwn.call(cond, "in")) return cond["in"].some(function (option) { return same(value, option); });
      return (value !== null) === cond.present;
    }

    function formView(formId, record, procedure) {
      var spec = data.forms[formId];
      var r = record === null ? BLANK : new Record(record, spec.labels, procedure, data.group.sections);
      return evaluateFields(spec.fields, r);
    }

    // ------------------------------------------------------------ sheets and checklist

    // records.procedures_in: whether a procedure takes part (optional ones need their section).
    function takesPart(proc, record) {
      return record === null || !proc.optional || (isObject(record) && hasOwn.call(record, proc.key));
    }

    // records.group_parts: [form id, procedure id] of each sheet, then the checklist.
    function groupParts(record) {
      var parts = [];
      var seen = new Set();
      data.procedures.forEach(function (proc) {
        if (!takesPart(proc, record)) return;
        proc.forms.forEach(function (formId) {
          if (record !== null && !applies(data.forms[formId].applies_if, record)) return;
          if (seen.has(formId)) return;
          seen.add(formId);
          parts.push([formId, proc.id]);
        });
      });
      parts.push(["checklist", null]);
      return parts;
    }

    // records.checklist_items: [{name, mandatory, condition, how, procedure, confidence}].
    function checklistItems(record) {
      var items = [];
      data.documents.forEach(function (doc) {
        var proc = data.procedures[doc.p];
        if (!takesPart(proc, record)) return;
        if (record !== null && !applies(doc["if"], record)) return;
        items.push({
          name: doc.name,
          mandatory: doc.mandatory,
          condition: doc.condition,
          how: doc.how,
          procedure: proc.short_name,
          confidence: doc.confidence,
        });
      });
      return items;
    }

    // records.Views.checklist_view: the fields file's part, then the program's ("context").
    function checklistView(record, codes) {
      var items = checklistItems(record);
      var spec = data.forms.checklist;
      var r = new Record(record, record === null ? {} : spec.labels, record === null ? null : "", data.group.sections);
      var view = evaluateFields(spec.fields, r);
      view.group_name = data.group.name;
      view.short_name = data.group.short_name;
      view.filled = record !== null;
      view.items = items;
      view.omitted = data.documents.length - items.length;
      // The record codes (records.code_figures): texts from recordCode.texts(record).
      view.codes = record === null ? [] : recordCode.figures(codes || []).map(function (svg) {
        return new Safe(svg);
      });
      return view;
    }

    // ------------------------------------------------------------ the document

    // The print templates, compiled to functions at build time (generator/offline/jinja_js.py).
    var Safe = templates.Safe;
    var css = new Safe(data.css);
    var qrs = data.qrs.map(function (svg) {
      return new Safe(svg);
    });

    function sheetOf(part) {
      return part[0] === "checklist" ? data.checklist : data.sheets[part[0] + " " + part[1]];
    }

    // [{id, title, pages}] of the sheets printDocument(record) lays out (Renderer.group_sheets).
    function sheets(record) {
      if (record === undefined) record = null;
      return groupParts(record).map(function (part) {
        var sheet = sheetOf(part);
        // A filled checklist may take a page more for its record codes (_checklist_sheet).
        var more = part[0] === "checklist" && record !== null ? 1 : 0;
        return { id: sheet.id, title: sheet.title, pages: sheet.pages + more };
      });
    }

    // Renderer.html(Renderer.group_sheets(group, record, allow_incomplete=True), title,
    // inline_css=True): the HTML of every sheet of the group, blank for a null record.
    // ``codes``: the texts of the record's codes (recordCode.texts, which is asynchronous).
    function printDocument(record, codes) {
      if (record === undefined) record = null;
      var parts = groupParts(record).map(function (part, i) {
        var formId = part[0];
        var sheet = sheetOf(part);
        var view;
        if (formId === "checklist") view = checklistView(record, codes);
        else view = formView(formId, record, record === null ? null : part[1]);
        return {
          form_id: sheet.id,
          template: sheet.template,
          view: view,
          anchor: "sheet-" + i,
          density: 0,
          source_line: sheet.source_line,
          url: sheet.url,
          url_label: sheet.url_label,
          qr: qrs[sheet.qr],
        };
      });
      var html = templates.render("document.html.j2", {
        title: data.title,
        parts: parts,
        created: data.created,
        css: css,
      });
      return rt.nfc(html);
    }

    // One formatter on the value at /v of a record (tests/cases/formatters.json).
    function format(name, value, options) {
      var expr = { from: "/v" };
      Object.keys(options || {}).forEach(function (key) {
        if (key !== "labels") expr[key] = options[key];
      });
      var r = new Record({ v: value }, (options && options.labels) || {}, "", []);
      return FORMATTERS[name](r, "/v", expr);
    }

    return { printDocument: printDocument, sheets: sheets, format: format, recordCode: recordCode };
  }

  var api = { createPrinter: createPrinter, applies: applies, numberText: numberText, same: same };
  if (typeof module === "object" && module && module.exports) module.exports = api;
})();
