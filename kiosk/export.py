"""Exports: a month's duty roster, to post on the wall (text / HTML) or to put in
phones' calendars (iCalendar). The norm is to post next month's at month end.

Names and phones are data: cleaned of control characters (the text page may be
printed to a terminal), escaped for HTML and for iCalendar, never formatted in.
"""
from __future__ import annotations

import calendar
import datetime as dt
import html
from dataclasses import dataclass

from peewee import JOIN

from models.core.entities import Cadre, Station
from models.core.i18n import t, weekday
from models.core.text import inert
from models.duty.entities import Shift, ShiftTemplate


@dataclass
class RosterLine:
    shift_id: int
    day: dt.date
    shift: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    cadre: str
    phone: str


def roster_lines(station_id: int, year: int, month: int) -> list[RosterLine]:
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    query = (Shift.select(Shift, ShiftTemplate, Cadre)
             .join(ShiftTemplate).switch(Shift)
             .join(Cadre, JOIN.LEFT_OUTER, on=(Shift.cadre == Cadre.id))
             .where((Shift.station == station_id) & (Shift.day >= first) & (Shift.day <= last))
             .order_by(Shift.day, ShiftTemplate.position))
    return [RosterLine(s.id, s.day, inert(s.template.name), s.starts_at, s.ends_at,
                       inert(s.cadre.name) if s.cadre_id else "",
                       inert(s.cadre.phone) if s.cadre_id else "")
            for s in query]


def _title(station_id: int, year: int, month: int) -> str:
    return t("export.title", station=inert(Station.get_by_id(station_id).name), year=year,
             month=month)


def _day(line: RosterLine) -> str:
    return f"{line.day:%m-%d} " + t("weekday.short", day=weekday(line.day))


def _when(line: RosterLine) -> str:
    return f"{line.starts_at:%H:%M}–{line.ends_at:%H:%M}"


def roster_text(station_id: int, year: int, month: int) -> str:
    lines = [_title(station_id, year, month), ""]
    for line in roster_lines(station_id, year, month):
        who = f"{line.cadre} {line.phone}".strip() or t("export.nobody")
        lines.append(f"{_day(line)}  {line.shift} {_when(line)}  {who}")
    return "\n".join(lines) + "\n"


def roster_html(station_id: int, year: int, month: int) -> str:
    e = html.escape
    title = _title(station_id, year, month)
    rows = "\n".join(
        f"<tr><td>{_day(line)}</td>"
        f"<td>{e(line.shift)} {_when(line)}</td><td>{e(line.cadre) or e(t('export.nobody'))}</td>"
        f"<td>{e(line.phone)}</td></tr>"
        for line in roster_lines(station_id, year, month))
    head = "".join(f"<th>{e(t(key))}</th>" for key in
                   ("export.day", "export.shift", "export.cadre", "export.phone"))
    return (f"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{e(title)}</title><style>body{{font-family:sans-serif}}"
            f"table{{border-collapse:collapse}}td,th{{border:1px solid #444;padding:4px 8px}}"
            f"@media print{{body{{font-size:11pt}}}}</style></head><body>"
            f"<h1>{e(title)}</h1><table><thead><tr>{head}</tr></thead><tbody>\n{rows}\n"
            f"</tbody></table></body></html>\n")


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets are folded (continuation lines start with a space)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    return out + [current]


def roster_ics(station_id: int, year: int, month: int,
               stamp: dt.datetime | None = None) -> str:
    stamp = (stamp or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    station = inert(Station.get_by_id(station_id).name)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//village-duty-desk//roster//ZH",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_ics_text(_title(station_id, year, month))}",
             "X-WR-TIMEZONE:Asia/Shanghai",
             # RFC 5545 wants the zone a TZID names; China keeps +08:00 all year
             "BEGIN:VTIMEZONE", "TZID:Asia/Shanghai", "BEGIN:STANDARD",
             "DTSTART:19700101T000000", "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800",
             "TZNAME:CST", "END:STANDARD", "END:VTIMEZONE"]
    for line in roster_lines(station_id, year, month):
        if not line.cadre:
            continue
        lines += ["BEGIN:VEVENT",
                  f"UID:shift-{line.shift_id}@village-duty-desk",
                  f"DTSTAMP:{stamp}",
                  f"DTSTART;TZID=Asia/Shanghai:{line.starts_at:%Y%m%dT%H%M%S}",
                  f"DTEND;TZID=Asia/Shanghai:{line.ends_at:%Y%m%dT%H%M%S}",
                  f"SUMMARY:{_ics_text(t('export.event', shift=line.shift, cadre=line.cadre))}",
                  f"DESCRIPTION:{_ics_text(f'{station} {line.cadre} {line.phone}'.strip())}",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


FORMATS = {"text": roster_text, "html": roster_html, "ics": roster_ics}
