// audioleaflet web edition: the player page's script. The page works without it (native
// audio, chapter links as media fragments, the whole transcript); this adds seeking in the
// page, speed and skip buttons, and the spoken sentence marked aria-current and kept in view.
(function () {
  "use strict";
  var audio = document.getElementById("player");
  if (!audio) { return; }
  document.documentElement.classList.add("js");
  var sentences = Array.prototype.slice.call(document.querySelectorAll(".s[data-start]"));
  var starts = sentences.map(function (s) { return parseFloat(s.dataset.start); });
  var ends = sentences.map(function (s) { return parseFloat(s.dataset.end); });
  var current = null;
  var quietUntil = 0; // the listener scrolled: leave the page where they put it for a while
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)");

  function playFrom(seconds) {
    audio.currentTime = seconds;
    var started = audio.play();
    if (started && started.catch) { started.catch(function () {}); }
    quietUntil = 0;
  }

  function spokenAt(time) {
    var low = 0, high = starts.length - 1, found = -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (starts[middle] <= time) { found = middle; low = middle + 1; } else { high = middle - 1; }
    }
    return found >= 0 && time < ends[found] + 0.6 ? sentences[found] : null;
  }

  function mark() {
    var sentence = spokenAt(audio.currentTime);
    if (sentence === current) { return; }
    if (current) { current.removeAttribute("aria-current"); }
    current = sentence;
    if (!sentence) { return; }
    sentence.setAttribute("aria-current", "true");
    if (!audio.paused && Date.now() > quietUntil) {
      sentence.scrollIntoView({ block: "center", behavior: reduced.matches ? "auto" : "smooth" });
    }
  }

  ["timeupdate", "seeked", "play"].forEach(function (name) { audio.addEventListener(name, mark); });
  ["wheel", "touchmove"].forEach(function (name) {
    window.addEventListener(name, function () { quietUntil = Date.now() + 10000; }, { passive: true });
  });
  window.addEventListener("keydown", function (event) {
    if (["PageUp", "PageDown", "Home", "End", "ArrowUp", "ArrowDown", " "].indexOf(event.key) >= 0
        && event.target === document.body) { quietUntil = Date.now() + 10000; }
  });

  document.querySelectorAll("a[data-start]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      playFrom(parseFloat(link.dataset.start));
    });
  });
  sentences.forEach(function (sentence, index) {
    sentence.addEventListener("click", function () {
      if (window.getSelection && String(window.getSelection())) { return; } // selecting text
      playFrom(starts[index]);
    });
  });
  document.querySelectorAll("button[data-skip]").forEach(function (button) {
    button.addEventListener("click", function () {
      var to = audio.currentTime + parseFloat(button.dataset.skip);
      audio.currentTime = Math.max(0, Math.min(to, audio.duration || to));
    });
  });
  var speeds = Array.prototype.slice.call(document.querySelectorAll("button[data-speed]"));
  speeds.forEach(function (button) {
    button.addEventListener("click", function () {
      audio.playbackRate = parseFloat(button.dataset.speed);
      speeds.forEach(function (other) {
        other.setAttribute("aria-pressed", String(other === button));
      });
    });
  });
  document.querySelectorAll(".controls[hidden], .hint[hidden]").forEach(function (element) {
    element.hidden = false;
  });
})();
