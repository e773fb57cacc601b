import datetime as dt
import sqlite3
import subprocess
import sys

from kiosk.export import roster_html, roster_ics, roster_text
from models.core.entities import Cadre
from models.core.i18n import t
from models.duty.entities import Shift, ShiftTemplate


def make_shifts(station):
    day_t, night_t = ShiftTemplate.select().order_by(ShiftTemplate.position)
    odd = Cadre.create(station=station, name="<b>王,五;</b>", phone="13900000000")
    for template, cadre, day in [(day_t, odd, dt.date(2026, 12, 1)),
                                 (night_t, None, dt.date(2026, 12, 1))]:
        start = dt.datetime.combine(day, dt.time(8 if template == day_t else 20))
        Shift.create(station=station, template=template, day=day, starts_at=start,
                     ends_at=start + dt.timedelta(hours=12), cadre=cadre)


def test_text_and_html_show_names_as_data(station):
    make_shifts(station)
    text = roster_text(station.id, 2026, 12)
    assert t("export.title", station=station.name, year=2026, month=12) in text
    tuesday = t("weekday.short", day=t("weekday.1"))
    assert f"12-01 {tuesday}  日班 08:00–20:00  <b>王,五;</b> 13900000000" in text
    assert f"夜班 20:00–08:00  {t('export.nobody')}" in text
    page = roster_html(station.id, 2026, 12)
    assert "&lt;b&gt;王,五;&lt;/b&gt;" in page and "<b>王" not in page


def test_icalendar_events_escaped_and_folded(station):
    make_shifts(station)
    ics = roster_ics(station.id, 2026, 12, stamp=dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc))
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert ics.count("BEGIN:VEVENT") == 1  # the unfilled night is not an event
    assert "DTSTART;TZID=Asia/Shanghai:20261201T080000" in ics
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n" in ics
    assert "SUMMARY:" + t("export.event", shift="日班", cadre="<b>王\\,五\\;</b>") in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))


def test_cli_writes_the_file(tmp_path):
    path = tmp_path / "k.db"
    subprocess.run([sys.executable, "-m", "kiosk.cli", "--db", str(path), "demo"],
                   check=True, capture_output=True)
    out = tmp_path / "roster.html"
    done = subprocess.run([sys.executable, "-m", "kiosk.cli", "export-roster", "--db",
                           str(path), "--month", "2026-12", "--out", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert t("cli.export.done", year=2026, month=12, path=out) in done.stderr
    station = sqlite3.connect(path).execute("SELECT name FROM station").fetchone()[0]
    title = t("export.title", station=station, year=2026, month=12)
    assert title in out.read_text(encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "kiosk.cli", "export-roster", "--db",
                          str(path), "--month", "12/2026"], capture_output=True, text=True)
    assert bad.returncode == 2 and t("cli.export.bad_month", given="12/2026") in bad.stderr
