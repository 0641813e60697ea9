// The big screen reloads itself when its data changes: the server sends
// the data version on an event stream at once and whenever it moves, and
// the page reloads on a version other than the one it was drawn at. The
// browser reconnects a dropped stream by itself.
(function () {
  var frame = document.getElementById("screen");
  if (!frame || !window.EventSource) return;
  var drawn = frame.getAttribute("data-version");
  var events = new EventSource("/insight/screen/events");
  events.addEventListener("version", function (e) {
    if (e.data !== drawn) {
      events.close();
      location.reload();
    }
  });
})();
