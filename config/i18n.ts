/**
 * Bilingual text for everything a person reads: CLI output, help and errors.
 * Chinese comes first because most integration engineers read it first.
 */
export type Lang = 'zh-CN' | 'en';

/** A text in both supported languages. */
export interface Bilingual {
  'zh-CN': string;
  en: string;
}

/** Builds a bilingual text, Chinese first. */
export function bi(zh: string, en: string): Bilingual {
  return { 'zh-CN': zh, en };
}

let activeLang: Lang = detectLang(process.env);

/** Picks the language from OWH_LANG, then LC_ALL / LANG; Chinese by default. */
export function detectLang(env: NodeJS.ProcessEnv): Lang {
  const raw = env.OWH_LANG ?? env.LC_ALL ?? env.LANG ?? '';

  if (/^en/i.test(raw)) return 'en';
  return 'zh-CN';
}

export function setLang(lang: Lang): void {
  activeLang = lang;
}

export function currentLang(): Lang {
  return activeLang;
}

/** Renders a bilingual text in the active (or given) language. */
export function render(text: Bilingual, lang: Lang = activeLang): string {
  return text[lang];
}

/** Parses a `--lang` value; accepts zh, zh-CN, cn and en in any case. */
export function parseLang(value: string): Lang | undefined {
  const v = value.trim().toLowerCase();

  if (v === 'en' || v.startsWith('en-') || v.startsWith('en_')) return 'en';
  if (v === 'zh' || v === 'cn' || v.startsWith('zh')) return 'zh-CN';
  return undefined;
}
