/*
 * Diacritic-insensitive search for Material for MkDocs' lunr search worker.
 *
 * generator/site/search.py appends this file to assets/javascripts/workers/search.*.min.js, after
 * the worker has set `self.lunr`. Vietnamese readers often type "dang ky khai sinh" for
 * "đăng ký khai sinh", or send decomposed (NFD) text; this script makes both find the same
 * pages as the accented query, with exact-accent matches ranked first:
 *
 *  - index: every token is NFC-normalised first, and a folded copy of it ("thường" -> "thuong")
 *    is added last (token expansion; the copy keeps the token's position metadata, so the
 *    original word is what gets highlighted);
 *  - query: every query clause is NFC-normalised, and each clause whose term has diacritics
 *    gets an optional twin with the folded term at FOLD_BOOST of its boost, so a page with
 *    the exact word scores for both clauses and a page with another accent for only one.
 *
 * `fold` must stay identical to generator/site/search.py's fold() (tests/site/test_search.py compares
 * them). Plain script; also loadable in node with require(), which only exports `fold`.
 */
(function (root) {
  "use strict";

  // Boost of a folded query clause relative to the clause it was derived from.
  var FOLD_BOOST = 0.5;

  // Nonspacing marks (general category Mn): the tone and vowel marks after NFD.
  var MARKS = /\p{Mn}/gu;

  // Fold text for matching: NFD, drop nonspacing marks, đ -> d and Đ -> D, lower-case.
  function fold(text) {
    return String(text)
      .normalize("NFD")
      .replace(MARKS, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .toLowerCase();
  }

  if (typeof module === "object" && module && module.exports) {
    module.exports = { fold: fold, FOLD_BOOST: FOLD_BOOST };
  }

  var lunr = root && root.lunr;
  // Not inside the search worker (e.g. node), or already installed: nothing to patch.
  if (!lunr || !lunr.Builder || lunr.diacriticFold) return;

  // Index pipeline, first: compose the token (NFD text from the source stays searchable).
  function normalizeNFC(token) {
    var text = token.toString();
    var nfc = text.normalize("NFC");
    return nfc === text ? token : token.update(function () { return nfc; });
  }

  // Index pipeline, last: keep the token and add a folded copy with the same metadata.
  function diacriticFold(token) {
    var text = token.toString();
    var folded = fold(text);
    return folded === text ? token : [token, token.clone(function () { return folded; })];
  }

  lunr.Pipeline.registerFunction(normalizeNFC, "normalizeNFC");
  lunr.Pipeline.registerFunction(diacriticFold, "diacriticFold");
  lunr.normalizeNFC = normalizeNFC;
  lunr.diacriticFold = diacriticFold;

  // Material sets up the builder's pipeline (language plugin, removals) before it adds the
  // first document, and offers no hook: install both functions when documents are added.
  var add = lunr.Builder.prototype.add;
  lunr.Builder.prototype.add = function (doc, attributes) {
    var pipeline = this.pipeline;
    var stack = pipeline._stack;
    if (stack[0] !== normalizeNFC || stack[stack.length - 1] !== diacriticFold) {
      pipeline.remove(normalizeNFC);
      pipeline.remove(diacriticFold);
      if (stack.length) pipeline.before(stack[0], normalizeNFC);
      else pipeline.add(normalizeNFC);
      pipeline.add(diacriticFold);
    }
    return add.call(this, doc, attributes);
  };

  // Every query string goes through the parser (Index#search and Material's own analysis of
  // the query): compose its terms so decomposed input matches the composed index.
  var parse = lunr.QueryParser.prototype.parse;
  lunr.QueryParser.prototype.parse = function () {
    var result = parse.apply(this, arguments);
    var clauses = this.query.clauses;
    for (var i = 0; i < clauses.length; i++) {
      clauses[i].term = clauses[i].term.normalize("NFC");
    }
    return result;
  };

  // Add a lower-boosted, optional folded twin for each clause with diacritics. Prohibited
  // clauses are left alone: "-thường" must not exclude pages about "thương".
  function expand(query) {
    var clauses = query.clauses.slice();
    for (var i = 0; i < clauses.length; i++) {
      var clause = clauses[i];
      clause.term = clause.term.normalize("NFC");
      if (clause.presence === lunr.Query.presence.PROHIBITED) continue;
      var folded = fold(clause.term);
      if (folded === clause.term) continue;
      var twin = {
        fields: clause.fields,
        term: folded,
        boost: clause.boost * FOLD_BOOST,
        usePipeline: clause.usePipeline,
        wildcard: clause.wildcard,
        presence: lunr.Query.presence.OPTIONAL,
      };
      // lunr treats the mere presence of the key as a fuzzy clause.
      if ("editDistance" in clause) twin.editDistance = clause.editDistance;
      query.clause(twin);
    }
  }

  // A word matched both as itself and folded ("thường" and "thuong") reports the same
  // position under both terms; Material would wrap it in <mark> twice and garble the excerpt.
  // Keep each position once per field, under the first term that has it (the terms stay, so
  // Material still sees them as matched). lunr's match data shares objects with the index
  // itself, so this builds new objects instead of modifying any.
  function dedupePositions(results) {
    for (var r = 0; r < results.length; r++) {
      var matchData = results[r].matchData;
      var metadata = matchData.metadata;
      var unique = Object.create(null);
      var seen = Object.create(null);
      var terms = Object.keys(metadata);
      for (var t = 0; t < terms.length; t++) {
        var fields = metadata[terms[t]];
        var names = Object.keys(fields);
        unique[terms[t]] = Object.create(null);
        for (var f = 0; f < names.length; f++) {
          var source = fields[names[f]];
          var copy = Object.create(null);
          var keys = Object.keys(source);
          for (var k = 0; k < keys.length; k++) copy[keys[k]] = source[keys[k]];
          if (Array.isArray(source.position)) {
            var done = seen[names[f]] || (seen[names[f]] = Object.create(null));
            copy.position = source.position.filter(function (position) {
              return done[position] ? false : (done[position] = true);
            });
          }
          unique[terms[t]][names[f]] = copy;
        }
      }
      matchData.metadata = unique;
    }
    return results;
  }

  // Index#search and Material's suggestions both build their lunr.Query through Index#query.
  var runQuery = lunr.Index.prototype.query;
  lunr.Index.prototype.query = function (fn) {
    return dedupePositions(runQuery.call(this, function (query) {
      fn.call(query, query);
      expand(query);
    }));
  };
})(typeof self !== "undefined" ? self : this);
