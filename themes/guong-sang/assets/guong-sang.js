/* Gương Sáng: font-size control ("Cỡ chữ"), copy-link and copy-embed-code buttons. No third-party code. */
(function () {
  "use strict";
  var KEY = "gs-font-size";
  var root = document.documentElement;

  function setSize(value) {
    var n = Math.max(-1, Math.min(3, value));
    if (n === 0) { delete root.dataset.fontSize; } else { root.dataset.fontSize = String(n); }
    try { if (n === 0) { localStorage.removeItem(KEY); } else { localStorage.setItem(KEY, String(n)); } } catch (e) { /* private mode */ }
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-gs-font],[data-gs-copy],[data-gs-copy-from]") : null;
    if (!target) { return; }
    if (target.hasAttribute("data-gs-font")) {
      var current = parseInt(root.dataset.fontSize || "0", 10) || 0;
      var action = target.getAttribute("data-gs-font");
      setSize(action === "up" ? current + 1 : action === "down" ? current - 1 : 0);
      return;
    }
    var source = target.hasAttribute("data-gs-copy-from") ? document.getElementById(target.getAttribute("data-gs-copy-from")) : null;
    var text = source ? source.textContent : target.getAttribute("data-gs-copy");
    var copied = source ? "Đã sao chép mã nhúng." : "Đã sao chép liên kết.";
    var status = target.parentNode.querySelector(".gs-copy-status");
    function done(message) { if (status) { status.textContent = message; } }
    function fallback() {
      if (source) { window.getSelection().selectAllChildren(source); done("Đã chọn mã nhúng: nhấn Ctrl+C để sao chép."); } else { done(text); }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(copied); }, fallback);
    } else {
      fallback();
    }
  });

  // Material's script takes every <link rel="alternate"> for another language's version of the site
  // and fetches "sitemap.xml" beside its address (on DOMContentLoaded, after this script): for the
  // oEmbed and feed links (no hreflang) that is a request for a file that does not exist, on every
  // page view. They are for programs reading the HTML, which this does not change: leave the live page.
  var alternates = document.querySelectorAll('link[rel="alternate"]:not([hreflang])');
  for (var j = 0; j < alternates.length; j++) { alternates[j].remove(); }

  // The embed code's copy button works only with script: shown by it.
  var buttons = document.querySelectorAll("[data-gs-copy-from][hidden]");
  for (var i = 0; i < buttons.length; i++) { buttons[i].hidden = false; }
})();
