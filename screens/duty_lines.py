"""The duty lines of the home screen header: who is on duty now and next, who is
short of the nights rule. Kept apart from screens.duty (its dialogs pull in the
text editor) so the home screen starts without them."""
from __future__ import annotations

import datetime as dt

from rich.text import Text

from models.core.i18n import t
from models.duty.checkin import DutyNow
from models.duty.entities import Shift
from models.duty.nights import NightsRow

from .widgets.shown import shown


def clock(moment: dt.datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else ""


def duty_line(duty: DutyNow) -> Text:
    """值班：张三（至 20:00）   下一班：李四（20:00 起）, with 未签到 / 迟到 flagged in
    colour and words. Names are user text: appended as plain text, never markup."""
    line = Text(t("duty.now") + "：")
    current = duty.current
    if current is None:
        line.append(t("duty.nobody_now"), style="bold red")
    else:
        line.append(shown(duty.current_name or t("duty.nobody"),
                          "bold" if duty.current_name else "bold red"))
        line.append(t("duty.until", time=clock(current.ends_at)))
        if duty.missed:
            line.append(" " + t("duty.flag.missed"), style="bold red")
        elif duty.late:
            line.append(" " + t("duty.flag.late", time=clock(current.checked_in_at)),
                        style="bold yellow")
        elif current.checked_in_at:
            line.append(" " + t("duty.flag.in", time=clock(current.checked_in_at)),
                        style="dim")
    line.append("   " + t("duty.next") + "：")
    following = duty.next
    if following is None:
        line.append(t("duty.none_planned"), style="dim")
    else:
        line.append(shown(duty.next_name or t("duty.nobody"),
                          "" if duty.next_name else "bold red"))
        same_day = current is not None and following.starts_at == current.ends_at
        line.append(t("duty.from", time=f"{following.starts_at:%H:%M}" if same_day
                      else f"{following.starts_at:%m-%d %H:%M}"))
    return line


def nights_line(short: list[NightsRow]) -> Text:
    """本月住村已达不到 15 晚：张三 12晚（差3晚）、… — empty when nobody is short.
    Under the lodging rule each cadre's requirement differs: 张三 12/16晚（差4晚）."""
    line = Text()
    if not short:
        return line
    same = len({row.required for row in short}) == 1
    line.append((t("duty.nights_short", required=short[0].required) if same
                 else t("duty.nights_short_any")) + "：", style="bold red")
    for index, row in enumerate(short):
        if index:
            line.append("、")
        line.append(shown(row.name))
        line.append(" " + (t("duty.nights_count", nights=row.nights) if same else
                           t("duty.nights_of_required", nights=row.nights,
                             required=row.required)))
        line.append(t("duty.nights_missing", missing=row.missing), style="red")
    return line


def shift_label(shift: Shift) -> str:
    return t("duty.shift_label", day=f"{shift.day:%m-%d}", name=shift.template.name,
             starts=clock(shift.starts_at), ends=clock(shift.ends_at))
