/* The admin's autocomplete list filters: choosing an entity (or clearing it) reloads the
   list with that filter, keeping the others. select2 reports changes through jQuery. */
"use strict";
django.jQuery(function ($) {
  $("select.autocomplete-filter").on("change", function () {
    const url = new URL(window.location.href);
    url.searchParams.delete(this.name);
    url.searchParams.delete("p");
    if (this.value) url.searchParams.set(this.name, this.value);
    window.location.assign(url.toString());
  });
});
