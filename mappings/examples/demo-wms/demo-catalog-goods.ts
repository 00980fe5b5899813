/**
 * Invented sellers (货主) and products for the demo WMS. HS codes start with
 * the heading that fits the product; the last digits and every brand,
 * company and organisation code are made up.
 */

export interface Owner {
  code: string;
  name: string;
  /** Administrative region in the USCC (Shenzhen districts, Dongguan, ...). */
  region: string;
  /** 8 digits of the organisation code before its check character. */
  orgBody: string;
  /** Store name prefix on the sales platforms. */
  store: string;
}

export const OWNERS: readonly Owner[] = [
  { code: 'OW001', name: '深圳市蓝鲸优选电子商务有限公司', region: '440305', orgBody: '34872915', store: 'BlueWhale Select' },
  { code: 'OW002', name: '深圳市极光数码科技有限公司', region: '440306', orgBody: '71230568', store: 'Aurora Digital' },
  { code: 'OW003', name: '东莞市森林小屋家居用品有限公司', region: '441900', orgBody: '56019324', store: 'Forest Cabin Home' },
  { code: 'OW004', name: '广州市橙子童趣玩具有限公司', region: '440106', orgBody: '08451736', store: 'Orange Kids Toys' },
  { code: 'OW005', name: '义乌市晨星日用品有限公司', region: '330782', orgBody: '62384017', store: 'Morning Star Daily' },
  { code: 'OW006', name: '深圳市拾光服饰有限公司', region: '440307', orgBody: '45902183', store: 'Shiguang Apparel' },
  { code: 'OW007', name: '佛山市木棉厨具制造有限公司', region: '440604', orgBody: '19276340', store: 'Kapok Kitchen' },
  { code: 'OW008', name: '深圳市毛孩子宠物用品有限公司', region: '440303', orgBody: '80135672', store: 'FurKid Pet' },
];

export interface Variant {
  /** Suffix of the SKU code. */
  code: string;
  zh: string;
  en: string;
}

const COLORS: readonly Variant[] = [
  { code: 'BK', zh: '黑色', en: 'Black' },
  { code: 'WH', zh: '白色', en: 'White' },
  { code: 'BL', zh: '蓝色', en: 'Blue' },
  { code: 'PK', zh: '粉色', en: 'Pink' },
  { code: 'GY', zh: '灰色', en: 'Grey' },
  { code: 'GN', zh: '绿色', en: 'Green' },
  { code: 'RD', zh: '红色', en: 'Red' },
  { code: 'BG', zh: '米色', en: 'Beige' },
];

const CLOTHING_SIZES: readonly Variant[] = ['S', 'M', 'L', 'XL', 'XXL'].flatMap((size) =>
  COLORS.slice(0, 4).map((color) => ({
    code: `${color.code}-${size}`,
    zh: `${color.zh} ${size}码`,
    en: `${color.en}, size ${size}`,
  })),
);

const SHOE_SIZES: readonly Variant[] = [36, 37, 38, 39, 40, 41, 42, 43, 44, 45].map((size) => ({
  code: `EU${size}`,
  zh: `${size}码`,
  en: `EU ${size}`,
}));

const CAPACITIES: readonly Variant[] = ['350', '500', '750', '1000'].flatMap((ml) =>
  COLORS.slice(0, 3).map((color) => ({
    code: `${ml}${color.code}`,
    zh: `${ml}ml ${color.zh}`,
    en: `${ml} ml, ${color.en}`,
  })),
);

const PLUGS: readonly Variant[] = ['US', 'UK', 'EU', 'JP'].flatMap((plug) =>
  COLORS.slice(0, 2).map((color) => ({
    code: `${plug}${color.code}`,
    zh: `${plug}规插头 ${color.zh}`,
    en: `${plug} plug, ${color.en}`,
  })),
);

const PACKS: readonly Variant[] = [1, 2, 3, 5, 10].map((count) => ({
  code: `P${count}`,
  zh: count === 1 ? '单件装' : `${count}件装`,
  en: count === 1 ? 'single' : `pack of ${count}`,
}));

export interface Product {
  code: string;
  zh: string;
  en: string;
  hsCode: string;
  /** Declaration elements after brand and model, as a 规格型号 text lists them. */
  specExtra: string;
  brand: string | null;
  ownerIndex: number;
  /** Customs unit code of the declared unit (007 个, 011 件, ...). */
  unit: string;
  /** Customs legal unit; 035 千克 means the legal quantity is the net weight. */
  legalUnit: string;
  origin: string;
  /** Gross weight of one unit in grams. */
  grams: number;
  /** Packed size of one unit in millimetres. */
  sizeMm: readonly [number, number, number];
  /** Declared unit price in US cents. */
  priceCents: number;
  variants: readonly Variant[];
}

export const PRODUCTS: readonly Product[] = [
  { code: 'BTE', zh: '蓝牙耳机', en: 'Bluetooth Earbuds', hsCode: '8518300000', specExtra: '蓝牙5.3|续航30小时', brand: 'Soundora', ownerIndex: 0, unit: '007', legalUnit: '007', origin: 'CHN', grams: 180, sizeMm: [110, 90, 45], priceCents: 1250, variants: COLORS },
  { code: 'SPK', zh: '便携蓝牙音箱', en: 'Portable Bluetooth Speaker', hsCode: '8518220000', specExtra: '防水IPX7|20W', brand: 'Soundora', ownerIndex: 0, unit: '001', legalUnit: '001', origin: 'CHN', grams: 720, sizeMm: [210, 110, 100], priceCents: 2380, variants: COLORS },
  { code: 'PWB', zh: '充电宝', en: 'Power Bank 20000mAh', hsCode: '8507600090', specExtra: '锂离子电池|20000mAh', brand: 'VoltNest', ownerIndex: 1, unit: '007', legalUnit: '035', origin: 'CHN', grams: 460, sizeMm: [160, 85, 35], priceCents: 1590, variants: COLORS },
  { code: 'CBL', zh: '数据线', en: 'USB-C Cable', hsCode: '8544421100', specExtra: '1米|编织线|60W', brand: 'VoltNest', ownerIndex: 1, unit: '015', legalUnit: '035', origin: 'CHN', grams: 60, sizeMm: [120, 80, 20], priceCents: 180, variants: PACKS },
  { code: 'CHG', zh: '氮化镓充电器', en: 'GaN Charger 65W', hsCode: '8504401400', specExtra: '65W|双口', brand: 'VoltNest', ownerIndex: 1, unit: '007', legalUnit: '007', origin: 'CHN', grams: 190, sizeMm: [90, 70, 40], priceCents: 1120, variants: PLUGS },
  { code: 'KBD', zh: '机械键盘', en: 'Mechanical Keyboard', hsCode: '8471607100', specExtra: '87键|热插拔', brand: 'KeyForge', ownerIndex: 0, unit: '001', legalUnit: '001', origin: 'CHN', grams: 1150, sizeMm: [400, 170, 60], priceCents: 3260, variants: COLORS },
  { code: 'MSE', zh: '无线鼠标', en: 'Wireless Mouse', hsCode: '8471607200', specExtra: '2.4G|静音', brand: 'KeyForge', ownerIndex: 0, unit: '007', legalUnit: '007', origin: 'CHN', grams: 140, sizeMm: [130, 90, 50], priceCents: 560, variants: COLORS },
  { code: 'WCH', zh: '智能手表', en: 'Smart Watch', hsCode: '8517629400', specExtra: '1.8英寸|心率监测', brand: 'Pulseo', ownerIndex: 0, unit: '007', legalUnit: '001', origin: 'CHN', grams: 260, sizeMm: [120, 100, 60], priceCents: 2890, variants: COLORS },
  { code: 'LMP', zh: '星空投影灯🌙', en: 'Starry Sky Projector Lamp', hsCode: '9405420090', specExtra: 'LED|USB供电', brand: 'Lumora', ownerIndex: 2, unit: '007', legalUnit: '007', origin: 'CHN', grams: 540, sizeMm: [180, 180, 150], priceCents: 1460, variants: COLORS },
  { code: 'PHC', zh: '手机壳', en: 'Phone Case', hsCode: '3926909090', specExtra: 'TPU|防摔', brand: null, ownerIndex: 1, unit: '007', legalUnit: '035', origin: 'CHN', grams: 45, sizeMm: [170, 90, 15], priceCents: 120, variants: COLORS },
  { code: 'DSH', zh: '行车记录仪', en: 'Dash Cam', hsCode: '8525890000', specExtra: '1080P|170度广角', brand: 'RoadEye', ownerIndex: 0, unit: '001', legalUnit: '001', origin: 'CHN', grams: 320, sizeMm: [150, 110, 70], priceCents: 2150, variants: COLORS },
  { code: 'CUP', zh: '不锈钢保温杯', en: 'Stainless Steel Vacuum Flask', hsCode: '9617001100', specExtra: '304不锈钢|真空双层', brand: 'Thermiq', ownerIndex: 6, unit: '007', legalUnit: '007', origin: 'CHN', grams: 380, sizeMm: [90, 90, 260], priceCents: 640, variants: CAPACITIES },
  { code: 'PAN', zh: '不粘煎锅', en: 'Non-stick Frying Pan', hsCode: '7615109090', specExtra: '铝制|28厘米', brand: 'Kapok', ownerIndex: 6, unit: '007', legalUnit: '035', origin: 'CHN', grams: 1300, sizeMm: [300, 300, 80], priceCents: 1380, variants: COLORS },
  { code: 'KNF', zh: '厨房刀具套装', en: 'Kitchen Knife Set', hsCode: '8211100000', specExtra: '5件套|不锈钢', brand: 'Kapok', ownerIndex: 6, unit: '006', legalUnit: '006', origin: 'CHN', grams: 1650, sizeMm: [380, 200, 90], priceCents: 2490, variants: COLORS },
  { code: 'BOX', zh: '硅胶保鲜盒', en: 'Silicone Food Container', hsCode: '3924100000', specExtra: '食品级硅胶|可微波', brand: 'Kapok', ownerIndex: 6, unit: '007', legalUnit: '035', origin: 'CHN', grams: 210, sizeMm: [180, 130, 70], priceCents: 330, variants: PACKS },
  { code: 'MUG', zh: '陶瓷马克杯', en: 'Ceramic Mug', hsCode: '6912001000', specExtra: '陶瓷|400ml', brand: 'Kapok', ownerIndex: 6, unit: '007', legalUnit: '035', origin: 'CHN', grams: 420, sizeMm: [120, 100, 110], priceCents: 290, variants: COLORS },
  { code: 'BBQ', zh: '烧烤夹', en: 'BBQ Tongs', hsCode: '8215990000', specExtra: '不锈钢|40厘米', brand: 'Kapok', ownerIndex: 6, unit: '016', legalUnit: '035', origin: 'CHN', grams: 260, sizeMm: [420, 60, 40], priceCents: 270, variants: PACKS },
  { code: 'TOW', zh: '纯棉浴巾', en: 'Cotton Bath Towel', hsCode: '6302600090', specExtra: '100%棉|70x140厘米', brand: 'Forest Cabin', ownerIndex: 2, unit: '015', legalUnit: '035', origin: 'CHN', grams: 520, sizeMm: [300, 250, 60], priceCents: 560, variants: COLORS },
  { code: 'PIL', zh: '记忆棉枕头', en: 'Memory Foam Pillow', hsCode: '9404909000', specExtra: '慢回弹|可拆洗', brand: 'Forest Cabin', ownerIndex: 2, unit: '007', legalUnit: '035', origin: 'CHN', grams: 1400, sizeMm: [600, 380, 130], priceCents: 1290, variants: COLORS },
  { code: 'ORG', zh: '收纳盒', en: 'Storage Box', hsCode: '3924900000', specExtra: 'PP塑料|可折叠', brand: null, ownerIndex: 2, unit: '007', legalUnit: '035', origin: 'CHN', grams: 650, sizeMm: [400, 300, 60], priceCents: 420, variants: PACKS },
  { code: 'CDL', zh: '香薰蜡烛', en: 'Scented Candle', hsCode: '3406000000', specExtra: '大豆蜡|200克', brand: 'Lumora', ownerIndex: 2, unit: '007', legalUnit: '035', origin: 'CHN', grams: 330, sizeMm: [90, 90, 100], priceCents: 360, variants: COLORS },
  { code: 'DEC', zh: '圣诞装饰挂件🎄', en: 'Christmas Ornament Set', hsCode: '9505100000', specExtra: '塑料|24件套', brand: null, ownerIndex: 2, unit: '006', legalUnit: '035', origin: 'CHN', grams: 480, sizeMm: [300, 200, 100], priceCents: 450, variants: COLORS },
  { code: 'GRD', zh: '园艺工具套装', en: 'Garden Tool Set', hsCode: '8201909000', specExtra: '3件套|铝合金', brand: 'Forest Cabin', ownerIndex: 2, unit: '006', legalUnit: '035', origin: 'CHN', grams: 900, sizeMm: [350, 180, 60], priceCents: 980, variants: COLORS },
  { code: 'BLK', zh: '儿童积木', en: 'Building Blocks for Kids', hsCode: '9503008100', specExtra: '塑料|500颗粒', brand: 'BrickJoy', ownerIndex: 3, unit: '006', legalUnit: '035', origin: 'CHN', grams: 950, sizeMm: [380, 260, 80], priceCents: 1340, variants: PACKS },
  { code: 'PZL', zh: '拼图', en: 'Jigsaw Puzzle 1000 Pieces', hsCode: '9503006000', specExtra: '纸质|1000片', brand: 'BrickJoy', ownerIndex: 3, unit: '140', legalUnit: '035', origin: 'CHN', grams: 620, sizeMm: [280, 200, 60], priceCents: 520, variants: COLORS },
  { code: 'RCC', zh: '遥控车', en: 'RC Car', hsCode: '9503008300', specExtra: '2.4G遥控|1:16', brand: 'BrickJoy', ownerIndex: 3, unit: '007', legalUnit: '035', origin: 'CHN', grams: 1100, sizeMm: [320, 200, 150], priceCents: 1980, variants: COLORS },
  { code: 'PLS', zh: '毛绒玩具熊', en: 'Plush Teddy Bear', hsCode: '9503002100', specExtra: '聚酯纤维|40厘米', brand: null, ownerIndex: 3, unit: '007', legalUnit: '035', origin: 'CHN', grams: 350, sizeMm: [300, 250, 150], priceCents: 610, variants: COLORS },
  { code: 'DRW', zh: '儿童画板', en: 'Kids Drawing Board', hsCode: '9503009000', specExtra: 'LCD|10英寸', brand: 'BrickJoy', ownerIndex: 3, unit: '007', legalUnit: '035', origin: 'CHN', grams: 280, sizeMm: [280, 190, 25], priceCents: 470, variants: COLORS },
  { code: 'BUB', zh: '泡泡机', en: 'Bubble Machine', hsCode: '9503008900', specExtra: '电池供电|自动', brand: null, ownerIndex: 3, unit: '001', legalUnit: '035', origin: 'CHN', grams: 520, sizeMm: [200, 150, 150], priceCents: 690, variants: COLORS },
  { code: 'TBR', zh: '电动牙刷', en: 'Electric Toothbrush', hsCode: '8509809000', specExtra: '声波|USB充电', brand: 'Brightly', ownerIndex: 4, unit: '012', legalUnit: '001', origin: 'CHN', grams: 210, sizeMm: [250, 70, 50], priceCents: 890, variants: COLORS },
  { code: 'UMB', zh: '折叠雨伞', en: 'Folding Umbrella', hsCode: '6601910000', specExtra: '三折|自动开合', brand: null, ownerIndex: 4, unit: '016', legalUnit: '016', origin: 'CHN', grams: 390, sizeMm: [300, 70, 70], priceCents: 430, variants: COLORS },
  { code: 'BAG', zh: '帆布托特包', en: 'Canvas Tote Bag', hsCode: '4202220000', specExtra: '帆布|大容量', brand: 'Morning Star', ownerIndex: 4, unit: '007', legalUnit: '007', origin: 'CHN', grams: 300, sizeMm: [350, 280, 30], priceCents: 380, variants: COLORS },
  { code: 'SNG', zh: '太阳镜', en: 'Sunglasses', hsCode: '9004100000', specExtra: '偏光|UV400', brand: 'Morning Star', ownerIndex: 4, unit: '019', legalUnit: '019', origin: 'CHN', grams: 90, sizeMm: [160, 70, 50], priceCents: 350, variants: COLORS },
  { code: 'HCL', zh: '抓夹发夹', en: 'Hair Claw Clips', hsCode: '9615190000', specExtra: '醋酸纤维|大号', brand: null, ownerIndex: 4, unit: '006', legalUnit: '035', origin: 'CHN', grams: 80, sizeMm: [120, 80, 50], priceCents: 150, variants: PACKS },
  { code: 'BTL', zh: '运动水壶', en: 'Sports Water Bottle', hsCode: '3924100000', specExtra: 'Tritan|防漏', brand: 'Morning Star', ownerIndex: 4, unit: '007', legalUnit: '035', origin: 'CHN', grams: 230, sizeMm: [80, 80, 260], priceCents: 310, variants: CAPACITIES },
  { code: 'TSH', zh: '纯棉T恤', en: 'Cotton T-shirt', hsCode: '6109100022', specExtra: '针织|100%棉|男式', brand: 'Shiguang', ownerIndex: 5, unit: '011', legalUnit: '011', origin: 'CHN', grams: 220, sizeMm: [300, 250, 20], priceCents: 390, variants: CLOTHING_SIZES },
  { code: 'HOD', zh: '连帽卫衣', en: 'Hooded Sweatshirt', hsCode: '6110200090', specExtra: '针织|80%棉20%聚酯纤维', brand: 'Shiguang', ownerIndex: 5, unit: '011', legalUnit: '011', origin: 'VNM', grams: 580, sizeMm: [350, 300, 60], priceCents: 1120, variants: CLOTHING_SIZES },
  { code: 'YGP', zh: '瑜伽裤', en: 'Yoga Leggings', hsCode: '6104630090', specExtra: '针织|锦纶氨纶|女式', brand: 'Shiguang', ownerIndex: 5, unit: '011', legalUnit: '011', origin: 'CHN', grams: 240, sizeMm: [280, 220, 30], priceCents: 690, variants: CLOTHING_SIZES },
  { code: 'SCK', zh: '运动袜', en: 'Sports Socks', hsCode: '6115960000', specExtra: '合成纤维|中筒', brand: 'Shiguang', ownerIndex: 5, unit: '025', legalUnit: '025', origin: 'CHN', grams: 70, sizeMm: [200, 100, 20], priceCents: 110, variants: PACKS },
  { code: 'SNK', zh: '休闲运动鞋', en: 'Casual Sneakers', hsCode: '6404110090', specExtra: '纺织鞋面|橡胶底', brand: 'Shiguang', ownerIndex: 5, unit: '025', legalUnit: '025', origin: 'VNM', grams: 900, sizeMm: [330, 210, 120], priceCents: 1650, variants: SHOE_SIZES },
  { code: 'CAP', zh: '棒球帽', en: 'Baseball Cap', hsCode: '6505009900', specExtra: '棉质|可调节', brand: 'Shiguang', ownerIndex: 5, unit: '007', legalUnit: '035', origin: 'CHN', grams: 110, sizeMm: [250, 190, 120], priceCents: 240, variants: COLORS },
  { code: 'CTY', zh: '猫咪玩具🐱', en: 'Cat Teaser Toy', hsCode: '3926909090', specExtra: '塑料|羽毛', brand: 'FurKid', ownerIndex: 7, unit: '006', legalUnit: '035', origin: 'CHN', grams: 90, sizeMm: [400, 80, 30], priceCents: 160, variants: PACKS },
  { code: 'PBD', zh: '宠物床', en: 'Pet Bed', hsCode: '6307900090', specExtra: '短毛绒|直径60厘米', brand: 'FurKid', ownerIndex: 7, unit: '007', legalUnit: '035', origin: 'CHN', grams: 1200, sizeMm: [450, 400, 150], priceCents: 1150, variants: COLORS },
  { code: 'LSH', zh: '狗狗牵引绳', en: 'Dog Leash', hsCode: '4201000090', specExtra: '尼龙|1.5米', brand: 'FurKid', ownerIndex: 7, unit: '015', legalUnit: '015', origin: 'CHN', grams: 160, sizeMm: [200, 120, 40], priceCents: 260, variants: COLORS },
  { code: 'FTN', zh: '宠物饮水机', en: 'Pet Water Fountain', hsCode: '8509800090', specExtra: '2升|静音水泵', brand: 'FurKid', ownerIndex: 7, unit: '001', legalUnit: '001', origin: 'CHN', grams: 800, sizeMm: [220, 220, 180], priceCents: 1390, variants: COLORS },
  { code: 'SCR', zh: '猫抓板', en: 'Cat Scratcher', hsCode: '4823909000', specExtra: '瓦楞纸|45厘米', brand: null, ownerIndex: 7, unit: '007', legalUnit: '035', origin: 'CHN', grams: 700, sizeMm: [460, 250, 60], priceCents: 320, variants: PACKS },
  { code: 'GRM', zh: '宠物梳', en: 'Pet Grooming Brush', hsCode: '9603290090', specExtra: '不锈钢针|一键清毛', brand: 'FurKid', ownerIndex: 7, unit: '016', legalUnit: '035', origin: 'CHN', grams: 120, sizeMm: [200, 110, 50], priceCents: 280, variants: COLORS },
];
