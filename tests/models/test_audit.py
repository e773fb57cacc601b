"""The station head's audit: every change and every reveal, newest first, a page at
a time, narrowed by cadre, person, errand and days; refused to anyone else."""
import datetime as dt

import pytest

from models.core.audit import AuditFilter, audit_page, parse_days
from models.core.session import session_for
from models.core.validation import ValidationError
from models.people.residents import ResidentForm, register_resident, reveal_identity
from tests.actors import acting


def head(station, admin):
    return session_for(station, admin, "tester")






def test_a_duty_cadre_may_not_read_the_audit(station, hua):
    with pytest.raises(ValidationError) as refused:
        audit_page(session_for(station, hua, "hua"), AuditFilter())
    assert refused.value.code == "audit.head_only"


def test_audit_newest_first_page_by_page(station, admin, zhang, hua):
    for _ in range(4):
        reveal_identity(zhang.id, acting(hua))
    me, his = head(station, admin), AuditFilter(person="zhangsan")
    first = audit_page(me, his, limit=3)
    assert first.more and [r.event.action for r in first.rows] == ["revealed"] * 3
    last = first.rows[-1].event
    rest = audit_page(me, his, (last.at, last.id), limit=3)
    assert not rest.more
    ids = [r.event.id for r in first.rows + rest.rows]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids) == 5
    assert rest.rows[-1].event.action == "create"  # 张三 registered
    assert first.rows[0].subject == "张三" and first.cadres[hua.id] == "李华"


def test_audit_filters(station, admin, zhang, hua, errand):
    other = register_resident(ResidentForm(name="李四", phone="13900001111"), acting(admin))
    reveal_identity(zhang.id, acting(hua), ("phone",), errand.id)
    reveal_identity(other.id, acting(hua))
    me = head(station, admin)

    def seen(**narrowed):
        return [(r.event.entity, r.event.action, r.subject)
                for r in audit_page(me, AuditFilter(**narrowed)).rows]

    assert seen(cadre_id=hua.id) == [("resident", "revealed", "李四"),
                                    ("errand", "revealed", f"{errand.number} 张三")]
    assert seen(errand_number=errand.number[-3:]) == [
        ("errand", "revealed", f"{errand.number} 张三"),
        ("errand", "create", f"{errand.number} 张三")]
    assert [s[0] for s in seen(person="zhangsan")] == ["errand", "errand", "resident"]
    today = dt.date.today()
    assert seen(days=f"{today:%m-%d}") == seen()
    assert seen(days=f"{today - dt.timedelta(days=3):%Y-%m-%d}~"
                     f"{today - dt.timedelta(days=1):%Y-%m-%d}") == []
    with pytest.raises(ValidationError) as refused:
        seen(days="上周")
    assert refused.value.code == "audit.bad_days"


def test_day_spans_as_cadres_write_them():
    today = dt.date(2026, 11, 25)
    assert parse_days("", today) is None
    assert parse_days("11-25", today) == (today, today)
    assert parse_days("11-30 ～ 11-01", today) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert parse_days("2025-12-01至2026-01-31", today) == (dt.date(2025, 12, 1),
                                                           dt.date(2026, 1, 31))
