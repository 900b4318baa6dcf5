/*
 * The run time of the print templates that generator/offline/jinja_js.py compiles to
 * JavaScript: what Jinja2 (autoescape, StrictUndefined) and markupsafe do while a template
 * renders, for the subset that compiler accepts. createTemplates(compiled) takes the object
 * {name: function (scope, R)} the build writes and returns {render(name, vars), Safe, escape}.
 * ES2015 plus Unicode property escapes; no eval.
 */
(function () {
  "use strict";

  var hasOwn = Object.prototype.hasOwnProperty;

  // markupsafe.Markup
  function Safe(text) {
    this.s = text;
  }
  Safe.prototype.toString = function () {
    return this.s;
  };

  // markupsafe.escape: the five characters, its way ("&#34;", not "&quot;").
  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" };
  function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return ESCAPES[c];
    });
  }

  // jinja2's StrictUndefined: a missing name or key, an error as soon as it is used.
  var U = {};
  function undef(what) {
    throw new Error("lienthong: mẫu in dùng giá trị không có (" + what + ").");
  }

  // Python's str() of the values a view holds.
  function pystr(v) {
    if (v instanceof Safe) return v.s;
    if (typeof v === "string") return v;
    if (v === null) return "None";
    if (v === true) return "True";
    if (v === false) return "False";
    if (typeof v === "number" && Number.isInteger(v)) return String(v);
    if (v === U) undef("in ra");
    throw new Error("lienthong: mẫu in không in được giá trị kiểu " + typeof v + ".");
  }

  function html(v) {
    return v instanceof Safe ? v.s : escape(pystr(v));
  }

  function truth(v) {
    if (v === U) undef("điều kiện");
    if (v instanceof Safe) return v.s.length > 0;
    if (Array.isArray(v) || typeof v === "string") return v.length > 0;
    if (v !== null && typeof v === "object") return Object.keys(v).length > 0;
    return !!v;
  }

  function num(v) {
    if (typeof v !== "number") throw new Error("lienthong: mẫu in cần một số.");
    return v;
  }

  function createTemplates(compiled) {
    var modules = {};

    function template(name) {
      if (!hasOwn.call(compiled, name)) throw new Error("lienthong: không có mẫu in " + String(name) + ".");
      return compiled[name];
    }

    var R = {
      U: U,
      o: html,
      t: truth,
      n: function (scope, name) {
        if (name in scope) return scope[name];
        if (name === "range") return R.range;
        return U;
      },
      a: function (obj, key) {
        if (obj === U) undef(String(key));
        if (Array.isArray(obj) || typeof obj === "string") {
          if (typeof key !== "number") return U;
          var i = key < 0 ? obj.length + key : key;
          return i >= 0 && i < obj.length ? obj[i] : U;
        }
        if (obj !== null && typeof obj === "object" && !(obj instanceof Safe)) {
          // A view's key, or a macro of an imported module (its own top-level scope).
          return hasOwn.call(obj, key) ? obj[key] : U;
        }
        return U;
      },
      call: function (fn, args) {
        if (typeof fn !== "function") undef("lời gọi");
        return fn(args);
      },
      macro: function (name, count, body) {
        return function (args) {
          if (args.length > count) throw new Error("lienthong: macro " + name + " nhận quá nhiều tham số.");
          return new Safe(body(args));
        };
      },
      range: function (args) {
        var start = args.length > 1 ? num(args[0]) : 0;
        var stop = num(args.length > 1 ? args[1] : args[0]);
        var out = [];
        for (var i = start; i < stop; i++) out.push(i);
        return out;
      },
      each: function (items, body) {
        if (items === U) undef("vòng lặp");
        if (!Array.isArray(items)) throw new Error("lienthong: mẫu in chỉ lặp được trên danh sách.");
        var n = items.length;
        items.forEach(function (item, i) {
          body(item, { index: i + 1, index0: i, first: i === 0, last: i === n - 1, length: n });
        });
      },
      unpack: function (item, count) {
        if (!Array.isArray(item) || item.length !== count) {
          throw new Error("lienthong: mẫu in cần danh sách " + count + " phần tử.");
        }
      },
      safe: function (text) {
        return new Safe(text);
      },
      load: function (name) {
        if (!hasOwn.call(modules, name)) modules[name] = template(name)(Object.create(null), R)[1];
        return modules[name];
      },
      include: function (name, scope) {
        return template(name)(Object.create(scope), R)[0];
      },
      // markupsafe's markup_join (Jinja's ~ with autoescape): Markup if any part is.
      cat: function (parts) {
        var strs = parts.map(pystr);
        if (!parts.some(function (p) { return p instanceof Safe; })) return strs.join("");
        return new Safe(parts.map(html).join(""));
      },
      eq: function (a, b) {
        return a === b || (a instanceof Safe && b instanceof Safe && a.s === b.s);
      },
      ne: function (a, b) {
        return !R.eq(a, b);
      },
      lt: function (a, b) {
        return num(a) < num(b);
      },
      gt: function (a, b) {
        return num(a) > num(b);
      },
      le: function (a, b) {
        return num(a) <= num(b);
      },
      ge: function (a, b) {
        return num(a) >= num(b);
      },
      add: function (a, b) {
        if (typeof a === "string" && typeof b === "string") return a + b;
        return num(a) + num(b);
      },
      sub: function (a, b) {
        return num(a) - num(b);
      },
      and: function (a, b) {
        return truth(a) ? b() : a;
      },
      or: function (a, b) {
        return truth(a) ? a : b();
      },
      is_none: function (v) {
        return v === null;
      },
      f: {
        safe: function (v) {
          return v instanceof Safe ? v : new Safe(pystr(v));
        },
        // render_pdf.marks: footnote marks "(1)" printed small and raised (\d: Nd digits).
        marks: function (v) {
          return new Safe(html(v).replace(/\((\p{Nd})\)/gu, '<span class="n">($1)</span>'));
        },
        max: function (v) {
          if (!Array.isArray(v) || !v.length) throw new Error("lienthong: max cần một danh sách.");
          return Math.max.apply(null, v.map(num));
        },
        length: function (v) {
          if (v instanceof Safe) return v.s.length;
          if (Array.isArray(v) || typeof v === "string") return v.length;
          if (v !== null && typeof v === "object" && v !== U) return Object.keys(v).length;
          throw new Error("lienthong: length cần một danh sách.");
        },
      },
    };

    function render(name, vars) {
      var scope = Object.create(null);
      Object.keys(vars).forEach(function (k) {
        scope[k] = vars[k];
      });
      return template(name)(scope, R)[0];
    }

    return { render: render, Safe: Safe, escape: escape };
  }

  var api = { createTemplates: createTemplates };
  if (typeof module === "object" && module && module.exports) module.exports = api;
})();
