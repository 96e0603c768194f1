/* wagtail-evidence reader script. No dependencies, no inline code: runs under a
   strict Content-Security-Policy. Nothing from another site loads until the
   reader presses a button; the reader's choice to see warned items is kept in
   this browser only. */
(function () {
  "use strict";
  var KEY = "wagtail-evidence:warned-items";
  var doc = document;

  function one(root, selector) { return root.querySelector(selector); }
  function all(selector) { return Array.prototype.slice.call(doc.querySelectorAll(selector)); }
  function button(box, name) { return one(box, '[data-evidence-action="' + name + '"]'); }
  function focus(el) { if (el) el.focus(); }
  function remembered() { try { return localStorage.getItem(KEY) === "show"; } catch (e) { return false; } }
  function remember(show) {
    try { if (show) localStorage.setItem(KEY, "show"); else localStorage.removeItem(KEY); } catch (e) { /* private mode */ }
  }

  function show(box, moveFocus) {
    var ready = one(box, "[data-evidence-ready]"), content = one(ready, "template");
    if (content) ready.replaceChild(content.content.cloneNode(true), content);
    ready.hidden = false;
    one(box, "[data-evidence-cover]").hidden = true;
    button(box, "hide").hidden = false;
    if (moveFocus) focus(button(box, "load") || one(ready, "video"));
  }

  function load(box) {
    var slot = one(box, "[data-evidence-slot]");
    slot.appendChild(one(box, "template[data-evidence-player]").content.cloneNode(true));
    slot.hidden = false;
    one(box, "[data-evidence-ready]").hidden = true;
    button(box, "hide").hidden = false;
    focus(slot.firstElementChild);
  }

  function hide(box, moveFocus) {
    var slot = one(box, "[data-evidence-slot]"), cover = one(box, "[data-evidence-cover]");
    var ready = one(box, "[data-evidence-ready]"), video = one(box, "video");
    if (slot) { slot.textContent = ""; slot.hidden = true; }
    if (video) video.pause();
    ready.hidden = !!cover;
    if (cover) cover.hidden = false;
    button(box, "hide").hidden = true;
    if (moveFocus) focus(button(box, cover ? "show" : "load"));
  }

  function applyPreference(show_) {
    all("[data-evidence-preference]").forEach(function (el) { el.setAttribute("aria-pressed", String(show_)); });
    all("[data-evidence-warned]").forEach(function (box) {
      var covered = !one(box, "[data-evidence-cover]").hidden;
      // Flashing lights are shown one by one, never by the standing choice.
      if (show_ && covered && !box.hasAttribute("data-evidence-photosensitive")) show(box, false);
      else if (!show_ && !covered) hide(box, false);
    });
  }

  doc.addEventListener("click", function (event) {
    var target = event.target.closest("[data-evidence-action], [data-evidence-preference], [data-evidence-continue]");
    if (!target) return;
    if (target.hasAttribute("data-evidence-preference")) {
      var showAll = target.getAttribute("aria-pressed") !== "true";
      remember(showAll);
      applyPreference(showAll);
    } else if (target.hasAttribute("data-evidence-continue")) {
      var body = doc.getElementById(target.getAttribute("aria-controls"));
      if (body) { body.classList.remove("evidence-covered"); body.setAttribute("tabindex", "-1"); body.focus(); }
      target.parentNode.classList.add("evidence-done"); // invisible, still in place: nothing moves
    } else {
      var box = target.closest("[data-evidence-media]"), name = target.getAttribute("data-evidence-action");
      if (name === "show") show(box, true);
      else if (name === "load") load(box);
      else hide(box, true);
    }
  });

  // Controls that need this script take their space from the start and only
  // become visible now, so that running the script moves nothing.
  doc.documentElement.classList.add("evidence-js");
  if (remembered()) applyPreference(true);
})();
