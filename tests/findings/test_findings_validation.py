"""Validation of a finding's content: every refusal, in Chinese and English."""

from __future__ import annotations

import pytest

from workbench.findings import ValidationError
from workbench.findings.validation import Limits, enterprise_index, validate

LIMITS = Limits(max_title_length=20, max_text_length=50)


def refusal(draft, dataset) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate(draft, enterprise_index(dataset), LIMITS)
    return info.value


def test_a_valid_draft_is_normalised(draft, dataset, units):
    ent = draft["enterprise_id"]
    content = validate({**draft, "periods": "2024-03，2024-01 2024", "severity": "严重",
                        "category": "Carbon content", "unit_id": units[ent][0],
                        "due_date": "2025/6/30", "materiality_t": "1,234.5",
                        "flags": [{"check_id": "evidence.date_order", "enterprise_id": ent,
                                   "period": "2024-03"}]},
                       enterprise_index(dataset), Limits())
    assert content["periods"] == ("2024", "2024-01", "2024-03")
    assert (content["severity"], content["category"]) == ("critical", "carbon_content")
    assert content["due_date"].isoformat() == "2025-06-30"
    assert content["materiality_t"] == 1234.5
    assert content["flags"][0].dataset_fingerprint == dataset.fingerprint


@pytest.mark.parametrize(("change", "field", "zh", "en"), [
    ({"title": "  "}, "title", "不能为空", "must not be empty"),
    ({"title": "长" * 21}, "title", "过长：21 个字符，上限 20", "too long: 21 characters"),
    ({"description": "x" * 51}, "description", "过长", "the limit is 50"),
    ({"enterprise_id": "91320000NOSUCHONE1"}, "enterprise_id", "数据集中没有企业",
     "is not in the dataset"),
    ({"enterprise_id": ""}, "enterprise_id", "不能为空", "must not be empty"),
    ({"unit_id": "NOPE-U9"}, "unit_id", "不属于企业", "does not belong to enterprise"),
    ({"periods": []}, "periods", "至少需要一个期间", "at least one period"),
    ({"periods": 202413}, "periods", "期间格式错误", "bad period: 202413"),
    ({"periods": "2024-13"}, "periods", "期间格式错误", "bad period: 2024-13"),
    ({"due_date": "2025-02-30"}, "due_date", "日期无效", "invalid date '2025-02-30'"),
    ({"due_date": "next week"}, "due_date", "日期无效", "use YYYY-MM-DD"),
    ({"severity": "fatal"}, "severity", "未知代码", "unknown code 'fatal'"),
    ({"category": None}, "category", "不能为空", "must not be empty"),
    ({"recommended_action": "shrug"}, "recommended_action", "未知代码", "use one of"),
    ({"materiality_t": "a lot"}, "materiality_t", "不是有效数值", "not a finite number"),
    ({"materiality_t": float("inf")}, "materiality_t", "不是有效数值", "not a finite number"),
    ({"colour": "red"}, "colour", "未知字段", "unknown field"),
    ({"flags": [{"check_id": "x", "enterprise_id": "OTHER"}]}, "flags[0]",
     "预警所属企业与问题不一致", "belongs to another enterprise"),
    ({"flags": [{"enterprise_id": "x"}]}, "flags[0].check_id", "不能为空", "must not be empty"),
    ({"flags": [{"check_id": "c" * 65}]}, "flags[0].check_id", "过长", "too long"),
    ({"flags": [{"check_id": "cc_low"}]}, "flags[0].check_id", "未知的检查项",
     "unknown check 'cc_low'"),
    ({"flags": "evidence.date_order"}, "flags", "应为预警列表", "must be a list of flags"),
    ({"flags": ["evidence.date_order"]}, "flags[0]", "不是预警记录", "not a flag record"),
])
def test_each_refusal_names_the_field_in_both_languages(draft, dataset, change, field, zh, en):
    err = refusal({**draft, **change}, dataset)
    problems = [p for p in err.problems if p.field == field]
    assert problems, err.problems
    assert zh in problems[0].zh and en in problems[0].en
    assert any(zh in m for m in err.messages("zh-CN"))
    assert any(en in m for m in err.messages("en"))


def test_every_problem_is_reported_at_once(draft, dataset):
    err = refusal({**draft, "title": "", "severity": "x", "due_date": "2025-99-01"}, dataset)
    assert {p.field for p in err.problems} == {"title", "severity", "due_date"}
    assert "title" in str(err) and "/" in str(err)
