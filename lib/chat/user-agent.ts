/** Browser and OS names for the customer panel (C9); good enough for people, not for analytics. */
export function describeUserAgent(ua: string | null | undefined): { browser: string | null; os: string | null } {
  if (!ua) return { browser: null, os: null };
  const browser =
    match(ua, /Edg\/([\d]+)/, "Edge") ??
    match(ua, /OPR\/([\d]+)/, "Opera") ??
    match(ua, /Firefox\/([\d]+)/, "Firefox") ??
    match(ua, /(?:Chrome|Chromium)\/([\d]+)/, "Chrome") ??
    (/Safari\//.test(ua) ? match(ua, /Version\/([\d]+)/, "Safari") ?? "Safari" : null);
  const os = /Windows NT/.test(ua)
    ? "Windows"
    : /iPhone|iPad|iPod/.test(ua)
      ? "iOS"
      : /Mac OS X/.test(ua)
        ? "macOS"
        : /Android/.test(ua)
          ? "Android"
          : /CrOS/.test(ua)
            ? "ChromeOS"
            : /Linux/.test(ua)
              ? "Linux"
              : null;
  return { browser, os };
}

function match(ua: string, re: RegExp, name: string) {
  const m = re.exec(ua);
  return m ? `${name} ${m[1]}` : null;
}
