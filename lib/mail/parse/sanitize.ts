/**
 * HTML from e-mail is hostile: this turns it into a fragment that is safe to render next to the
 * app (no script, style, iframe/object/embed, forms, event handlers, javascript: URLs, CSS url()),
 * while keeping basic formatting, tables and images (http(s), cid: and data:image sources).
 * A few class names / ids that mail clients use to mark quoted history are kept so
 * stripQuotedHistory() still works on the sanitised HTML.
 */
import sanitizeHtml from "sanitize-html";

const ALLOWED_TAGS = [
  "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br", "caption",
  "center", "cite", "code", "col", "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption",
  "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd",
  "li", "main", "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strike",
  "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul",
  "var", "wbr",
];

/** Elements dropped together with everything inside them. */
const DROP_WITH_CONTENT = [
  "script", "style", "textarea", "option", "select", "noscript", "title", "head", "xmp", "iframe", "frame",
  "frameset", "noframes", "object", "embed", "applet", "template", "svg", "math", "noembed", "button",
];

/** Classes mail clients put on quoted history / signatures (used by stripQuotedHistory). */
export const QUOTE_CLASSES = [
  "gmail_quote", "gmail_quote_container", "gmail_attr", "gmail_extra", "gmail_signature", "moz-cite-prefix",
  "moz-signature", "yahoo_quoted", "OutlookMessageHeader", "protonmail_quote", "zmail_extra",
];
/** Ids mail clients put on the reply header (Outlook). Every other id is removed. */
export const QUOTE_IDS = ["divRplyFwdMsg", "appendonsend", "stopSpelling", "mail-editor-reference-message-container"];

const SAFE_CSS_VALUE = /^(?!.*(?:url\s*\(|expression\s*\(|javascript:|vbscript:|behaviou?r\s*:|-moz-binding|@import|\\|<|>)).*$/i;
const CSS_PROPERTIES = [
  "color", "background-color", "background", "font", "font-family", "font-size", "font-weight", "font-style",
  "font-variant", "text-align", "text-decoration", "text-transform", "text-indent", "line-height",
  "letter-spacing", "word-spacing", "vertical-align", "white-space", "word-break", "word-wrap",
  "overflow-wrap", "direction", "width", "height", "max-width", "min-width", "max-height", "min-height",
  "margin", "margin-top", "margin-right", "margin-bottom", "margin-left", "padding", "padding-top",
  "padding-right", "padding-bottom", "padding-left", "border", "border-top", "border-right", "border-bottom",
  "border-left", "border-color", "border-style", "border-width", "border-radius", "border-collapse",
  "border-spacing", "border-top-color", "border-top-style", "border-top-width", "border-bottom-color",
  "border-bottom-style", "border-bottom-width", "display", "float", "clear", "list-style", "list-style-type",
  "table-layout", "text-overflow", "overflow",
];

const SAFE_IMG_SRC = /^(?:https?:\/\/|cid:|data:image\/(?:png|gif|jpe?g|webp|bmp);base64,)/i;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  disallowedTagsMode: "discard",
  nonTextTags: DROP_WITH_CONTENT,
  allowedAttributes: {
    "*": ["style", "title", "dir", "lang", "align", "class", "id"],
    a: ["href", "name", "target", "rel"],
    img: ["src", "alt", "width", "height", "border"],
    table: ["width", "height", "border", "cellpadding", "cellspacing", "bgcolor"],
    tr: ["bgcolor", "valign", "height"],
    td: ["width", "height", "colspan", "rowspan", "bgcolor", "valign", "nowrap"],
    th: ["width", "height", "colspan", "rowspan", "bgcolor", "valign", "nowrap", "scope"],
    col: ["span", "width"],
    colgroup: ["span", "width"],
    font: ["color", "face", "size"],
    blockquote: ["type", "cite"],
    ol: ["start", "type"],
    ul: ["type"],
    li: ["value"],
    hr: ["width", "size", "noshade", "color"],
    time: ["datetime"],
  },
  allowedClasses: { "*": QUOTE_CLASSES },
  allowedStyles: { "*": Object.fromEntries(CSS_PROPERTIES.map((p) => [p, [SAFE_CSS_VALUE]])) },
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowedSchemesByTag: { img: ["http", "https", "cid", "data"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
  allowProtocolRelative: false,
  transformTags: {
    "*": (tagName, attribs) => {
      if (attribs["id"] !== undefined && !QUOTE_IDS.includes(attribs["id"])) delete attribs["id"];
      return { tagName, attribs };
    },
    a: (tagName, attribs) => {
      const out: sanitizeHtml.Attributes = { ...attribs };
      if (/^\s*(?:https?:|mailto:|tel:)/i.test(out["href"] ?? "")) {
        out["target"] = "_blank";
        out["rel"] = "noopener noreferrer nofollow";
      } else {
        delete out["target"];
        delete out["rel"];
      }
      return { tagName, attribs: out };
    },
    img: (tagName, attribs) => {
      const out: sanitizeHtml.Attributes = { ...attribs };
      const src = (out["src"] ?? "").trim();
      if (SAFE_IMG_SRC.test(src)) out["src"] = src;
      else delete out["src"];
      return { tagName, attribs: out };
    },
  },
};

/** Sanitises e-mail HTML for display. Returns "" for input with nothing displayable. */
export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

/** Markers for htmlToText: a hard line break, a block boundary, a paragraph boundary. */
const BR = "\uE000";
const BLOCK = "\uE001";
const PARA = "\uE002";
const PARA_TAGS = /<\/?(?:p|h[1-6]|table|ul|ol|dl|blockquote|pre|figure|address|center)\b[^>]*>/gi;
const BLOCK_TAGS = /<\/?(?:div|tr|thead|tbody|tfoot|dt|dd|section|article|header|footer|figcaption|caption|main|nav|aside|li)\b[^>]*>/gi;

/**
 * Plain text from HTML, roughly as a browser would lay it out: <br> breaks a line, block elements
 * start on a new line, paragraphs / headings / tables / lists are separated by a blank line, list
 * items get "- ", table cells are separated by spaces. Script, style and the like are dropped.
 */
export function htmlToText(html: string): string {
  const marked = html
    .replace(/<br\b[^>]*>/gi, BR)
    .replace(/<hr\b[^>]*>/gi, PARA)
    .replace(/<li\b[^>]*>/gi, (m) => `${m}${BLOCK}- `)
    .replace(/<\/t[dh]\s*>/gi, (m) => `${m} `)
    .replace(PARA_TAGS, (m) => `${m}${PARA}`)
    .replace(BLOCK_TAGS, (m) => `${m}${BLOCK}`);
  const flat = decodeBasicEntities(
    sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {}, nonTextTags: DROP_WITH_CONTENT }),
  ).replace(/[\s\u00a0]+/g, " ");
  // Linear assembly (no re-scanning of the output): `pending` is the number of line breaks owed
  // before the next piece of text. <br> adds one; a block boundary asks for at least one, a
  // paragraph boundary for at least two; nothing is owed before the first text.
  const parts: string[] = [];
  let started = false;
  let pending = 0;
  for (const token of flat.split(/([\uE000-\uE002])/)) {
    if (token === BR) {
      pending += 1;
    } else if (token === BLOCK) {
      pending = Math.max(pending, 1);
    } else if (token === PARA) {
      pending = Math.max(pending, 2);
    } else if (token) {
      const text = !started || pending > 0 ? token.replace(/^ +/, "") : token;
      if (!text) continue;
      if (started && pending > 0) parts.push("\n".repeat(pending));
      pending = 0;
      parts.push(text);
      started = true;
    }
  }
  const out = parts.join("");
  return out
    .replace(/ +\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function decodeBasicEntities(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&amp;/g, "&");
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Replaces `cid:` references in src/href/background attributes with the URL mapped to that
 * Content-ID (keys with or without angle brackets; matched exactly, then case-insensitively).
 * References with no entry in the map are left as they are.
 */
export function rewriteCidUrls(html: string, map: Record<string, string>): string {
  const exact = new Map<string, string>();
  const folded = new Map<string, string>();
  for (const [k, v] of Object.entries(map)) {
    const key = k.trim().replace(/^<|>$/g, "");
    exact.set(key, v);
    folded.set(key.toLowerCase(), v);
  }
  const lookup = (id: string): string | undefined => {
    let decoded = id;
    try {
      decoded = decodeURIComponent(id);
    } catch {
      // keep as is
    }
    const key = decoded.replace(/&amp;/g, "&").replace(/^<|>$/g, "");
    return exact.get(key) ?? folded.get(key.toLowerCase());
  };
  return html.replace(
    /(\s(?:src|href|background)\s*=\s*)(["']?)cid:([^"'\s>]+)\2/gi,
    (match: string, prefix: string, _quote: string, id: string) => {
      const url = lookup(id);
      if (url === undefined) return match;
      return `${prefix}"${escapeAttr(url)}"`;
    },
  );
}
