import { describe, expect, it } from 'vitest';
import { bi, parseLang, render } from '../../config/i18n.js';

describe('i18n', () => {
  it('renders both languages', () => {
    const text = bi('配置文件无效', 'invalid config file');
    expect(render(text, 'zh-CN')).toBe('配置文件无效');
    expect(render(text, 'en')).toBe('invalid config file');
  });

  it('parses lang spellings', () => {
    expect(parseLang('zh')).toBe('zh-CN');
    expect(parseLang('EN')).toBe('en');
    expect(parseLang('fr')).toBeUndefined();
  });
});
