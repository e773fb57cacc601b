"""Duty (值班): the monthly roster, check-in/out and handover, nights in the village,
and the holiday calendar that due dates and the roster count working days by."""
