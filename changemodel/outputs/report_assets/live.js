/* The live preview: reload the page when the server says the model file changed.
   The page's event address names the build it shows; the server answers
   "reload" as soon as a newer build exists. EventSource reconnects by itself
   when the server restarts. */
(function () {
  "use strict";
  var node = document.getElementById("cm-live");
  var events = new EventSource(node.getAttribute("data-events"));
  events.addEventListener("message", function (event) {
    if (event.data === "reload") { events.close(); location.reload(); }
  });
})();
