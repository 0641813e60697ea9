-- Enterprise registry (企业库): enterprises, the zone's industry-chain tree,
-- GB/T 4754-2017 industry codes, tiers and certificates, yearly/monthly
-- figures with their source and the effective value per period, change
-- history, import jobs, compliance flags, and the seed rows (industry
-- codes, chain tree, figure indicators).
--
-- Codes (indicators, sources, statuses, credit and industry codes) are
-- ASCII and compared byte by byte: on PostgreSQL COLLATE "C" spares every
-- index comparison the database locale's rules, which cost an import of
-- 100,000 rows seconds under C.UTF-8 and more under zh_CN or en_US.
--
-- Foreign keys hold on both databases. Those of the tables an import
-- loads in bulk (figures, effective values, chains, history) are
-- DEFERRABLE INITIALLY DEFERRED: an import queues its batches of
-- enterprises and of their rows independently, so a figure may reach the
-- database before its enterprise does, and every key is checked at
-- commit. On SQLite a deferred key also lets a bulk INSERT OR IGNORE run
-- without a statement journal (it cannot abort mid-statement).

CREATE TABLE industry_codes (
    code        TEXT PRIMARY KEY,          -- 门类 letter (A–T) or 2/3/4-digit code
    level       TEXT NOT NULL,             -- section, division, group, class
    name_zh     TEXT NOT NULL,
    parent_code TEXT NOT NULL DEFAULT ''
);

CREATE TABLE chain_nodes (
    id        {{ID}},
    code      TEXT NOT NULL UNIQUE,
    name_zh   TEXT NOT NULL,
    name_en   TEXT NOT NULL DEFAULT '',
    parent_id BIGINT REFERENCES chain_nodes(id),
    sort      INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX chain_nodes_parent ON chain_nodes(parent_id, sort);

-- names_seq is the names version that last named the enterprise: name
-- search lives in each server's memory (internal/enterprise/search.go),
-- and servers reload the names stamped after the version they hold.
CREATE TABLE enterprises (
    id                     {{ID}},
    credit_code            TEXT {{COLLATE_C}} NOT NULL UNIQUE, -- 统一社会信用代码, normalised
    name                   TEXT NOT NULL,
    former_names           TEXT NOT NULL DEFAULT '',  -- one per line
    legal_form             TEXT NOT NULL DEFAULT '',
    registered_on          TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD
    registered_capital_fen BIGINT NOT NULL DEFAULT 0,
    area_unit_id           BIGINT REFERENCES units(id), -- office area (办事处)
    address                TEXT NOT NULL DEFAULT '',
    industry_code          TEXT {{COLLATE_C}} NOT NULL DEFAULT '', -- GB/T 4754-2017
    status                 TEXT {{COLLATE_C}} NOT NULL DEFAULT 'operating', -- operating, moved_out, deregistered
    synthetic              BOOLEAN NOT NULL DEFAULT FALSE,    -- generated demo data
    version                INTEGER NOT NULL DEFAULT 1,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL,
    -- The reason staff gave when accepting a registered credit code that
    -- fails a GB 32100 / GB 11714 check ('' when the code passes).
    code_exception         TEXT NOT NULL DEFAULT '',
    names_seq              BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX enterprises_area ON enterprises(area_unit_id, id);
CREATE INDEX enterprises_industry ON enterprises(industry_code, id);
CREATE INDEX enterprises_status ON enterprises(status, id);
CREATE INDEX enterprises_names_seq ON enterprises(names_seq);
-- Only generated demo enterprises are looked up by that flag (counting
-- them, picking demo applicants): a partial index costs imports and
-- everyday edits nothing.
CREATE INDEX enterprises_synthetic ON enterprises(id) WHERE synthetic = TRUE;

-- The names version: writes that name an enterprise take the next one,
-- whose row lock orders them, and stamp the enterprise with it.
CREATE TABLE enterprise_names_state (
    id      INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);

INSERT INTO enterprise_names_state (id, version) VALUES (1, 1);

CREATE TABLE enterprise_chains (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    node_id       BIGINT NOT NULL REFERENCES chain_nodes(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (enterprise_id, node_id)
);

CREATE INDEX enterprise_chains_node ON enterprise_chains(node_id, enterprise_id);

-- Tiers and certificates (高新技术企业, 瞪羚, 上市企业…); history is kept: a
-- renewed certificate is a new row.
CREATE TABLE enterprise_tiers (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    tier          TEXT NOT NULL,   -- hnte, tsme, gazelle, unicorn, srdi, little_giant, champion, listed, rd_platform
    level         TEXT NOT NULL DEFAULT '',  -- national, provincial, municipal
    cert_no       TEXT NOT NULL DEFAULT '',
    valid_from    TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD
    valid_to      TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD, '' for open-ended
    board         TEXT NOT NULL DEFAULT '',  -- listed: board
    stock_code    TEXT NOT NULL DEFAULT '',  -- listed: code
    note          TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL
);

CREATE INDEX enterprise_tiers_ent ON enterprise_tiers(enterprise_id, tier);
CREATE INDEX enterprise_tiers_tier ON enterprise_tiers(tier, valid_to);
-- The list's tier filter reads current certificates by tier.
CREATE INDEX enterprise_tiers_current ON enterprise_tiers(tier, valid_to, enterprise_id);
-- Certificates ending soon across all tiers (the registry's expiry list).
CREATE INDEX enterprise_tiers_valid_to ON enterprise_tiers(valid_to, id);
-- The current-certificate filter reads every certificate of a tier that is
-- still valid; with valid_from in the index it never visits the table.
CREATE INDEX enterprise_tiers_cover ON enterprise_tiers(tier, valid_to, valid_from, enterprise_id);

-- The configurable list of figures kept per enterprise. A value is stored as
-- an integer in units of 10^-scale of unit: money is unit 元 with scale 2
-- (that is, fen), 亩 with scale 2, people with scale 0.
CREATE TABLE figure_indicators (
    code    TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    unit    TEXT NOT NULL,
    scale   INTEGER NOT NULL DEFAULT 0,
    sort    INTEGER NOT NULL DEFAULT 0,
    nonnegative BOOLEAN NOT NULL DEFAULT TRUE
);

-- One value per enterprise, indicator, period and source. month 0 is the
-- whole year. The effective value is the confirmed one of the best-ranked
-- source (statistics, tax > staff > self-reported). At the scale of a
-- province this table holds tens of millions of rows, always read by its
-- key's leading columns: on SQLite it is stored in key order (WITHOUT
-- ROWID), so an enterprise's figures sit on two or three pages.
CREATE TABLE enterprise_figures (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    indicator     TEXT {{COLLATE_C}} NOT NULL REFERENCES figure_indicators(code) DEFERRABLE INITIALLY DEFERRED,
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL DEFAULT 0,
    source        TEXT {{COLLATE_C}} NOT NULL,   -- stats, tax, staff, self
    value         BIGINT NOT NULL,
    status        TEXT {{COLLATE_C}} NOT NULL DEFAULT 'confirmed', -- confirmed, pending, rejected
    entered_by    BIGINT REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED,
    entered_at    BIGINT NOT NULL,
    PRIMARY KEY (enterprise_id, indicator, year, month, source)
) {{WITHOUT_ROWID}};

-- Staff's queue of self-reported figures reads the pending ones only.
CREATE INDEX enterprise_figures_pending ON enterprise_figures(entered_at, enterprise_id) WHERE status = 'pending';

-- The effective value per indicator, period and enterprise: the confirmed
-- value of the best-ranked source (stats > tax > staff > self), kept in step
-- with enterprise_figures by the enterprise service in the same transaction.
-- Every reader gives the indicator, the year and the month (range filters,
-- the export, the import's comparison, the recomputation after a change), so
-- the table is keyed that way, in the list's enterprise order, with the
-- value beside the key: on SQLite on the key's own page (WITHOUT ROWID), on
-- PostgreSQL in the key index (INCLUDE), so a range filter never visits
-- the heap.
CREATE TABLE enterprise_figure_current (
    indicator     TEXT {{COLLATE_C}} NOT NULL REFERENCES figure_indicators(code) DEFERRABLE INITIALLY DEFERRED,
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL DEFAULT 0,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    value         BIGINT NOT NULL,
    source        TEXT {{COLLATE_C}} NOT NULL,
    PRIMARY KEY (indicator, year, month, enterprise_id) {{POSTGRES}}INCLUDE (value){{END}}
) {{WITHOUT_ROWID}};

-- Every change to an enterprise, its chains, tiers and figures, with before
-- and after. Single edits are also in audit_log; an import writes one
-- audit_log row holding the SHA-256 of all its history rows.
CREATE TABLE enterprise_history (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) DEFERRABLE INITIALLY DEFERRED,
    at            BIGINT NOT NULL,
    actor_id      BIGINT,
    actor         TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL,
    import_job_id BIGINT,
    before_json   TEXT NOT NULL DEFAULT '',
    after_json    TEXT NOT NULL DEFAULT ''
);

CREATE INDEX enterprise_history_ent ON enterprise_history(enterprise_id, id);

-- Spreadsheet imports. The uploaded file is kept until the job ends so that
-- any app server can run (or re-run) the job; the report holds every bad
-- row.
CREATE TABLE enterprise_import_jobs (
    id           {{ID}},
    status       TEXT NOT NULL,            -- queued, reading, writing, done, failed
    filename     TEXT NOT NULL,
    dry_run      BOOLEAN NOT NULL DEFAULT FALSE,
    source       TEXT NOT NULL DEFAULT 'stats',
    total_rows   INTEGER NOT NULL DEFAULT 0,
    done_rows    INTEGER NOT NULL DEFAULT 0,
    summary_json TEXT NOT NULL DEFAULT '',
    report_json  TEXT NOT NULL DEFAULT '',
    error_count  INTEGER NOT NULL DEFAULT 0,
    file         {{BLOB}},
    claimed_by   TEXT NOT NULL DEFAULT '',
    heartbeat_at BIGINT NOT NULL DEFAULT 0,
    created_by   BIGINT REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    finished_at  BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX enterprise_import_jobs_user ON enterprise_import_jobs(created_by, id);
CREATE INDEX enterprise_import_jobs_status ON enterprise_import_jobs(status, id);

-- Compliance records (不良记录: 严重失信, 安全事故, 环保处罚…); an award
-- programme that asks for no flagged record excludes an enterprise with an
-- active one. Cleared records stay. The registry keeps them; other modules
-- read them through its Go API.
CREATE TABLE enterprise_flags (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    kind          TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_by    BIGINT REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    cleared_at    BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX enterprise_flags_ent ON enterprise_flags(enterprise_id, active, id);
CREATE INDEX enterprise_flags_list ON enterprise_flags(active, id);

-- An enterprise account belongs to its enterprise.
ALTER TABLE users ADD COLUMN enterprise_id BIGINT REFERENCES enterprises(id);
CREATE INDEX users_enterprise ON users(enterprise_id);

-- Seed rows: GB/T 4754-2017 门类 (A–T) and 大类 (01–97), the zone's
-- industry-chain tree from the 2023 conference report, and the figure
-- indicators. Deeper industry codes (中类, 小类) are validated by their 大类
-- prefix.

INSERT INTO industry_codes (code, level, name_zh, parent_code) VALUES
('A', 'section', '农、林、牧、渔业', ''),
('B', 'section', '采矿业', ''),
('C', 'section', '制造业', ''),
('D', 'section', '电力、热力、燃气及水生产和供应业', ''),
('E', 'section', '建筑业', ''),
('F', 'section', '批发和零售业', ''),
('G', 'section', '交通运输、仓储和邮政业', ''),
('H', 'section', '住宿和餐饮业', ''),
('I', 'section', '信息传输、软件和信息技术服务业', ''),
('J', 'section', '金融业', ''),
('K', 'section', '房地产业', ''),
('L', 'section', '租赁和商务服务业', ''),
('M', 'section', '科学研究和技术服务业', ''),
('N', 'section', '水利、环境和公共设施管理业', ''),
('O', 'section', '居民服务、修理和其他服务业', ''),
('P', 'section', '教育', ''),
('Q', 'section', '卫生和社会工作', ''),
('R', 'section', '文化、体育和娱乐业', ''),
('S', 'section', '公共管理、社会保障和社会组织', ''),
('T', 'section', '国际组织', ''),
('01', 'division', '农业', 'A'),
('02', 'division', '林业', 'A'),
('03', 'division', '畜牧业', 'A'),
('04', 'division', '渔业', 'A'),
('05', 'division', '农、林、牧、渔专业及辅助性活动', 'A'),
('06', 'division', '煤炭开采和洗选业', 'B'),
('07', 'division', '石油和天然气开采业', 'B'),
('08', 'division', '黑色金属矿采选业', 'B'),
('09', 'division', '有色金属矿采选业', 'B'),
('10', 'division', '非金属矿采选业', 'B'),
('11', 'division', '开采专业及辅助性活动', 'B'),
('12', 'division', '其他采矿业', 'B'),
('13', 'division', '农副食品加工业', 'C'),
('14', 'division', '食品制造业', 'C'),
('15', 'division', '酒、饮料和精制茶制造业', 'C'),
('16', 'division', '烟草制品业', 'C'),
('17', 'division', '纺织业', 'C'),
('18', 'division', '纺织服装、服饰业', 'C'),
('19', 'division', '皮革、毛皮、羽毛及其制品和制鞋业', 'C'),
('20', 'division', '木材加工和木、竹、藤、棕、草制品业', 'C'),
('21', 'division', '家具制造业', 'C'),
('22', 'division', '造纸和纸制品业', 'C'),
('23', 'division', '印刷和记录媒介复制业', 'C'),
('24', 'division', '文教、工美、体育和娱乐用品制造业', 'C'),
('25', 'division', '石油、煤炭及其他燃料加工业', 'C'),
('26', 'division', '化学原料和化学制品制造业', 'C'),
('27', 'division', '医药制造业', 'C'),
('28', 'division', '化学纤维制造业', 'C'),
('29', 'division', '橡胶和塑料制品业', 'C'),
('30', 'division', '非金属矿物制品业', 'C'),
('31', 'division', '黑色金属冶炼和压延加工业', 'C'),
('32', 'division', '有色金属冶炼和压延加工业', 'C'),
('33', 'division', '金属制品业', 'C'),
('34', 'division', '通用设备制造业', 'C'),
('35', 'division', '专用设备制造业', 'C'),
('36', 'division', '汽车制造业', 'C'),
('37', 'division', '铁路、船舶、航空航天和其他运输设备制造业', 'C'),
('38', 'division', '电气机械和器材制造业', 'C'),
('39', 'division', '计算机、通信和其他电子设备制造业', 'C'),
('40', 'division', '仪器仪表制造业', 'C'),
('41', 'division', '其他制造业', 'C'),
('42', 'division', '废弃资源综合利用业', 'C'),
('43', 'division', '金属制品、机械和设备修理业', 'C'),
('44', 'division', '电力、热力生产和供应业', 'D'),
('45', 'division', '燃气生产和供应业', 'D'),
('46', 'division', '水的生产和供应业', 'D'),
('47', 'division', '房屋建筑业', 'E'),
('48', 'division', '土木工程建筑业', 'E'),
('49', 'division', '建筑安装业', 'E'),
('50', 'division', '建筑装饰、装修和其他建筑业', 'E'),
('51', 'division', '批发业', 'F'),
('52', 'division', '零售业', 'F'),
('53', 'division', '铁路运输业', 'G'),
('54', 'division', '道路运输业', 'G'),
('55', 'division', '水上运输业', 'G'),
('56', 'division', '航空运输业', 'G'),
('57', 'division', '管道运输业', 'G'),
('58', 'division', '多式联运和运输代理业', 'G'),
('59', 'division', '装卸搬运和仓储业', 'G'),
('60', 'division', '邮政业', 'G'),
('61', 'division', '住宿业', 'H'),
('62', 'division', '餐饮业', 'H'),
('63', 'division', '电信、广播电视和卫星传输服务', 'I'),
('64', 'division', '互联网和相关服务', 'I'),
('65', 'division', '软件和信息技术服务业', 'I'),
('66', 'division', '货币金融服务', 'J'),
('67', 'division', '资本市场服务', 'J'),
('68', 'division', '保险业', 'J'),
('69', 'division', '其他金融业', 'J'),
('70', 'division', '房地产业', 'K'),
('71', 'division', '租赁业', 'L'),
('72', 'division', '商务服务业', 'L'),
('73', 'division', '研究和试验发展', 'M'),
('74', 'division', '专业技术服务业', 'M'),
('75', 'division', '科技推广和应用服务业', 'M'),
('76', 'division', '水利管理业', 'N'),
('77', 'division', '生态保护和环境治理业', 'N'),
('78', 'division', '公共设施管理业', 'N'),
('79', 'division', '土地管理业', 'N'),
('80', 'division', '居民服务业', 'O'),
('81', 'division', '机动车、电子产品和日用产品修理业', 'O'),
('82', 'division', '其他服务业', 'O'),
('83', 'division', '教育', 'P'),
('84', 'division', '卫生', 'Q'),
('85', 'division', '社会工作', 'Q'),
('86', 'division', '新闻和出版业', 'R'),
('87', 'division', '广播、电视、电影和录音制作业', 'R'),
('88', 'division', '文化艺术业', 'R'),
('89', 'division', '体育', 'R'),
('90', 'division', '娱乐业', 'R'),
('91', 'division', '中国共产党机关', 'S'),
('92', 'division', '国家机构', 'S'),
('93', 'division', '人民政协、民主党派', 'S'),
('94', 'division', '社会保障', 'S'),
('95', 'division', '群众团体、社会团体和其他成员组织', 'S'),
('96', 'division', '基层群众自治组织及其他组织', 'S'),
('97', 'division', '国际组织', 'T');

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('dominant', '四大主导产业', 'Four leading industries', NULL, 1);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('emerging', '四大战略新兴产业', 'Four strategic emerging industries', NULL, 2);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('future', '四大未来产业', 'Four future industries', NULL, 3);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('iot', '物联网', 'Internet of Things', (SELECT id FROM chain_nodes WHERE code = 'dominant'), 1);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('ei', '电子信息', 'Electronic information', (SELECT id FROM chain_nodes WHERE code = 'dominant'), 2);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('bd', '北斗应用', 'BeiDou applications', (SELECT id FROM chain_nodes WHERE code = 'dominant'), 3);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('nm', '新材料', 'New materials', (SELECT id FROM chain_nodes WHERE code = 'dominant'), 4);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('compute', '数算产业', 'Data and computing', (SELECT id FROM chain_nodes WHERE code = 'emerging'), 1);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('hydrogen', '氢能与储能', 'Hydrogen and energy storage', (SELECT id FROM chain_nodes WHERE code = 'emerging'), 2);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('health', '生命健康', 'Life and health', (SELECT id FROM chain_nodes WHERE code = 'emerging'), 3);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('nextgen_it', '新一代信息技术', 'Next-generation IT', (SELECT id FROM chain_nodes WHERE code = 'emerging'), 4);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('quantum', '量子信息', 'Quantum information', (SELECT id FROM chain_nodes WHERE code = 'future'), 1);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('brainlike', '类脑智能', 'Brain-inspired intelligence', (SELECT id FROM chain_nodes WHERE code = 'future'), 2);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('future_net', '未来网络', 'Future networks', (SELECT id FROM chain_nodes WHERE code = 'future'), 3);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('frontier_mat', '前沿新材料', 'Frontier materials', (SELECT id FROM chain_nodes WHERE code = 'future'), 4);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('iot_sensor', '传感器', 'Sensors', (SELECT id FROM chain_nodes WHERE code = 'iot'), 1);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('ei_netsec', '网络安全', 'Cyber security', (SELECT id FROM chain_nodes WHERE code = 'ei'), 1);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('bd_survey', '精密测绘', 'Precision surveying', (SELECT id FROM chain_nodes WHERE code = 'bd'), 1);

INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ('nm_superhard', '超硬材料', 'Superhard materials', (SELECT id FROM chain_nodes WHERE code = 'nm'), 1);

INSERT INTO figure_indicators (code, name_zh, name_en, unit, scale, sort, nonnegative) VALUES
('revenue', '营业收入', 'Operating revenue', '元', 2, 10, TRUE),
('taxes', '利税/税收', 'Taxes paid', '元', 2, 20, TRUE),
('rd_spend', '研发投入', 'R&D spending', '元', 2, 30, TRUE),
('employees', '从业人员', 'Employees', '人', 0, 40, TRUE),
('rd_staff', '研发人员', 'R&D staff', '人', 0, 50, TRUE),
('patents', '有效发明专利', 'Valid invention patents', '件', 0, 60, TRUE),
('trade', '进出口额', 'Imports and exports', '元', 2, 70, TRUE),
('financing', '融资额', 'Financing raised', '元', 2, 80, TRUE),
('land', '用地面积', 'Land area', '亩', 2, 90, TRUE),
('energy', '综合能耗', 'Energy consumption', '吨标准煤', 2, 100, TRUE);

-- The module's cache version (internal/memo).
INSERT INTO module_versions (module, version) VALUES ('enterprise', 0);
