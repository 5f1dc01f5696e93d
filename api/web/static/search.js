// Progressive enhancement, no build step: the pages work without it.
// - The search box answers as you type: it fetches the server-rendered results fragment
//   (/tim-kiem) and keeps the address shareable (history.replaceState).
// - The product page's print button (hidden without JS) prints the checklist.
(function () {
  "use strict";

  function setupSearch() {
    var form = document.getElementById("search-form");
    var results = document.getElementById("results");
    if (!form || !results || !window.fetch) return;
    var timer = null;
    var latest = 0;

    function params() {
      var data = new URLSearchParams(new FormData(form));
      Array.from(data.keys()).forEach(function (key) {
        if (!data.get(key)) data.delete(key);
      });
      return data;
    }

    // go: after a submit (Enter, which a barcode scanner sends too), follow a result the
    // server marks as the one the query names (a scanned barcode's product).
    function run(go) {
      var data = params();
      var ticket = ++latest;
      var query = data.toString();
      form.setAttribute("aria-busy", "true");
      fetch(form.dataset.fragment + (query ? "?" + query : ""), {
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.text().then(function (html) {
            return { ok: response.ok, html: html };
          });
        })
        .then(function (answer) {
          if (ticket !== latest) return;
          if (answer.ok) {
            results.innerHTML = answer.html;
            var named = go && results.querySelector("a[data-go]");
            if (named) {
              window.location.assign(named.getAttribute("href"));
              return;
            }
          } else {
            var doc = new DOMParser().parseFromString(answer.html, "text/html");
            var error = doc.querySelector(".error");
            results.innerHTML = error ? error.outerHTML : "";
          }
          history.replaceState(null, "", "/" + (query ? "?" + query : ""));
        })
        .catch(function () {})
        .finally(function () {
          if (ticket === latest) form.removeAttribute("aria-busy");
        });
    }

    form.addEventListener("input", function (event) {
      if (event.target.name !== "q") return;
      clearTimeout(timer);
      timer = setTimeout(function () { run(false); }, 180);
    });
    form.addEventListener("change", function (event) {
      if (event.target.tagName === "SELECT") run(false);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      run(true);
    });
  }

  function setupProduct() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupSearch();
    setupProduct();
  });
})();
