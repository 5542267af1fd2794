"use strict";
// Names every control the admin draws without a label of its own: the select2 boxes of the
// autocomplete fields (their visible box and their search field) and the "delete" ticks of
// inline rows. select2 redraws its boxes as choices change and rows are added, so the
// names are set again whenever the form changes.
{
  const nameOf = (control) => {
    const label = control.id && document.querySelector(`label[for="${control.id}"]`);
    const text = label ? label.textContent.replace(/[:\s]+$/, "").trim() : "";
    return control.getAttribute("aria-label") || text || control.name;
  };

  const labelAll = () => {
    document.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const box = select.nextElementSibling;
      if (!box || !box.classList.contains("select2")) return;
      const name = nameOf(select);
      box
        .querySelectorAll(".select2-selection, span.select2-selection__rendered, .select2-search__field")
        .forEach((element) => {
          if (element.getAttribute("aria-label") !== name) element.setAttribute("aria-label", name);
        });
      // The chosen items of a multiple box sit in a <ul> beside a non-item "clear" button:
      // not a list a screen reader should announce as one.
      box.querySelectorAll("ul.select2-selection__rendered:not([role])").forEach((list) => {
        list.setAttribute("role", "none");
      });
    });
    document.querySelectorAll('input[type="checkbox"][name$="-DELETE"]').forEach((tick) => {
      if (!tick.hasAttribute("aria-label")) {
        const row = tick.name.replace(/^.*-(\d+)-DELETE$/, "$1");
        tick.setAttribute("aria-label", `Delete row ${Number(row) + 1}`);
      }
    });
  };

  window.addEventListener("load", () => {
    labelAll();
    const form = document.querySelector("#content-main form");
    if (form) new MutationObserver(labelAll).observe(form, { childList: true, subtree: true });
  });
}
