/**
 * Invented places for the demo WMS: warehouse templates, the market each
 * warehouse sells into, and buyer cities with postal code shapes. Street
 * addresses, phone numbers and people are made up.
 */

/** A postal code shape: '#' is a digit, '@' a capital letter, anything else is kept. */
export type PostalPattern = string;

export interface BuyerCity {
  city: string;
  postal: PostalPattern;
}

export interface Market {
  /** ISO 4217 currency of sales from this warehouse. */
  currency: string;
  /** Units of the currency per 100 USD, an invented fixed rate. */
  per100Usd: number;
  /** Buyer countries (ISO alpha-3) with relative weights. */
  destinations: ReadonlyArray<readonly [string, number]>;
  carriers: ReadonlyArray<readonly [string, number]>;
  platforms: ReadonlyArray<readonly [string, number]>;
}

export interface WarehouseTemplate {
  code: string;
  name: string;
  nameEn: string;
  continent: string;
  country: string;
  state: string;
  city: string;
  address: string;
  postalCode: string;
  /** Degrees × 10^6, so that the decimal text is exact. */
  latitudeMicro: number;
  longitudeMicro: number;
  /** Square metres × 100. */
  areaCenti: number;
  ownership: 1 | 2 | 3;
  whType: 1 | 2 | 3 | 9;
  openedOn: string;
  staffTotal: number;
  staffOverseas: number;
  dailyOrderCapacity: number;
  serviceTypes: string;
  overseasContact: { name: string; phone: string; email: string };
  market: Market;
}

const US_MARKET: Market = {
  currency: 'USD',
  per100Usd: 100,
  destinations: [['USA', 96], ['CAN', 4]],
  carriers: [['USPS', 45], ['UPS', 30], ['FedEx', 25]],
  platforms: [['Amazon', 50], ['Walmart', 15], ['eBay', 12], ['Shopify', 13], ['TikTok Shop', 10]],
};

export const WAREHOUSE_TEMPLATES: readonly WarehouseTemplate[] = [
  {
    code: 'US-LAX01',
    name: '洛杉矶一号仓',
    nameEn: 'Los Angeles Warehouse No. 1',
    continent: 'NA',
    country: 'USA',
    state: 'California',
    city: 'Los Angeles',
    address: '3360 E Olympic Blvd, Building C, Los Angeles, CA',
    postalCode: '90023',
    latitudeMicro: 34_019_512,
    longitudeMicro: -118_193_874,
    areaCenti: 1_850_000,
    ownership: 1,
    whType: 1,
    openedOn: '2019-06-18',
    staffTotal: 86,
    staffOverseas: 79,
    dailyOrderCapacity: 12000,
    serviceTypes: '01,02,03,04,05,07',
    overseasContact: { name: 'Daniel Ortiz', phone: '+1 323-555-0148', email: 'lax01.ops@demo-owh.example' },
    market: US_MARKET,
  },
  {
    code: 'GB-FXT01',
    name: '费利克斯托一号仓',
    nameEn: 'Felixstowe Warehouse No. 1',
    continent: 'EU',
    country: 'GBR',
    state: 'Suffolk',
    city: 'Felixstowe',
    address: 'Unit 12, Dock Gate Business Park, Felixstowe',
    postalCode: 'IP11 3SW',
    latitudeMicro: 51_963_904,
    longitudeMicro: 1_327_815,
    areaCenti: 960_050,
    ownership: 2,
    whType: 1,
    openedOn: '2021-03-01',
    staffTotal: 42,
    staffOverseas: 38,
    dailyOrderCapacity: 5000,
    serviceTypes: '01,02,03,04,06,07',
    overseasContact: { name: 'Hannah Price', phone: '+44 1394 555 0192', email: 'fxt01.ops@demo-owh.example' },
    market: {
      currency: 'GBP',
      per100Usd: 79,
      destinations: [['GBR', 95], ['IRL', 5]],
      carriers: [['Royal Mail', 45], ['Evri', 30], ['DPD', 25]],
      platforms: [['Amazon', 55], ['eBay', 25], ['Shopify', 10], ['TikTok Shop', 10]],
    },
  },
  {
    code: 'DE-FRA01',
    name: '法兰克福一号仓',
    nameEn: 'Frankfurt Warehouse No. 1',
    continent: 'EU',
    country: 'DEU',
    state: 'Hessen',
    city: 'Frankfurt am Main',
    address: 'Hanauer Landstraße 331, Halle 4, Frankfurt am Main',
    postalCode: '60314',
    latitudeMicro: 50_113_207,
    longitudeMicro: 8_724_561,
    areaCenti: 1_200_000,
    ownership: 2,
    whType: 1,
    openedOn: '2020-09-15',
    staffTotal: 57,
    staffOverseas: 51,
    dailyOrderCapacity: 8000,
    serviceTypes: '02,03,04,05,07',
    overseasContact: { name: 'Jonas Becker', phone: '+49 69 5550 2231', email: 'fra01.ops@demo-owh.example' },
    market: {
      currency: 'EUR',
      per100Usd: 92,
      destinations: [['DEU', 70], ['FRA', 8], ['NLD', 6], ['AUT', 6], ['POL', 5], ['ITA', 5]],
      carriers: [['DHL Paket', 55], ['DPD', 25], ['Hermes', 20]],
      platforms: [['Amazon', 65], ['eBay', 20], ['Shopify', 10], ['TikTok Shop', 5]],
    },
  },
  {
    code: 'JP-TYO01',
    name: '东京一号仓',
    nameEn: 'Tokyo Warehouse No. 1',
    continent: 'AS',
    country: 'JPN',
    state: '東京都',
    city: '大田区',
    address: '東京都大田区京浜島2丁目9番3号',
    postalCode: '143-0003',
    latitudeMicro: 35_567_310,
    longitudeMicro: 139_763_052,
    areaCenti: 520_075,
    ownership: 3,
    whType: 1,
    openedOn: '2022-11-08',
    staffTotal: 23,
    staffOverseas: 20,
    dailyOrderCapacity: 3000,
    serviceTypes: '02,03,04,07',
    overseasContact: { name: '佐藤 健', phone: '+81 3-5555-0417', email: 'tyo01.ops@demo-owh.example' },
    market: {
      currency: 'JPY',
      per100Usd: 15000,
      destinations: [['JPN', 100]],
      carriers: [['Yamato', 50], ['Sagawa', 30], ['Japan Post', 20]],
      platforms: [['Amazon', 60], ['Shopify', 20], ['TikTok Shop', 12], ['eBay', 8]],
    },
  },
  {
    code: 'US-NJ01',
    name: '新泽西一号仓',
    nameEn: 'New Jersey Warehouse No. 1',
    continent: 'NA',
    country: 'USA',
    state: 'New Jersey',
    city: 'Edison',
    address: '275 Raritan Center Pkwy, Dock 14, Edison, NJ',
    postalCode: '08837',
    latitudeMicro: 40_513_870,
    longitudeMicro: -74_351_662,
    areaCenti: 1_400_000,
    ownership: 2,
    whType: 1,
    openedOn: '2023-04-10',
    staffTotal: 48,
    staffOverseas: 45,
    dailyOrderCapacity: 7000,
    serviceTypes: '02,03,04,07',
    overseasContact: { name: 'Maria Russo', phone: '+1 732-555-0163', email: 'nj01.ops@demo-owh.example' },
    market: US_MARKET,
  },
  {
    code: 'CA-TOR01',
    name: '多伦多一号仓',
    nameEn: 'Toronto Warehouse No. 1',
    continent: 'NA',
    country: 'CAN',
    state: 'Ontario',
    city: 'Mississauga',
    address: '6150 Kennedy Rd, Unit 8, Mississauga, ON',
    postalCode: 'L5T 2J4',
    latitudeMicro: 43_644_118,
    longitudeMicro: -79_681_203,
    areaCenti: 650_000,
    ownership: 2,
    whType: 1,
    openedOn: '2024-02-20',
    staffTotal: 19,
    staffOverseas: 18,
    dailyOrderCapacity: 2500,
    serviceTypes: '02,03,07',
    overseasContact: { name: 'Olivia Tremblay', phone: '+1 905-555-0110', email: 'tor01.ops@demo-owh.example' },
    market: {
      currency: 'CAD',
      per100Usd: 137,
      destinations: [['CAN', 100]],
      carriers: [['Canada Post', 60], ['UPS', 40]],
      platforms: [['Amazon', 60], ['Walmart', 15], ['eBay', 15], ['Shopify', 10]],
    },
  },
  {
    code: 'AU-SYD01',
    name: '悉尼一号仓',
    nameEn: 'Sydney Warehouse No. 1',
    continent: 'OC',
    country: 'AUS',
    state: 'New South Wales',
    city: 'Sydney',
    address: '18 Wonderland Dr, Eastern Creek NSW',
    postalCode: '2766',
    latitudeMicro: -33_801_425,
    longitudeMicro: 150_851_930,
    areaCenti: 480_000,
    ownership: 3,
    whType: 1,
    openedOn: '2024-08-01',
    staffTotal: 15,
    staffOverseas: 14,
    dailyOrderCapacity: 1800,
    serviceTypes: '02,03,07',
    overseasContact: { name: 'Liam Walker', phone: '+61 2 5550 1187', email: 'syd01.ops@demo-owh.example' },
    market: {
      currency: 'AUD',
      per100Usd: 153,
      destinations: [['AUS', 100]],
      carriers: [['Australia Post', 70], ['Aramex', 30]],
      platforms: [['Amazon', 50], ['eBay', 35], ['Shopify', 15]],
    },
  },
  {
    code: 'PL-WAW01',
    name: '华沙一号仓',
    nameEn: 'Warsaw Warehouse No. 1',
    continent: 'EU',
    country: 'POL',
    state: 'Mazowieckie',
    city: 'Warszawa',
    address: 'ul. Poznańska 14, Hala B, Pruszków',
    postalCode: '05-800',
    latitudeMicro: 52_170_431,
    longitudeMicro: 20_812_266,
    areaCenti: 900_000,
    ownership: 2,
    whType: 1,
    openedOn: '2023-10-02',
    staffTotal: 31,
    staffOverseas: 29,
    dailyOrderCapacity: 4000,
    serviceTypes: '02,03,04,07',
    overseasContact: { name: 'Katarzyna Nowak', phone: '+48 22 555 0134', email: 'waw01.ops@demo-owh.example' },
    market: {
      currency: 'PLN',
      per100Usd: 398,
      destinations: [['POL', 60], ['DEU', 15], ['CZE', 10], ['SVK', 5], ['LTU', 10]],
      carriers: [['InPost', 60], ['DPD', 40]],
      platforms: [['Amazon', 50], ['eBay', 20], ['Shopify', 30]],
    },
  },
];

/** The operating companies in China that run the warehouses (invented). */
export const OPERATORS = [
  { name: '深圳市前海远帆供应链管理有限公司', region: '440305', orgBody: '59834127' },
  { name: '深圳市鹏程海外仓储服务有限公司', region: '440306', orgBody: '67120458' },
] as const;

/** Contacts in China for the warehouses (invented). */
export const DOMESTIC_CONTACTS = [
  { name: '陈静', phone: '0755-86015523', email: 'chen.jing@demo-owh.example' },
  { name: '李昊然', phone: '0755-27738016', email: 'li.haoran@demo-owh.example' },
  { name: '王雪梅', phone: '0755-83351207', email: 'wang.xuemei@demo-owh.example' },
] as const;

export const BUYER_CITIES: Readonly<Record<string, readonly BuyerCity[]>> = {
  USA: [
    { city: 'Los Angeles', postal: '900##' },
    { city: 'San Diego', postal: '921##' },
    { city: 'Phoenix', postal: '850##' },
    { city: 'Houston', postal: '770##' },
    { city: 'Seattle', postal: '981##' },
    { city: 'Chicago', postal: '606##' },
    { city: 'New York', postal: '100##' },
    { city: 'Denver', postal: '802##' },
    { city: 'Atlanta', postal: '303##' },
    { city: 'Miami', postal: '331##' },
  ],
  CAN: [
    { city: 'Toronto', postal: 'M#@ #@#' },
    { city: 'Vancouver', postal: 'V#@ #@#' },
    { city: 'Montréal', postal: 'H#@ #@#' },
    { city: 'Calgary', postal: 'T#@ #@#' },
  ],
  GBR: [
    { city: 'London', postal: 'SE# #@@' },
    { city: 'Manchester', postal: 'M# #@@' },
    { city: 'Birmingham', postal: 'B# #@@' },
    { city: 'Leeds', postal: 'LS# #@@' },
    { city: 'Glasgow', postal: 'G# #@@' },
    { city: 'Bristol', postal: 'BS# #@@' },
  ],
  IRL: [
    { city: 'Dublin', postal: 'D0# @#@#' },
    { city: 'Cork', postal: 'T12 @#@#' },
  ],
  DEU: [
    { city: 'Berlin', postal: '10###' },
    { city: 'München', postal: '80###' },
    { city: 'Hamburg', postal: '20###' },
    { city: 'Köln', postal: '50###' },
    { city: 'Düsseldorf', postal: '40###' },
    { city: 'Leipzig', postal: '04###' },
  ],
  FRA: [
    { city: 'Paris', postal: '750##' },
    { city: 'Lyon', postal: '6900#' },
    { city: 'Marseille', postal: '130##' },
  ],
  NLD: [
    { city: 'Amsterdam', postal: '10## @@' },
    { city: 'Rotterdam', postal: '30## @@' },
  ],
  AUT: [
    { city: 'Wien', postal: '1###' },
    { city: 'Graz', postal: '80##' },
  ],
  POL: [
    { city: 'Warszawa', postal: '0#-###' },
    { city: 'Kraków', postal: '3#-###' },
    { city: 'Gdańsk', postal: '8#-###' },
  ],
  ITA: [
    { city: 'Milano', postal: '201##' },
    { city: 'Roma', postal: '001##' },
  ],
  CZE: [{ city: 'Praha', postal: '1## ##' }],
  SVK: [{ city: 'Bratislava', postal: '8## ##' }],
  LTU: [{ city: 'Vilnius', postal: 'LT-0####' }],
  JPN: [
    { city: '大阪市', postal: '53#-####' },
    { city: '横浜市', postal: '22#-####' },
    { city: '名古屋市', postal: '45#-####' },
    { city: '札幌市', postal: '06#-####' },
    { city: '福岡市', postal: '81#-####' },
    { city: '新宿区', postal: '160-####' },
  ],
  AUS: [
    { city: 'Sydney', postal: '2###' },
    { city: 'Melbourne', postal: '3###' },
    { city: 'Brisbane', postal: '4###' },
    { city: 'Perth', postal: '6###' },
  ],
};

/** Customs offices that release the demo's export declarations (invented selection). */
export const CUSTOMS_OFFICES = ['5316', '5349', '5301', '5305'] as const;

/** Reasons buyers give for returns, as a Chinese WMS records them. */
export const RETURN_REASONS = [
  '尺码不合适',
  '颜色与图片不符',
  '商品破损',
  '买家不想要了',
  '发错货',
  '质量问题',
  '外包装破损',
  '超时未送达被退回',
] as const;
