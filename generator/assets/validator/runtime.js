/*
 * Runtime of the browser validator that generator/offline/validator_js.py generates.
 *
 * Port of the parts of the Python validator that are not plain JSON Schema:
 * the named formats of generator/schema/formats.py, the named cross-field rules of
 * generator/schema/rules.py, the NFC step, and the message wording and selection of
 * generator/schema/validation.py. Keep the semantics identical, including Python's
 * quirks (str.strip() trims Python's
 * whitespace, re.IGNORECASE lets "İ" and "ı" match [a-z]): tests/offline/test_validator_js.py
 * compares every verdict and message with the Python validator.
 *
 * createRuntime(units, config) is called once by the generated file with
 * units = generator.units.browser_data() and config = the build-time tables
 * (message tree, keyword priority, Unicode ranges). Plain ES2015, no eval.
 */
(function () {
  "use strict";

  var hasOwn = Object.prototype.hasOwnProperty;

  // ---------------------------------------------------------------- Python semantics

  // "$" is the very end of the string; the Python side uses "\Z" to mean the same.
  var DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
  var PARTIAL = /^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$/;
  var ID12 = /^[0-9]{12}$/;
  var MOBILE = /^0(?:3[2-9]|5[2689]|7[06-9]|8[1-689]|9[0-46-9])[0-9]{7}$/;
  var PHONE_NOISE = /[ .\-()]/g;
  // formats._EMAIL with re.IGNORECASE: with the "iu" flags JavaScript folds "ſ" and the
  // Kelvin sign into [a-z] as Python does; Python also lets "İ" and "ı" match, so they are
  // listed explicitly.
  var EMAIL_ATOM = "a-z0-9!#$%&'*+/=?^_`{|}~\\u0130\\u0131-";
  var EMAIL_LD = "a-z0-9\\u0130\\u0131";
  var EMAIL = new RegExp(
    "^[" + EMAIL_ATOM + "]+(?:\\.[" + EMAIL_ATOM + "]+)*@(?:[" + EMAIL_LD + "](?:[" +
      EMAIL_LD + "-]*[" + EMAIL_LD + "])?\\.)+[" + EMAIL_LD + "](?:[" + EMAIL_LD + "-]*[" +
      EMAIL_LD + "])?$",
    "iu"
  );
  // Characters for which Python's str.isspace() is true (what str.strip() removes).
  var PY_SPACE = /[\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

  function pyStrip(s) {
    var start = 0;
    var end = s.length;
    while (start < end && PY_SPACE.test(s.charAt(start))) start++;
    while (end > start && PY_SPACE.test(s.charAt(end - 1))) end--;
    return s.slice(start, end);
  }

  // Number of code points (Python's len()).
  function pyLen(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
    return n;
  }

  // Python's ordering of str: by code point (JavaScript's < compares UTF-16 units).
  function pyCompare(a, b) {
    if (a === b) return 0;
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; ) {
      var x = a.codePointAt(i);
      var y = b.codePointAt(i);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
    }
    return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  }

  // Lexicographic comparison of two tuples of numbers (Python's tuple <).
  function tupleCompare(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return a.length - b.length;
  }

  // A character class from "start,end,start,end..." in base 36, start relative to the
  // previous end (compact form written by validator_js.py).
  function rangeClass(encoded) {
    if (!encoded) return null;
    var nums = encoded.split(",");
    var out = "";
    var prev = 0;
    for (var i = 0; i + 1 < nums.length; i += 2) {
      var start = prev + parseInt(nums[i], 36);
      var end = start + parseInt(nums[i + 1], 36);
      out += "\\u{" + start.toString(16) + "}-\\u{" + end.toString(16) + "}";
      prev = end;
    }
    return new RegExp("[" + out + "]", "u");
  }

  // ---------------------------------------------------------------- dates

  var DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  var DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

  function isLeap(y) {
    return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  }

  // datetime.date(y, m, d) succeeds (MINYEAR 1, MAXYEAR 9999).
  function isValidDate(y, m, d) {
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
    return d <= (m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]);
  }

  // date.toordinal()
  function ordinal(date) {
    var y = date[0] - 1;
    var days = y * 365 + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400);
    days += DAYS_BEFORE_MONTH[date[1] - 1] + (date[1] > 2 && isLeap(date[0]) ? 1 : 0);
    return days + date[2];
  }

  // formats.parse_date: [y, m, d] or null.
  function parseDate(value) {
    var m = DATE.exec(value);
    if (!m) return null;
    var date = [+m[1], +m[2], +m[3]];
    return isValidDate(date[0], date[1], date[2]) ? date : null;
  }

  // formats.parse_partial_date: [y], [y, m] or [y, m, d], or null.
  function parsePartialDate(value) {
    var m = PARTIAL.exec(value);
    if (!m) return null;
    var year = +m[1];
    if (year < 1800) return null;
    if (m[2] === undefined) return [year];
    var month = +m[2];
    if (month < 1 || month > 12) return null;
    if (m[3] === undefined) return [year, month];
    if (parseDate(value) === null) return null;
    return [year, month, +m[3]];
  }

  // formats.normalize_phone
  function normalizePhone(value) {
    var s = pyStrip(value).split("(0)").join("");
    s = s.replace(PHONE_NOISE, "");
    if (s.slice(0, 3) === "+84") s = "0" + s.slice(3);
    else if (s.slice(0, 2) === "84" && pyLen(s) === 11) s = "0" + s.slice(2);
    return s;
  }

  // ---------------------------------------------------------------- pointers

  function isObject(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }

  // validation._parts
  function pointerParts(ptr) {
    var parts = ptr.split("/").slice(1);
    for (var i = 0; i < parts.length; i++) {
      parts[i] = parts[i].split("~1").join("/").split("~0").join("~");
    }
    return parts;
  }

  // validation.pointer
  function escapePart(part) {
    return "/" + String(part).split("~").join("~0").split("/").join("~1");
  }

  var PARTS_CACHE = Object.create(null);

  // validation.resolve_pointer: undefined where the path does not exist. Rule pointers
  // come from the schemas; validator_js.py checks that their array indices are ASCII.
  function resolvePointer(doc, ptr) {
    var parts = PARTS_CACHE[ptr] || (PARTS_CACHE[ptr] = pointerParts(ptr));
    var node = doc;
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      if (isObject(node)) {
        if (!hasOwn.call(node, part)) return undefined;
        node = node[part];
      } else if (Array.isArray(node) && /^[0-9]+$/.test(part) && +part < node.length) {
        node = node[+part];
      } else {
        return undefined;
      }
    }
    return node;
  }

  // ---------------------------------------------------------------- the runtime

  function createRuntime(units, config) {
    config = config || {};

    var provinces = new Set();
    var communeProvince = new Map();
    (units.provinces || []).forEach(function (p) {
      provinces.add(p[0]);
    });
    Object.keys(units.communes || {}).forEach(function (prov) {
      units.communes[prov].forEach(function (c) {
        communeProvince.set(c[0], prov);
      });
    });

    function date(value) {
      return typeof value === "string" ? parseDate(value) : null;
    }

    function partial(value) {
      return typeof value === "string" ? parsePartialDate(value) : null;
    }

    // generator/schema/formats.py FORMATS, by the same names.
    var formats = {
      date: function (v) {
        return typeof v !== "string" || parseDate(v) !== null;
      },
      "partial-date": function (v) {
        return typeof v !== "string" || parsePartialDate(v) !== null;
      },
      "so-di-dong": function (v) {
        return typeof v !== "string" || MOBILE.test(normalizePhone(v));
      },
      email: function (v) {
        return typeof v !== "string" || EMAIL.test(v);
      },
      "ma-xa": function (v) {
        return typeof v !== "string" || communeProvince.has(v);
      },
    };

    // generator/schema/rules.py RULES: (object carrying the rule, args) -> false when broken,
    // true or null when the rule holds or cannot judge.
    var rules = {
      commune_in_province: function (obj, args) {
        var province = resolvePointer(obj, args.province);
        var commune = resolvePointer(obj, args.commune);
        if (typeof province !== "string" || typeof commune !== "string") return null;
        if (!communeProvince.has(commune) || !provinces.has(province)) return null;
        return communeProvince.get(commune) === province;
      },
      id_matches_person: function (obj, args) {
        var number = resolvePointer(obj, args.id);
        var birth = partial(resolvePointer(obj, args.birth));
        if (typeof number !== "string" || !ID12.test(number) || birth === null) return null;
        var digit = +number.charAt(3);
        var year = 1900 + 100 * Math.floor(digit / 2) + +number.slice(4, 6);
        if (year !== birth[0]) return false;
        var gender = resolvePointer(obj, hasOwn.call(args, "gender") ? args.gender : "/__none__");
        if (gender === "Nam" || gender === "Nữ") return (digit % 2 === 1) === (gender === "Nữ");
        return true;
      },
      date_order: function (obj, args) {
        var a = partial(resolvePointer(obj, args.earlier));
        var b = partial(resolvePointer(obj, args.later));
        if (a === null || b === null) return null;
        var n = Math.min(a.length, b.length);
        return tupleCompare(a.slice(0, n), b.slice(0, n)) <= 0;
      },
      deadline: function (obj, args) {
        var event = date(resolvePointer(obj, args.event));
        var filed = date(resolvePointer(obj, args.filed));
        var kind = resolvePointer(obj, args.type);
        if (event === null || filed === null || typeof kind !== "string") return null;
        var elapsed = ordinal(filed) - ordinal(event);
        if (elapsed < 0) return null;
        if (kind === args.on_time) return elapsed <= args.days;
        if (kind === args.late) return elapsed > args.days;
        return true;
      },
      age_under: function (obj, args) {
        var birth = date(resolvePointer(obj, args.birth));
        var on = date(resolvePointer(obj, args.on));
        if (birth === null || on === null) return null;
        var year = birth[0] + args.years;
        // Python raises ValueError past year 9999; no valid date reaches that birthday.
        if (year > 9999) return true;
        var birthday = isValidDate(year, birth[1], birth[2])
          ? [year, birth[1], birth[2]]
          : [year, 3, 1];
        return tupleCompare(on, birthday) < 0;
      },
    };

    // ------------------------------------------------------------ NFC (validation.nfc)

    var ASCII = /^[\x00-\x7f]*$/;
    // Latin, combining diacritics and Latin Extended Additional (Vietnamese): all assigned
    // in every Unicode version Python uses (tests check), so no need for the slow test below.
    var LATIN = /^[\x00-\u036f\u1e00-\u1eff]*$/;
    // Code points unassigned in Python's Unicode database: newer engines may compose or
    // reorder them; Python leaves them alone, so they split the string into parts that
    // are normalised separately (they are starters that never compose).
    var UNASSIGNED = rangeClass(config.unassigned);
    var UNASSIGNED_ALL = UNASSIGNED ? new RegExp(UNASSIGNED.source, "gu") : null;

    function nfcString(s) {
      if (ASCII.test(s)) return s;
      if (LATIN.test(s) || UNASSIGNED === null || !UNASSIGNED.test(s)) return s.normalize("NFC");
      var out = "";
      var last = 0;
      var m;
      UNASSIGNED_ALL.lastIndex = 0;
      while ((m = UNASSIGNED_ALL.exec(s)) !== null) {
        out += s.slice(last, m.index).normalize("NFC") + m[0];
        last = m.index + m[0].length;
      }
      return out + s.slice(last).normalize("NFC");
    }

    // A copy with every string, keys too, in NFC (as JSON: undefined members dropped).
    function nfc(value) {
      if (typeof value === "string") return nfcString(value);
      if (Array.isArray(value)) {
        var arr = new Array(value.length);
        for (var i = 0; i < value.length; i++) {
          arr[i] = value[i] === undefined ? null : nfc(value[i]);
        }
        return arr;
      }
      if (value !== null && typeof value === "object") {
        var out = {};
        var keys = Object.keys(value);
        for (var j = 0; j < keys.length; j++) {
          var v = value[keys[j]];
          if (v === undefined) continue;
          var k = nfcString(keys[j]);
          if (k === "__proto__") {
            Object.defineProperty(out, k, {
              value: nfc(v),
              enumerable: true,
              writable: true,
              configurable: true,
            });
          } else {
            out[k] = nfc(v);
          }
        }
        return out;
      }
      return value;
    }

    // ------------------------------------------------------------ messages

    var TREE = config.tree || {};
    var ROOT_TITLE = config.rootTitle || "";
    var PRIORITY = config.priority || {};
    var PRIORITY_DEFAULT = Object.keys(PRIORITY).length;
    var DIGIT = rangeClass(config.digits);

    // str.isdigit()
    function isPyDigit(s) {
      if (s === "") return false;
      if (/^[0-9]+$/.test(s)) return true;
      if (DIGIT === null) return false;
      for (var i = 0; i < s.length; i++) {
        var cp = s.codePointAt(i);
        var ch = String.fromCodePoint(cp);
        if (!DIGIT.test(ch)) return false;
        i += ch.length - 1;
      }
      return true;
    }

    // Validator.field_chain, precomputed: the node for a path, or null (empty chain).
    function fieldNode(parts) {
      var node = TREE;
      for (var i = 0; i < parts.length && node; i++) {
        var part = parts[i];
        if (node.p && hasOwn.call(node.p, part)) node = node.p[part];
        else if (node.i && isPyDigit(part)) node = node.i;
        else node = null;
      }
      return node;
    }

    // str.format with the three fields the Python side uses; the build step turned
    // "{title}", "{limit}", "{name}" into \x01, \x02, \x03 and unescaped "{{" "}}".
    function fill(template, title, limit, name) {
      return template.replace(/[\x01-\x03]/g, function (c) {
        return c === "\x01" ? title : c === "\x02" ? limit : name;
      });
    }

    // One Ajv error -> [pointer, keyword, message], or null for Ajv's own "if" errors.
    // The message of every error was replaced at build time by a code: "R" + at + \0 +
    // text for x-rules, "O" (the failing subschema's own x-messages) or "F" (fallback if
    // no schema of the field's chain has one) + template [+ \0 + limit].
    function problem(err) {
      var code = err.message;
      var keyword = err.keyword;
      if (!code || keyword === "if") return null;
      var tag = code.charAt(0);
      var sep = code.indexOf("\x00");
      if (tag === "R") return [err.instancePath + code.slice(1, sep), keyword, code.slice(sep + 1)];
      var template = sep < 0 ? code.slice(1) : code.slice(1, sep);
      var limit = sep < 0 ? "" : code.slice(sep + 1);
      var ptr = err.instancePath;
      var name = "";
      if (keyword === "required") name = err.params.missingProperty;
      else if (keyword === "additionalProperties") name = err.params.additionalProperty;
      if (keyword === "required" || keyword === "additionalProperties") ptr += escapePart(name);
      var node = fieldNode(pointerParts(ptr));
      if (tag === "F" && node && node.m && hasOwn.call(node.m, keyword)) template = node.m[keyword];
      var title = node && node.t !== undefined ? node.t : ROOT_TITLE;
      return [ptr, keyword, fill(template, title, limit, name)];
    }

    // Validator.validate: one error per pointer (KEYWORD_PRIORITY, then the smallest
    // message), sorted by pointer.
    function wrap(ajvValidate) {
      return function validate(record) {
        var data = nfc(record);
        if (ajvValidate(data)) return [];
        var errors = ajvValidate.errors || [];
        var best = new Map();
        for (var i = 0; i < errors.length; i++) {
          var p = problem(errors[i]);
          if (p === null) continue;
          var rank = hasOwn.call(PRIORITY, p[1]) ? PRIORITY[p[1]] : PRIORITY_DEFAULT;
          var old = best.get(p[0]);
          if (!old || rank < old[0] || (rank === old[0] && pyCompare(p[2], old[1]) < 0)) {
            best.set(p[0], [rank, p[2]]);
          }
        }
        var pointers = Array.from(best.keys()).sort(pyCompare);
        return pointers.map(function (ptr) {
          return { pointer: ptr, message: best.get(ptr)[1] };
        });
      };
    }

    return {
      formats: formats,
      rules: rules,
      nfc: nfc,
      wrap: wrap,
      // For tests and the offline form.
      parseDate: parseDate,
      parsePartialDate: parsePartialDate,
      normalizePhone: normalizePhone,
      pyStrip: pyStrip,
      resolvePointer: resolvePointer,
    };
  }

  // Inverse of validator_js._pack_units: {"p": [[code, name]], "c": "PP|<delta><T><name>|..."}
  // lines, T one of X P D ~ for "Xã ", "Phường ", "Đặc khu " or no prefix. Returns the
  // shape of generator.units.browser_data().
  var PREFIXES = { X: "Xã ", P: "Phường ", D: "Đặc khu ", "~": "" };

  function decodeUnits(packed) {
    if (!packed || packed.p === undefined) return packed;
    var communes = {};
    packed.c.split("\n").forEach(function (line) {
      var items = line.split("|");
      var list = [];
      var code = 0;
      for (var i = 1; i < items.length; i++) {
        var m = /^([0-9]+)([XPD~])/.exec(items[i]);
        code += +m[1];
        list.push([String(code).padStart(5, "0"), PREFIXES[m[2]] + items[i].slice(m[0].length)]);
      }
      communes[items[0]] = list;
    });
    return { provinces: packed.p, communes: communes };
  }

  createRuntime.decodeUnits = decodeUnits;

  if (typeof module === "object" && module && module.exports) module.exports = createRuntime;
})();
