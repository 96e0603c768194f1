// Media behind a content warning in the admin (admin/warned_media.py).
//
// Every cover's button shows its media, or blurs it again; its words come
// translated in its data attributes. The listener is on the document, so
// covers that arrive later (a chooser, a modal) work too.
//
// Wagtail renders its own image listings, its chooser, an image's edit page
// and the image choosers of other models' forms, so the covers of warned
// posters among them are added here: the first time such an image appears,
// the script asks which images are warned posters, then covers those, and
// lets the others out of the blur that the stylesheet keeps every one of them
// in until then. A chooser that is given another image is looked at again.
(() => {
  "use strict";

  const COVER = "[data-evidence-warned-media]";
  const BY_SCRIPT = "data-evidence-covered-here";
  const THUMBNAILS = "a.image-choice[href], a.image-choice--list[href]";
  const EDIT_PREVIEW = ".focal-point-chooser";
  const CHOSEN = ".image-chooser [data-chooser-image]";
  const IMAGES = [THUMBNAILS, EDIT_PREVIEW, CHOSEN].join(", ");
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
    const match = /\/(\d+)\/(?:select_format\/)?(?:[?#]|$)/.exec(href || "");
    return match ? match[1] : null;
  };

  // Where each kind of image is: its id, the element to blur, the element that
  // holds the cover, and the element the button follows.
  const placeOf = (element) => {
    if (element.matches(THUMBNAILS)) {
      const media = element.querySelector(".image");
      return media && {
        id: imageId(element.getAttribute("href")),
        media,
        holder: element.parentElement,
        before: element, // beside the link: a button inside it would choose the image
      };
    }
    if (element.matches(EDIT_PREVIEW)) {
      return {
        id: imageId(window.location.pathname),
        media: element,
        holder: element.parentElement,
        before: element,
      };
    }
    const chooser = element.closest(".image-chooser");
    const input = chooser && document.getElementById(chooser.id.replace(/-chooser$/, ""));
    return input && { id: input.value, media: element, holder: chooser, before: element };
  };

  const uncover = (place) => {
    if (!place.holder.hasAttribute(BY_SCRIPT)) return;
    ["data-evidence-warned-media", "data-level", "data-blurred", BY_SCRIPT].forEach(
      (name) => place.holder.removeAttribute(name),
    );
    place.media.classList.remove("evidence-warned-media__media");
    const button = place.before.nextElementSibling;
    if (button && button.hasAttribute("data-evidence-warned-media-toggle")) button.remove();
  };

  const coverImage = (element) => {
    const place = placeOf(element);
    if (!place || !place.holder) return;
    uncover(place);
    const level = warned.images[place.id];
    const labels = level && warned.labels[level];
    // A cover the server drew (the Evidence form's poster) is left as it is.
    if (!labels || place.media.closest(COVER)) return;
    place.media.classList.add("evidence-warned-media__media");
    place.holder.setAttribute("data-evidence-warned-media", "");
    place.holder.setAttribute(BY_SCRIPT, "");
    place.holder.setAttribute("data-level", level);
    place.holder.toggleAttribute("data-blurred", warned.blurred);
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
    place.before.after(button);
  };

  const coverImages = (root) => {
    const found = root.matches(IMAGES) ? [root] : root.querySelectorAll(IMAGES);
    if (!found.length) return;
    if (warned) {
      found.forEach(coverImage);
      return;
    }
    if (asked) return;
    asked = true;
    // Unanswered, nothing is known to be warned: the library stays usable.
    const known = (answer) => {
      warned = answer || { blurred: false, images: {}, labels: {} };
      document.querySelectorAll(IMAGES).forEach(coverImage);
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
  coverImages(document.documentElement);
  new MutationObserver((records) => {
    for (const record of records) {
      // A chooser given another image keeps its <img> and changes its source.
      if (record.type === "attributes" && record.target.matches(CHOSEN)) {
        coverImages(record.target);
      }
      for (const node of record.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE) coverImages(node);
      }
    }
  }).observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["src"],
  });
})();
