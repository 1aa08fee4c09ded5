// Drag and drop on the themes board, added on top of a page that works without it: every idea
// keeps its "Move to theme" control (a select and a button), which is also the single-pointer
// alternative to dragging (WCAG 2.2, 2.5.7).
// - Pointer: drag an idea onto a theme.
// - Keyboard: focus an idea, Space or Enter picks it up, the arrow keys choose a theme, Enter
//   drops it there, Escape (or leaving the idea) cancels. Each step is announced.
// A drop posts the idea's own move form (JSON answer), so the server checks it as it does the
// form. User text is only ever read and set as textContent.
(function () {
  "use strict";
  var board = document.querySelector("[data-themes-board]");
  if (!board || !window.fetch || !window.FormData || !Element.prototype.closest) return;
  var status = board.querySelector("[data-themes-status]");
  var help = board.querySelector("[data-themes-help]");
  if (help) help.hidden = false;
  var picked = null; // {item, targets, index}
  var dragged = null;

  function announce(text) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function each(selector, root, fn) { Array.prototype.forEach.call((root || board).querySelectorAll(selector), fn); }

  function ideaText(item) {
    var p = item.querySelector(".compact-idea__text");
    var text = p ? p.textContent : "";
    return text.length > 80 ? text.slice(0, 79) + "…" : text;
  }

  function zoneName(zone) { return zone.getAttribute("data-theme-name") || "Not in a theme"; }

  function zoneOf(item) { return item.closest("[data-theme-drop]"); }

  // The places this idea may go: the options of its own move control.
  function targetsFor(item) {
    var select = item.querySelector("select[name=theme]");
    if (!select) return [];
    var allowed = {};
    Array.prototype.forEach.call(select.options, function (o) { allowed[o.value] = true; });
    return Array.prototype.filter.call(board.querySelectorAll("[data-theme-drop]"), function (zone) {
      return allowed[zone.getAttribute("data-theme-drop")] === true;
    });
  }

  function listIn(zone, item) {
    if (zone.getAttribute("data-theme-drop") === "") {
      return zone.querySelector('[data-theme-list][data-prompt="' + item.getAttribute("data-idea-prompt") + '"]');
    }
    return zone.querySelector("[data-theme-list]");
  }

  function recount() {
    each("[data-theme-drop]", board, function (zone) {
      var counter = zone.querySelector("[data-theme-count]");
      if (counter) counter.textContent = String(zone.querySelectorAll("[data-idea]").length);
    });
  }

  function highlight(zone) {
    each(".compact-theme--target", board, function (z) { z.classList.remove("compact-theme--target"); });
    if (zone) zone.classList.add("compact-theme--target");
  }

  function move(item, zone) {
    var form = item.querySelector("[data-move-form]");
    var select = form && form.querySelector("select[name=theme]");
    if (!form || !select) return;
    if (zone === zoneOf(item)) {
      announce("The idea is already in " + zoneName(zone) + ". Nothing has changed.");
      return;
    }
    var value = zone.getAttribute("data-theme-drop");
    var body = new FormData(form);
    body.set("theme", value);
    announce("Moving the idea to " + zoneName(zone) + "…");
    fetch(form.getAttribute("action"), {
      method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return data; });
    }).then(function (data) {
      if (!data.ok) {
        var messages = [];
        Object.keys(data.errors || {}).forEach(function (k) { messages.push(data.errors[k]); });
        announce("The idea was not moved. " + messages.join(" "));
        return;
      }
      select.value = value;
      var list = listIn(zone, item);
      if (!list) { window.location.reload(); return; } // no list for this question here yet
      list.appendChild(item);
      recount();
      item.focus();
      announce(data.message || "The idea has been moved to " + zoneName(zone) + ".");
    }).catch(function () {
      announce("The idea was not moved: check your connection and try again.");
    });
  }

  // Keyboard -----------------------------------------------------------------------------------
  function pickUp(item) {
    var targets = targetsFor(item);
    var index = targets.indexOf(zoneOf(item));
    picked = { item: item, targets: targets, index: index < 0 ? 0 : index };
    item.classList.add("compact-idea--picked");
    highlight(targets[picked.index]);
    var where = zoneOf(item);
    var now = where && where.getAttribute("data-theme-drop") !== "" ? "It is in " + zoneName(where) + "." : "It is not in a theme.";
    announce("Picked up: " + ideaText(item) + ". " + now + " Use the up and down " +
      "arrow keys to choose a theme, Enter to drop the idea there, or Escape to cancel.");
  }

  function finish() {
    if (!picked) return null;
    var item = picked.item;
    item.classList.remove("compact-idea--picked");
    highlight(null);
    picked = null;
    return item;
  }

  function step(by) {
    var n = picked.targets.length;
    if (!n) return;
    picked.index = (picked.index + by + n) % n;
    var zone = picked.targets[picked.index];
    highlight(zone);
    announce(zoneName(zone) + (zone === zoneOf(picked.item) ? " (where it is now)" : "") + ", " +
      (picked.index + 1) + " of " + n + ".");
  }

  board.addEventListener("keydown", function (event) {
    if (picked) {
      if (event.target !== picked.item) return;
      var key = event.key;
      if (key === "ArrowDown" || key === "ArrowRight" || key === "Down" || key === "Right") { event.preventDefault(); step(1); }
      else if (key === "ArrowUp" || key === "ArrowLeft" || key === "Up" || key === "Left") { event.preventDefault(); step(-1); }
      else if (key === "Enter" || key === " " || key === "Spacebar") {
        event.preventDefault();
        var zone = picked.targets[picked.index];
        move(finish(), zone);
      } else if (key === "Escape" || key === "Esc") {
        event.preventDefault();
        finish();
        announce("Cancelled. The idea has not moved.");
      }
      return;
    }
    var item = event.target;
    if (!item.hasAttribute || !item.hasAttribute("data-idea")) return;
    if (event.key === " " || event.key === "Spacebar" || event.key === "Enter") {
      event.preventDefault();
      pickUp(item);
    }
  });

  board.addEventListener("focusout", function (event) {
    if (picked && event.target === picked.item) {
      finish();
      announce("Cancelled. The idea has not moved.");
    }
  });

  // Pointer ------------------------------------------------------------------------------------
  each("[data-idea]", board, function (item) {
    item.setAttribute("tabindex", "0");
    item.setAttribute("draggable", "true");
    if (help) item.setAttribute("aria-describedby", help.id);
    item.addEventListener("dragstart", function (event) {
      if (event.target !== item) return;
      dragged = item;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.getAttribute("data-idea"));
    });
    item.addEventListener("dragend", function () { dragged = null; highlight(null); });
  });

  each("[data-theme-drop]", board, function (zone) {
    zone.addEventListener("dragover", function (event) {
      if (!dragged || targetsFor(dragged).indexOf(zone) < 0) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      highlight(zone);
    });
    zone.addEventListener("drop", function (event) {
      if (!dragged) return;
      event.preventDefault();
      var item = dragged;
      dragged = null;
      highlight(null);
      if (targetsFor(item).indexOf(zone) >= 0) move(item, zone);
    });
  });
})();
