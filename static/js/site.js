// Progressive enhancement only: every page works without this file.
document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var text = document.getElementById(button.dataset.copy).textContent;
    navigator.clipboard.writeText(text).then(function () {
      var label = button.dataset.label || (button.dataset.label = button.textContent);
      button.textContent = "Copied";
      var status = button.closest("section").querySelector(".copy-status");
      if (status) status.textContent = label.replace("Copy", "Copied") + " to the clipboard.";
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
});

// The filters of a list are folded on a phone and a sidebar on a wide screen; unfolding them
// there also tells assistive technology they are shown (site.css shows them regardless).
var wide = window.matchMedia("(min-width: 801px)");
document.querySelectorAll("details.filters:not([open])").forEach(function (details) {
  function follow() { details.open = wide.matches; }
  follow();
  wide.addEventListener("change", follow);
});
