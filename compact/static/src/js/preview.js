// Live preview of a Markdown text box (any textarea with data-preview) for people with
// JavaScript. The server renders the preview (the same sanitiser as the page), so what people
// see is what the document will show; raw HTML is never built here. Without JavaScript the
// panel stays hidden and saving shows the result.
(function () {
  "use strict";
  var panel = document.querySelector("[data-preview-url]");
  var box = document.querySelector("textarea[data-preview]");
  var form = box && box.form;
  if (!panel || !box || !form || !window.fetch) return;
  var output = panel.querySelector("#markdown-preview");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var timer = null;
  var sent = null;

  function refresh() {
    if (box.value === sent) return;
    sent = box.value;
    var body = new FormData();
    body.append("text", box.value);
    fetch(panel.getAttribute("data-preview-url"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && sent === box.value) output.innerHTML = html;  // server-sanitised HTML
    }).catch(function () { /* the preview is a convenience; saving still works */ });
  }

  panel.hidden = false;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  refresh();
})();
