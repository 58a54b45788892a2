/*!
 * Relaydesk live chat — embed with:
 *   <script src="https://desk.example/widget.js" data-brand="acme" async></script>
 * Optional: data-open="true" (open at once), data-color="#4f46e5" (launcher colour), data-lang="tr".
 * The chat itself runs in an iframe served by the desk; this file only draws the
 * launcher, creates the iframe on first use and relays the host page's URL to it.
 */
/* global window, document, location, navigator, history */
(function () {
  "use strict";
  var w = window, d = document;
  if (w.Relaydesk) return;
  var script = d.currentScript || d.querySelector('script[src*="widget.js"][data-brand]');
  if (!script) return;
  var brand = script.getAttribute("data-brand");
  if (!brand) { console.warn("Relaydesk: the script tag needs a data-brand attribute."); return; }
  var origin = new URL(script.src, location.href).origin;
  var lang = script.getAttribute("data-lang") || "";
  var tr = /^tr\b/i.test(lang || d.documentElement.lang || navigator.language || "");
  var T = tr
    ? { open: "Sohbeti aç", close: "Sohbeti kapat", title: "Canlı destek", unread: " okunmamış mesaj" }
    : { open: "Open chat", close: "Close chat", title: "Live chat", unread: " unread" };

  function store(kind, key, value) {
    try {
      var s = w[kind], k = "relaydesk." + key + "." + brand;
      if (value === undefined) return s.getItem(k);
      if (value === null) s.removeItem(k); else s.setItem(k, value);
    } catch { /* storage blocked: work without it */ }
    return null;
  }

  var color = script.getAttribute("data-color") || store("localStorage", "color") || "#111827";
  var ICON_CHAT = '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 11.5a8.4 8.4 0 0 1-9 8.4 9 9 0 0 1-3.9-.9L3 20l1.1-4.3A8 8 0 0 1 3 11.5 8.5 8.5 0 0 1 12 3a8.5 8.5 0 0 1 9 8.5z"/></svg>';
  var ICON_X = '<svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" aria-hidden="true"><path d="M18 6 6 18M6 6l12 12"/></svg>';
  var CSS =
    ":host{all:initial}" +
    ".l{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;padding:0;border:0;border-radius:50%;background:var(--c);color:var(--f);box-shadow:0 6px 20px rgba(0,0,0,.2);cursor:pointer;display:flex;align-items:center;justify-content:center;transition:transform .15s ease,box-shadow .15s ease;-webkit-tap-highlight-color:transparent}" +
    ".l:hover{transform:scale(1.06);box-shadow:0 8px 26px rgba(0,0,0,.25)}" +
    ".l:focus-visible{outline:3px solid var(--c);outline-offset:3px}" +
    ".l svg{transition:transform .2s ease}.l.o svg{transform:rotate(90deg)}" +
    ".b{position:absolute;top:-3px;right:-3px;min-width:20px;height:20px;box-sizing:border-box;padding:0 5px;border:2px solid #fff;border-radius:10px;background:#e11d48;color:#fff;font:600 11px/16px system-ui,sans-serif;text-align:center}" +
    ".b[hidden]{display:none}" +
    ".p{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:370px;height:560px;max-width:calc(100vw - 40px);max-height:calc(100vh - 108px);border:0;border-radius:16px;background:#fff;box-shadow:0 12px 48px rgba(0,0,0,.22);color-scheme:normal;opacity:0;visibility:hidden;transform:translateY(12px) scale(.98);transform-origin:bottom right;transition:opacity .2s ease,transform .2s ease,visibility 0s linear .2s}" +
    ".p.o{opacity:1;visibility:visible;transform:none;transition:opacity .2s ease,transform .2s ease}" +
    "@media (max-width:480px),(max-height:600px){.p{right:0;bottom:0;width:100%;height:100%;max-width:none;max-height:none;border-radius:0}.l.o{display:none}}" +
    "@media (prefers-reduced-motion:reduce){.l,.l svg,.p{transition:none}}";

  var host = d.createElement("div");
  host.setAttribute("data-relaydesk", "");
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var style = d.createElement("style");
  style.textContent = CSS;
  var btn = d.createElement("button");
  btn.type = "button";
  btn.className = "l";
  btn.setAttribute("data-testid", "widget-launcher");
  btn.setAttribute("aria-haspopup", "dialog");
  btn.setAttribute("aria-controls", "relaydesk-panel");
  var icon = d.createElement("span");
  icon.style.display = "flex";
  var badge = d.createElement("span");
  badge.className = "b";
  badge.hidden = true;
  badge.setAttribute("aria-hidden", "true");
  badge.setAttribute("data-testid", "widget-badge");
  btn.appendChild(icon);
  btn.appendChild(badge);
  root.appendChild(style);
  root.appendChild(btn);

  var frame = null, loaded = false, ready = false, isOpen = false, unread = 0;

  function contrast(hex) {
    var m = /^#?([0-9a-f]{6})$/i.exec(hex);
    if (!m) return "#fff";
    var n = parseInt(m[1], 16), r = n >> 16, g = (n >> 8) & 255, b = n & 255;
    return (r * 299 + g * 587 + b * 114) / 1000 > 160 ? "#111827" : "#fff";
  }
  function paint() {
    host.style.setProperty("--c", color);
    host.style.setProperty("--f", contrast(color));
    btn.className = isOpen ? "l o" : "l";
    icon.innerHTML = isOpen ? ICON_X : ICON_CHAT;
    btn.setAttribute("aria-expanded", String(isOpen));
    btn.setAttribute("aria-label", (isOpen ? T.close : T.open) + (unread && !isOpen ? " (" + unread + T.unread + ")" : ""));
    badge.textContent = unread > 9 ? "9+" : String(unread);
    badge.hidden = !unread || isOpen;
  }

  function post(msg) {
    // Before its first load the frame is still about:blank (the host's origin): wait for it.
    if (loaded && frame.contentWindow) frame.contentWindow.postMessage(msg, origin);
  }
  function sendPage() {
    post({ type: "relaydesk:page", url: location.href, title: d.title });
  }
  function sendState() {
    post({ type: "relaydesk:state", open: isOpen });
  }

  function ensureFrame() {
    if (frame) return;
    frame = d.createElement("iframe");
    frame.id = "relaydesk-panel";
    frame.className = "p";
    frame.title = T.title;
    frame.setAttribute("allow", "clipboard-write");
    frame.src = origin + "/widget/" + encodeURIComponent(brand) + (lang ? "?lang=" + encodeURIComponent(lang) : "");
    frame.addEventListener("load", function () { loaded = true; sendPage(); sendState(); });
    root.insertBefore(frame, btn);
  }

  function open() {
    ensureFrame();
    if (isOpen) return;
    isOpen = true;
    store("sessionStorage", "open", "1");
    frame.className = "p o";
    paint();
    sendState();
    // Focus moves into the chat (the panel focuses its own first field when told it is open).
    setTimeout(function () { if (isOpen && ready) frame.focus(); }, 50);
  }
  function close(fromPanel) {
    if (!isOpen) return;
    isOpen = false;
    store("sessionStorage", "open", null);
    frame.className = "p";
    paint();
    sendState();
    if (fromPanel === true) btn.focus();
  }

  btn.addEventListener("click", function () { if (isOpen) close(); else open(); });
  btn.addEventListener("keydown", function (e) { if (e.key === "Escape" && isOpen) close(); });

  w.addEventListener("message", function (e) {
    if (!frame || e.origin !== origin || e.source !== frame.contentWindow) return;
    var m = e.data;
    if (!m || typeof m !== "object") return;
    if (m.type === "relaydesk:ready") {
      ready = loaded = true;
      if (typeof m.color === "string" && /^#[0-9a-f]{6}$/i.test(m.color) && !script.getAttribute("data-color")) {
        color = m.color;
        store("localStorage", "color", color);
        paint();
      }
      sendPage();
      sendState();
      if (isOpen) frame.focus();
    } else if (m.type === "relaydesk:close") {
      close(true);
    } else if (m.type === "relaydesk:unread") {
      unread = Math.max(0, Math.min(99, Number(m.count) || 0));
      paint();
    } else if (m.type === "relaydesk:active") {
      // Remembered so that the next page loads the panel in the background: new
      // messages then reach the badge even before the launcher is clicked again.
      store("localStorage", "active", m.active ? "1" : null);
    }
  });

  // Single-page apps: report navigations made with the History API too.
  var lastUrl = location.href;
  function changed() {
    setTimeout(function () {
      if (location.href === lastUrl) return;
      lastUrl = location.href;
      sendPage();
    }, 50);
  }
  ["pushState", "replaceState"].forEach(function (name) {
    var orig = history[name];
    if (typeof orig !== "function") return;
    history[name] = function () {
      var r = orig.apply(this, arguments);
      changed();
      return r;
    };
  });
  w.addEventListener("popstate", changed);
  w.addEventListener("hashchange", changed);

  w.Relaydesk = { open: open, close: close };

  function mount() {
    paint();
    d.body.appendChild(host);
    var wantOpen = script.getAttribute("data-open") === "true" || store("sessionStorage", "open") === "1";
    if (wantOpen) open();
    else if (store("localStorage", "active") === "1") ensureFrame();
  }
  if (d.body) mount(); else d.addEventListener("DOMContentLoaded", mount);
})();
