// Media behind a content warning in the admin (admin/warned_media.py).
//
// Every cover's button shows its media, or blurs it again; its words come
// translated in its data attributes. The listener is on the document, so
// covers that arrive later (a chooser, a modal) work too.
//
// Wagtail renders its own image listings and chooser, so the covers of warned
// posters among them are added here: the first time thumbnails appear, the
// script asks which images are warned posters, then covers those, and lets
// the others out of the blur that the stylesheet keeps every thumbnail in
// until then.
(() => {
  "use strict";

  const COVER = "[data-evidence-warned-media]";
  const THUMBNAILS = "a.image-choice[href], a.image-choice--list[href]";
  const KNOWN = "data-evidence-images-known";

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-evidence-warned-media-toggle]");
    const cover = button && button.closest(COVER);
    if (!cover) return;
    const show = cover.hasAttribute("data-blurred");
    cover.toggleAttribute("data-blurred", !show);
    button.textContent = show ? button.dataset.hideLabel : button.dataset.showLabel;
  });

  const source = document.currentScript && document.currentScript.dataset.warnedImagesUrl;
  let warned = null; // once known: {blurred, images: {id: level}, labels}
  let asked = false;

  // The image's id, the last number of its link: "/admin/images/12/" in the
  // listing, "/admin/images/chooser/12/" or ".../12/select_format/" in the chooser.
  const imageId = (href) => {
    const match = /\/(\d+)\/(?:select_format\/)?(?:[?#]|$)/.exec(href);
    return match ? match[1] : null;
  };

  const coverThumbnail = (link) => {
    const level = warned.images[imageId(link.getAttribute("href"))];
    const labels = level && warned.labels[level];
    const media = link.querySelector(".image");
    const holder = link.parentElement;
    if (!labels || !media || !holder || link.closest(COVER)) return;
    media.classList.add("evidence-warned-media__media");
    holder.setAttribute("data-evidence-warned-media", "");
    holder.setAttribute("data-level", level);
    holder.toggleAttribute("data-blurred", warned.blurred);
    // Beside the link, not in it: a button inside a link would choose the image.
    const button = document.createElement("button");
    button.type = "button";
    button.classList.add(
      "button",
      "button-small",
      "button-secondary",
      "evidence-warned-media__toggle",
    );
    button.setAttribute("data-evidence-warned-media-toggle", "");
    button.dataset.showLabel = labels.show;
    button.dataset.hideLabel = labels.hide;
    button.textContent = warned.blurred ? labels.show : labels.hide;
    link.after(button);
  };

  const coverThumbnails = (root) => {
    const links = root.matches(THUMBNAILS) ? [root] : root.querySelectorAll(THUMBNAILS);
    if (!links.length) return;
    if (warned) {
      links.forEach(coverThumbnail);
      return;
    }
    if (asked) return;
    asked = true;
    // Unanswered, nothing is known to be warned: the library stays usable.
    const known = (answer) => {
      warned = answer || { blurred: false, images: {}, labels: {} };
      document.querySelectorAll(THUMBNAILS).forEach(coverThumbnail);
      document.documentElement.setAttribute(KNOWN, "");
    };
    fetch(source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then(known, () => known(null));
  };

  if (!source) {
    document.documentElement.setAttribute(KNOWN, "");
    return;
  }
  coverThumbnails(document.documentElement);
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE) coverThumbnails(node);
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
})();
