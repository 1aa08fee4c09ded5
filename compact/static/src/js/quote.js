// On a block's discussion page: when someone selects words in the block's text, put them in the
// comment form's "Quote the words" box and choose which text they come from. Without JavaScript
// people copy the words in themselves. Only form values are set here: no markup is built.
(function () {
  "use strict";
  var source = document.querySelector("[data-quote-source]");
  var form = document.getElementById("comment-form");
  if (!source || !form || !window.getSelection) return;
  var quote = form.querySelector("[name=quote]");
  var field = form.querySelector("[name=anchor_field]");
  if (!quote) return;
  var help = document.querySelector("[data-quote-help]");
  if (help) help.hidden = false;
  var limit = parseInt(quote.getAttribute("maxlength"), 10) || 1000;

  function fieldOf(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    var container = element && element.closest("[data-anchor-field]");
    return container && source.contains(container) ? container : null;
  }

  function take() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed) return;
    var start = fieldOf(selection.anchorNode);
    if (!start || start !== fieldOf(selection.focusNode)) return;  // one text at a time
    var words = selection.toString().replace(/\s+/g, " ").trim().slice(0, limit);
    if (!words) return;
    quote.value = words;
    if (field) field.value = start.getAttribute("data-anchor-field");
  }

  source.addEventListener("mouseup", take);
  source.addEventListener("keyup", take);
  source.addEventListener("touchend", take);
})();
