/*
 * "Quét mã trên tờ khai": the clerk's page that reads the record codes of a printed set
 * (generator/recordcode/) from the camera or from photos, offline, and opens the group's form
 * with them. It only gathers the codes of one set and checks that none is missing; the form,
 * which knows its own layout, turns them into the record (or refuses them, unchanged) and
 * removes them from the address bar at once.
 *
 * Needs window.__lt_qrdecode (npm qr's decode.js, bundled at build time) where the browser
 * has no BarcodeDetector of its own (desktop Chrome on Windows and Linux). The page data
 * (#lt-scan-data) maps each group, as its codes name it, to its form's file and name.
 * Nothing is sent anywhere: the page's CSP allows no connection.
 */
(function () {
  "use strict";

  var PREFIX = "LT1:";
  var MAX_SIDE = 2000; // photos are scaled down to this: a code's module stays above 4 pixels
  var data = JSON.parse(document.getElementById("lt-scan-data").textContent);
  var $ = function (id) {
    return document.getElementById(id);
  };
  var set = null; // {group, tag, count, texts: {index: text}}
  var native = null;
  if (typeof window.BarcodeDetector === "function") {
    try {
      native = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (e) {
      native = null;
    }
  }

  function say(text) {
    $("lt-scan-status").textContent = text;
  }

  function header(text) {
    var f = text.split(":");
    var pos = /^([0-9]+)\/([0-9]+)$/.exec(f[3] || "");
    if (f.length < 5 || !pos || +pos[1] < 1 || +pos[1] > +pos[2]) return null;
    return { group: f[1], tag: f[2], index: +pos[1], count: +pos[2] };
  }

  function missing() {
    var out = [];
    for (var i = 1; i <= set.count; i++) if (!set.texts[i]) out.push(i + "/" + set.count);
    return out;
  }

  function show() {
    var open = $("lt-scan-open");
    open.hidden = true;
    if (!set) return;
    // Own keys only: a code may name any "group", "constructor" included.
    var form = Object.prototype.hasOwnProperty.call(data.groups, set.group) ? data.groups[set.group] : null;
    var have = Object.keys(set.texts).length;
    var left = missing();
    var name = form ? form.name : set.group.toLowerCase();
    if (left.length) {
      say("Hồ sơ " + name + ": đã đọc " + have + "/" + set.count + " mã. Còn thiếu mã " + left.join(", ") + ".");
      return;
    }
    if (!form) {
      say("Đã đọc đủ mã, nhưng trang này không có biểu mẫu của nhóm thủ tục “" + name + "”.");
      return;
    }
    var texts = [];
    for (var i = 1; i <= set.count; i++) texts.push(set.texts[i]);
    open.href = form.href + "#ma=" + encodeURIComponent(texts.join("\n"));
    open.textContent = "Mở hồ sơ trong biểu mẫu “" + form.name + "”";
    open.hidden = false;
    say("Đã đọc đủ " + set.count + " mã của hồ sơ " + name + ".");
    stopCamera();
    open.focus();
  }

  // The texts read from one picture or frame; true when one of them was new.
  function take(texts) {
    var added = false;
    var foreign = 0;
    texts.forEach(function (text) {
      var h = text.indexOf(PREFIX) === 0 ? header(text) : null;
      if (!h) {
        foreign++;
        return;
      }
      if (!set || set.group !== h.group || set.tag !== h.tag || set.count !== h.count) {
        set = { group: h.group, tag: h.tag, count: h.count, texts: {} };
      }
      if (set.texts[h.index] !== text) {
        if (set.texts[h.index]) set.texts = {}; // another set of the same form: start over
        set.texts[h.index] = text;
        added = true;
      }
    });
    if (added) show();
    else if (foreign && !set) say("Mã vừa đọc không phải mã hồ sơ in trên tờ khai (mã hồ sơ nằm cuối trang danh mục giấy tờ).");
    return added;
  }

  function pixels(source, width, height) {
    var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
    return { canvas: canvas, image: ctx.getImageData(0, 0, canvas.width, canvas.height) };
  }

  // Every QR text in a picture: the browser's own detector where there is one, else qr's.
  async function read(source, width, height) {
    var p = pixels(source, width, height);
    if (native) {
      var found = await native.detect(p.canvas);
      return found.map(function (b) {
        return b.rawValue;
      });
    }
    var image = { width: p.image.width, height: p.image.height, data: p.image.data };
    var results = (await window.__lt_qrdecode.decodeQRBatch([image]))[0] || [];
    return results.filter(function (r) {
      return typeof r === "string";
    });
  }

  async function fromFiles(files) {
    var before = set ? Object.keys(set.texts).length : 0;
    var seen = 0;
    for (var i = 0; i < files.length; i++) {
      say("Đang đọc ảnh " + (i + 1) + "/" + files.length + "…");
      try {
        var bitmap = await createImageBitmap(files[i]);
        var texts = await read(bitmap, bitmap.width, bitmap.height);
        seen += texts.length;
        take(texts);
      } catch (e) {
        say("Không mở được ảnh “" + files[i].name + "”: hãy chọn ảnh chụp (JPG, PNG).");
        return;
      }
    }
    if (!seen) say("Không thấy mã nào trong ảnh. Chụp thẳng, đủ sáng, để cả mã nằm trong ảnh.");
    else if (set && Object.keys(set.texts).length === before && missing().length) show();
  }

  // -- camera ------------------------------------------------------------------------------------

  var stream = null;
  var timer = null;

  function stopCamera() {
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (stream)
      stream.getTracks().forEach(function (t) {
        t.stop();
      });
    stream = null;
    $("lt-scan-video").hidden = true;
    $("lt-scan-camera").textContent = "Quét bằng máy ảnh";
  }

  async function frame() {
    var video = $("lt-scan-video");
    if (!stream) return;
    if (video.videoWidth) {
      try {
        take(await read(video, video.videoWidth, video.videoHeight));
      } catch (e) {
        /* a frame that cannot be read: the next one may */
      }
    }
    if (stream) timer = window.setTimeout(frame, 250);
  }

  async function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say("Trình duyệt này không cho dùng máy ảnh: hãy chụp ảnh mã rồi chọn “Chọn ảnh đã chụp”.");
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (e) {
      say("Không mở được máy ảnh (chưa được phép, hoặc máy không có): hãy chọn ảnh đã chụp.");
      return;
    }
    var video = $("lt-scan-video");
    video.srcObject = stream;
    video.hidden = false;
    await video.play().catch(function () {});
    $("lt-scan-camera").textContent = "Tắt máy ảnh";
    say("Đưa lần lượt từng mã vào khung hình.");
    frame();
  }

  $("lt-scan-camera").addEventListener("click", function () {
    if (stream) stopCamera();
    else startCamera();
  });
  $("lt-scan-files").addEventListener("change", function (ev) {
    var files = Array.prototype.slice.call(ev.target.files || []);
    ev.target.value = "";
    if (files.length) fromFiles(files);
  });
  $("lt-scan-reset").addEventListener("click", function () {
    set = null;
    show();
    say("Chưa đọc mã nào.");
  });
  window.lienthong = window.lienthong || {};
  window.lienthong.scan = { take: take, fromFiles: fromFiles };
})();
