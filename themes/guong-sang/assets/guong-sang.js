/* Gương Sáng: font-size control ("Cỡ chữ") and copy-link button. No third-party code. */
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
    var target = event.target instanceof Element ? event.target.closest("[data-gs-font],[data-gs-copy]") : null;
    if (!target) { return; }
    if (target.hasAttribute("data-gs-font")) {
      var current = parseInt(root.dataset.fontSize || "0", 10) || 0;
      var action = target.getAttribute("data-gs-font");
      setSize(action === "up" ? current + 1 : action === "down" ? current - 1 : 0);
      return;
    }
    var url = target.getAttribute("data-gs-copy");
    var status = target.parentNode.querySelector(".gs-copy-status");
    function done(text) { if (status) { status.textContent = text; } }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { done("Đã sao chép liên kết."); }, function () { done(url); });
    } else {
      done(url);
    }
  });
})();
