"""The bibliography of the screening checks: citations a reader can open.

A check's ``source`` (:class:`workbench.checks.registry.Check`) names where its rule comes
from.  Many name the project's research notes ("domain notes §7 check 4", "practices notes
A.1"), which live outside the repository; :func:`cite` replaces each such reference by the
primary sources that section of the notes names (:data:`NOTES_SECTIONS`), so what a reader
sees is a notice, a standard, a regulation or a book.  :func:`references` lists the
bibliography entries (:data:`BIBLIOGRAPHY`) a source cites, for the full citations.

Chinese government documents are cited by issuer, title and document number (文号), the
way they are found on the issuer's site; a URL is given where a stable address is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """One bibliography entry: ``label`` is how a citation names it (it matches its own
    ``pattern``), ``citation`` the full reference, ``url`` where to open it (may be empty),
    ``pattern`` a regular expression recognising a mention of it in a check's source,
    ``label_zh`` how a Chinese citation names it (empty: ``label``, already Chinese),
    ``citation_zh`` the full reference in Chinese, for a document written in Chinese (empty:
    a document in another language keeps ``citation``, in its own language)."""

    label: str
    citation: str
    url: str
    pattern: str
    label_zh: str = ""
    citation_zh: str = ""

    def label_in(self, locale: str) -> str:
        """How a citation in ``locale`` names it."""
        return self.label_zh or self.label if locale.startswith("zh") else self.label

    def full(self, locale: str = "en") -> str:
        """The full citation, with its URL when it has one; in ``zh-CN`` the Chinese one of a
        document written in Chinese."""
        text = self.citation_zh or self.citation if locale.startswith("zh") else self.citation
        return f"{text} {self.url}" if self.url else text


_MEE_SITE = "Published on www.mee.gov.cn."

#: Every source a check cites, by short key.
BIBLIOGRAPHY: dict[str, Source] = {
    "power_guideline": Source(
        "发电设施核算指南",
        "生态环境部 (MEE): 《企业温室气体排放核算方法与报告指南 发电设施》 (环办气候〔2021〕9号), "
        "for 2021 data and January–March 2022, and its 2022 revision "
        "《…发电设施（2022年修订版）》, issued with 环办气候函〔2022〕111号 and in force "
        "from April 2022: "
        "E = FC × NCV × CC × OF × 44/12, CC = C_ar / NCV_ar, the definitions of electricity "
        f"supplied and of the load factor. {_MEE_SITE}",
        "", r"发电设施核算指南|核算方法与报告指南 发电设施",
        "",
        "生态环境部：《企业温室气体排放核算方法与报告指南 发电设施》（环办气候〔2021"
        "〕9号），适用于2021年度数据及2022年1–3月；及其2022年修订版《…发"
        "电设施（2022年修订版）》，随环办气候函〔2022〕111号印发，自2022年"
        "4月起施行：E = FC × NCV × CC × OF × 44/12，CC "
        "= C_ar / NCV_ar，供电量和负荷（出力）系数的定义。见生态环境部网站"
        " www.mee.gov.cn。"),
    "mee_notice_111": Source(
        "环办气候函〔2022〕111号",
        "生态环境部办公厅: 《关于做好2022年企业温室气体排放报告管理相关重点工作的通知》 "
        "(环办气候函〔2022〕111号), March 2022: monthly evidence deposit (月度存证) from April "
        "2022 within 40 days after month end; lab reports from CMA- or CNAS-accredited labs "
        "giving carbon, NCV, hydrogen, total sulphur and moisture of one sample, within 40 days; "
        f"grid emission factor 0.5810 tCO2/MWh. {_MEE_SITE}",
        "", r"环办气候函〔2022〕111号",
        "",
        "生态环境部办公厅：《关于做好2022年企业温室气体排放报告管理相关重点工作的通知"
        "》（环办气候函〔2022〕111号），2022年3月：自2022年4月起月度存证"
        "，须在月后40天内完成；检测报告须由具有 CMA 或 CNAS 资质的检测机构出"
        "具，给出同一样品的元素碳含量、低位发热量、氢、全硫和水分，须在40天内出具；电网"
        "排放因子 0.5810 tCO2/MWh。见生态环境部网站 www.mee.go"
        "v.cn。"),
    "mee_notice_2022_06": Source(
        "MEE notice of 8 June 2022",
        "生态环境部办公厅: 《关于调整2022年企业温室气体排放报告管理相关重点工作任务的通知》, "
        "June 2022: default carbon content of coal 0.03085 tC/GJ (formerly 0.03356) for 2021 and "
        "2022 data; summarised by ChemLinked and by China Climate Cooperation "
        "(https://climatecooperation.cn/climate/mee-postpones-deadline-for-reporting-2021-"
        "emissions-data-to-september/).",
        "https://chemical.chemlinked.com/expert-article/china-revises-requirements-on-"
        "greenhouse-gas-emission-reporting",
        r"MEE notice of 8 June 2022|关于调整2022年企业温室气体排放报告管理",
        "生态环境部办公厅2022年6月8日《关于调整2022年企业温室气体排放报告管理相关重点工作任务的通知》",
        "生态环境部办公厅：《关于调整2022年企业温室气体排放报告管理相关重点工作任务的"
        "通知》，2022年6月：2021和2022年度数据的燃煤单位热值含碳量缺省值调为"
        " 0.03085 tC/GJ（原为 0.03356）；ChemLinked 与中"
        "国气候合作网（climatecooperation.cn）有摘要介绍。"),
    "mee_cases_2022": Source(
        "MEE typical cases of 14 March 2022",
        "生态环境部: typical cases of falsified carbon-emission report data (典型问题案例), 14 "
        "March 2022 (中碳能投, 中创碳投, 青岛希诺, 辽宁东煤: altered sample, test and report dates "
        "and report numbers, batch testing presented as monthly, invented total moisture, "
        f"hidden coal use, heat supplied and purchased electricity). {_MEE_SITE}",
        "", r"MEE typical cases|典型问题案例",
        "生态环境部2022年3月14日公开的碳排放报告数据弄虚作假典型问题案例",
        "生态环境部：碳排放报告数据弄虚作假典型问题案例，2022年3月14日（中碳能投、"
        "中创碳投、青岛希诺、辽宁东煤：篡改采样、检测和报告日期及报告编号，把批量检测伪装"
        "成月度检测，虚构全水分，隐瞒燃煤消耗、供热量和外购电量）。见生态环境部网站 ww"
        "w.mee.gov.cn。"),
    "mee_qa_2023": Source(
        "MEE Q&A of 31 Oct 2023",
        "生态环境部: answers to the press of 31 October 2023 on carbon-market data quality: the "
        "national–provincial–city three-level review (国家—省—市三级联审) and 以日保月、以月保年 "
        f"(daily data secure the month, monthly data secure the year). {_MEE_SITE}",
        "", r"Q&A of 31 Oct 2023",
        "生态环境部2023年10月31日就碳市场数据质量答记者问",
        "生态环境部：2023年10月31日就碳市场数据质量答记者问：国家—省—市三级联审"
        "，以日保月、以月保年。见生态环境部网站 www.mee.gov.cn。"),
    "data_problems_2022": Source(
        "2022 list of systemic data problems",
        "碳排放交易网 (tanpaifang.com), 12 May 2022: systemic data-quality problems of the "
        "national carbon market listed by an MEE-linked expert: coal not tested at the required "
        "frequency, missing coal-quality data filled with experience values (用经验值补齐缺失煤质"
        "数据), wrong parameters.",
        "", r"systemic data problems",
        "碳排放交易网2022年5月12日所列全国碳市场系统性数据质量问题",
        "碳排放交易网（tanpaifang.com），2022年5月12日：与生态环境部"
        "相关的专家所列全国碳市场系统性数据质量问题：燃煤未按规定频次检测，用经验值补齐缺"
        "失煤质数据，参数错误。"),
    "allocation_2019_2020": Source(
        "2019–2020 allocation plan",
        "生态环境部: 《2019-2020年全国碳排放权交易配额总量设定与分配实施方案（发电行业）》, "
        "December 2020: unit categories, supply and heat benchmarks, the cooling, heat-supply "
        "and load-factor correction factors; summarised by ICAP.",
        "https://icapcarbonaction.com/node/731", r"2019–2020 allocation plan",
        "《2019-2020年全国碳排放权交易配额总量设定与分配实施方案（发电行业）》",
        "生态环境部：《2019-2020年全国碳排放权交易配额总量设定与分配实施方案（发"
        "电行业）》，2020年12月：机组类别，供电和供热基准值，冷却方式、供热量和负荷"
        "（出力）系数修正系数；ICAP 有摘要介绍。"),
    "allocation_2021_2022": Source(
        "2021–2022 allocation plan",
        "生态环境部: 《2021、2022年度全国碳排放权交易配额总量设定与分配实施方案（发电行业）》, "
        "2023: allowance = supply benchmark × electricity supplied × correction factor + heat "
        "benchmark × heat supplied, the balance value; summarised by ICAP.",
        "https://icapcarbonaction.com/en/news/china-releases-draft-allocation-plan-2021-and-2022",
        r"2021–2022 allocation plan",
        "《2021、2022年度全国碳排放权交易配额总量设定与分配实施方案（发电行业）》",
        "生态环境部：《2021、2022年度全国碳排放权交易配额总量设定与分配实施方案（"
        "发电行业）》，2023年：配额 = 供电基准值 × 供电量 × 修正系数 + 供"
        "热基准值 × 供热量，配额清缴的平衡值；ICAP 有摘要介绍。"),
    "ets_regulation_2024": Source(
        "碳排放权交易管理暂行条例",
        "国务院: 《碳排放权交易管理暂行条例》 (国务院令第775号), in force from 1 May 2024: "
        "surrender of allowances, falsified data and their penalties. Published on www.gov.cn.",
        "", r"碳排放权交易管理暂行条例",
        "",
        "国务院：《碳排放权交易管理暂行条例》（国务院令第775号），自2024年5月1日"
        "起施行：配额清缴，数据弄虚作假及其处罚。见中国政府网 www.gov.cn。"),
    "gbt_213": Source(
        "GB/T 213",
        "GB/T 213-2008 《煤的发热量测定方法》 (Determination of calorific value of coal): the "
        "net calorific value as received from the gross value, hydrogen and moisture. Full "
        "text: national standards public system (国家标准全文公开系统).",
        "https://openstd.samr.gov.cn", r"GB/T 213",
        "GB/T 213《煤的发热量测定方法》",
        "GB/T 213-2008《煤的发热量测定方法》：由高位发热量、氢和水分计算收到"
        "基低位发热量。全文见国家标准全文公开系统。"),
    "gbt_483": Source(
        "GB/T 483",
        "GB/T 483-2007 《煤炭分析试验方法一般规定》 (General rules for analytical and testing "
        "methods of coal): conversion of results between bases (air-dried, as received, dry). "
        "Full text: national standards public system (国家标准全文公开系统).",
        "https://openstd.samr.gov.cn", r"GB/T 483",
        "GB/T 483《煤炭分析试验方法一般规定》",
        "GB/T 483-2007《煤炭分析试验方法一般规定》：检测结果在不同基准（空气"
        "干燥基、收到基、干燥基）之间的换算。全文见国家标准全文公开系统。"),
    "gb_32100": Source(
        "GB 32100",
        "GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》 (Coding rule of the unified "
        "social credit identifier for legal entities and other organizations): the check "
        "character of the credit code. Full text: national standards public system "
        "(国家标准全文公开系统).",
        "https://openstd.samr.gov.cn", r"GB 32100",
        "GB 32100《法人和其他组织统一社会信用代码编码规则》",
        "GB 32100-2015《法人和其他组织统一社会信用代码编码规则》：统一社会信"
        "用代码的校验码。全文见国家标准全文公开系统。"),
    "ipcc_2006": Source(
        "IPCC 2006 Guidelines Vol. 2 Ch. 1",
        "IPCC (2006), 2006 IPCC Guidelines for National Greenhouse Gas Inventories, Volume 2 "
        "Energy, Chapter 1 Introduction, Tables 1.2 and 1.3: default net calorific values and "
        "carbon contents of fuels with their 95 % ranges.",
        "https://www.ipcc-nggip.iges.or.jp/public/2006gl/pdf/2_Volume2/V2_1_Ch1_Introduction.pdf",
        r"IPCC(?! 2006 Guidelines Vol\. 3)",
        "《2006年IPCC国家温室气体清单指南》第2卷第1章"),
    "cec_statistics": Source(
        "CEC power statistics (中电联)",
        "中国电力企业联合会 (China Electricity Council, CEC): annual power-industry statistics "
        "(supply coal consumption, own-use rate and utilisation hours of thermal units by "
        "class).",
        "https://www.cec.org.cn", r"\bCEC\b|中电联",
        "中国电力企业联合会（中电联）电力工业统计",
        "中国电力企业联合会（中电联）：电力工业年度统计（按类别统计的火电机组供电煤耗、厂"
        "用电率和利用小时数）。"),
    "eu_mrr": Source(
        "EU MRR 2018/2066",
        "Commission Implementing Regulation (EU) 2018/2066 of 19 December 2018 on the "
        "monitoring and reporting of greenhouse gas emissions (MRR): minimum analysis "
        "frequencies (Annex VII) and empirical correlations between NCV and carbon content "
        "as proxies.",
        "https://eur-lex.europa.eu/eli/reg_impl/2018/2066/oj", r"EU MRR|2018/2066",
        "欧盟温室气体监测与报告条例（EU MRR 2018/2066）"),
    "eu_avr": Source(
        "EU AVR 2018/2067",
        "Commission Implementing Regulation (EU) 2018/2067 of 19 December 2018 on the "
        "verification of data and on the accreditation of verifiers (AVR): materiality levels "
        "of 5 % and 2 % (Article 23), analytical procedures.",
        "https://eur-lex.europa.eu/eli/reg_impl/2018/2067/oj", r"EU AVR|2018/2067",
        "欧盟数据核查与核查机构认可条例（EU AVR 2018/2067）"),
    "epa_ghgrp": Source(
        "EPA GHGRP",
        "US EPA Greenhouse Gas Reporting Program, 40 CFR Part 98: validation checks at data "
        "entry, and after submission automated checks of internal consistency and of ranges "
        "expected for similar facilities (e-GGRT help, ccdsupport.com, FAQ 407).",
        "https://www.ecfr.gov/current/title-40/chapter-I/subchapter-C/part-98",
        r"EPA GHGRP|e-GGRT",
        "美国环保署温室气体报告计划（EPA GHGRP）"),
    "nigrini_2012": Source(
        "Nigrini (2012)",
        "Nigrini, M. J. (2012), Benford's Law: Applications for Forensic Accounting, Auditing, "
        "and Fraud Detection, Hoboken NJ: Wiley: first-digit and first-two-digits tests and "
        "their mean absolute deviation (MAD) conformity ranges.",
        "", r"Nigrini",
        "Nigrini (2012)《本福特定律：在法务会计、审计和舞弊检测中的应用》"),
    "idea_digit_tests": Source(
        "IDEA digit tests",
        "CaseWare IDEA: Benford's-law and last-digit tests of audit data analytics (IDEA tech "
        "tip: using Benford's law).",
        "https://idea.caseware.com/blog/idea-tech-tip-using-benfords-law", r"\bIDEA\b",
        "CaseWare IDEA 审计数据分析中的数字检验"),
    "steel_guideline": Source(
        "钢铁行业核算指南",
        "生态环境部 (MEE): 《企业温室气体排放核算与报告指南 钢铁行业》 and its verification "
        "guideline, issued 21 January 2025 (code probably CETS—AG—03.01—V01—2024): the "
        "enterprise-level carbon balance E = E_fuel + E_proc − R_prod, the process level and "
        f"the summary sheet, default factors of Appendix A. {_MEE_SITE}",
        "", r"钢铁行业核算指南|核算与报告指南 钢铁行业",
        "",
        "生态环境部：《企业温室气体排放核算与报告指南 钢铁行业》及其核查技术指南，2025年1月21日印发"
        "：企业层级碳平衡 E = 化石燃料燃烧 + 过程排放 − 固碳产品，工序层级与汇总表，附录A缺省值。见"
        "生态环境部网站 www.mee.gov.cn。"),
    "cement_guideline": Source(
        "水泥行业核算指南",
        "生态环境部 (MEE): 《企业温室气体排放核算与报告指南 水泥行业》 CETS—AG—02.01—V01—2024 and "
        "CETS—VG—02.01—V01—2024, issued 13 September 2024: clinker process emissions (default "
        "EF by clinker type less non-carbonate deductions), fuel and alternative fuel, the "
        f"clinker line and enterprise levels. {_MEE_SITE}",
        "", r"水泥行业核算指南|核算与报告指南 水泥行业",
        "",
        "生态环境部："
        "《企业温室气体排放核算与报告指南 水泥行业》（CETS—AG—02.01—V01—2024）及核查技术"
        "指南（CETS—VG—02.01—V01—2024），2024年9月13日印发：熟料过程排放（按熟料类别的缺省排放因子"
        "扣减非碳酸盐替代原料）、燃料与替代燃料排放、熟料生产设施层级与企业层级。见生态环境部网站 "
        "www.mee.gov.cn。"),
    "aluminium_guideline": Source(
        "铝冶炼行业核算指南",
        "生态环境部 (MEE): 《企业温室气体排放核算与报告指南 铝冶"
        "炼行业》 CETS—AG—04.01—V01—2024 and "
        "CETS—VG—04.01—V01—2024, issued 13 September 2024: anode CO2, anode-effect PFC by the "
        "slope method, the enterprise level, the auxiliary report items (AC electricity of "
        f"electrolysis). {_MEE_SITE}",
        "", r"铝冶炼行业核算指南|核算与报告指南 铝冶炼行业",
        "",
        "生态环境部："
        "《企业温室气体排放核算与报告指南 铝冶炼行业》（CETS—AG—04.01—V01—2024）及核查技"
        "术指南（CETS—VG—04.01—V01—2024），2024年9月13日印发：阳极消耗排放、按斜率法计算的阳极效应"
        "全氟化碳排放、企业层级、辅助参数报告项（铝电解交流电耗）"
        "。见生态环境部网站 www.mee.gov.cn。"),
    "gbt_176": Source(
        "GB/T 176",
        "GB/T 176-2017 《水泥化学分析方法》 (Methods for chemical analysis of cement): CaO and "
        "MgO of clinker. Full text: national standards public system (国家标准全文公开系统).",
        "https://openstd.samr.gov.cn", r"GB/T 176(?!\d)",
        "GB/T 176《水泥化学分析方法》",
        "GB/T 176-2017《水泥化学分析方法》："
        "熟料中氧化钙、氧化镁的测定。全文见国家标准全文公开系统。"),
    "gbt_32151": Source(
        "GB/T 32151",
        "GB/T 32151-2015 《温室气体排放核算与报告要求》 (Requirements of the greenhouse gas "
        "emissions accounting and reporting), parts 4 (aluminium), 5 (steel) and 8 (cement): "
        "the fuel table (NCV, carbon content, oxidation factor) and the measured clinker EF "
        "from CaO and MgO. Full text: national standards public system (国家标准全文公开系统).",
        "https://openstd.samr.gov.cn", r"GB/T 32151",
        "GB/T 32151《温室气体排放核算与报告要求》",
        "GB/T 32151-2015《温室气体排放核算与报告要求》第4部分（铝冶炼）、第5部分（钢铁）、第8部分"
        "（水泥）：燃料缺省值表（低位发热量、含碳量、碳氧化率）"
        "及由 CaO、MgO 计算的熟料排放因子。全文见"
        "国家标准全文公开系统。"),
    "gb_21256": Source(
        "GB 21256",
        "GB 21256-2025 《粗钢生产主要工序单位产品能源消耗限额》 and GB 21342-2025 (coke): energy "
        "limits of sintering, pelletising, ironmaking, BOF and EAF steelmaking and coking. Full "
        "text: national standards public system (国家标准全文公开系统).",
        "https://openstd.samr.gov.cn", r"GB 21256",
        "GB 21256《粗钢生产主要工序单位产品能源消耗限额》",
        "GB 21256-2025《粗钢生产主要工序单位产品能源消耗限额》及 GB 21342-2025（焦炭）"
        "：烧结、球团、"
        "高炉、转炉、电炉和焦化工序的能耗限额。全文见国家标准全文公开系统。"),
    "gb_16780": Source(
        "GB 16780",
        "GB 16780-2021 《水泥单位产品能源消耗限额》: clinker coal consumption and electricity "
        "limits (levels 1-3). Full text: national standards public system (国家标准全文公开系统).",
        "https://openstd.samr.gov.cn", r"GB 16780",
        "GB 16780《水泥单位产品能源消耗限额》",
        "GB 16780-2021《水泥单位产品能源消耗限额》：熟料煤耗、电耗限额（1—3级）。全文见国家标准全文"
        "公开系统。"),
    "gb_21346": Source(
        "GB 21346",
        "GB 21346-2022 《电解铝和氧化铝单位产品能源消耗限额》: AC electricity of liquid "
        "aluminium (levels 1-3: 12,950 / 13,000 / 13,350 kWh/t). Full text: national standards "
        "public system (国家标准全文公开系统).",
        "https://openstd.samr.gov.cn", r"GB 21346",
        "GB 21346《电解铝和氧化铝单位产品能源消耗限额》",
        "GB 21346-2022《电解铝和氧化铝单位产品能源消耗限额》：铝液交流电耗（1—3级：12950 / 13000 / "
        "13350 kWh/t）。全文见国家标准全文公开系统。"),
    "ipcc_2006_v3": Source(
        "IPCC 2006 Guidelines Vol. 3",
        "IPCC (2006), 2006 IPCC Guidelines for National Greenhouse Gas Inventories, Volume 3 "
        "Industrial Processes and Product Use, Chapter 2 (cement) and Chapter 4 (iron and steel, "
        "aluminium: Eq. 4.21 anode CO2, the Tier 2 slope method for PFC, Table 4.1 route "
        "factors).",
        "https://www.ipcc-nggip.iges.or.jp/public/2006gl/vol3.html",
        r"IPCC 2006 Guidelines Vol\. 3",
        "《2006年IPCC国家温室气体清单指南》第3卷"),
    "statsmodels_rlm": Source(
        "statsmodels RLM",
        "statsmodels: robust linear models (RLM, Huber's T norm), the robust regression the "
        "C_ar–NCV band is fitted with.",
        "https://www.statsmodels.org/stable/rlm.html", r"statsmodels",
        "statsmodels 稳健线性模型（RLM）"),
}

#: The primary sources each section of the research notes names, by (notes, section).
#: Sections of the numbered list of checks of the domain notes are ``§7 check N``.
NOTES_SECTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("domain", "§1.2"): ("power_guideline",),
    ("domain", "§1.4"): ("power_guideline", "mee_notice_111"),
    ("domain", "§1.5"): ("allocation_2019_2020", "allocation_2021_2022"),
    ("domain", "§2.3"): ("mee_qa_2023",),
    ("domain", "§3.1"): ("mee_cases_2022",),
    ("domain", "§3.2"): ("data_problems_2022",),
    ("domain", "§3.4"): ("mee_cases_2022",),
    ("domain", "§6"): ("ipcc_2006", "cec_statistics"),
    ("domain", "§7 check 1"): ("power_guideline",),
    ("domain", "§7 check 2"): ("gbt_483", "mee_cases_2022"),
    ("domain", "§7 check 3"): ("ipcc_2006", "cec_statistics"),
    ("domain", "§7 check 4"): ("eu_mrr",),
    ("domain", "§7 check 5"): ("gbt_213", "mee_notice_111"),
    ("domain", "§7 check 6"): ("mee_notice_111", "mee_cases_2022"),
    ("domain", "§7 check 7"): ("mee_cases_2022",),
    ("domain", "§7 check 8"): ("mee_notice_111",),
    ("domain", "§7 check 9"): ("mee_notice_111",),
    ("domain", "§7 check 10"): ("mee_notice_2022_06", "power_guideline", "mee_notice_111"),
    ("domain", "§7 check 11"): ("power_guideline",),
    ("domain", "§7 check 12"): ("allocation_2019_2020", "allocation_2021_2022",
                                "cec_statistics"),
    ("domain", "§7 check 13"): ("mee_cases_2022",),
    ("domain", "§7 check 14"): ("epa_ghgrp",),
    ("domain", "§7 check 15"): ("eu_avr",),
    ("practices", "A.1"): ("nigrini_2012", "idea_digit_tests"),
    # shared/domain/sectors-2025.md: steel, cement and aluminium
    ("sector", "§1.4"): ("gbt_32151",),
    ("sector", "§1.5"): ("mee_cases_2022",),
    ("sector", "§2.2"): ("steel_guideline",),
    ("sector", "§2.4"): ("steel_guideline",),
    ("sector", "§2.5"): ("steel_guideline", "gb_21256", "ipcc_2006_v3"),
    ("sector", "§2.6"): ("steel_guideline",),
    **{("sector", f"§2.6 check {n}"): ("steel_guideline",) for n in range(1, 9)},
    ("sector", "§2.7"): ("steel_guideline",),
    ("sector", "§3.2"): ("cement_guideline", "gbt_32151"),
    ("sector", "§3.3"): ("cement_guideline", "gbt_176"),
    ("sector", "§3.4"): ("cement_guideline", "gb_16780"),
    ("sector", "§3.5"): ("cement_guideline",),
    **{("sector", f"§3.5 check {n}"): ("cement_guideline",) for n in range(1, 8)},
    ("sector", "§3.6"): ("cement_guideline",),
    ("sector", "§4.2"): ("aluminium_guideline", "ipcc_2006_v3"),
    ("sector", "§4.3"): ("aluminium_guideline",),
    ("sector", "§4.4"): ("aluminium_guideline", "gb_21346"),
    ("sector", "§4.5"): ("aluminium_guideline",),
    **{("sector", f"§4.5 check {n}"): ("aluminium_guideline",) for n in range(1, 7)},
    ("sector", "§4.6"): ("aluminium_guideline",),
}

_NOTES = re.compile(r"\b(domain|practices|sector) notes\b")
#: A section reference: ``§1.2``, ``§6``, ``A.1``, optionally ``check 3`` / ``checks 13 and 14``.
_SECTION = re.compile(r"(§\s*\d+(?:\.\d+)*|\b[A-Z]\.\d+)"
                      r"(?:\s+checks?\s+(\d+(?:\s*(?:,|and)\s*\d+)*))?")


def _split(text: str, sep: str = ";") -> list[tuple[str, list[str]]]:
    """``text`` split at top-level ``sep`` into fragments, each a list of pieces: text
    outside parentheses, and parenthesised remarks (nesting kept, outer parentheses
    dropped), in order; a remark piece is marked by a leading ``"("``."""
    fragments: list[tuple[str, list[str]]] = []
    pieces: list[str] = []
    raw, buf, depth = "", "", 0
    for ch in text:
        if depth == 0 and ch == sep:
            pieces.append(buf)
            fragments.append((raw, pieces))
            pieces, raw, buf = [], "", ""
            continue
        raw += ch
        if ch in "(（":
            if depth == 0:
                pieces.append(buf)
                buf = "("
                depth = 1
                continue
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
            if depth == 0:
                pieces.append(buf)
                buf = ""
                continue
        buf += ch
    pieces.append(buf)
    fragments.append((raw, pieces))
    return fragments


def _sections(notes: str, text: str) -> list[tuple[str, str]]:
    """The (notes, section) keys referenced in ``text`` (``§7 checks 13 and 14`` gives two)."""
    keys = []
    for m in _SECTION.finditer(text):
        section = re.sub(r"\s+", "", m.group(1))
        numbers = re.findall(r"\d+", m.group(2) or "")
        keys += [(notes, f"{section} check {n}") for n in numbers] or [(notes, section)]
    return keys


def _primaries(key: tuple[str, str]) -> tuple[str, ...]:
    if key not in NOTES_SECTIONS:
        raise KeyError(f"{key[0]} notes {key[1]}: no primary sources known; add the section "
                       "to workbench.sources.NOTES_SECTIONS")
    return NOTES_SECTIONS[key]


def _mentioned(text: str) -> set[str]:
    """The bibliography keys ``text`` mentions."""
    return {k for k, s in BIBLIOGRAPHY.items() if re.search(s.pattern, text)}


def cite(source: str, locale: str = "en") -> str:
    """``source`` with every reference to the research notes replaced by the primary
    sources that section names (their labels), once each: sources the text already names
    are not repeated, and the remarks in parentheses stay with the section they follow.

    In ``zh-CN`` the sources are named by their Chinese labels (``Source.label_zh``), in
    the same order, joined by ``；``; the check's own English wording around them and its
    English remarks are left out (remarks without English words, such as case names or
    ``|Δ| > 0.5%``, stay).

    >>> cite("Nigrini (2012); practices notes A.1")
    'Nigrini (2012); IDEA digit tests'
    >>> cite("GB/T 213; domain notes §7 check 5", "zh-CN")
    'GB/T 213《煤的发热量测定方法》；环办气候函〔2022〕111号'
    """
    seen = _mentioned(source)
    out: list[tuple[str, list[str]]] = []          # (text, remarks) in order
    for raw, pieces in _split(source):
        outside = "".join(p for p in pieces if not p.startswith("("))
        m = _NOTES.search(outside)
        if not m:
            out.append((raw.strip(), []))
            continue
        notes = m.group(1)
        chunks: list[tuple[list[str], list[str]]] = [([], [])]   # (labels, remarks)
        for piece in pieces:
            if piece.startswith("("):
                chunks[-1][1].append(piece[1:].strip())
                continue
            for key in _sections(notes, piece):
                new = [p for p in _primaries(key) if p not in seen]
                seen.update(new)
                chunks.append(([BIBLIOGRAPHY[p].label for p in new], []))
        for labels, remarks in chunks:
            if labels:
                out.append((labels[0], remarks))
                out += [(label, []) for label in labels[1:]]
            elif remarks and out:
                out[-1][1].extend(remarks)
            elif remarks:
                out.append(("; ".join(remarks), []))
    if locale.startswith("zh"):
        return _cite_zh(out)
    return "; ".join(f"{text} ({'; '.join(remarks)})" if remarks else text
                     for text, remarks in out if text)


#: An English word (three letters or more) in a remark: such remarks are left out in Chinese.
_ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def _in_order(text: str) -> list[str]:
    """The bibliography keys ``text`` mentions, in the order it mentions them."""
    found = [(m.start(), k) for k, s in BIBLIOGRAPHY.items()
             if (m := re.search(s.pattern, text))]
    return [k for _, k in sorted(found)]


def _cite_zh(out: list[tuple[str, list[str]]]) -> str:
    """The citation ``cite`` assembled (``out``: text and remarks in order) in Chinese: the
    sources each part names by their Chinese labels, once each, with the remarks that hold no
    English word."""
    named: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    for text, remarks in out:
        remarks = [p[1:].strip() for p in _split(text, "\0")[0][1] if p.startswith("(")] + remarks
        keys = _in_order(text) + [k for r in remarks for k in _in_order(r)]
        labels = " ".join(BIBLIOGRAPHY[k].label for k in keys)
        kept = [r.replace(", ", "、") for r in remarks
                if not _ENGLISH_WORD.search(r) and f"({r})" not in labels]
        new = [k for k in dict.fromkeys(keys) if k not in seen]
        seen.update(new)
        if new:
            named += [(BIBLIOGRAPHY[k].label_in("zh-CN"), []) for k in new]
            named[-len(new)][1].extend(kept)
        elif kept and named:
            named[-1][1].extend(kept)
    return "；".join(f"{label}（{'；'.join(remarks)}）" if remarks else label
                    for label, remarks in named)


def references(source: str) -> list[Source]:
    """The bibliography entries ``cite(source)`` names, in bibliography order."""
    named = _mentioned(cite(source))
    return [s for k, s in BIBLIOGRAPHY.items() if k in named]
