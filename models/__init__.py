"""The domain of the duty desk: Peewee tables and every rule of the work, one package
per part of the work. Nothing here imports Textual or the shell.

core/      the database, schema and migrations, the shared tables (station, cadres,
           groups, events), history, validation, the message catalogue, drafts,
           the link to a township server
station/   setting up a station, its settings and its team
people/    households and residents, search keys and pinyin
errands/   the service catalogue, intake, the lifecycle of an errand, the queue, batches
duty/      the roster, check-in and handover, nights in the village, holidays, the calendar
"""
