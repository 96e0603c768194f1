/* wagtail-evidence reader script. No dependencies, no inline code: runs under a
   strict Content-Security-Policy. Nothing from another site loads until the
   reader presses a button. The reader's choices (per warning category: show,
   warn or hide; and whether players from other sites may load) are kept in
   this browser only, never in a cookie, so full-page caches keep working. */
(function () {
  "use strict";
  var KEY = "wagtail-evidence:choices", OLD_KEY = "wagtail-evidence:warned-items";
  var RANK = { show: 0, warn: 1, hide: 2 };
  var doc = document, root = doc.documentElement, opener = null;

  function one(box, selector) { return box.querySelector(selector); }
  function all(selector) { return Array.prototype.slice.call(doc.querySelectorAll(selector)); }
  function button(box, name) { return one(box, '[data-evidence-action="' + name + '"]'); }
  function focus(el) { if (el) el.focus(); }

  // "*" stands for every category the reader has not chosen for one by one:
  // the one switch of earlier versions ("show warned items without asking").
  function stored() {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || (localStorage.getItem(OLD_KEY) === "show" ? { "*": "show" } : {});
    } catch (e) { return {}; } /* private mode, or a value this version cannot read */
  }
  // Flashing lights are never shown without asking, whatever the choice.
  function chosen(choices, category) {
    var choice = choices[category] || choices["*"] || "warn";
    return category === "flashing" && choice === "show" ? "warn" : choice;
  }
  function store(choices) {
    try { localStorage.setItem(KEY, JSON.stringify(choices)); localStorage.removeItem(OLD_KEY); } catch (e) { /* private mode */ }
  }

  // The strictest choice among the item's categories.
  function level(box, choices) {
    var worst = "show";
    box.getAttribute("data-evidence-categories").split(" ").forEach(function (category) {
      var choice = chosen(choices, category);
      if (RANK[choice] > RANK[worst]) worst = choice;
    });
    return worst;
  }

  function show(box, moveFocus) {
    var ready = one(box, "[data-evidence-ready]"), content = one(ready, "template");
    if (content) ready.replaceChild(content.content.cloneNode(true), content);
    ready.hidden = false;
    one(box, "[data-evidence-cover]").hidden = true;
    button(box, "hide").hidden = false;
    if (moveFocus) focus(root.classList.contains("evidence-no-players") ? button(box, "hide") : button(box, "load") || one(ready, "video"));
  }

  function load(box) {
    if (root.classList.contains("evidence-no-players")) return;
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
    if (ready) ready.hidden = !!cover;
    if (cover) cover.hidden = false;
    button(box, "hide").hidden = true;
    if (moveFocus) focus(button(box, cover ? "show" : "load"));
  }

  // Every item follows the choices; a player already loaded is unloaded when
  // the reader says players from other sites must never load.
  function apply(choices) {
    root.classList.toggle("evidence-no-players", choices.players === "never");
    if (choices.players === "never") all("[data-evidence-slot]:not([hidden])").forEach(function (slot) { hide(slot.closest("[data-evidence-media]"), false); });
    all("[data-evidence-warned]").forEach(function (box) {
      var wanted = level(box, choices), covered = !one(box, "[data-evidence-cover]").hidden;
      box.classList.toggle("evidence-media--hidden-by-choice", wanted === "hide");
      if (wanted === "show" && covered) show(box, false);
      else if (wanted !== "show" && !covered) hide(box, false);
    });
    all("[data-evidence-choice]").forEach(function (input) {
      var category = input.getAttribute("data-evidence-choice");
      input.checked = input.value === (category === "players" ? choices.players || "ask" : chosen(choices, category));
    });
  }

  function say(dialog, which) {
    var status = one(dialog, "[data-evidence-choices-status]");
    status.textContent = status.getAttribute("data-" + which);
  }

  doc.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.hasAttribute("data-evidence-choice")) return;
    var choices = stored();
    choices[input.getAttribute("data-evidence-choice")] = input.value;
    store(choices);
    apply(stored());
    say(input.closest("dialog"), "saved");
  });

  doc.addEventListener("click", function (event) {
    var target = event.target.closest("[data-evidence-action], [data-evidence-open-choices], [data-evidence-choices-reset], [data-evidence-continue]");
    if (!target) return;
    var dialog = one(doc, "[data-evidence-choices]");
    if (target.hasAttribute("data-evidence-open-choices")) {
      opener = target;
      dialog.showModal();
    } else if (target.hasAttribute("data-evidence-choices-reset")) {
      store({});
      apply({});
      say(dialog, "reset");
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
  root.classList.add("evidence-js");
  var dialog = one(doc, "[data-evidence-choices]");
  if (dialog && dialog.showModal) {
    root.classList.add("evidence-choices-on");
    dialog.addEventListener("close", function () {
      one(dialog, "[data-evidence-choices-status]").textContent = "";
      // Back where the reader was; if a choice just uncovered the item that
      // button was in, to what stands in its place now.
      var box = opener && opener.closest("[data-evidence-media]");
      focus(!opener || opener.offsetParent || !box ? opener : button(box, "hide").hidden ? button(box, "show") : button(box, "hide"));
    });
  }
  apply(stored());
})();
