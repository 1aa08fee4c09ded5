// The live wall, added on top of pages that work without it (reload shows new ideas).
// 1. Follows the wall's Server-Sent Events: new, corrected, hidden and merged ideas appear
//    without reloading. EventSource reconnects by itself and sends Last-Event-ID, so the server
//    sends everything missed; ideas are keyed by id, so nothing shows twice. Each question shows
//    its newest ideas only (data-shown): a new one goes in and the oldest shown drops off. The
//    page lists the ids it leaves out (data-older-ids), so an edit to one of those is not
//    mistaken for a new idea and the count of all ideas stays true.
// 2. Sends ideas without reloading. A failed send is retried with the same key, so the server
//    keeps one idea however many times it arrives. User text is only ever set as textContent.
(function () {
  "use strict";
  var wall = document.querySelector("[data-wall-stream]");
  if (!wall) return;
  var status = document.querySelector("[data-wall-status]");
  var moderateBase = wall.getAttribute("data-moderate-base") || "";
  var shown = parseInt(wall.getAttribute("data-shown"), 10) || 100;
  var prompts = {};  // prompt id -> {section, total, older: {id: true}}

  Array.prototype.forEach.call(wall.querySelectorAll("[data-older-ids]"), function (section) {
    var id = section.id.replace("prompt-", "");
    var counter = wall.querySelector('[data-count-for="' + id + '"]');
    var older = {};
    (section.getAttribute("data-older-ids") || "").split(" ").forEach(function (pk) { if (pk) older[pk] = true; });
    prompts[id] = { section: section, total: counter ? parseInt(counter.textContent, 10) || 0 : 0, older: older };
  });

  function setStatus(text) { if (status) status.textContent = text; }

  function ideasIn(info) { return info.section.querySelectorAll(".compact-idea"); }

  function showCount(prompt) {
    var info = prompts[prompt];
    if (!info) return;
    var cards = ideasIn(info).length;
    Array.prototype.forEach.call(wall.querySelectorAll('[data-count-for="' + prompt + '"]'), function (el) {
      el.textContent = String(info.total);
    });
    Array.prototype.forEach.call(wall.querySelectorAll('[data-shown-for="' + prompt + '"]'), function (el) {
      el.textContent = String(cards);
    });
    var more = wall.querySelector('[data-more-for="' + prompt + '"]');
    if (more) more.hidden = info.total <= cards;
  }

  // Over the limit, the oldest card (lowest id) drops off, unless it holds the keyboard focus.
  function trim(prompt) {
    var info = prompts[prompt];
    var cards = ideasIn(info);
    while (cards.length > shown) {
      var oldest = null;
      Array.prototype.forEach.call(cards, function (card) {
        if (card.contains(document.activeElement)) return;
        if (!oldest || ideaId(card) < ideaId(oldest)) oldest = card;
      });
      if (!oldest) return;
      info.older[ideaId(oldest)] = true;
      oldest.parentNode.removeChild(oldest);
      cards = ideasIn(info);
    }
  }

  function ideaId(card) { return parseInt(card.id.replace("idea-", ""), 10); }

  // Themes: ideas move between the theme lists of their prompt's section. Anything the page
  // cannot show in place (a theme it has no list for yet, a new order) asks for a reload.
  function themeChanged() { setStatus("The themes have changed. Reload the page to see them."); }

  function themeIdeas(d) {
    (d.ids || []).forEach(function (id) {
      var item = document.getElementById("idea-" + id);
      var section = item && item.closest ? item.closest(".compact-wall__prompt") : null;
      if (!section) return;
      var target = d.theme ? section.querySelector('[data-theme-list="' + d.theme + '"]') : section.querySelector("[data-ideas-for]");
      if (target) target.appendChild(item);
      else themeChanged();
    });
  }

  function themeRemoved(d) {
    Array.prototype.forEach.call(wall.querySelectorAll('[data-theme-list="' + d.id + '"]'), function (list) {
      var section = list.closest ? list.closest(".compact-wall__prompt") : null;
      var loose = section ? section.querySelector("[data-ideas-for]") : null;
      while (loose && list.firstChild) loose.appendChild(list.firstChild);
      list.parentNode.removeChild(list);
    });
    Array.prototype.forEach.call(wall.querySelectorAll('[data-theme-heading="' + d.id + '"]'), function (heading) {
      heading.parentNode.removeChild(heading);
    });
  }

  function themeNamed(d) {
    Array.prototype.forEach.call(wall.querySelectorAll('[data-theme-heading="' + d.id + '"]'), function (heading) {
      heading.textContent = d.name;
    });
  }

  function paragraph(className, text) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function upsert(idea) {
    var list = wall.querySelector('[data-ideas-for="' + idea.prompt + '"]');
    var info = prompts[idea.prompt];
    if (!list || !info) return;
    var item = document.getElementById("idea-" + idea.id);
    if (!item && info.older[idea.id]) return;  // a change to an older idea this page leaves out
    var isNew = !item;
    if (isNew) {
      item = document.createElement("li");
      item.id = "idea-" + idea.id;
      item.className = "compact-idea compact-idea--new";
    }
    while (item.firstChild) item.removeChild(item.firstChild);
    item.appendChild(paragraph("compact-idea__text", idea.text));
    var by = idea.by + (idea.after ? " · after the workshop" : "") + (idea.edited ? " · edited" : "");
    if (idea.merged) by += " · " + idea.merged + " similar idea" + (idea.merged === 1 ? "" : "s") + " merged in";
    item.appendChild(paragraph("compact-idea__by", by));
    if (moderateBase) {
      var moderate = paragraph("compact-idea__by", "");
      var link = document.createElement("a");
      link.className = "govuk-link";
      link.href = moderateBase + idea.id + "/";
      link.textContent = "Moderate";
      var hidden = document.createElement("span");
      hidden.className = "govuk-visually-hidden";
      hidden.textContent = " the idea: " + idea.text.slice(0, 60);
      link.appendChild(hidden);
      moderate.appendChild(link);
      item.appendChild(moderate);
    }
    if (isNew) {
      // New, or back on the wall after being hidden.
      list.appendChild(item);
      info.total += 1;
      trim(idea.prompt);
    }
    showCount(idea.prompt);
  }

  function remove(id, prompt) {
    var info = prompts[prompt];
    var item = document.getElementById("idea-" + id);
    if (!info) return;
    if (item && item.parentNode) {
      item.parentNode.removeChild(item);
      info.total -= 1;
    } else if (info.older[id]) {
      delete info.older[id];
      info.total -= 1;
    }
    showCount(prompt);
  }

  function handle(message) {
    var d = message.data || {};
    if (message.kind === "idea") upsert(d);
    else if (message.kind === "idea_removed" || message.kind === "idea_merged") remove(d.id, d.prompt);
    else if (message.kind === "idea_theme") themeIdeas(d);
    else if (message.kind === "theme") themeNamed(d);
    else if (message.kind === "theme_removed") themeRemoved(d);
    else if (message.kind === "themes_order") { if (wall.querySelector("[data-theme-heading]")) themeChanged(); }
    else if (message.kind === "prompt") {
      var tag = document.querySelector('[data-prompt-state="' + d.id + '"]');
      if (!tag || (tag.getAttribute("data-state") || "") !== d.state) {
        setStatus("The questions have changed. Reload the page to see them.");
      }
    } else if (message.kind === "workshop_state" || message.kind === "reload") {
      setStatus("The workshop has changed. Reload the page to see it.");
    }
  }

  if (window.EventSource) {
    var source = new EventSource(wall.getAttribute("data-wall-stream"));
    source.onopen = function () { setStatus("New ideas appear here as people add them."); };
    source.onerror = function () { setStatus("Reconnecting… ideas added meanwhile will appear when the connection is back."); };
    source.onmessage = function (event) {
      try { handle(JSON.parse(event.data)); } catch (e) { /* ignore a malformed event */ }
    };
  }

  // Sending ideas ---------------------------------------------------------------------------
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (window.crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  function send(form, attempt) {
    var feedback = form.querySelector("[data-idea-feedback]");
    var errors = form.querySelector("[data-idea-errors]");
    var textarea = form.querySelector("textarea");
    var body = new FormData(form);
    return fetch(form.getAttribute("action") || window.location.pathname, {
      method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      if (result.data.ok) {
        feedback.textContent = "Your idea has been added.";
        textarea.value = "";
        textarea.dispatchEvent(new Event("input"));
        if (errors) errors.textContent = "";
        form.querySelector("[data-idea-key]").value = newKey();
        return;
      }
      var messages = [];
      Object.keys(result.data.errors || {}).forEach(function (k) { messages = messages.concat(result.data.errors[k]); });
      if (errors) {
        errors.textContent = "";
        messages.forEach(function (m) {
          var p = document.createElement("p");
          p.className = "govuk-error-message";
          p.textContent = "Error: " + m;
          errors.appendChild(p);
        });
      }
      feedback.textContent = messages.join(" ");
      textarea.focus();
    }).catch(function () {
      // No answer (connection dropped): send the same idea again with the same key.
      if (attempt < 6) {
        feedback.textContent = "Not sent yet: trying again…";
        return new Promise(function (resolve) { setTimeout(resolve, Math.min(8000, 500 * Math.pow(2, attempt))); })
          .then(function () { return send(form, attempt + 1); });
      }
      feedback.textContent = "We could not send your idea. Check your connection, then press Add idea again.";
    });
  }

  if (window.fetch && window.FormData) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-idea-form]"), function (form) {
      var busy = false;
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (busy) return;
        busy = true;
        var button = form.querySelector("button");
        if (button) button.disabled = true;
        send(form, 0).then(function () { busy = false; if (button) button.disabled = false; });
      });
    });
  }
})();
