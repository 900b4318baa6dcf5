/*
 * Printed declarations of the offline form, computed in the browser.
 *
 * Port of the view-building part of generator/printing/records.py (Source and its formatting helpers,
 * every builder of BUILDERS, checklist_view, group_parts with FORM_APPLIES_IF and the
 * applies_if evaluation), plus the last step of generator.render_pdf.Renderer.html: the
 * views laid out with the same print templates, precompiled for nunjucks-slim. Keep the two
 * identical, Python's quirks included: tests/offline/test_print_js.py compares the HTML of about a
 * thousand records, byte for byte.
 *
 * createPrinter(data, deps) is called by the bundle generator/offline/print_js.py builds, with
 * data = the build-time tables of one group (sheets, documents, enum labels, QR codes, CSS)
 * and deps = {nunjucks, templates, units, runtime, dateWords}: nunjucks-slim, the precompiled
 * templates, generator.units.browser_data(), the browser validator's runtime (NFC, Python's
 * str.strip(), dates, phone numbers: generator/assets/validator/runtime.js) and
 * generator/assets/date-words.js. ES2015 plus BigInt and Unicode property escapes; no eval.
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
    var nunjucks = deps.nunjucks;
    if (!rt || !deps.units || !deps.dateWords || !nunjucks) {
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

    // records.Source: display values read from a group record by JSON pointer.
    function Source(record) {
      this.record = record === null ? {} : rt.nfc(record);
    }

    var S = Source.prototype;

    // validation.resolve_pointer (the pointers of this file have ASCII indices, no ~).
    S.get = function (ptr) {
      var node = this.record;
      if (!isObject(node)) return null;
      var parts = ptr.split("/");
      for (var i = 1; i < parts.length; i++) {
        var part = parts[i];
        if (isObject(node)) {
          if (!hasOwn.call(node, part)) return null;
          node = node[part];
        } else if (Array.isArray(node) && /^[0-9]+$/.test(part) && +part < node.length) {
          node = node[+part];
        } else {
          return null;
        }
      }
      return node === undefined ? null : node;
    };

    S.has = function (ptr) {
      return this.get(ptr) !== null;
    };

    S.text = function (ptr) {
      var value = this.get(ptr);
      var text;
      if (typeof value === "number") text = numberText(value);
      else if (isString(value)) text = rt.pyStrip(value);
      else return null;
      return text || null;
    };

    S.upper = function (ptr) {
      var value = this.text(ptr);
      return value ? pyUpper(value) : null;
    };

    S.phone = function (ptr) {
      var value = this.text(ptr);
      return value ? rt.normalizePhone(value) : null;
    };

    S.date = function (ptr) {
      return dateSlash(this.get(ptr));
    };

    S.dateParts = function (ptr) {
      return dayMonthYear(this.get(ptr));
    };

    S.dateWords = function (ptr) {
      var value = this.get(ptr);
      var day = isString(value) ? rt.parseDate(value) : null;
      if (day === null) return null;
      return deps.dateWords.dateInWords(
        padInt(day[0], 4) + "-" + padInt(day[1], 2) + "-" + padInt(day[2], 2)
      );
    };

    // The Vietnamese label of an enum value (x-enum-labels), else the value itself.
    S.label = function (ptr) {
      var value = this.get(ptr);
      if (!isString(value)) return null;
      var labels = hasOwn.call(data.labels, ptr) ? data.labels[ptr] : null;
      return labels && hasOwn.call(labels, value) ? labels[value] : value;
    };

    S.address = function (ptr) {
      var value = this.get(ptr);
      if (!isObject(value)) return null;
      var detail = isString(member(value, "detail")) ? value.detail : null;
      var parts = [detail, commune(member(value, "commune")), province(member(value, "province"))];
      return joinTruthy(parts, ", ") || null;
    };

    S.unit = function (ptr) {
      var value = this.get(ptr);
      if (!isObject(value)) return [null, null];
      return [commune(member(value, "commune")), province(member(value, "province"))];
    };

    S.office = function (ptr, body) {
      var unit = this.unit(ptr);
      if (!unit[0]) return null;
      // Inside a name the unit type is lower case: "Ủy ban nhân dân phường Ba Đình".
      var first = String.fromCodePoint(unit[0].codePointAt(0));
      var name = first.toLowerCase() + unit[0].slice(first.length);
      return body + " " + name + (unit[1] ? ", " + unit[1] : "");
    };

    S.idDocument = function (ptr) {
      var doc = this.get(ptr + "/id_document");
      if (isObject(doc) && isString(member(doc, "number"))) {
        var kind = this.label(ptr + "/id_document/type") || "Giấy tờ tùy thân";
        var text = kind + " số " + doc.number;
        if (isString(member(doc, "issued_by"))) text += " do " + doc.issued_by;
        var issued = dateSlash(member(doc, "issued_on"));
        if (issued) text += " cấp ngày " + issued;
        return text;
      }
      var personalId = this.text(ptr + "/personal_id");
      return personalId ? "Số định danh cá nhân " + personalId : null;
    };

    S.copies = function (ptr) {
      var requested = this.get(ptr + "/requested");
      var count = this.get(ptr + "/count");
      return {
        yes: requested === true,
        no: requested === false,
        count: isInt(count) && requested === true ? padInt(count, 2) : null,
      };
    };

    S.choice = function (ptr, value) {
      return this.get(ptr) === value;
    };

    function placeDate(s) {
      return { place: s.text("/filing_place"), date: s.dateParts("/filing_date") };
    }

    // "hh:mm" -> [hour, minute] (str.split(":", 1)), else [None, None].
    function hourMinute(time) {
      if (!time || time.indexOf(":") < 0) return [null, null];
      var i = time.indexOf(":");
      return [time.slice(0, i), time.slice(i + 1)];
    }

    // ------------------------------------------------------------ builders

    function parent(s, ptr) {
      return {
        name: s.text(ptr + "/full_name"),
        dob: s.date(ptr + "/dob"),
        ethnicity: s.text(ptr + "/ethnicity"),
        nationality: s.text(ptr + "/nationality"),
        residence: s.address(ptr + "/residence"),
        id: s.idDocument(ptr),
      };
    }

    function requester(s) {
      return {
        name: s.text("/requester/full_name"),
        dob: s.date("/requester/dob"),
        residence: s.address("/requester/residence"),
        id: s.idDocument("/requester"),
        relationship: s.label("/requester/relationship"),
        phone: s.phone("/requester/phone"),
        email: s.text("/requester/email"),
        gender: s.text("/requester/gender"),
        personal_id: s.text("/requester/personal_id"),
      };
    }

    function head(s, ptr) {
      return {
        name: s.text(ptr + "/full_name"),
        relationship: s.text(ptr + "/relationship"),
        id: digits12(s.get(ptr + "/personal_id")),
      };
    }

    function members(s, ptr) {
      var list = s.get(ptr);
      if (!Array.isArray(list)) return [];
      return list.map(function (_, i) {
        var at = ptr + "/" + i;
        return {
          name: s.text(at + "/full_name"),
          dob: s.date(at + "/dob"),
          gender: s.text(at + "/gender"),
          id: s.text(at + "/personal_id"),
          relationship: s.text(at + "/relationship"),
        };
      });
    }

    function organiser(s, ht) {
      var org = ht + "/organisation";
      return {
        is_org: s.get(ht + "/organiser_kind") === "co-quan-to-chuc",
        org_name: s.text(org + "/name"),
        org_address: s.text(org + "/address"),
        org_rep: s.text(org + "/representative"),
        org_position: s.text(org + "/position"),
      };
    }

    // Giấy báo tử number, or "<substitute name> số <number>" for a substitute (footnote 4).
    function noticeNumber(s, kt) {
      var number = s.text(kt + "/death_notice/number");
      if (s.get(kt + "/death_notice/kind") === "giay-to-thay-the") {
        var name = s.text(kt + "/death_notice/substitute_name");
        number = joinTruthy([name, number], " số ") || null;
      }
      return number;
    }

    function extend(target, source) {
      Object.keys(source).forEach(function (key) {
        target[key] = source[key];
      });
      return target;
    }

    var BUILDERS = {
      "to-khai-khai-sinh": function (s) {
        var ks = "/khai_sinh";
        var birthplace = null;
        if (s.has(ks + "/child/birthplace")) {
          var facility = s.text(ks + "/child/birthplace/facility");
          var where = s.address(ks + "/child/birthplace/address");
          birthplace = joinTruthy([facility, where], ", ") || null;
        }
        var marriage = ks + "/marriage_certificate";
        return extend(
          {
            to: s.office(ks + "/registry_office", "Ủy ban nhân dân"),
            requester: requester(s),
            child: {
              name: s.text(ks + "/child/full_name"),
              dob: s.date(ks + "/child/dob"),
              dob_words: s.dateWords(ks + "/child/dob"),
              gender: s.text(ks + "/child/gender"),
              ethnicity: s.text(ks + "/child/ethnicity"),
              nationality: s.text(ks + "/child/nationality"),
              birthplace: birthplace,
              hometown: s.text(ks + "/child/hometown"),
            },
            mother: parent(s, ks + "/mother"),
            father: parent(s, ks + "/father"),
            marriage: {
              number: s.text(marriage + "/number"),
              book: s.text(marriage + "/book"),
              date: s.date(marriage + "/registered_on"),
              at: s.text(marriage + "/registered_at"),
            },
            copies: s.copies(ks + "/copies"),
            signer: s.text("/requester/full_name"),
          },
          placeDate(s)
        );
      },

      "to-khai-khai-tu": function (s) {
        var kt = "/khai_tu";
        var kind = s.get(kt + "/death_notice/kind");
        var place = s.text(kt + "/death/place");
        var placeAddress = s.address(kt + "/death/place_address");
        var time = hourMinute(s.text(kt + "/death/time"));
        return extend(
          {
            to: s.office(kt + "/registry_office", "Ủy ban nhân dân"),
            requester: requester(s),
            deceased: {
              name: s.text(kt + "/deceased/full_name"),
              dob: s.date(kt + "/deceased/dob"),
              gender: s.text(kt + "/deceased/gender"),
              ethnicity: s.text(kt + "/deceased/ethnicity"),
              nationality: s.text(kt + "/deceased/nationality"),
              residence: s.address(kt + "/deceased/last_residence"),
              id: s.idDocument(kt + "/deceased"),
            },
            death: {
              hour: time[0],
              minute: time[1],
              date: s.dateParts(kt + "/death/date"),
              place: joinTruthy([place, placeAddress], ", ") || null,
              cause: s.text(kt + "/death/cause"),
            },
            notice: {
              strike_substitute: kind === "giay-bao-tu",
              strike_notice: kind === "giay-to-thay-the",
              number: noticeNumber(s, kt),
              issued_by: s.text(kt + "/death_notice/issued_by"),
              date: s.dateParts(kt + "/death_notice/issued_on"),
            },
            copies: s.copies(kt + "/copies"),
            signer: s.text("/requester/full_name"),
          },
          placeDate(s)
        );
      },

      ct01: function (s, procedure) {
        var req = requester(s);
        var view = {
          to: null,
          person: { name: null, dob: null, gender: null, id: digits12(null) },
          phone: null,
          email: null,
          head: { name: null, relationship: null, id: digits12(null) },
          content: null,
          members: [],
          owner_vneid: { name: null, id: null },
          parent_vneid: { name: null, id: null },
          declarant: { name: null, place: null, date: null },
        };
        var address;
        if (procedure === "thuong-tru") {
          var tt = "/thuong_tru";
          var ks = "/khai_sinh/child";
          address = s.address(tt + "/address");
          var vneid = s.get(tt + "/consent_via_vneid") === true;
          var relationship = s.get("/requester/relationship");
          var parentVneid = { name: null, id: null };
          if (vneid && ["cha", "me", "nguoi-giam-ho"].indexOf(relationship) >= 0) {
            parentVneid = { name: req.name, id: req.personal_id };
          }
          extend(view, {
            to: s.office(tt + "/police_office", "Công an"),
            person: {
              name: s.text(ks + "/full_name"),
              dob: s.date(ks + "/dob"),
              gender: s.text(ks + "/gender"),
              id: digits12(null), // issued with the birth registration
            },
            head: head(s, tt + "/household_head"),
            content: address ? "Đăng ký thường trú tại: " + address : null,
            members: members(s, tt + "/members"),
            owner_vneid: {
              name: vneid ? s.text(tt + "/owner/full_name") : null,
              id: vneid ? s.text(tt + "/owner/personal_id") : null,
            },
            parent_vneid: parentVneid,
          });
        } else if (procedure === "xoa-thuong-tru") {
          var xt = "/xoa_thuong_tru";
          var kt = "/khai_tu";
          var died = s.date(kt + "/death/date");
          var content = "Xóa đăng ký thường trú";
          address = s.address(kt + "/deceased/last_residence");
          if (address) content += " tại " + address;
          if (died) content += " (người đã chết ngày " + died + ")";
          extend(view, {
            to: s.office(xt + "/police_office", "Công an"),
            person: {
              name: s.text(kt + "/deceased/full_name"),
              dob: s.date(kt + "/deceased/dob"),
              gender: s.text(kt + "/deceased/gender"),
              id: digits12(s.get(kt + "/deceased/personal_id")),
            },
            head: head(s, xt + "/household_head"),
            content: s.has(xt) || s.has(kt) ? content : null,
          });
        }
        if (procedure !== null) {
          var declarant = extend({ name: req.name }, placeDate(s));
          extend(view, { phone: req.phone, email: req.email, declarant: declarant });
        }
        return view;
      },

      "tk1-ts": function (s) {
        var ks = "/khai_sinh";
        var tt = "/thuong_tru";
        var bh = "/bhyt";
        var registry = s.unit(ks + "/registry_office");
        var guardian = s.get(bh + "/card_guardian");
        var guardians = {
          me: ks + "/mother/full_name",
          cha: ks + "/father/full_name",
          "nguoi-yeu-cau": "/requester/full_name",
        };
        var guardianPtr = isString(guardian) && hasOwn.call(guardians, guardian) ? guardians[guardian] : null;
        // [12]-[15]: the postal address when results come by post, else where the child will live.
        var addressPtr = s.get("/delivery/method") === "buu-chinh" ? "/delivery/address" : tt + "/address";
        var unit = s.unit(addressPtr);
        return extend(
          {
            name: s.upper(ks + "/child/full_name"),
            gender: s.text(ks + "/child/gender"),
            dob: s.date(ks + "/child/dob"),
            nationality: s.text(ks + "/child/nationality"),
            ethnicity: s.text(ks + "/child/ethnicity"),
            id: null, // the child's số định danh is issued with the birth registration
            phone: s.phone("/requester/phone"),
            email: s.text("/requester/email"),
            birth_commune: registry[0],
            birth_province: registry[1],
            guardian: guardianPtr ? s.text(guardianPtr) : null,
            delivery: s.label("/delivery/method"),
            street: s.text(addressPtr + "/detail"),
            commune: unit[0],
            province: unit[1],
            primary_care: s.text(bh + "/primary_care"),
            card_guardian: s.label(bh + "/card_guardian"),
            signer: s.text("/requester/full_name"),
          },
          placeDate(s)
        );
      },

      "mau-04-nd20": function (s, procedure) {
        var kt = "/khai_tu";
        var ht = "/ho_tro_mai_tang";
        var org = organiser(s, ht);
        var person = !org.is_org && procedure !== null;
        var req = requester(s);
        var idNumber = s.text("/requester/id_document/number") || req.personal_id;
        return extend(
          extend(
            {
              deceased: {
                name: s.upper(kt + "/deceased/full_name"),
                dob: s.date(kt + "/deceased/dob"),
                gender: s.text(kt + "/deceased/gender"),
                ethnicity: s.text(kt + "/deceased/ethnicity"),
                residence: s.address(kt + "/deceased/last_residence"),
                died: s.dateParts(kt + "/death/date"),
                cause: s.text(kt + "/death/cause"),
                burial_date: s.date(ht + "/burial_date"),
                burial_place: s.text(ht + "/burial_place"),
              },
            },
            org
          ),
          {
            person: {
              name: person ? req.name : null,
              dob: person ? req.dob : null,
              phone: person ? req.phone : null,
              id_number: person ? idNumber : null,
              id_date: person ? s.date("/requester/id_document/issued_on") : null,
              id_by: person ? s.text("/requester/id_document/issued_by") : null,
              residence: person ? req.residence : null,
              relationship: person ? req.relationship : null,
            },
            signer: procedure !== null ? s.text("/requester/full_name") : null,
            date: s.dateParts("/filing_date"),
          }
        );
      },

      "mau-2-nd176": function (s, procedure) {
        var kt = "/khai_tu";
        var ht = "/ho_tro_mai_tang";
        var org = organiser(s, ht);
        var req = requester(s);
        var person = !org.is_org && procedure !== null;
        var time = hourMinute(s.text(kt + "/death/time"));
        var place = s.text(kt + "/death/place");
        var placeAddress = s.address(kt + "/death/place_address");
        var pay = ht + "/payment";
        var requesterId = req.personal_id || s.text("/requester/id_document/number");
        return extend(
          extend(
            {
              to: s.office(kt + "/registry_office", "Chủ tịch Ủy ban nhân dân"),
              requester: {
                name: s.upper("/requester/full_name"),
                residence: req.residence,
                id: requesterId,
                relationship: req.relationship,
                request:
                  procedure !== null
                    ? "Đề nghị hỗ trợ chi phí mai táng cho người hưởng trợ cấp hưu trí xã hội"
                    : null,
              },
              deceased: {
                name: s.text(kt + "/deceased/full_name"),
                dob: s.date(kt + "/deceased/dob"),
                gender: s.text(kt + "/deceased/gender"),
                ethnicity: s.text(kt + "/deceased/ethnicity"),
                nationality: s.text(kt + "/deceased/nationality"),
                residence: s.address(kt + "/deceased/last_residence"),
                id: s.text(kt + "/deceased/personal_id") || s.text(kt + "/deceased/id_document/number"),
                hour: time[0],
                minute: time[1],
                died: s.dateParts(kt + "/death/date"),
                place: joinTruthy([place, placeAddress], ", ") || null,
                cause: s.text(kt + "/death/cause"),
                notice_number: noticeNumber(s, kt),
                notice_by: s.text(kt + "/death_notice/issued_by"),
                notice_date: s.date(kt + "/death_notice/issued_on"),
              },
            },
            org
          ),
          {
            person: {
              name: person ? req.name : null,
              dob: person ? req.dob : null,
              gender: person ? req.gender : null,
              id: person ? requesterId : null,
              residence: person ? req.residence : null,
              relationship: person ? req.relationship : null,
              phone: person ? req.phone : null,
            },
            pay_bank: s.choice(pay + "/method", "tai-khoan"),
            pay_cash: s.choice(pay + "/method", "tien-mat"),
            account: {
              holder: s.text(pay + "/account/holder"),
              number: s.text(pay + "/account/number"),
              bank: s.text(pay + "/account/bank"),
            },
            signer: procedure !== null ? s.text("/requester/full_name") : null,
            date: s.dateParts("/filing_date"),
          }
        );
      },
    };

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
          if (record !== null && !applies(data.formIf[formId], record)) return;
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

    // records.checklist_view
    function checklistView(s, record) {
      var items = checklistItems(record);
      return {
        group_name: data.group.name,
        short_name: data.group.short_name,
        filled: record !== null,
        requester: s.text("/requester/full_name"),
        subject_label: data.group.subject_label,
        subject: s.text("/khai_sinh/child/full_name") || s.text("/khai_tu/deceased/full_name"),
        filing_date: s.date("/filing_date"),
        delivery: s.label("/delivery/method"),
        items: items,
        omitted: data.documents.length - items.length,
      };
    }

    // ------------------------------------------------------------ the document

    var Safe = nunjucks.runtime.SafeString;
    // markupsafe.escape: the five characters Jinja escapes, its way ("&#34;", not "&quot;").
    var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" };
    function escape(s) {
      return String(s).replace(/[&<>"']/g, function (c) {
        return ESCAPES[c];
      });
    }
    nunjucks.lib.escape = escape; // this bundle's own copy of nunjucks
    var env = new nunjucks.Environment(new nunjucks.PrecompiledLoader(deps.templates), {
      autoescape: true,
    });
    // render_pdf.marks: footnote marks "(1)" printed small and raised (Python's \d: Nd digits).
    env.addFilter("marks", function (label) {
      return new Safe(escape(label).replace(/\((\p{Nd})\)/gu, '<span class="n">($1)</span>'));
    });
    env.addFilter("max", function (values) {
      return Math.max.apply(null, values);
    });
    env.addTest("none", function (value) {
      return value === null || value === undefined;
    });
    var css = new Safe(data.css);
    var qrs = data.qrs.map(function (svg) {
      return new Safe(svg);
    });

    function sheetOf(part) {
      return part[0] === "checklist" ? data.checklist : data.sheets[part[0] + " " + part[1]];
    }

    // [{id, title, pages}] of the sheets printDocument(record) lays out (Renderer.group_sheets).
    function sheets(record) {
      return groupParts(record === undefined ? null : record).map(function (part) {
        var sheet = sheetOf(part);
        return { id: sheet.id, title: sheet.title, pages: sheet.pages };
      });
    }

    // Renderer.html(Renderer.group_sheets(group, record, allow_incomplete=True), title,
    // inline_css=True): the HTML of every sheet of the group, blank for a null record.
    function printDocument(record) {
      if (record === undefined) record = null;
      var s = new Source(record);
      var parts = groupParts(record).map(function (part, i) {
        var formId = part[0];
        var sheet = sheetOf(part);
        var view;
        if (formId === "checklist") view = checklistView(s, record);
        else if (hasOwn.call(BUILDERS, formId)) view = BUILDERS[formId](s, record === null ? null : part[1]);
        else throw new Error("lienthong: views.js has no view builder for form '" + formId + "'");
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
      var html = env.render("document.html.j2", {
        title: data.title,
        parts: parts,
        created: data.created,
        css: css,
      });
      return rt.nfc(html);
    }

    return { printDocument: printDocument, sheets: sheets };
  }

  var api = { createPrinter: createPrinter, applies: applies, numberText: numberText };
  if (typeof module === "object" && module && module.exports) module.exports = api;
})();
