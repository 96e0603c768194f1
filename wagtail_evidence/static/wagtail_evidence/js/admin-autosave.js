// An edit form, told which revision its own autosave wrote (admin/views/edit.py).
//
// While the form is open, Wagtail's autosave keeps overwriting one revision of
// the editor's own, yet a full save still posts the revision the form was
// loaded from. The record's editor refuses a form older than the record, and
// would count the form's own autosave against it. So the revision each
// answered autosave wrote is kept in the form, for a full save to post. Only
// this tab's form learns it: another tab's autosave still counts.
(() => {
  "use strict";

  const NAME = "autosaved_revision_id";

  document.addEventListener("w-autosave:success", (event) => {
    const form = event.target.closest("form");
    const revision = event.detail?.response?.revision_id;
    if (!form || !revision) return;
    let input = form.querySelector(`input[name="${NAME}"]`);
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = NAME;
      form.append(input);
    }
    input.value = String(revision);
  });
})();
