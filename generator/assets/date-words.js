/*
 * Spell a date in Vietnamese words, as declaration forms require ("ghi bằng chữ").
 *
 * Port of generator/printing/date_words.py: keep the two identical (tests/printing/test_date_words.py checks
 * every date from 1900-01-01 to 2100-12-31 against the Python). Plain browser script; also
 * loadable in node with require().
 */
(function (root) {
  "use strict";

  // Rule: a digit alone is spelled plainly; day 1/4/5 are "một"/"bốn"/"năm", and 0 alone is
  // "không" (also used in "không trăm").
  var DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

  // Rule: after "mươi" (20-90) the unit 1 is "mốt", 4 is "tư", 5 is "lăm"; other units are plain.
  var AFTER_MUOI = { 1: "mốt", 4: "tư", 5: "lăm" };

  // Rule: months are một ... mười hai, month 4 is "tư", never "giêng"/"chạp".
  var MONTHS = [
    "một", "hai", "ba", "tư", "năm", "sáu",
    "bảy", "tám", "chín", "mười", "mười một", "mười hai",
  ];

  // Strictly "YYYY-MM-DD" with ASCII digits.
  var ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

  // Words for 0..99, either standalone or following a "... trăm" group.
  function tensAndUnits(n, afterHundreds) {
    var tens = Math.floor(n / 10);
    var units = n % 10;
    if (tens === 0) {
      // Rule: 0 after "mươi"/"trăm" is said as nothing.
      if (units === 0) return [];
      // Rule: after a hundreds group the units take "linh" and the plain digit
      // (linh một, linh bốn, linh năm).
      return afterHundreds ? ["linh", DIGITS[units]] : [DIGITS[units]];
    }
    if (tens === 1) {
      // Rule: 10 is "mười"; 11-19 are "mười" + unit, with 15 "mười lăm" but 11 "mười một"
      // and 14 "mười bốn".
      if (units === 0) return ["mười"];
      return ["mười", units === 5 ? "lăm" : DIGITS[units]];
    }
    // Rule: 20-90 are <digit> "mươi"; then 1 -> mốt, 4 -> tư, 5 -> lăm, 0 -> nothing.
    var words = [DIGITS[tens], "mươi"];
    if (units) words.push(AFTER_MUOI[units] || DIGITS[units]);
    return words;
  }

  // Spell an integer 0..9999 in Vietnamese words, e.g. 2024 -> "hai nghìn không trăm hai mươi tư".
  function numberInWords(n) {
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 9999) {
      throw new RangeError("expected an integer from 0 to 9999, got " + String(n));
    }
    if (n === 0) return DIGITS[0];
    var thousands = Math.floor(n / 1000);
    var rest = n % 1000;
    var hundreds = Math.floor(rest / 100);
    var lastTwo = rest % 100;
    var words = [];
    if (thousands) words.push(DIGITS[thousands], "nghìn");
    // Rule: "không trăm" is required when the hundreds digit is 0 but the last two digits are
    // not both 0 (2005 "hai nghìn không trăm linh năm"; 2000 is just "hai nghìn").
    if (hundreds || (thousands && lastTwo)) words.push(DIGITS[hundreds], "trăm");
    return words.concat(tensAndUnits(lastTwo, Boolean(thousands || hundreds))).join(" ");
  }

  function daysInMonth(year, month) {
    if (month === 2) {
      var leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      return leap ? 29 : 28;
    }
    return [4, 6, 9, 11].indexOf(month) >= 0 ? 30 : 31;
  }

  // Spell an ISO "YYYY-MM-DD" date as "Ngày <day>, tháng <month>, năm <year>".
  function dateInWords(iso) {
    if (typeof iso !== "string") {
      throw new TypeError("expected an ISO 'YYYY-MM-DD' date string, got " + typeof iso);
    }
    if (!ISO_DATE.test(iso)) {
      throw new RangeError("expected an ISO 'YYYY-MM-DD' date string, got " + JSON.stringify(iso));
    }
    var year = Number(iso.slice(0, 4));
    var month = Number(iso.slice(5, 7));
    var day = Number(iso.slice(8, 10));
    // Same range as Python's datetime.date: years 1..9999.
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      throw new RangeError("not a valid calendar date: " + JSON.stringify(iso));
    }
    // Rule: only "Ngày" is capitalised; the day uses plain digits (day 4 "bốn"), the month
    // its own table (month 4 "tư").
    return "Ngày " + numberInWords(day) + ", tháng " + MONTHS[month - 1] +
      ", năm " + numberInWords(year);
  }

  var api = { dateInWords: dateInWords, numberInWords: numberInWords };
  root.lienthongDateWords = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
