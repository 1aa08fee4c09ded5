// The facilitators' live tally, added on top of a table that works without it (reload shows the
// latest dots). It follows the wall's Server-Sent Events, as wall.js does: organisers' streams
// carry a "tally" event with everyone's dots on each idea or theme a vote changed, and
// EventSource reconnects by itself with Last-Event-ID, so nothing is missed.
// - Numbers change in their cells at once; rows are put back in order (most dots first, ties in
//   the page's first order) at most every few seconds, so the table does not jump under the eye.
// - A polite status says what changed at the same pace, in one sentence, so a screen reader is
//   told without being flooded. Labels are read from the page and only set as textContent.
(function () {
  "use strict";
  var table = document.querySelector("[data-tally-stream]");
  if (!table || !window.EventSource) return;
  var PAUSE_MS = 5000;  // at most one re-sort and one announcement in this time
  var body = table.querySelector("tbody");
  var target = table.getAttribute("data-tally-target");
  var word = target === "theme" ? ["theme", "themes"] : ["idea", "ideas"];
  var status = document.querySelector("[data-tally-status]");
  var note = document.querySelector("[data-tally-note]");
  var changed = {};  // item id -> true, since the last announcement
  var unknown = "";  // said once: dots on an item this page has no row for
  var timer = null;
  var last = 0;
  var stale = false;  // once the note says to reload, it keeps saying so

  function setNote(text) { if (note && !stale) note.textContent = text; }
  function reloadNote(text) { stale = false; setNote(text); stale = true; }

  function row(id) { return body.querySelector('[data-tally-item="' + id + '"]'); }
  function dots(tr) { return parseInt(tr.querySelector("[data-tally-dots]").textContent, 10) || 0; }
  function order(tr) { return parseInt(tr.getAttribute("data-tally-order"), 10) || 0; }
  function label(tr) {
    var text = tr.querySelector("[data-tally-label]").textContent;
    return "\u201c" + (text.length > 60 ? text.slice(0, 59) + "\u2026" : text) + "\u201d";
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function setDots(tr, n) {
    tr.querySelector("[data-tally-dots]").textContent = String(n);
    changed[tr.getAttribute("data-tally-item")] = true;
  }

  function setVoters(n) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-tally-voters]"), function (el) {
      var one = el.getAttribute("data-one");
      el.textContent = one ? plural(n, one, el.getAttribute("data-many")) : String(n);
    });
  }

  function later() {
    if (timer) return;
    timer = setTimeout(flush, Math.max(0, last + PAUSE_MS - Date.now()));
  }

  function flush() {
    timer = null;
    last = Date.now();
    var rows = Array.prototype.slice.call(body.querySelectorAll("[data-tally-item]"));
    rows.sort(function (a, b) { return dots(b) - dots(a) || order(a) - order(b); });
    rows.forEach(function (tr) { body.appendChild(tr); });
    var ids = Object.keys(changed).filter(function (id) { return row(id); });
    var parts = [];
    if (ids.length === 1) parts.push(label(row(ids[0])) + " now has " + plural(dots(row(ids[0])), "dot", "dots") + ".");
    else if (ids.length > 1) parts.push("New totals for " + ids.length + " " + word[1] + ".");
    if (rows.length) parts.push("Most dots: " + label(rows[0]) + " with " + plural(dots(rows[0]), "dot", "dots") + ".");
    if (unknown) parts.push(unknown);
    changed = {};
    unknown = "";
    if (status && parts.length) status.textContent = parts.join(" ");
  }

  function handle(message) {
    var d = message.data || {};
    if (message.kind === "tally" && d.target === target) {
      if (typeof d.voters === "number") setVoters(d.voters);
      (d.items || []).forEach(function (item) {
        var tr = row(item.id);
        if (tr) setDots(tr, item.dots);
        else if (item.dots && !stale) {
          unknown = "Some dots are on " + word[1] + " added after this page was loaded. Reload the page to see them.";
          reloadNote(unknown);
        }
      });
    } else if (target === "idea" && (message.kind === "idea_removed" || message.kind === "idea_merged")) {
      // A hidden idea's dots stop counting; a merged idea's dots count on the idea it went into.
      var gone = row(d.id);
      if (!gone) return;
      var into = message.kind === "idea_merged" ? row(d.into) : null;
      if (into) setDots(into, dots(into) + dots(gone));
      body.removeChild(gone);
    } else if (target === "theme" && message.kind === "theme_removed") {
      var theme = row(d.id);
      if (!theme) return;
      body.removeChild(theme);
    } else if (message.kind === "voting" || message.kind === "results") {
      reloadNote("Voting has been opened, closed or shown to everyone since this page was loaded. Reload the page to see it.");
      return;
    } else {
      return;
    }
    later();
  }

  var source = new EventSource(table.getAttribute("data-tally-stream"));
  source.onopen = function () { setNote("The dots change here as people vote."); };
  source.onerror = function () { setNote("Reconnecting\u2026 dots saved meanwhile will appear when the connection is back."); };
  source.onmessage = function (event) {
    try { handle(JSON.parse(event.data)); } catch (e) { /* ignore a malformed event */ }
  };
})();
