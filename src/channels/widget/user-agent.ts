export interface DeviceInfo {
  browser: string | null;
  os: string | null;
  deviceType: 'desktop' | 'mobile' | 'tablet' | 'bot' | null;
}

const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/\bWhale\/(\d+)/, 'Whale'],
  [/\bOPR\/(\d+)/, 'Opera'],
  [/\bFirefox\/(\d+)|\bFxiOS\/(\d+)/, 'Firefox'],
  [/\bCriOS\/(\d+)/, 'Chrome'],
  [/\bChrom(?:e|ium)\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
];

const SYSTEMS: Array<[RegExp, string]> = [
  [/\bWindows NT\b/, 'Windows'],
  [/\b(?:iPhone|iPad|iPod)\b.*\bOS (\d+)/, 'iOS'],
  [/\bAndroid (\d+)?/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/** Browser, OS and device type from a User-Agent header: enough for agents, no fingerprinting. */
export function parseUserAgent(ua: string | null | undefined): DeviceInfo {
  if (!ua) return { browser: null, os: null, deviceType: null };
  if (/bot\b|crawler|spider/i.test(ua)) return { browser: null, os: null, deviceType: 'bot' };
  let browser: string | null = null;
  for (const [re, name] of BROWSERS) {
    const m = re.exec(ua);
    if (m) {
      const version = m.slice(1).find(Boolean);
      browser = version ? `${name} ${version}` : name;
      break;
    }
  }
  let os: string | null = null;
  for (const [re, name] of SYSTEMS) {
    const m = re.exec(ua);
    if (m) {
      os = m[1] ? `${name} ${m[1]}` : name;
      break;
    }
  }
  const tablet = /\biPad\b|\bTablet\b|Android(?!.*\bMobile\b)/.test(ua);
  const mobile = !tablet && /\bMobi|\biPhone\b|\bAndroid.*\bMobile\b/.test(ua);
  return { browser, os, deviceType: tablet ? 'tablet' : mobile ? 'mobile' : 'desktop' };
}
