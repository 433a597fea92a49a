// The annotate page: turns a text selection into UTF-16 offsets, and keys into clicks.
//
// Every piece of the article is a <span data-u="N"> whose text starts at UTF-16 offset N
// (line breaks: data-n holds their real length, since HTML turns CRLF into LF). A point in
// the article is therefore data-u plus the offset inside the piece; the server converts
// UTF-16 to code points (annotator/offsets.py). This file never builds HTML: every change
// comes from the server through htmx, or is a class, a value or textContent.
(function () {
  "use strict";

  const article = () => document.getElementById("article");
  const form = () => document.getElementById("claim-form");
  let selected = null; // {start, end, text} in UTF-16 units of the document text

  function pieceOf(node) {
    const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    return el && el.closest ? el.closest("[data-u]") : null;
  }

  function pieceLength(piece) {
    return piece.dataset.n !== undefined ? Number(piece.dataset.n) : piece.textContent.length;
  }

  // Where an element of the article starts: a piece, or a block (its first piece).
  function startOf(el) {
    const piece = el.dataset.u !== undefined ? el : el.querySelector("[data-u]");
    return piece ? Number(piece.dataset.u) : Number(article().dataset.u16Length);
  }

  // A DOM point (container, offset) as a UTF-16 offset into the document text.
  function pointToOffset(container, offset) {
    const root = article();
    // Between the blocks (children of the article) or the pieces of a block.
    if (container === root || (container.classList && container.classList.contains("block"))) {
      const children = container.children;
      if (offset < children.length) return startOf(children[offset]);
      const after = container === root ? null : container.nextElementSibling;
      return after ? startOf(after) : Number(root.dataset.u16Length);
    }
    const piece = pieceOf(container);
    if (!piece || !root.contains(piece)) return null;
    const start = Number(piece.dataset.u);
    if (container.nodeType !== Node.TEXT_NODE) {
      return offset === 0 ? start : start + pieceLength(piece);
    }
    if (piece.dataset.n !== undefined) return offset === 0 ? start : start + pieceLength(piece);
    return start + offset;
  }

  function readSelection() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const root = article();
    if (!root || !root.contains(range.commonAncestorContainer)) return null;
    const start = pointToOffset(range.startContainer, range.startOffset);
    const end = pointToOffset(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return null;
    return { start: start, end: end, text: sel.toString() };
  }

  function showSelection() {
    const f = form();
    if (!f || !f.elements.sel_start) return;
    f.elements.sel_start.value = selected ? selected.start : "";
    f.elements.sel_end.value = selected ? selected.end : "";
    const label = document.getElementById("selection");
    if (label) {
      label.textContent = selected
        ? "Selected: “" + selected.text.slice(0, 200) + "” — Enter: claim, s: speaker, c: cue, t: target, f: fragment"
        : "Select text in the article, then press a key or a button.";
    }
  }

  // Each new selection is counted, so a response to a key pressed on an older one does not
  // drop a selection made while it was on its way.
  let selections = 0;
  let sentWith = 0;
  document.body.addEventListener("htmx:beforeRequest", function () { sentWith = selections; });

  document.addEventListener("selectionchange", function () {
    const now = readSelection();
    if (now) {
      if (!selected || now.start !== selected.start || now.end !== selected.end) selections += 1;
      selected = now;
      showSelection();
      return;
    }
    // A click in the article drops the old selection, so no key applies it unseen; clicks
    // on the form's buttons leave the selection (and this) alone.
    const sel = window.getSelection();
    const root = article();
    if (selected && sel && sel.isCollapsed && sel.anchorNode && root && root.contains(sel.anchorNode)) {
      selected = null;
      showSelection();
    }
  });

  function clearSelection() {
    selected = null;
    const sel = window.getSelection();
    if (sel) sel.removeAllRanges();
    showSelection();
  }

  // htmx wires a swapped-in form up only once the swap has settled; a key pressed in
  // between would act on a form htmx does not handle yet, so it waits for the settle. The
  // form's own classes say so: counting swap events would miss a settle that happens in an
  // element swapped away meanwhile (its event never reaches the page).
  const waiting = [];
  function unsettled() {
    const f = form();
    return !!f && ["htmx-swapping", "htmx-added", "htmx-settling"].some(function (c) {
      return f.classList.contains(c);
    });
  }
  document.body.addEventListener("htmx:afterSettle", function () {
    while (!unsettled() && waiting.length) waiting.shift()();
  });
  function soon(action) {
    if (unsettled()) waiting.push(action);
    else action();
  }

  function click(selector) {
    if (!document.querySelector(selector)) return false;
    soon(function () {
      const el = document.querySelector(selector);
      if (el && !el.disabled) el.click();
    });
    return true;
  }

  // The current claim or suggestion: outlined in the article, marked in its list.
  function markCurrent() {
    const f = form();
    const claim = f ? f.dataset.claimId || "" : "";
    const suggestion = f ? f.dataset.suggestionId || "" : "";
    document.querySelectorAll("#article .current, #article .suggested-current").forEach(function (el) {
      el.classList.remove("current", "suggested-current");
    });
    document.querySelectorAll("#claim-list .claim-link, #suggestion-list .suggestion-link").forEach(function (a) {
      const on = a.dataset.claimId ? a.dataset.claimId === claim : a.dataset.suggestionId === suggestion;
      a.classList.toggle("current", on);
      if (on) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    });
    const currentLink = document.querySelector("#claim-list .claim-link.current, #suggestion-list .suggestion-link.current");
    if (currentLink) last = position(currentLink);
    const owner = claim ? "c" + claim : suggestion ? "s" + suggestion : "";
    if (!owner) return;
    const cls = claim ? "current" : "suggested-current";
    document.querySelectorAll("#article [data-owners]").forEach(function (el) {
      if (el.dataset.owners.split(" ").indexOf(owner) >= 0) el.classList.add(cls);
    });
  }

  // j/k walk the claims, then the suggestions, in text order. With none current (after a
  // save, an accept or a dismiss) they go on from the last one, among its kind.
  let last = null; // {kind, start, id} of the last current item
  function position(a) {
    return { kind: a.dataset.claimId ? "c" : "s", start: Number(a.dataset.start), id: Number(a.dataset.claimId || a.dataset.suggestionId) };
  }
  function moveClaim(step) {
    const links = Array.from(document.querySelectorAll("#claim-list .claim-link, #suggestion-list .suggestion-link"));
    if (!links.length) return;
    const current = links.findIndex(function (a) { return a.classList.contains("current"); });
    let next;
    if (current >= 0) {
      next = (current + step + links.length) % links.length;
    } else if (last) {
      const after = function (a) {
        const p = position(a);
        const later = p.start > last.start || (p.start === last.start && p.id > last.id);
        return p.kind === last.kind && (step > 0 ? later : !later && p.id !== last.id);
      };
      next = step > 0 ? links.findIndex(after) : links.map(after).lastIndexOf(true);
      if (next < 0) next = step > 0 ? 0 : links.length - 1;
    } else {
      next = step > 0 ? 0 : links.length - 1;
    }
    links[next].click();
    links[next].focus();
  }

  // h: the suggestions' highlights on or off, for this browser tab.
  function showSuggestions(hidden) {
    const pane = document.querySelector(".article-pane");
    const button = document.getElementById("toggle-suggestions");
    if (!pane || !button) return;
    pane.classList.toggle("hide-suggestions", hidden);
    button.setAttribute("aria-pressed", hidden ? "true" : "false");
    button.firstChild.textContent = hidden ? "Show suggestions " : "Hide suggestions ";
    window.sessionStorage.setItem("hide-suggestions", hidden ? "1" : "");
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("#toggle-suggestions")) {
      const pane = document.querySelector(".article-pane");
      showSuggestions(!pane.classList.contains("hide-suggestions"));
    }
  });
  showSuggestions(window.sessionStorage.getItem("hide-suggestions") === "1");

  function openDialog(id) {
    const dialog = document.getElementById(id);
    if (dialog && !dialog.open) dialog.showModal();
  }

  function focusEntity() {
    const f = form();
    if (!f) return;
    const role = f.elements.active_role ? f.elements.active_role.value : "speaker";
    const input = document.getElementById(role + "-entity-q");
    if (!input) return;
    if (!input.value) {
      const span = f.querySelector('[data-role-text="' + role + '"]');
      const text = span ? span.textContent.replace(/^“|”$/g, "") : "";
      if (text && text !== "not set") input.value = text;
    }
    input.focus();
    input.select();
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // Keys inside the entity box: arrows walk the options, Enter picks or creates.
  function entityKeys(event) {
    const input = event.target;
    const role = input.id.replace("-entity-q", "");
    const options = Array.from(document.querySelectorAll("#" + role + "-entity-results button.option"));
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      options[0].focus();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (input.value.trim()) click('#claim-form button[name="entity_enter"][value="' + role + '"]');
    }
  }

  // The keyboard map is the `?` table (annotator/views/keymap.py): key -> action name.
  const keymap = {};
  document.querySelectorAll("#keymap [data-action]").forEach(function (row) {
    row.dataset.keys.split(" ").forEach(function (key) { keymap[key] = row.dataset.action; });
  });

  function setRole(role) {
    return !!selected && click('#claim-form button[name="set_role"][value="' + role + '"]');
  }

  function pickStance(nth) {
    const exists = document.querySelectorAll('#claim-form input[name="stance"]')[nth];
    if (!exists || !exists.value) return false;
    soon(function () {
      const f = form();
      const radio = f.querySelectorAll('input[name="stance"]')[nth];
      if (!radio) return;
      radio.checked = true;
      radio.dispatchEvent(new Event("input", { bubbles: true })); // the claim is now unsaved
      // On a suggestion, a stance key accepts it with that stance; on a complete claim it
      // saves, when the project says so.
      if (f.dataset.suggestionId || f.dataset.stanceSaves === "1") f.requestSubmit();
    });
    return true;
  }

  const actions = {
    claim: function () { return setRole("claim"); },
    speaker: function () { return setRole("speaker"); },
    cue: function () { return setRole("cue"); },
    target: function () { return setRole("target"); },
    fragment: function () { return !!selected && click("#add-fragment"); },
    entity: function () { focusEntity(); return true; },
    save: function () {
      if (!form()) return false;
      soon(function () { form().requestSubmit(); });
      return true;
    },
    "new": function () { return click("#new-claim"); },
    drop: function () { clearSelection(); return true; },
    next: function () { moveClaim(1); return true; },
    previous: function () { moveClaim(-1); return true; },
    "delete": function () { return click("#delete-claim"); },
    accept: function () { return click("#suggestion-accept"); },
    dismiss: function () { return click("#suggestion-dismiss"); },
    hide: function () { return click("#toggle-suggestions"); },
    "next-doc": function () { return click("#next-doc"); },
    "previous-doc": function () { return click("#prev-doc"); },
    submit: function () { return click("#submit-doc"); },
    guidelines: function () { openDialog("guidelines-dialog"); return true; },
    help: function () { openDialog("help-dialog"); return true; },
  };

  document.addEventListener("keydown", function (event) {
    const target = event.target;
    const typing = target.matches && target.matches("input, textarea, select, [contenteditable]");
    const ctrl = event.ctrlKey || event.metaKey;
    if (ctrl && event.key === "Enter") {
      event.preventDefault();
      actions.save();
      return;
    }
    if (typing) {
      if (target.matches(".entity-picker input[type=search]")) entityKeys(event);
      if (event.key === "Escape") target.blur();
      return;
    }
    if (target.matches && target.matches("button.option")) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const list = Array.from(target.closest("ul").querySelectorAll("button.option"));
        const i = list.indexOf(target) + (event.key === "ArrowDown" ? 1 : -1);
        if (i >= 0 && i < list.length) list[i].focus();
        else if (i < 0) target.closest(".entity-picker").querySelector("input[type=search]").focus();
        return;
      }
    }
    if (event.altKey || ctrl) return;
    if (document.querySelector("dialog[open]")) return; // a dialog has the keyboard
    const action = keymap[event.key];
    let handled = false;
    if (action === "stance") handled = pickStance(Number(event.key) - 1);
    else if (action && actions[action]) handled = actions[action]();
    if (handled) event.preventDefault();
  });

  // A claim or suggestion in the lists opens in the form. One listener for every link: htmx
  // need not wire up hundreds of them after each save.
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("#claim-list .claim-link, #suggestion-list .suggestion-link");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    htmx.ajax("GET", link.dataset.url, { source: link, target: "#claim-form", swap: "outerHTML" });
  });

  // Clicking a highlight (without dragging a selection) makes its claim current.
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-dialog]");
    if (button) {
      event.preventDefault();
      openDialog(button.dataset.dialog);
      return;
    }
    const piece = event.target.closest && event.target.closest("#article [data-owners]");
    if (!piece || readSelection()) return;
    // Claims first; among several, the shortest (the innermost of nested spans).
    let best = null;
    piece.dataset.owners.split(" ").forEach(function (owner) {
      const link = owner[0] === "c"
        ? document.querySelector('#claim-list [data-claim-id="' + owner.slice(1) + '"]')
        : document.querySelector('#suggestion-list [data-suggestion-id="' + owner.slice(1) + '"]');
      if (!link) return;
      const better = !best
        || (link.dataset.claimId && !best.dataset.claimId)
        || (!!link.dataset.claimId === !!best.dataset.claimId && Number(link.dataset.length) < Number(best.dataset.length));
      if (better) best = link;
    });
    if (best) best.click();
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "claim-form") {
      if (selections === sentWith) clearSelection();
      else showSelection(); // a newer selection: keep it, in the new form too
      markCurrent();
      // htmx gives focus back to the re-rendered entity box; once an entity is linked the
      // box is empty and the keys belong to the page again.
      const active = document.activeElement;
      if (active && active.matches(".entity-picker input[type=search]") && !active.value) active.blur();
    }
  });
  // Several regions swap out of band in one response: mark the current claim once after.
  let marking = false;
  document.body.addEventListener("htmx:oobAfterSwap", function () {
    if (marking) return;
    marking = true;
    queueMicrotask(function () { marking = false; markCurrent(); });
  });

  // An unsaved claim is not lost by accident: typing marks the form, leaving asks first.
  document.addEventListener("input", function (event) {
    const f = form();
    if (f && f.contains(event.target) && !event.target.matches(".entity-picker input[type=search]")) {
      f.dataset.dirty = "1";
    }
  });
  function unsaved() {
    const f = form();
    return !!(f && f.dataset.dirty === "1");
  }
  window.addEventListener("beforeunload", function (event) {
    if (unsaved()) event.preventDefault();
  });
  document.addEventListener("submit", function (event) {
    // Saving the claim form itself is fine; leaving by another form (submit, skip) is not.
    if (event.target.id !== "claim-form" && unsaved() &&
        !window.confirm("Your current claim is not saved. Leave it?")) {
      event.preventDefault();
    } else if (event.target.id !== "claim-form") {
      const f = form();
      if (f) f.dataset.dirty = "";
    }
  }, true);

  // Moving to another claim or suggestion would replace the unsaved one.
  document.body.addEventListener("htmx:confirm", function (event) {
    const elt = event.detail.elt;
    const leaves = elt.matches(".claim-link, #new-claim");
    if (!leaves || !unsaved()) return;
    event.preventDefault();
    if (window.confirm("Your current claim is not saved. Leave it?")) event.detail.issueRequest(true);
  });

  // A failed request must not pass silently: the annotator would think the claim is saved.
  function reportFailure(message) {
    const label = document.getElementById("selection");
    if (label) {
      label.textContent = message;
      label.classList.add("error");
    } else {
      window.alert(message);
    }
  }
  document.body.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    reportFailure(
      status === 403 || status === 404
        ? "That is not allowed (" + status + "): reload the page to see the current state."
        : "The server could not do that (" + status + "). Nothing was saved; try again."
    );
  });
  document.body.addEventListener("htmx:sendError", function () {
    reportFailure("The server cannot be reached. Nothing was saved; check the connection and try again.");
  });

  markCurrent();
})();
