/*
 * The amount a family receives for the date they typed (generator/schema/amounts.py in the browser).
 *
 * Rules come from the page (generator.amounts.form_rules): {id, name, times, at, from,
 * values: [[first, last|null, base], ...]}, with only settled values. The base is read on the
 * first day of the event's month, as in Python; tests/cases/amounts.json pins both sides.
 * Plain browser script; also loadable in node with require().
 */
(function (root) {
  "use strict";

  var ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

  function realDate(iso) {
    var m = typeof iso === "string" && ISO_DATE.exec(iso);
    if (!m) return false;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  }

  // The amount for an event on `iso`, or null (no date, a date before the rule, no base value).
  function amountFor(rule, iso) {
    if (!realDate(iso)) return null;
    if (rule.from && iso < rule.from) return null;
    var month = iso.slice(0, 8) + "01";
    for (var i = 0; i < rule.values.length; i++) {
      var v = rule.values[i];
      if (v[0] <= month && (v[1] === null || month <= v[1])) return rule.times * v[2];
    }
    return null;
  }

  function vnd(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " đồng";
  }

  function dayVi(iso) {
    return iso.slice(8, 10) + "/" + iso.slice(5, 7) + "/" + iso.slice(0, 4);
  }

  // What the form says under the procedure's heading for the date typed.
  function message(rule, iso) {
    if (!realDate(iso)) return rule.name + ": nhập ngày chết ở phần khai tử để xem số tiền.";
    if (rule.from && iso < rule.from) {
      return rule.name + ": người mất trước ngày " + dayVi(rule.from) +
        ", hỏi cán bộ tiếp nhận hồ sơ về số tiền.";
    }
    var amount = amountFor(rule, iso);
    if (amount === null) return rule.name + ": hỏi cán bộ tiếp nhận hồ sơ về số tiền.";
    return rule.name + " dự kiến: " + vnd(amount) + " (người mất tháng " +
      iso.slice(5, 7) + "/" + iso.slice(0, 4) + "; " + rule.times + " lần " + rule.base + " " +
      vnd(amount / rule.times) + "/tháng).";
  }

  var api = { amountFor: amountFor, message: message, vnd: vnd };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else (root.lienthong = root.lienthong || {}).amounts = api;
})(this);
