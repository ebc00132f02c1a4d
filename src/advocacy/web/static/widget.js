/* Advocacy survey widget: the NPS question on any web page, answered in place.
 *
 *   <script src="https://ADVOCACY_HOST/widget.js" data-survey="SURVEY_KEY" async></script>
 *
 * Options (attributes of the script element): data-token="PERSONAL_TOKEN" answers a personal
 * invitation (advocacy surveys invite CUSTOMER --channel widget --json gives it) instead of an
 * anonymous answer; data-language="es" chooses the language (else the page's or the browser's);
 * data-target="#element-id" draws it inside that element instead of a card in the corner.
 * It sends no cookies, draws inside a shadow root (the page's styles do not leak in), and uses
 * only buttons and a labelled text box, so it works with a keyboard and a screen reader.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var base = new URL(script.src, window.location.href).origin;
  var key = script.getAttribute("data-survey");
  var token = script.getAttribute("data-token");
  if (!key && !token) { return; }
  var language = script.getAttribute("data-language") ||
    (document.documentElement.lang || navigator.language || "en").slice(0, 2).toLowerCase();
  var root = token ? base + "/s/" + encodeURIComponent(token) : base + "/p/" + encodeURIComponent(key);
  var responseId = (function () {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  })();
  var score = null;

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function send(body) {
    body.source = "widget";
    body.language = language;
    if (!token) { body.response_id = responseId; }
    return fetch(root + "/answers", {
      method: "POST", mode: "cors", credentials: "omit",
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  function draw(t) {
    language = t.language;
    var host = element("div", { "data-advocacy-widget": "" });
    var target = script.getAttribute("data-target");
    var inline = target && document.querySelector(target);
    (inline || document.body).appendChild(host);
    var shadow = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var style = element("style");
    style.textContent =
      // position:relative keeps the close button in the card when it is drawn inline; in the
      // corner the card stays 16px from both edges of a narrow phone.
      ".card{position:relative;box-sizing:border-box;font:15px/1.45 system-ui,sans-serif;color:#1d2430;" +
      "background:#fff;border:1px solid #c8cfda;border-radius:10px;padding:14px;max-width:420px;" +
      "box-shadow:0 4px 16px rgba(0,0,0,.12)}" +
      (inline ? "" : ".card{position:fixed;right:16px;bottom:16px;z-index:2147483000;" +
        "max-width:min(420px,calc(100vw - 32px))}") +
      ".q{font-weight:600;margin:0 24px 8px 0}.scores{display:grid;grid-template-columns:repeat(11,1fr);gap:3px}" +
      "button{font:inherit;cursor:pointer;border:1px solid #8a94a6;border-radius:6px;background:#fff;color:#1d2430;min-height:36px}" +
      "button[aria-pressed=true],.send{background:#2157c4;color:#fff;border-color:#2157c4}" +
      ".ends{display:flex;justify-content:space-between;font-size:12px;color:#5b6576;margin-top:4px}" +
      "textarea{width:100%;box-sizing:border-box;font:inherit;margin:6px 0}.close{position:absolute;top:6px;right:8px;border:0;min-height:0}" +
      "label{display:block;font-weight:600;margin-top:10px}.send{padding:6px 16px;margin-top:4px}" +
      ":focus-visible{outline:3px solid #f0b429;outline-offset:2px}";
    var card = element("section", { "class": "card", role: "dialog", "aria-label": t.question, lang: language });
    if (!inline) { card.style.position = "fixed"; }
    var close = element("button", { "class": "close", type: "button", "aria-label": t.close }, "×");
    close.addEventListener("click", function () { host.remove(); });
    var question = element("p", { "class": "q", id: "advocacy-q" }, t.question);
    var scores = element("div", { "class": "scores", role: "group", "aria-labelledby": "advocacy-q" });
    var status = element("p", { role: "status", "aria-live": "polite" });
    var follow = element("div");
    follow.hidden = true;
    var label = element("label", { "for": "advocacy-reason" }, t.reason);
    var reason = element("textarea", { id: "advocacy-reason", rows: "3", maxlength: "10000" });
    var submit = element("button", { "class": "send", type: "button" }, t.submit);
    follow.append(label, reason, submit);
    for (var n = 0; n <= 10; n += 1) {
      (function (value) {
        var button = element("button", { type: "button", "aria-pressed": "false", "aria-label": t.score_legend + ": " + value }, String(value));
        button.addEventListener("click", function () {
          Array.prototype.forEach.call(scores.children, function (b) { b.setAttribute("aria-pressed", "false"); });
          button.setAttribute("aria-pressed", "true");
          score = value;
          send({ score: value }).then(function () {
            status.textContent = t.recorded;
            follow.hidden = false;
            reason.focus();
          }).catch(function () { status.textContent = t.unavailable; });
        });
        scores.appendChild(button);
      })(n);
    }
    var ends = element("div", { "class": "ends" });
    ends.append(element("span", {}, "0 = " + t.low), element("span", {}, "10 = " + t.high));
    submit.addEventListener("click", function () {
      send({ score: score, comment: reason.value }).then(function () {
        card.replaceChildren(close, element("p", { "class": "q", role: "status" }, t.thanks));
      }).catch(function () { status.textContent = t.unavailable; });
    });
    card.append(close, question, scores, ends, status, follow);
    shadow.append(style, card);
  }

  fetch(root + "/widget.json?lang=" + encodeURIComponent(language), { credentials: "omit" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (texts) { if (texts) { draw(texts); } })
    .catch(function () { /* the survey is closed or the server unreachable: draw nothing */ });
})();
