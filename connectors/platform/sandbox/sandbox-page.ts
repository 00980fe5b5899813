import type { FieldSpec, Profile } from '../profile-schema.js';
import type { AcceptedRecord, SandboxLedger, StoredMessage } from './sandbox-ledger.js';
import { warehouseFieldOf } from './message-handler.js';

/**
 * The sandbox's read-only HTML page at `/`, laid out like the platform's
 * public overseas-warehouse pages: a card per warehouse with what was
 * accepted for it, then the latest messages. Chinese with English subtitles
 * by default, English alone with `?lang=en`. Every value from a message is
 * HTML-escaped, and the page loads no external asset.
 */

type PageLang = 'zh-CN' | 'en';

/** Warehouse fields shown on a card; these names are the default profile's, and a missing field shows as "—". */
const CARD_FIELDS = {
  name: 'warehouseName',
  country: 'countryCode',
  city: 'city',
  area: 'totalArea',
  status: 'status',
} as const;

const RECENT_MESSAGES = 20;

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Renders a heading or label: Chinese with a small English subtitle, or English alone. */
function label(lang: PageLang, zh: string, en: string): string {
  if (lang === 'en') return escapeHtml(en);
  return `${escapeHtml(zh)} <small lang="en">${escapeHtml(en)}</small>`;
}

/** Shows a coded value with its label from the field's enumLabels or code list. */
function displayValue(profile: Profile, spec: FieldSpec | undefined, value: unknown, lang: PageLang): string {
  if (value === undefined || value === null || value === '') return '—';

  const text = String(value);
  const enumLabel = spec?.enumLabels?.[text];
  if (enumLabel) return `${escapeHtml(text)} ${escapeHtml(lang === 'en' ? enumLabel.en : enumLabel.zh)}`;

  const listLabel = spec?.codeList ? profile.codeLists[spec.codeList]?.[text] : undefined;
  return listLabel ? `${escapeHtml(text)} ${escapeHtml(listLabel)}` : escapeHtml(text);
}

interface WarehouseCard {
  code: string;
  senderId: string;
  record?: AcceptedRecord;
  counts: Record<string, number>;
}

/** Collects one card per warehouse code, from warehouse records and from records that name a warehouse. */
function collectCards(profile: Profile, ledger: SandboxLedger): WarehouseCard[] {
  const cards = new Map<string, WarehouseCard>();
  const cardFor = (code: string, senderId: string) => {
    const id = `${senderId}\u0000${code}`;
    let card = cards.get(id);
    if (!card) {
      card = { code, senderId, counts: {} };
      cards.set(id, card);
    }
    return card;
  };

  for (const record of ledger.listRecords()) {
    if (record.op === 'delete') continue;
    if (record.kind === 'warehouse') {
      cardFor(record.key, record.senderId).record = record;
    } else if (record.warehouseCode !== undefined) {
      const card = cardFor(record.warehouseCode, record.senderId);
      card.counts[record.kind] = (card.counts[record.kind] ?? 0) + 1;
    }
  }

  // Kinds without a warehouse field (goods) belong to the enterprise, so each of its cards shows the sender's total.
  const senderCounts = ledger.countsBySender().filter((entry) => entry.kind !== 'warehouse' && !warehouseFieldOf(profile, entry.kind));
  for (const card of cards.values()) {
    for (const entry of senderCounts) {
      if (entry.senderId === card.senderId) card.counts[entry.kind] = entry.count;
    }
  }
  return [...cards.values()].sort((a, b) => a.code.localeCompare(b.code));
}

function renderCard(profile: Profile, card: WarehouseCard, lang: PageLang): string {
  const fields = profile.kinds.warehouse?.fields ?? {};
  const body = (card.record?.body ?? {}) as Record<string, unknown>;
  const field = (role: keyof typeof CARD_FIELDS) => displayValue(profile, fields[CARD_FIELDS[role]], body[CARD_FIELDS[role]], lang);
  const area = body[CARD_FIELDS.area] === undefined ? '—' : `${field('area')} m²`;

  const countKinds = Object.entries(profile.kinds).filter(([kind]) => kind !== 'warehouse');
  const counts = countKinds
    .map(([kind, spec]) => `<li data-kind="${escapeHtml(kind)}"><span class="count">${card.counts[kind] ?? 0}</span> ${label(lang, spec.label.zh, spec.label.en)}</li>`)
    .join('');
  const missing = card.record ? '' : `<p class="warn">${label(lang, '尚未收到该仓的基本信息', 'no warehouse record received yet')}</p>`;

  return `<article class="card" data-warehouse="${escapeHtml(card.code)}">
<h3>${card.record ? field('name') : escapeHtml(card.code)}</h3>
<dl>
<dt>${label(lang, '仓库编码', 'Code')}</dt><dd class="code">${escapeHtml(card.code)}</dd>
<dt>${label(lang, '国家(地区)', 'Country')}</dt><dd>${field('country')}</dd>
<dt>${label(lang, '城市', 'City')}</dt><dd>${field('city')}</dd>
<dt>${label(lang, '面积', 'Area')}</dt><dd>${area}</dd>
<dt>${label(lang, '状态', 'Status')}</dt><dd>${field('status')}</dd>
<dt>${label(lang, '发送方', 'Sender')}</dt><dd>${escapeHtml(card.senderId)}</dd>
</dl>
${missing}<ul class="counts">${counts}</ul>
</article>`;
}

function renderMessageRow(profile: Profile, message: StoredMessage, lang: PageLang): string {
  const kindLabel = profile.kinds[message.kind]?.label;
  let kindText = message.kind;
  if (kindLabel) kindText = lang === 'en' ? kindLabel.en : kindLabel.zh;
  return `<tr><td>${escapeHtml(message.receivedAt)}</td><td>${escapeHtml(message.senderId)}</td><td>${escapeHtml(message.interfaceId)} ${escapeHtml(kindText)}</td><td class="mono">${escapeHtml(message.messageId)}</td><td>${escapeHtml(message.outcome)}</td><td>${message.recordsAccepted}</td><td>${message.recordsRejected}</td></tr>`;
}

const STYLE = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f4f6f9;color:#1d2733}
header{background:#b3261e;color:#fff;padding:16px 24px}header h1{margin:0;font-size:22px}
small{font-size:.75em;opacity:.75;margin-left:.3em}main{padding:16px 24px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:16px}
.card{background:#fff;border-radius:8px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.card h3{margin:0 0 8px}dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0}dt{color:#5a6675}dd{margin:0}
.counts{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:8px;margin:12px 0 0}
.counts li{background:#eef2f7;border-radius:4px;padding:4px 8px}.count{font-weight:bold}
.warn{color:#b3261e}table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e1e6ec;padding:6px 8px;text-align:left;font-size:13px}.mono{font-family:monospace}
`;

/** Renders the whole page from the ledger's current contents. */
export function renderSandboxPage(profile: Profile, ledger: SandboxLedger, lang: PageLang): string {
  const cards = collectCards(profile, ledger);
  const messages = ledger.recentMessages(RECENT_MESSAGES);
  const cardHtml =
    cards.length > 0
      ? cards.map((card) => renderCard(profile, card, lang)).join('\n')
      : `<p>${label(lang, '尚未收到任何海外仓数据', 'no overseas-warehouse data received yet')}</p>`;
  const rows = messages.map((message) => renderMessageRow(profile, message, lang)).join('\n');

  return `<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><title>${lang === 'en' ? 'Overseas warehouses (sandbox)' : '海外仓公共信息（沙箱）'}</title><style>${STYLE}</style></head>
<body>
<header><h1>${label(lang, '海外仓公共信息（本地沙箱）', 'Overseas warehouses (local sandbox)')}</h1>
<div>${escapeHtml(profile.description[lang === 'en' ? 'en' : 'zh'])} · ${escapeHtml(profile.profileId)} ${escapeHtml(profile.profileVersion)}</div></header>
<main>
<h2>${label(lang, '海外仓', 'Warehouses')}</h2>
<section class="cards">${cardHtml}</section>
<h2>${label(lang, '最近报文', 'Recent messages')}</h2>
<table><thead><tr><th>${label(lang, '接收时间', 'Received')}</th><th>${label(lang, '发送方', 'Sender')}</th><th>${label(lang, '接口', 'Interface')}</th><th>${label(lang, '报文编号', 'Message ID')}</th><th>${label(lang, '结果', 'Outcome')}</th><th>${label(lang, '接收', 'Accepted')}</th><th>${label(lang, '拒绝', 'Rejected')}</th></tr></thead>
<tbody>${rows}</tbody></table>
</main>
</body>
</html>`;
}
