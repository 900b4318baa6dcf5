/*
 * Pre-2025 administrative units in the offline form: the JavaScript twin of
 * generator/inputs/legacy_units.py (same messages, word for word;
 * tests/offline/test_legacy_js.py compares them for every old code).
 *
 * It is not part of the form's page: generator/offline/legacy_js.py writes it, with its table
 * of 6,700 old communes (about 60 KB gzipped), as bieu-mau/don-vi-cu.js, and app.js loads it
 * only when an imported record or a draft holds a code that the 2025 lists do not have.
 *
 * createLegacy(data) takes the table that legacy_js.browser_data() builds and returns
 * explain(record, units) -> [{pointer, message, then}], units in the shape of
 * generator.units.browser_data() (window.lienthong.units).
 */
(function () {
  "use strict";

  var hasOwn = Object.prototype.hasOwnProperty;

  function pad(code) {
    return String(code).padStart(5, "0");
  }

  function clean(name) {
    return name.split(/\s+/).filter(Boolean).join(" ");
  }

  function and(items) {
    return items.length === 1 ? items[0] : items.slice(0, -1).join(", ") + " và " + items[items.length - 1];
  }

  // Python's _fold: no diacritics, lower case, letters and digits only.
  function fold(name) {
    return name
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(/\p{Mn}/gu, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]/gu, "");
  }

  function createLegacy(data) {
    var communes = null;

    // Old commune code -> [name, district, province, [new codes]], unpacked on first use.
    function oldCommunes() {
      if (communes) return communes;
      communes = {};
      var code = 0;
      data.c.forEach(function (row) {
        code += row[0];
        communes[pad(code)] = [row[1], data.d[row[2]], row[3], row[4]];
      });
      return communes;
    }

    function index(units) {
      var provinces = {};
      var news = {};
      (units.provinces || []).forEach(function (p) {
        provinces[p[0]] = p[1];
      });
      Object.keys(units.communes || {}).forEach(function (prov) {
        units.communes[prov].forEach(function (c) {
          news[c[0]] = [c[1], prov];
        });
      });
      return { provinces: provinces, communes: news };
    }

    function provinceLabel(now, code) {
      var name = clean(now.provinces[code]);
      return name.indexOf("Thành phố") === 0 || name.indexOf("Tỉnh") === 0 ? name : "Tỉnh " + name;
    }

    function communeMessage(now, code, old) {
      var province = data.p[old[2]];
      var where = old[0] + ", " + old[1] + ", " + province[0];
      var head =
        "Mã xã " + code + " là đơn vị hành chính cũ (" + where + "), không còn từ ngày " + data.e + "; ";
      var news = old[3].map(function (c) {
        return [c, now.communes[c][0], now.communes[c][1]];
      });
      var provinces = [];
      news.forEach(function (n) {
        if (provinces.indexOf(n[2]) < 0) provinces.push(n[2]);
      });
      var text;
      if (news.length === 1) {
        text =
          "nay thuộc " + clean(news[0][1]) + " (mã " + news[0][0] + "), " + provinceLabel(now, news[0][2]) +
          ". Hãy ghi mã mới.";
      } else if (provinces.length === 1) {
        text =
          "nay thuộc một trong các xã, phường của " + provinceLabel(now, provinces[0]) + ": " +
          and(
            news.map(function (n) {
              return clean(n[1]) + " (mã " + n[0] + ")";
            })
          ) +
          ". Hãy chọn đơn vị nơi có địa chỉ.";
      } else {
        text =
          "nay thuộc một trong các xã, phường: " +
          and(
            news.map(function (n) {
              return clean(n[1]) + " (mã " + n[0] + ", " + provinceLabel(now, n[2]) + ")";
            })
          ) +
          ". Hãy chọn đơn vị nơi có địa chỉ.";
      }
      return head + text + " Căn cứ: " + data.b.c + ".";
    }

    function provinceMessage(now, code) {
      var old = data.p[code];
      return (
        "Mã tỉnh " + code + " là đơn vị hành chính cũ (" + old[0] + "), không còn từ ngày " + data.e +
        "; nay thuộc " +
        and(
          old[1].map(function (c) {
            return provinceLabel(now, c) + " (mã " + c + ")";
          })
        ) +
        ". Hãy ghi mã mới. Căn cứ: " + data.b.p + "."
      );
    }

    function districtMessage(name) {
      return (
        "Mục '" + name + "' là cấp huyện (quận, huyện, thị xã): từ ngày " + data.e +
        " không còn cấp huyện; địa chỉ chỉ ghi xã/phường/đặc khu và tỉnh/thành phố. " +
        "Hãy xóa mục này. Căn cứ: " + data.b.d + " (chính quyền địa phương hai cấp)."
      );
    }

    function escape(key) {
      return key.replace(/~/g, "~0").replace(/\//g, "~1");
    }

    // Every old unit of the record, in document order: what Python's explain() says of the
    // errors at these pointers, and where one 2025 unit took the whole old one's place, the
    // place's values that name it ("then": {name, province, commune}).
    function explain(record, units) {
      var now = index(units);
      var out = [];
      (function walk(value, ptr) {
        if (Array.isArray(value)) {
          value.forEach(function (v, i) {
            walk(v, ptr + "/" + i);
          });
          return;
        }
        if (!value || typeof value !== "object") return;
        Object.keys(value).forEach(function (key) {
          var v = value[key];
          var at = ptr + "/" + escape(key);
          if (key === "commune" && typeof v === "string" && !hasOwn.call(now.communes, v) &&
              hasOwn.call(oldCommunes(), v)) {
            var old = oldCommunes()[v];
            var single = old[3].length === 1 && now.communes[old[3][0]];
            out.push({
              pointer: at,
              message: communeMessage(now, v, old),
              then: single ? { name: clean(single[0]), province: single[1], commune: old[3][0] } : null,
            });
          } else if (key === "province" && typeof v === "string" && !hasOwn.call(now.provinces, v) &&
              hasOwn.call(data.p, v)) {
            var news = data.p[v][1];
            out.push({
              pointer: at,
              message: provinceMessage(now, v),
              // The commune kept: it may be a 2025 code of the province that took the old one's place.
              then:
                news.length === 1 && hasOwn.call(now.provinces, news[0])
                  ? { name: clean(now.provinces[news[0]]), province: news[0], commune: value.commune }
                  : null,
            });
          } else if (data.k.indexOf(fold(key)) >= 0) {
            out.push({ pointer: at, message: districtMessage(key), then: null });
          }
          walk(v, at);
        });
      })(record, "");
      return out;
    }

    return {
      explain: explain,
      communeMessage: function (code, units) {
        return communeMessage(index(units), code, oldCommunes()[code]);
      },
      provinceMessage: function (code, units) {
        return provinceMessage(index(units), code);
      },
      districtMessage: districtMessage,
      codes: function () {
        return Object.keys(oldCommunes());
      },
    };
  }

  if (typeof module === "object" && module && module.exports) module.exports = createLegacy;
  else if (typeof window !== "undefined") {
    window.lienthong = window.lienthong || {};
    window.lienthong.createLegacy = createLegacy;
  }
})();
