/*
 * Record codes in the browser: the twin of generator/recordcode/codec.py and draw.py.
 *
 * createRecordCode(layout, qr) takes the group's layout (codec.Layout.to_json(): its group,
 * tag and the order of its keys) and the npm package lean-qr ({generate, mode, correction}),
 * and gives:
 *   texts(record)  -> Promise of the code texts ("LT1:<GROUP>:<TAG>:<i>/<n>:<base45>");
 *   decode(texts)  -> Promise of the record; rejects with an Error whose message (Vietnamese)
 *                     says what is wrong: another group, another version, a part missing;
 *   figures(texts) -> the codes as SVG markup, the size draw.py gives them (Python's pages
 *                     carry PNG images instead, which WeasyPrint draws much faster).
 * Deflate is the browser's own CompressionStream ("deflate-raw"), so it costs no bytes here;
 * its output may differ from Python's zlib, and what must agree is the record read back
 * (tests/recordcode). ES2017, no eval, nothing sent anywhere.
 */
(function () {
  "use strict";

  var PREFIX = "LT1";
  var BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  var CAPACITIES = [900, 1400]; // codec.CAPACITIES
  var CODES_PER_ROW = 3;
  var MAX_JSON_BYTES = 256 * 1024;
  var MODULE_MM = 0.46; // draw.MODULE_MM
  var QUIET = 2;
  var hasOwn = Object.prototype.hasOwnProperty;

  var CRC = (function () {
    var table = new Int32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
    return table;
  })();

  function crc32(bytes) {
    var c = -1;
    for (var i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ -1) >>> 0;
  }

  function b45encode(bytes) {
    var out = "";
    for (var i = 0; i + 1 < bytes.length; i += 2) {
      var n = bytes[i] * 256 + bytes[i + 1];
      out += BASE45[n % 45] + BASE45[Math.floor(n / 45) % 45] + BASE45[Math.floor(n / 2025)];
    }
    if (bytes.length % 2) {
      var last = bytes[bytes.length - 1];
      out += BASE45[last % 45] + BASE45[Math.floor(last / 45)];
    }
    return out;
  }

  function b45decode(text) {
    if (text.length % 3 === 1) return null;
    var out = [];
    for (var i = 0; i < text.length; i += 3) {
      var a = BASE45.indexOf(text[i]);
      var b = BASE45.indexOf(text[i + 1]);
      var c = i + 2 < text.length ? BASE45.indexOf(text[i + 2]) : -2;
      if (a < 0 || b < 0 || c === -1) return null;
      if (c === -2) {
        if (a + b * 45 > 0xff) return null;
        out.push(a + b * 45);
      } else {
        var n = a + b * 45 + c * 2025;
        if (n > 0xffff) return null;
        out.push(n >> 8, n & 0xff);
      }
    }
    return new Uint8Array(out);
  }

  async function through(stream, bytes, limit) {
    var writer = stream.writable.getWriter();
    writer.write(bytes).catch(function () {});
    writer.close().catch(function () {});
    var reader = stream.readable.getReader();
    var chunks = [];
    var size = 0;
    for (;;) {
      var step = await reader.read();
      if (step.done) break;
      size += step.value.length;
      if (limit && size > limit) {
        reader.cancel().catch(function () {});
        throw new Error("too large");
      }
      chunks.push(step.value);
    }
    var out = new Uint8Array(size);
    var at = 0;
    chunks.forEach(function (chunk) {
      out.set(chunk, at);
      at += chunk.length;
    });
    return out;
  }

  function escapeKey(name) {
    return name.replace(/~/g, "~0").replace(/\//g, "~1");
  }

  function isObject(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }

  // A layout node: null (a plain value), an array of keys (an object; each key a name or
  // [name, node]) or {"#": node} (a list).
  function keyName(key) {
    return typeof key === "string" ? key : key[0];
  }

  function keyNode(key) {
    return typeof key === "string" ? null : key[1];
  }

  function pack(value, node, pointer, extras) {
    if (node === null) {
      if (value === null) extras[pointer] = null;
      return value;
    }
    if (!Array.isArray(node)) {
      if (!Array.isArray(value)) {
        extras[pointer] = value;
        return null;
      }
      return value.map(function (v, i) {
        return pack(v, node["#"], pointer + "/" + i, extras);
      });
    }
    if (!isObject(value)) {
      extras[pointer] = value;
      return null;
    }
    var known = {};
    node.forEach(function (key) {
      known[keyName(key)] = true;
    });
    // Python's dict order is the record's own: JSON.parse keeps it too, but for keys that
    // look like integers, which no record has.
    Object.keys(value).forEach(function (name) {
      if (!hasOwn.call(known, name)) extras[pointer + "/" + escapeKey(name)] = value[name];
    });
    var out = node.map(function (key) {
      var name = keyName(key);
      if (!hasOwn.call(value, name)) return null;
      return pack(value[name], keyNode(key), pointer + "/" + escapeKey(name), extras);
    });
    while (out.length && out[out.length - 1] === null) out.pop();
    return out;
  }

  // obj[key] = value as an own property, "__proto__" included (JSON.parse makes it one; a
  // plain assignment would set the object's prototype instead).
  function put(obj, key, value) {
    Object.defineProperty(obj, key, { value: value, enumerable: true, writable: true, configurable: true });
  }

  function unpack(tree, node) {
    if (node === null || tree === null) return tree;
    if (!Array.isArray(node)) {
      if (!Array.isArray(tree)) throw new Error("list");
      return tree.map(function (v) {
        return unpack(v, node["#"]);
      });
    }
    if (!Array.isArray(tree) || tree.length > node.length) throw new Error("object");
    var out = {};
    tree.forEach(function (v, i) {
      if (v !== null) put(out, keyName(node[i]), unpack(v, keyNode(node[i])));
    });
    return out;
  }

  function setAt(record, pointer, value) {
    var parts = pointer
      .split("/")
      .slice(1)
      .map(function (p) {
        return p.replace(/~1/g, "/").replace(/~0/g, "~");
      });
    if (!parts.length) throw new Error("root");
    var node = record;
    for (var i = 0; i < parts.length - 1; i++) {
      if (Array.isArray(node)) node = node[+parts[i]];
      else if (isObject(node)) {
        if (!hasOwn.call(node, parts[i])) put(node, parts[i], {});
        node = node[parts[i]];
      } else throw new Error(pointer);
    }
    var last = parts[parts.length - 1];
    if (Array.isArray(node)) node[+last] = value;
    else if (isObject(node)) put(node, last, value);
    else throw new Error(pointer);
  }

  // Python's json.dumps(ensure_ascii=False, separators=(",", ":")), for what records hold.
  function payload(record, layout) {
    var extras = {};
    var tree = pack(record, layout.keys, "", extras);
    var body = Object.keys(extras).length ? [tree, extras] : [tree];
    // A lone surrogate, which JSON.stringify writes as an escape, becomes U+FFFD, as Python's
    // codec.payload makes it (an escaped backslash before it, "\\ud800" typed as text, stays).
    var text = JSON.stringify(body).replace(/(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g, "$1\ufffd");
    return new TextEncoder().encode(text);
  }

  function split(frame, layout) {
    var count = 0;
    for (var c = 0; c < CAPACITIES.length; c++) {
      count = Math.max(1, Math.ceil(frame.length / (Math.floor(CAPACITIES[c] / 3) * 2)));
      if (count <= CODES_PER_ROW) break;
    }
    var size = Math.ceil(frame.length / count);
    size += size % 2;
    var parts = [];
    for (var i = 0; i < frame.length; i += size) parts.push(frame.subarray(i, i + size));
    if (!parts.length) parts.push(new Uint8Array(0));
    var head = PREFIX + ":" + layout.group.toUpperCase() + ":" + layout.tag;
    return parts.map(function (p, i) {
      return head + ":" + (i + 1) + "/" + parts.length + ":" + b45encode(p);
    });
  }

  function fail(message) {
    return new Error(message);
  }

  function parse(text) {
    var fields = [];
    var rest = String(text).trim();
    for (var i = 0; i < 4; i++) {
      var at = rest.indexOf(":");
      if (at < 0) break;
      fields.push(rest.slice(0, at));
      rest = rest.slice(at + 1);
    }
    fields.push(rest);
    if (fields.length !== 5 || fields[0] !== PREFIX)
      throw fail("Đây không phải mã hồ sơ in trên tờ khai của chương trình này.");
    var position = /^([0-9]+)\/([0-9]+)$/.exec(fields[3]);
    var index = position ? +position[1] : 0;
    var count = position ? +position[2] : 0;
    if (!position || index < 1 || index > count || count > 99)
      throw fail("Mã hồ sơ bị hỏng: không đọc được số thứ tự của mã.");
    var data = b45decode(fields[4]);
    if (data === null) throw fail("Mã " + index + "/" + count + " bị hỏng: nội dung không hợp lệ.");
    return { group: fields[1], tag: fields[2], index: index, count: count, data: data };
  }

  function sameBytes(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  function createRecordCode(layout, qr) {
    async function texts(record) {
      var data = payload(record, layout);
      var packed = await through(new CompressionStream("deflate-raw"), data);
      var frame = new Uint8Array(packed.length + 4);
      frame.set(packed, 0);
      var crc = crc32(data);
      frame.set([crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff], packed.length);
      return split(frame, layout);
    }

    // The parts of one set, checked and in order (codec.decode).
    function assemble(list) {
      var parts = list.map(parse);
      if (!parts.length) throw fail("Chưa có mã nào.");
      var group = layout.group.toUpperCase();
      parts.forEach(function (p) {
        if (p.group !== group)
          throw fail(
            "Mã này thuộc nhóm thủ tục khác (" + p.group.toLowerCase() + "), không phải " +
              layout.group + ". Hãy mở đúng biểu mẫu của nhóm đó."
          );
        if (p.tag !== layout.tag)
          throw fail(
            "Mã được in từ một phiên bản biểu mẫu khác (" + p.tag + "; bản này: " + layout.tag +
              "). Hãy dùng biểu mẫu cùng phiên bản với tờ khai, hoặc nhập lại thông tin."
          );
      });
      var count = parts[0].count;
      var byIndex = {};
      parts.forEach(function (p) {
        if (p.count !== count) throw fail("Các mã không cùng một bộ tờ khai (số mã khác nhau).");
        if (hasOwn.call(byIndex, p.index) && !sameBytes(byIndex[p.index], p.data))
          throw fail("Có hai mã " + p.index + "/" + count + " khác nhau: chúng thuộc hai bộ tờ khai.");
        byIndex[p.index] = p.data;
      });
      var missing = [];
      for (var i = 1; i <= count; i++) if (!hasOwn.call(byIndex, i)) missing.push(i);
      if (missing.length)
        throw fail(
          "Còn thiếu mã " + missing.join(", ") + " (trong " + count + " mã). Hãy quét cả các mã đó."
        );
      var size = 0;
      for (i = 1; i <= count; i++) size += byIndex[i].length;
      var frame = new Uint8Array(size);
      var at = 0;
      for (i = 1; i <= count; i++) {
        frame.set(byIndex[i], at);
        at += byIndex[i].length;
      }
      return frame;
    }

    async function decode(list) {
      var frame = assemble(list);
      var broken = fail(
        "Các mã không ghép được thành hồ sơ: mã bị hỏng hoặc thuộc hai bộ tờ khai khác nhau."
      );
      if (frame.length < 5) throw broken;
      var data;
      try {
        data = await through(
          new DecompressionStream("deflate-raw"),
          frame.subarray(0, frame.length - 4),
          MAX_JSON_BYTES
        );
      } catch (exc) {
        throw broken;
      }
      var crc = crc32(data);
      var tail = frame.subarray(frame.length - 4);
      if (((tail[0] << 24) | (tail[1] << 16) | (tail[2] << 8) | tail[3]) >>> 0 !== crc) throw broken;
      try {
        var body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data));
        if (!Array.isArray(body) || (body.length !== 1 && body.length !== 2)) throw broken;
        var extras = body.length === 2 ? body[1] : {};
        if (!isObject(extras)) throw broken;
        // The record itself is not an object (an invalid file, printed anyway): codec.unframe.
        if (hasOwn.call(extras, "")) {
          if (body[0] !== null || Object.keys(extras).length !== 1) throw broken;
          return extras[""];
        }
        var record = unpack(body[0], layout.keys);
        if (!isObject(record)) throw broken;
        Object.keys(extras)
          .sort(function (a, b) {
            return a.split("/").length - b.split("/").length;
          })
          .forEach(function (pointer) {
            setAt(record, pointer, extras[pointer]);
          });
        return record;
      } catch (exc) {
        throw broken;
      }
    }

    // Each code as SVG, as wide as draw.figure prints it.
    function figures(list) {
      return list.map(function (text, i) {
        var M = qr.correction.M;
        var code = qr.generate(qr.mode.alphaNumeric(text), { minCorrectionLevel: M, maxCorrectionLevel: M });
        var n = code.size;
        var d = "";
        for (var y = 0; y < n; y++) {
          for (var x = 0; x < n; ) {
            if (!code.get(x, y)) {
              x++;
              continue;
            }
            var start = x;
            while (x < n && code.get(x, y)) x++;
            d += "M" + (start + QUIET) + " " + (y + QUIET) + "h" + (x - start) + "v1h-" + (x - start) + "z";
          }
        }
        var side = n + 2 * QUIET;
        var mm = (side * MODULE_MM).toFixed(1) + "mm";
        return (
          '<svg class="rc" xmlns="http://www.w3.org/2000/svg" width="' + mm + '" height="' + mm +
          '" viewBox="0 0 ' + side + " " + side + '" role="img" aria-label="Mã hồ sơ ' + (i + 1) +
          "/" + list.length + '"><path d="' + d + '"/></svg>'
        );
      });
    }

    return { texts: texts, decode: decode, figures: figures, parse: parse };
  }

  var api = { createRecordCode: createRecordCode, b45encode: b45encode, b45decode: b45decode, crc32: crc32 };
  if (typeof module === "object" && module && module.exports) module.exports = api;
  else if (typeof window !== "undefined") (window.lienthong = window.lienthong || {}).recordCode = api;
})();
