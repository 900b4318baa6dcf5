/* lienthong offline form: reads the form the page was built with (the JSON tree of
 * generator/offline/form.py in #lt-model) into a group record, shows the fields that apply,
 * puts the validator's messages next to their fields and in a summary (GOV.UK pattern), keeps
 * a draft in localStorage only after consent, exports/imports the record as JSON and prints
 * the filled declarations. Needs window.lienthong.validate and .units (the validator bundle);
 * printing needs window.lienthong.printDocument. Sends nothing anywhere. */
(function () {
  "use strict";
  var lt = window.lienthong;
  var data = JSON.parse(document.getElementById("lt-model").textContent);
  var ROOT = data.t;
  var GROUP = data.g;
  var VERSION = data.v;
  var KEY = "lienthong:" + GROUP;
  var MAX_FILE = 1000000;
  var form = document.getElementById("lt-form");
  // The sections come as data (offline/form.py sections_data) and are drawn here by the
  // compiled sections.html.j2: the HTML that Python renders, 5 KB less to send.
  if (data.f && lt.createTemplates && lt.formTemplates) {
    var expand = function (n) {
      // Back to what fields.html.j2 reads: the id, and the defaults the data left out.
      if (!n) return n;
      n.id = fid(n.ptr);
      for (var k in data.fd) if (!Object.prototype.hasOwnProperty.call(n, k)) n[k] = data.fd[k];
      n.children.forEach(expand);
      expand(n.item);
      return n;
    };
    data.f.forEach(function (s) {
      s.nodes.forEach(expand);
    });
    var drawn = lt.createTemplates(lt.formTemplates).render("sections.html.j2", { sections: data.f });
    document.getElementById("lt-review").insertAdjacentHTML("beforebegin", drawn);
  }
  var touched = {};
  var submitted = false;

  function $(id) {
    return document.getElementById(id);
  }
  function fid(ptr) {
    return "f" + ptr.replace(/\//g, "-");
  }
  function real(ptr, idx) {
    var i = 0;
    return ptr.replace(/#/g, function () {
      return String(idx[i++]);
    });
  }
  function key(node) {
    return node.p.slice(node.p.lastIndexOf("/") + 1);
  }
  function isObject(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }
  function say(text) {
    var status = $("lt-status");
    status.textContent = "";
    // A fresh text node makes screen readers announce a repeated message too.
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  // -- conditions (the keywords offline_form.CONDITION_KEYWORDS allows) -----------------------

  function holds(schema, value) {
    if (schema.properties && isObject(value)) {
      for (var k in schema.properties) {
        if (k in value && !holds(schema.properties[k], value[k])) return false;
      }
    }
    if (schema.required && isObject(value)) {
      for (var i = 0; i < schema.required.length; i++) {
        if (!(schema.required[i] in value)) return false;
      }
    }
    if ("const" in schema && value !== schema["const"]) return false;
    if (schema["enum"] && schema["enum"].indexOf(value) < 0) return false;
    if (schema.not && holds(schema.not, value)) return false;
    if (schema.allOf) {
      for (var j = 0; j < schema.allOf.length; j++) if (!holds(schema.allOf[j], value)) return false;
    }
    return true;
  }

  // -- form -> record ----------------------------------------------------------------------------

  function wrapper(node, idx) {
    return $("w" + fid(real(node.p, idx)));
  }

  function collect(node, idx) {
    var ptr = real(node.p, idx);
    var id = fid(ptr);
    switch (node.k) {
      case "object":
        if (node.o && !$(id + "-on").checked) return undefined;
        var out = {};
        node.c.forEach(function (c) {
          if (!c.w) put(out, c, collect(c, idx));
        });
        node.c.forEach(function (c) {
          if (!c.w) return;
          var on = c.w.some(function (cond) {
            return holds(cond, out);
          });
          var w = wrapper(c, idx);
          if (w && w.hidden === on) w.hidden = !on;
          if (on) put(out, c, collect(c, idx));
        });
        return out;
      case "place":
        if (node.o && !$(id + "-on").checked) return undefined;
        var place = {};
        ["province", "commune", "detail"].forEach(function (part) {
          var input = $(id + "-" + part);
          var v = input ? input.value.trim() : "";
          if (v) place[part] = v;
        });
        return place;
      case "array":
        var rows = $(id + "-rows").children;
        var list = [];
        for (var i = 0; i < rows.length; i++) list.push(collect(node.i, idx.concat([i])));
        return list.length || node.r ? list : undefined;
      case "radio":
        var checked = form.querySelector('input[name="' + ptr + '"]:checked');
        return checked ? checked.value : undefined;
      case "checkbox":
        return $(id).checked ? true : node.r ? false : undefined;
      case "integer":
        var n = $(id).value.trim();
        if (!n) return undefined;
        return /^[0-9]{1,6}$/.test(n) ? Number(n) : n;
      default:
        var v = $(id).value.trim();
        return v ? v : undefined;
    }
  }

  function put(out, node, value) {
    if (value !== undefined) out[key(node)] = value;
  }

  function record() {
    return collect(ROOT, []);
  }

  // -- record -> form ----------------------------------------------------------------------------

  function fill(node, value, idx) {
    var ptr = real(node.p, idx);
    var id = fid(ptr);
    switch (node.k) {
      case "object":
      case "place":
        if (node.o) setToggle($(id + "-on"), isObject(value));
        if (node.k === "place") {
          var v = isObject(value) ? value : {};
          setSelect($(id + "-province"), v.province);
          communes($(id + "-province"));
          setSelect($(id + "-commune"), v.commune);
          if ($(id + "-detail")) $(id + "-detail").value = typeof v.detail === "string" ? v.detail : "";
          return;
        }
        node.c.forEach(function (c) {
          fill(c, isObject(value) ? value[key(c)] : undefined, idx);
        });
        return;
      case "array":
        var rows = $(id + "-rows");
        while (rows.firstChild) rows.removeChild(rows.firstChild);
        if (Array.isArray(value)) {
          value.forEach(function (item, i) {
            if (node.m && i >= node.m) return;
            addRow(node, idx);
            fill(node.i, item, idx.concat([i]));
          });
        }
        updateAdd(node, idx);
        return;
      case "radio":
        form.querySelectorAll('input[name="' + ptr + '"]').forEach(function (r) {
          r.checked = r.value === value;
        });
        return;
      case "checkbox":
        $(id).checked = value === true;
        return;
      case "select":
        setSelect($(id), value);
        return;
      default:
        $(id).value = typeof value === "string" || typeof value === "number" ? String(value) : "";
    }
  }

  function setSelect(select, value) {
    select.value = typeof value === "string" ? value : "";
    if (select.value !== value) select.value = "";
  }

  function setToggle(box, on) {
    box.checked = on;
    toggled(box);
  }

  function toggled(box) {
    var body = $(box.id.replace(/-on$/, "-body"));
    body.hidden = !box.checked;
    box.setAttribute("aria-expanded", box.checked ? "true" : "false");
  }

  // -- administrative units ------------------------------------------------------------------------

  function communes(provinceSelect) {
    var select = $(provinceSelect.id.replace(/-province$/, "-commune"));
    var keep = select.value;
    while (select.options.length > 1) select.remove(1);
    var list = (lt.units && lt.units.communes[provinceSelect.value]) || [];
    list.forEach(function (c) {
      select.add(new Option(c[1], c[0]));
    });
    select.value = keep;
    if (select.value !== keep) select.value = "";
  }

  // -- places: search, "same as", the publisher's commune ----------------------------------------

  function fold(text) {
    // "Phường Ba Đình" -> "phuong ba dinh": on a phone people type without diacritics.
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/đ/g, "d");
  }

  function words(text) {
    // " xa ea h leo ": folded words between spaces, so that a word is found by " " + word.
    return " " + fold(text).replace(/[^a-z0-9]+/g, " ").trim() + " ";
  }

  var index = null;
  function communeIndex() {
    if (index) return index;
    index = [];
    var names = {};
    var units = lt.units || { provinces: [], communes: {} };
    units.provinces.forEach(function (p) {
      names[p[0]] = p[1];
    });
    Object.keys(units.communes).forEach(function (prov) {
      units.communes[prov].forEach(function (c) {
        index.push({
          p: prov,
          c: c[0],
          text: c[1] + ", " + names[prov],
          name: words(c[1]),
          all: words(c[1] + " " + names[prov]),
        });
      });
    });
    return index;
  }

  var MAX_RESULTS = 8;
  function matches(query, chosen) {
    // Every word typed must begin a word of the commune's or its province's name. First come
    // communes of the province already chosen, then those whose own name holds every word, then
    // those where more words are whole ("so" is "Sơ" before it is "Sơn").
    var typed = words(query).split(" ").filter(Boolean);
    if (!typed.length) return null;
    var phrase = " " + typed.join(" ") + " ";
    function has(key) {
      return typed.every(function (w) {
        return key.indexOf(" " + w) >= 0;
      });
    }
    function partial(key) {
      return typed.filter(function (w) {
        return key.indexOf(" " + w + " ") < 0;
      }).length;
    }
    var found = [];
    communeIndex().forEach(function (e) {
      if (!has(e.all)) return;
      var rank = (e.p === chosen ? 0 : 2000) + (has(e.name) ? 0 : 1000) + 10 * partial(e.all);
      if (e.all.indexOf(phrase) >= 0) rank -= 5; // the words in the order typed
      found.push({ e: e, rank: rank + e.name.length / 1000 });
    });
    found.sort(function (a, b) {
      return a.rank - b.rank;
    });
    return found.map(function (f) {
      return f.e;
    });
  }

  function search(input) {
    var list = $(input.id + "-results");
    var count = $(input.id + "-count");
    while (list.firstChild) list.removeChild(list.firstChild);
    list.hidden = true;
    var found = matches(input.value, $(input.id.replace(/-search$/, "-province")).value);
    if (!found) {
      count.textContent = "";
      return;
    }
    found.slice(0, MAX_RESULTS).forEach(function (e) {
      var b = element("button", e.text, "lt-pick");
      b.type = "button";
      b.setAttribute("data-pick", e.p + " " + e.c);
      list.appendChild(document.createElement("li")).appendChild(b);
    });
    list.hidden = !found.length;
    count.textContent = !found.length
      ? "Không thấy xã, phường nào có tên như vậy; thử gõ ít chữ hơn hoặc chọn trong danh sách dưới đây."
      : found.length > MAX_RESULTS
        ? "Có " + found.length + " nơi khớp, hiện " + MAX_RESULTS + " nơi đầu; gõ thêm để thu hẹp."
        : "Có " + found.length + " nơi khớp; bấm để chọn.";
  }

  function setPlace(id, province, commune, detail) {
    setSelect($(id + "-province"), province);
    communes($(id + "-province"));
    setSelect($(id + "-commune"), commune);
    if (detail !== undefined && $(id + "-detail")) $(id + "-detail").value = detail;
  }

  function placeDone(ptr, id, message) {
    ["province", "commune", "detail"].forEach(function (part) {
      touched[ptr + "/" + part] = true;
    });
    // Focus moves on before the button that was pressed disappears.
    ($(id + "-detail") || $(id + "-commune")).focus();
    say(message);
    refresh(false);
  }

  function pick(button) {
    var input = button.closest(".lt-search").querySelector("[data-search]");
    var id = input.id.replace(/-search$/, "");
    var code = button.getAttribute("data-pick").split(" ");
    setPlace(id, code[0], code[1]);
    var text = button.textContent;
    placeDone(input.getAttribute("data-search"), id, "Đã chọn " + text + ".");
    input.value = "";
    search(input);
  }

  function placeValue(ptr) {
    var id = fid(ptr);
    var v = {};
    ["province", "commune", "detail"].forEach(function (part) {
      var input = $(id + "-" + part);
      v[part] = input ? input.value.trim() : "";
    });
    return v;
  }

  function offers() {
    form.querySelectorAll("[data-copy]").forEach(function (b) {
      var src = b.getAttribute("data-copy");
      var from = placeValue(src);
      var to = placeValue(b.getAttribute("data-to"));
      var detail = b.hasAttribute("data-detail");
      var show =
        !!from.commune &&
        !isHidden($("w" + fid(src))) &&
        (from.province !== to.province || from.commune !== to.commune || (detail && from.detail !== to.detail));
      if (b.hidden === show) b.hidden = !show;
    });
  }

  function copyPlace(b) {
    var from = placeValue(b.getAttribute("data-copy"));
    var to = b.getAttribute("data-to");
    setPlace(fid(to), from.province, from.commune, b.hasAttribute("data-detail") ? from.detail : undefined);
    placeDone(to, fid(to), "Đã điền: " + b.textContent.charAt(0).toLowerCase() + b.textContent.slice(1) + ".");
  }

  function defaults() {
    // Receiving agencies start at the publisher's own commune: most people file where they live.
    if (!data.h) return;
    (function walk(node) {
      if (node.k === "place" && node.f && node.p.indexOf("#") < 0 && !$(fid(node.p) + "-commune").value) {
        setPlace(fid(node.p), data.h.province, data.h.commune);
      }
      (node.c || []).forEach(walk);
    })(ROOT);
  }

  // -- repeating rows ------------------------------------------------------------------------------

  function findNode(node, ptr) {
    if (node.p === ptr) return node;
    var kids = (node.c || []).concat(node.i ? [node.i] : []);
    for (var i = 0; i < kids.length; i++) {
      var found = findNode(kids[i], ptr);
      if (found) return found;
    }
    return null;
  }

  function addRow(node, idx) {
    var id = fid(real(node.p, idx));
    var rows = $(id + "-rows");
    var n = rows.children.length;
    var row = $(id + "-row").content.firstElementChild.cloneNode(true);
    var rowIdx = idx.concat([n]);
    [row].concat(Array.prototype.slice.call(row.querySelectorAll("*"))).forEach(function (el) {
      ["id", "for", "name", "data-ptr", "aria-describedby", "aria-controls", "data-commune"].forEach(
        function (attr) {
          var v = el.getAttribute(attr);
          if (v && v.indexOf("#") >= 0) el.setAttribute(attr, real(v, rowIdx));
        }
      );
    });
    row.querySelector("[data-row-number]").textContent = String(n + 1);
    rows.appendChild(row);
    updateAdd(node, idx);
    return row;
  }

  function updateAdd(node, idx) {
    var id = fid(real(node.p, idx));
    var button = form.querySelector('[data-add="' + node.p + '"]');
    if (button && node.m) button.hidden = $(id + "-rows").children.length >= node.m;
  }

  function removeRow(node, rowEl) {
    var rows = rowEl.parentNode;
    var index = Array.prototype.indexOf.call(rows.children, rowEl);
    var value = collect(node, []) || [];
    value.splice(index, 1);
    fill(node, value, []);
    var left = rows.children[Math.min(index, rows.children.length - 1)];
    var target = left ? left.querySelector("input, select") : form.querySelector('[data-add="' + node.p + '"]');
    if (target) target.focus();
    say("Đã xóa một dòng.");
  }

  // -- errors ------------------------------------------------------------------------------------

  function target(ptr) {
    // The wrapper of the field the pointer names, or of its nearest shown ancestor.
    var p = ptr;
    while (true) {
      var w = $("w" + fid(p));
      if (w && !isHidden(w)) return { ptr: p, el: w };
      if (!p) return null;
      p = p.slice(0, p.lastIndexOf("/"));
    }
  }

  function isHidden(el) {
    for (var e = el; e && e !== form; e = e.parentElement) if (e.hidden) return true;
    return false;
  }

  function focusable(w) {
    if (w.matches("input, select, textarea")) return w;
    return w.querySelector("input:not([type=hidden]), select, textarea") || w;
  }

  function validate() {
    return lt.validate(record());
  }

  function showErrors(errors) {
    form.querySelectorAll(".lt-error").forEach(function (p) {
      if (!p.hidden) {
        p.hidden = true;
        p.textContent = "";
      }
    });
    form.querySelectorAll(".lt-invalid").forEach(function (w) {
      w.classList.remove("lt-invalid");
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (i) {
      i.removeAttribute("aria-invalid");
    });
    var placed = [];
    errors.forEach(function (e) {
      var t = target(e.pointer);
      if (!t || !(submitted || touched[t.ptr])) return;
      var msg = $(fid(t.ptr) + "-error");
      if (msg) {
        msg.textContent = msg.hidden ? e.message : msg.textContent + " " + e.message;
        msg.hidden = false;
      }
      t.el.classList.add("lt-invalid");
      var input = focusable(t.el);
      if (input !== t.el) input.setAttribute("aria-invalid", "true");
      placed.push({ error: e, el: t.el });
    });
    return placed;
  }

  function summary(placed) {
    var box = $("lt-summary");
    var list = $("lt-summary-list");
    while (list.firstChild) list.removeChild(list.firstChild);
    placed.sort(function (a, b) {
      if (a.el === b.el) return 0;
      return a.el.compareDocumentPosition(b.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    placed.forEach(function (p) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      var input = focusable(p.el);
      a.href = "#" + (input.id || p.el.id);
      a.textContent = p.error.message;
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        reveal(p.el);
        p.el.scrollIntoView({ block: "start" });
        input.focus({ preventScroll: true });
      });
      li.appendChild(a);
      list.appendChild(li);
    });
    $("lt-summary-count").textContent = String(placed.length);
    box.hidden = placed.length === 0;
    $("lt-done").hidden = placed.length !== 0;
    return placed.length === 0 ? $("lt-done") : box;
  }

  function check() {
    submitted = true;
    if (stepped) {
      editing = false;
      return show("lt-review", step !== "lt-review", true);
    }
    var focus = summary(showErrors(validate()));
    focus.focus();
  }

  // What the family would receive for the date of death typed (assets/amounts.js).
  function showAmounts() {
    if (!data.a || !lt.amounts) return;
    var rec = record();
    data.a.forEach(function (rule) {
      var el = form.querySelector('[data-amount="' + rule.id + '"]');
      var value = rule.at.split("/").slice(1).reduce(function (v, k) {
        return isObject(v) ? v[k] : undefined;
      }, rec);
      if (el) el.textContent = lt.amounts.message(rule, value);
    });
  }

  function refresh(shownOnly) {
    showAmounts();
    offers();
    var errors = validate();
    var placed = showErrors(errors);
    if (submitted && !shownOnly) summary(placed);
    saveSoon();
  }

  // -- drafts ------------------------------------------------------------------------------------

  var storage = null;
  try {
    storage = window.localStorage;
    storage.getItem(KEY);
  } catch (e) {
    storage = null;
  }
  var saveTimer = null;
  var oldDraft = null;

  function consented() {
    return $("lt-consent").checked;
  }

  function saveSoon() {
    if (!storage || !consented()) return;
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(save, 300);
  }

  function save() {
    if (!storage || !consented()) return;
    try {
      storage.setItem(
        KEY,
        JSON.stringify({ version: VERSION, saved: new Date().toISOString(), record: record() })
      );
    } catch (e) {
      note("Không lưu được bản nháp: bộ nhớ của trình duyệt đã đầy hoặc bị chặn. Hãy bấm “Lưu ra tệp”.");
    }
  }

  function note(text, download, actions, lines) {
    var p = $("lt-draft-note");
    while (p.firstChild) p.removeChild(p.firstChild);
    p.appendChild(document.createTextNode(text));
    if (lines && lines.length) {
      var list = document.createElement("ul");
      lines.forEach(function (line) {
        list.appendChild(document.createElement("li")).textContent = line;
      });
      p.appendChild(list);
    }
    (actions || []).forEach(function (a) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "lt-button lt-secondary";
      b.textContent = a.label;
      b.addEventListener("click", function () {
        a.run();
        b.remove();
      });
      p.appendChild(document.createTextNode(" "));
      p.appendChild(b);
    });
    if (download) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "lt-button lt-secondary";
      b.textContent = "Tải bản nháp cũ về máy";
      b.addEventListener("click", function () {
        saveFile(GROUP + "-ban-nhap-cu.json", download);
      });
      p.appendChild(document.createTextNode(" "));
      p.appendChild(b);
    }
    p.hidden = !text;
  }

  function when(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    function two(n) {
      return (n < 10 ? "0" : "") + n;
    }
    return (
      " lúc " + two(d.getHours()) + ":" + two(d.getMinutes()) + " ngày " + two(d.getDate()) + "/" +
      two(d.getMonth() + 1) + "/" + d.getFullYear()
    );
  }

  function restore() {
    if (!storage) {
      $("lt-consent").disabled = true;
      $("lt-consent-hint").textContent =
        "Trình duyệt này không cho lưu bản nháp. Hãy dùng “Lưu ra tệp” để giữ thông tin đã điền.";
      return;
    }
    var raw = storage.getItem(KEY);
    if (raw === null) return;
    var draft = null;
    try {
      draft = JSON.parse(raw);
    } catch (e) {
      draft = null;
    }
    if (!isObject(draft) || !isObject(draft.record)) {
      // Keep what cannot be read: the person may still want it.
      storage.setItem(KEY + ":hong", raw);
      storage.removeItem(KEY);
      note("Bản nháp lưu trên máy bị hỏng nên không mở được. Có thể tải nó về để nhờ cán bộ xem.", raw);
      return;
    }
    $("lt-consent").checked = true;
    fill(ROOT, draft.record, []);
    var lost = differences(draft.record, record());
    if (draft.version === VERSION && !lost.length) {
      note("Đã mở lại bản nháp lưu" + when(draft.saved) + ".");
      return;
    }
    oldDraft = raw;
    storage.setItem(KEY + ":cu", raw);
    var why =
      draft.version === VERSION
        ? "Một số thông tin trong bản nháp không đưa lại được vào biểu mẫu"
        : "Bản nháp lưu" + when(draft.saved) + " theo biểu mẫu phiên bản " + String(draft.version) +
          ", nay biểu mẫu là phiên bản " + String(VERSION) + ". Đã đưa vào những thông tin còn dùng được; hãy kiểm tra lại từng mục";
    noteUnits(
      why + (lost.length ? " (không đưa vào được: " + lost.join(", ") + ")" : "") +
        ". Bản nháp cũ vẫn được giữ nguyên trên máy.",
      draft.record,
      oldDraft
    );
  }

  function differences(wanted, got, ptr, out) {
    // Pointers of values in `wanted` that the form did not take up.
    out = out || [];
    ptr = ptr || "";
    if (isObject(wanted)) {
      for (var k in wanted) {
        differences(wanted[k], isObject(got) ? got[k] : undefined, ptr + "/" + k, out);
      }
    } else if (Array.isArray(wanted)) {
      wanted.forEach(function (v, i) {
        differences(v, Array.isArray(got) ? got[i] : undefined, ptr + "/" + i, out);
      });
    } else if (!same(wanted, got)) {
      out.push(label(ptr));
    }
    return out;
  }

  // Unit codes of a saved record that the 2025 lists do not have: most are codes from before
  // the reorganisation of 01/7/2025. Which unit replaced each one is in the table of
  // generator/offline/legacy_js.py, too large for this page: it is loaded from beside the page
  // when a record needs it (a form saved alone has none, and keeps the short note).
  function oldUnits(record) {
    var units = lt.units || { provinces: [], communes: {} };
    var provinces = {};
    var communes = {};
    units.provinces.forEach(function (p) {
      provinces[p[0]] = true;
    });
    Object.keys(units.communes).forEach(function (prov) {
      units.communes[prov].forEach(function (c) {
        communes[c[0]] = true;
      });
    });
    var out = [];
    (function walk(value, ptr) {
      if (Array.isArray(value)) {
        value.forEach(function (v, i) {
          walk(v, ptr + "/" + i);
        });
      } else if (isObject(value)) {
        var p = value.province;
        var c = value.commune;
        if (typeof p === "string" && /^[0-9]{2}$/.test(p) && !provinces[p]) {
          out.push("mã tỉnh " + p + " ở mục " + label(ptr));
        } else if (typeof c === "string" && /^[0-9]{5}$/.test(c) && !communes[c]) {
          out.push("mã xã, phường " + c + " ở mục " + label(ptr));
        }
        for (var k in value) walk(value[k], ptr + "/" + k);
      }
    })(record, "");
    return out;
  }

  // found: what oldUnits() gives for the record.
  function oldUnitsNote(found) {
    if (!found.length) return "";
    return (
      " Trong tệp có " + found.join(", ") + ": " + (found.length > 1 ? "các mã này" : "mã này") +
      " không có trong danh mục đơn vị hành chính từ ngày " +
      "01/7/2025, thường là mã cũ trước khi sắp xếp lại. Hãy tìm tên xã, phường mới ở ô “Tìm nhanh xã, phường” " +
      "và chọn lại."
    );
  }

  var legacyWaiting = null;

  function withLegacy(done) {
    if (lt.legacy || !data.o) return done(lt.legacy || null);
    if (legacyWaiting) return legacyWaiting.push(done);
    legacyWaiting = [done];
    var s = document.createElement("script");
    var finish = function () {
      var waiting = legacyWaiting;
      legacyWaiting = null;
      waiting.forEach(function (f) {
        f(lt.legacy || null);
      });
    };
    s.onload = finish;
    s.onerror = function () {
      s.remove();
      finish();
    };
    s.src = data.o;
    document.head.appendChild(s);
  }

  // Whether a record has a field named for the district level ("district", "Quận/Huyện"...:
  // legacy_units.DISTRICT_KEYS, which the page carries as data.dk).
  function hasDistrict(value) {
    if (Array.isArray(value)) return value.some(hasDistrict);
    if (!isObject(value)) return false;
    return Object.keys(value).some(function (k) {
      return (data.dk || []).indexOf(fold(k).replace(/[^a-z0-9]/g, "")) >= 0 || hasDistrict(value[k]);
    });
  }

  // The note, then, where the record holds old units or a district field, the note with what
  // replaced each one, as lienthong validate says it.
  function noteUnits(text, value, download) {
    var old = lt.units ? oldUnits(value) : [];
    note(text + oldUnitsNote(old), download);
    if (!lt.units || !(old.length || hasDistrict(value))) return;
    var shown = $("lt-draft-note").textContent;
    withLegacy(function (legacy) {
      var found = [];
      try {
        if (legacy) found = legacy.explain(value, lt.units);
      } catch (e) {
        // A table from another build (a cached copy older than the page): keep the short note.
      }
      // Only if the note still says the same (nothing else was opened meanwhile).
      if (!found.length || $("lt-draft-note").textContent !== shown) return;
      var lines = found.map(function (f) {
        return "Ở mục " + label(f.pointer.slice(0, f.pointer.lastIndexOf("/"))) + ": " + f.message;
      });
      note(text, download, found.map(replacement).filter(Boolean), lines);
    });
  }

  // Where one 2025 unit took the whole old one's place, a button puts it in the place's fields
  // (legacy-units.js gives them: the old commune's successor, or the old province's).
  function replacement(found) {
    var at = found.pointer.slice(0, found.pointer.lastIndexOf("/"));
    var id = fid(at);
    var then = found.then;
    if (!then || !$(id + "-commune")) return null;
    var what = then.name + " cho mục " + label(at);
    return {
      label: "Chọn " + what,
      run: function () {
        setPlace(id, then.province, then.commune);
        reveal($(id + "-commune"));
        placeDone(at, id, "Đã chọn " + what + ".");
      },
    };
  }

  function same(a, b) {
    if (typeof a === "string" && typeof b === "string") return a.trim() === b.trim();
    return a === b;
  }

  function label(ptr) {
    var t = target(ptr);
    var l = t && t.el.querySelector(".lt-label, .lt-legend, h2");
    return "“" + (l ? l.textContent.replace(/\s*\((?:không bắt buộc|bắt buộc nếu[^)]*)\)/, "").trim() : ptr) + "”";
  }

  // -- files -------------------------------------------------------------------------------------

  function saveFile(name, text) {
    var url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    window.setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 10000);
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function exportRecord() {
    saveFile(GROUP + "-" + today() + ".json", JSON.stringify(record(), null, 2) + "\n");
    say("Đã lưu hồ sơ ra tệp " + GROUP + "-" + today() + ".json. Mở lại bằng nút “Mở tệp đã lưu”.");
  }

  function shape(value, depth) {
    // Refuse odd structures before touching the form: deep nesting, huge lists.
    if (depth > 8) return false;
    if (Array.isArray(value)) {
      if (value.length > 50) return false;
      return value.every(function (v) {
        return shape(v, depth + 1);
      });
    }
    if (isObject(value)) {
      var keys = Object.keys(value);
      if (keys.length > 60) return false;
      return keys.every(function (k) {
        return shape(value[k], depth + 1);
      });
    }
    return typeof value !== "string" || value.length <= 5000;
  }

  function refuse(name, why) {
    var text = "Không mở được tệp “" + name + "”: " + why + " Biểu mẫu vẫn giữ nguyên.";
    note(text);
    say(text);
  }

  function importFile(file) {
    if (!file) return;
    var name = file.name;
    if (file.size > MAX_FILE) return refuse(name, "tệp quá lớn (hồ sơ chỉ vài KB).");
    file.text().then(
      function (text) {
        var value;
        try {
          value = JSON.parse(text);
        } catch (e) {
          return refuse(name, "tệp không phải là hồ sơ đã lưu từ biểu mẫu này (không đọc được dạng JSON).");
        }
        if (!isObject(value)) return refuse(name, "tệp không chứa một hồ sơ.");
        var known = ROOT.c.map(key);
        var strange = Object.keys(value).filter(function (k) {
          return known.indexOf(k) < 0;
        });
        if (strange.length) {
          return refuse(
            name,
            "tệp có mục “" + strange[0].slice(0, 40) + "” không thuộc biểu mẫu này; có thể đây là hồ sơ của nhóm thủ tục khác."
          );
        }
        if (!Object.keys(value).length) return refuse(name, "tệp không có thông tin nào.");
        if (!shape(value, 0)) return refuse(name, "cấu trúc tệp không giống một hồ sơ (quá sâu hoặc quá lớn).");
        clearForm();
        fill(ROOT, value, []);
        codesSoon();
        var lost = differences(value, record());
        noteUnits(
          "Đã mở tệp “" + name + "”." +
            (lost.length ? " Không đưa vào được: " + lost.join(", ") + "; hãy điền lại các mục này." : ""),
          value
        );
        check();
        save();
      },
      function () {
        refuse(name, "không đọc được tệp.");
      }
    );
  }

  // -- clear -------------------------------------------------------------------------------------

  function clearForm() {
    form.reset();
    form.querySelectorAll("[data-toggle]").forEach(toggled);
    form.querySelectorAll("select[data-province]").forEach(communes);
    (function clearRows(node) {
      if (node.k === "array") fill(node, [], []);
      (node.c || []).forEach(clearRows);
    })(ROOT);
    form.querySelectorAll(".lt-results").forEach(function (list) {
      list.hidden = true;
    });
    defaults();
    touched = {};
    submitted = false;
    showErrors([]);
    $("lt-summary").hidden = true;
    $("lt-done").hidden = true;
    record(); // re-applies which conditional fields show
    offers();
  }

  function clearAll() {
    clearForm();
    if (storage) {
      [KEY, KEY + ":cu", KEY + ":hong"].forEach(function (k) {
        storage.removeItem(k);
      });
    }
    $("lt-consent").checked = false;
    note("");
    $("lt-print-view").textContent = "";
    $("lt-clear-confirm").hidden = true;
    say("Đã xóa mọi thông tin đã điền và bản nháp trên máy này.");
    if (stepped) show(stepSections()[0].id, true, false);
    form.querySelector(".lt-section:not(.lt-off) input, .lt-section:not(.lt-off) select").focus();
  }

  // -- one step at a time (GOV.UK: one thing per page, then "check your answers") ---------------

  var narrow = window.matchMedia ? window.matchMedia("(max-width: 48em)") : null;
  var stepped = false;
  var step = null; // id of the section shown
  var editing = false; // arrived through a "Sửa" link: "Tiếp tục" goes back to the answers
  var chosen = null; // the reader's own choice of layout wins over the screen's width

  function wantSteps() {
    if (chosen !== null) return chosen;
    return data.l === "steps" || (data.l !== "one-page" && !!narrow && narrow.matches);
  }

  function stepSections() {
    record(); // the choices made so far decide which sections apply
    return Array.prototype.filter.call(form.querySelectorAll(".lt-section"), function (sec) {
      return !sec.hidden;
    });
  }

  function heading(sec) {
    return sec.querySelector("h2");
  }

  function setLayout(on) {
    stepped = on;
    document.body.classList.toggle("lt-stepped", on);
    $("lt-review").hidden = !on;
    $("lt-stepnav").hidden = !on;
    $("lt-progress").hidden = !on;
    $("lt-layout").hidden = false;
    $("lt-layout").textContent = on ? "Xem cả tờ khai trên một trang" : "Điền từng bước";
    if (on) {
      var list = stepSections();
      show(step || list[0].id, false, false);
      history.replaceState({ ltStep: step }, "");
    } else {
      form.querySelectorAll(".lt-off").forEach(function (el) {
        el.classList.remove("lt-off");
      });
      document.body.classList.remove("lt-later", "lt-at-review");
    }
  }

  function show(id, push, focus) {
    var list = stepSections();
    var at = 0;
    list.forEach(function (sec, n) {
      if (sec.id === id) at = n;
    });
    var sec = list[at];
    var review = sec.id === "lt-review";
    step = sec.id;
    form.querySelectorAll(".lt-section").forEach(function (other) {
      other.classList.toggle("lt-off", other !== sec);
    });
    $("lt-actions").classList.toggle("lt-off", !review);
    $("lt-next").hidden = review;
    $("lt-back").hidden = at === 0;
    document.body.classList.toggle("lt-later", at > 0);
    document.body.classList.toggle("lt-at-review", review);
    $("lt-progress").textContent =
      "Bước " + (at + 1) + "/" + list.length + ": " + heading(sec).textContent.replace(/^\s*\d+\.\s*/, "");
    if (push) history.pushState({ ltStep: step }, "", "#buoc-" + (at + 1));
    var target = null;
    if (review) {
      buildReview(list);
      submitted = true;
      target = summary(showErrors(validate()));
    } else {
      $("lt-summary").hidden = true;
      $("lt-done").hidden = true;
    }
    if (focus) {
      window.scrollTo(0, 0);
      (target || heading(sec)).focus({ preventScroll: true });
    }
  }

  function next() {
    var sec = $(step);
    sec.querySelectorAll("[data-ptr]").forEach(function (w) {
      if (!isHidden(w)) touched[w.getAttribute("data-ptr")] = true;
    });
    var here = showErrors(validate()).filter(function (p) {
      return sec.contains(p.el);
    });
    if (here.length) {
      summary(here).focus();
      return;
    }
    var list = stepSections();
    var at = list.indexOf(sec);
    var to = editing ? "lt-review" : list[Math.min(at + 1, list.length - 1)].id;
    editing = false;
    show(to, true, true);
  }

  function back() {
    var list = stepSections();
    var at = list.indexOf($(step));
    editing = false;
    show(list[Math.max(0, at - 1)].id, true, true);
  }

  function reveal(el) {
    // Before focusing a field of another step, open that step.
    var sec = stepped && el.closest(".lt-section");
    if (sec && sec.id !== step) {
      editing = step === "lt-review";
      show(sec.id, true, false);
    }
  }

  // -- check your answers ------------------------------------------------------------------------

  function textOf(el) {
    var copy = el.cloneNode(true);
    copy.querySelectorAll(".lt-opt, .lt-visually-hidden").forEach(function (x) {
      x.parentNode.removeChild(x);
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function chosenText(select) {
    return select.value ? select.options[select.selectedIndex].text : "";
  }

  function answer(w) {
    if (w.classList.contains("lt-place")) {
      var id = w.id.slice(1);
      var detail = $(id + "-detail");
      return [detail && detail.value.trim(), chosenText($(id + "-commune")), chosenText($(id + "-province"))]
        .filter(Boolean)
        .join(", ");
    }
    if (w.classList.contains("lt-choice")) {
      var radio = w.querySelector("input:checked");
      return radio ? textOf(radio.parentNode) : "";
    }
    var input = w.querySelector("input, select");
    if (!input) return "";
    if (input.type === "checkbox") return input.checked ? "Có" : "";
    if (input.tagName === "SELECT") return chosenText(input);
    var v = input.value.trim();
    var d = /^(\d{4})-(\d\d)-(\d\d)$/.exec(v);
    return input.type === "date" && d ? d[3] + "/" + d[2] + "/" + d[1] : v;
  }

  function question(w) {
    var l = w.classList.contains("lt-check") ? w.querySelector(".lt-radio span") : w.querySelector(".lt-label, .lt-legend");
    return l ? textOf(l) : "";
  }

  function context(w, sec) {
    var names = [];
    for (var e = w.parentElement; e && e !== sec; e = e.parentElement) {
      if (e.matches("fieldset.lt-group:not(.lt-place)")) names.unshift(textOf(e.querySelector(".lt-legend")));
      else if (e.matches("[data-row]")) names.unshift(textOf(e.querySelector(".lt-row-title")));
    }
    return names.join(" › ");
  }

  function element(tag, text, cls) {
    var el = document.createElement(tag);
    if (text) el.textContent = text;
    if (cls) el.className = cls;
    return el;
  }

  function buildReview(steps) {
    // steps: stepSections() as show() just read them (each read walks the whole record).
    var box = $("lt-review-list");
    while (box.firstChild) box.removeChild(box.firstChild);
    steps.forEach(function (sec) {
      if (sec.id === "lt-review") return;
      box.appendChild(element("h3", heading(sec).textContent.replace(/^\s*\d+\.\s*/, "")));
      var list = null;
      var where = null;
      var rows = 0;
      sec.querySelectorAll("[data-ptr]").forEach(function (w) {
        if (isHidden(w) || w.matches("fieldset.lt-group:not(.lt-place)") || w.parentElement.closest(".lt-place")) return;
        var value = answer(w);
        if (!value) return;
        var here = context(w, sec);
        if (!list || here !== where) {
          if (here) box.appendChild(element("h4", here));
          list = box.appendChild(element("dl", "", "lt-answers"));
          where = here;
        }
        var name = question(w);
        var row = list.appendChild(element("div", "", "lt-answer"));
        row.appendChild(element("dt", name));
        row.appendChild(element("dd", value));
        var a = element("a", "Sửa");
        var input = w.classList.contains("lt-place") ? w.querySelector("select") : focusable(w);
        a.href = "#" + (input.id || w.id);
        a.setAttribute("data-edit", "");
        a.appendChild(element("span", " " + name, "lt-visually-hidden"));
        row.appendChild(element("dd", "", "lt-change")).appendChild(a);
        rows++;
      });
      if (!rows) box.appendChild(element("p", "Chưa điền mục nào.", "lt-hint"));
    });
  }

  function edit(a) {
    var input = $(a.getAttribute("href").slice(1));
    if (!input) return;
    reveal(input);
    input.scrollIntoView({ block: "center" });
    input.focus({ preventScroll: true });
  }

  // -- print -------------------------------------------------------------------------------------

  // -- record codes: the whole record in QR codes on the printed checklist --------------------
  // (generator/recordcode/). They are made asynchronously (the browser's CompressionStream), so
  // they are kept ready for the record as typed: the browser's own print command (Ctrl+P)
  // cannot wait. A record whose codes are not ready yet prints without them, never with a
  // stale record's.
  var codes = { key: null, texts: null };
  var codesTimer = null;

  function codesFor(rec) {
    var key = JSON.stringify(rec);
    if (codes.key === key) return Promise.resolve(codes.texts);
    if (typeof lt.recordCodes !== "function") return Promise.resolve(null);
    return lt.recordCodes(rec).then(
      function (texts) {
        codes = { key: key, texts: texts };
        return texts;
      },
      function () {
        return null;
      }
    );
  }

  function codesSoon() {
    window.clearTimeout(codesTimer);
    codesTimer = window.setTimeout(function () {
      codesFor(record());
    }, 400);
  }

  function readyCodes(rec) {
    return codes.key === JSON.stringify(rec) ? codes.texts : null;
  }

  // A set's record codes in the address, from the clerk's scan page (quet-ma.html): taken out
  // of the address bar and the history before anything else, then read. Codes of another
  // group or version, or damaged ones, leave the form as it was.
  function fromCodes() {
    var hash = window.location.hash;
    if (hash.indexOf("#ma=") !== 0) return;
    var texts = [];
    try {
      texts = decodeURIComponent(hash.slice(4)).split("\n");
    } catch (e) {
      texts = [""]; // not percent-encoded text: refused as not a code
    }
    history.replaceState(history.state, "", window.location.pathname + window.location.search);
    if (typeof lt.readRecordCodes !== "function") return;
    lt.readRecordCodes(texts).then(
      function (value) {
        clearForm();
        fill(ROOT, value, []);
        showAmounts();
        codesSoon();
        note("Đã mở hồ sơ từ mã trên tờ khai. Hãy đối chiếu với giấy tờ gốc trước khi tiếp nhận.");
      },
      function (err) {
        note("Không mở được hồ sơ từ mã trên tờ khai: " + err.message + " Biểu mẫu giữ nguyên.");
      }
    );
  }

  function preparePrint(rec, texts) {
    var view = $("lt-print-view");
    if (rec === undefined) rec = record();
    var html = lt.printDocument(rec, texts === undefined ? readyCodes(rec) : texts);
    var doc = new DOMParser().parseFromString(html, "text/html");
    while (view.firstChild) view.removeChild(view.firstChild);
    doc.querySelectorAll("style").forEach(function (s) {
      var style = document.createElement("style");
      // The forms' stylesheet styles a whole document: it applies to paper only.
      style.textContent = "@media print {\n" + s.textContent + "\n}";
      view.appendChild(style);
    });
    Array.prototype.forEach.call(doc.body.childNodes, function (n) {
      view.appendChild(document.importNode(n, true));
    });
  }

  function print() {
    if (typeof lt.printDocument !== "function") return;
    var rec = record();
    var ready = readyCodes(rec);
    if (ready || typeof lt.recordCodes !== "function") {
      preparePrint(rec, ready);
      window.print();
      return;
    }
    codesFor(rec).then(function (texts) {
      preparePrint(rec, texts);
      window.print();
    });
  }

  // -- wiring ------------------------------------------------------------------------------------

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (stepped && step !== "lt-review") next();
    else check();
  });
  // A message shown on blur moves everything below it. When focus left because the person
  // pressed on another control, wait until the press is over, or the tap would land on
  // whatever moved under the finger.
  var pressing = false;
  var pending = false;
  function flush() {
    if (pending) {
      pending = false;
      refresh(true);
    }
  }
  document.addEventListener("pointerdown", function () {
    pressing = true;
  }, true);
  document.addEventListener("pointerup", function () {
    pressing = false;
    window.setTimeout(flush, 0);
  }, true);
  form.addEventListener("focusout", function (ev) {
    var w = ev.target.closest && ev.target.closest("[data-ptr]");
    if (!w || !ev.target.matches("input, select") || ev.target.matches("[data-search]")) return;
    // Radios: wait until focus leaves the whole group.
    if (ev.relatedTarget && w.contains(ev.relatedTarget) && ev.target.type === "radio") return;
    touched[w.getAttribute("data-ptr")] = true;
    pending = true;
    if (!pressing) flush();
  });
  form.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t.matches("select[data-province]")) communes(t);
    if (t.matches("[data-toggle]")) toggled(t);
    if (t.matches("input[type=radio], input[type=checkbox], select")) {
      var w = t.closest("[data-ptr]");
      if (w) touched[w.getAttribute("data-ptr")] = true;
    }
    refresh(false);
    codesSoon();
  });
  form.addEventListener("input", function (ev) {
    if (ev.target.matches("[data-search]")) return search(ev.target);
    showAmounts();
    codesSoon();
    var w = ev.target.closest && ev.target.closest(".lt-invalid");
    if (w) refresh(true);
    else saveSoon();
  });
  form.addEventListener("click", function (ev) {
    var t = ev.target;
    if (t.closest("[data-pick]")) {
      pick(t.closest("[data-pick]"));
    } else if (t.matches("[data-copy]")) {
      copyPlace(t);
    } else if (t.closest("[data-edit]")) {
      ev.preventDefault();
      edit(t.closest("[data-edit]"));
    } else if (t.matches("[data-add]")) {
      var node = findNode(ROOT, t.getAttribute("data-add"));
      var row = addRow(node, []);
      row.querySelector("input, select").focus();
      saveSoon();
    } else if (t.matches("[data-remove]")) {
      removeRow(findNode(ROOT, t.getAttribute("data-remove")), t.closest("[data-row]"));
      refresh(false);
    }
  });
  form.addEventListener("keydown", function (ev) {
    // In the search box, Enter picks the first match (instead of sending the form) and the
    // down arrow moves into the matches.
    var t = ev.target;
    if (!t.matches("[data-search]") || (ev.key !== "Enter" && ev.key !== "ArrowDown")) return;
    ev.preventDefault();
    var first = $(t.id + "-results").querySelector("[data-pick]");
    if (!first) return;
    if (ev.key === "Enter") pick(first);
    else first.focus();
  });
  $("lt-next").addEventListener("click", next);
  $("lt-back").addEventListener("click", back);
  $("lt-layout").addEventListener("click", function () {
    chosen = !stepped;
    setLayout(chosen);
    say(stepped ? "Biểu mẫu chia thành từng bước." : "Cả biểu mẫu hiện trên một trang.");
  });
  if (narrow && narrow.addEventListener) {
    narrow.addEventListener("change", function () {
      if (wantSteps() !== stepped) setLayout(wantSteps());
    });
  }
  window.addEventListener("popstate", function (ev) {
    var id = ev.state && ev.state.ltStep;
    if (stepped && id && $(id)) {
      editing = false;
      show(id, false, true);
    }
  });
  $("lt-consent").addEventListener("change", function () {
    if (!storage) return;
    if (consented()) {
      save();
      note("Bản nháp sẽ được lưu trên máy này mỗi khi bạn điền.");
    } else {
      storage.removeItem(KEY);
      note("Đã xóa bản nháp khỏi máy này; thông tin sẽ không được lưu nữa.");
    }
  });
  $("lt-print").addEventListener("click", print);
  $("lt-export").addEventListener("click", exportRecord);
  $("lt-import").addEventListener("change", function (ev) {
    importFile(ev.target.files[0]);
    ev.target.value = "";
  });
  $("lt-clear").addEventListener("click", function () {
    $("lt-clear-confirm").hidden = false;
    $("lt-clear-yes").focus();
  });
  $("lt-clear-no").addEventListener("click", function () {
    $("lt-clear-confirm").hidden = true;
    $("lt-clear").focus();
  });
  $("lt-clear-yes").addEventListener("click", clearAll);
  window.addEventListener("beforeprint", function () {
    if (typeof lt.printDocument === "function") preparePrint();
  });
  if (typeof lt.printDocument !== "function") $("lt-print").hidden = true;

  // The province lists are filled here from the unit data rather than written into the
  // markup: 34 options under every place weigh 0.8 KB gzipped.
  form.querySelectorAll("select[data-province]").forEach(function (select) {
    ((lt.units && lt.units.provinces) || []).forEach(function (p) {
      select.add(new Option(p[1], p[0]));
    });
  });
  defaults();
  restore();
  fromCodes();
  showAmounts();
  codesSoon();
  offers();
  // After a reload the browser keeps this entry's state: stay on the step the reader was at.
  if (history.state && history.state.ltStep && $(history.state.ltStep)) step = history.state.ltStep;
  setLayout(wantSteps());
  // make bench reads when the first step became usable (offline_form_first_step_ms).
  if (window.performance && performance.mark) performance.mark("lt-ready");

  lt.form = {
    record: record,
    fill: function (value) {
      clearForm();
      fill(ROOT, value, []);
      showAmounts();
      codesSoon();
    },
    check: check,
    clear: clearAll,
    step: function () {
      return stepped ? step : null;
    },
    // [[province, commune, "name, province"]] the commune search offers first for a query.
    findCommunes: function (query, province) {
      return (matches(query, province || "") || []).slice(0, MAX_RESULTS).map(function (e) {
        return [e.p, e.c, e.text];
      });
    },
    group: GROUP,
    version: VERSION,
  };
})();
