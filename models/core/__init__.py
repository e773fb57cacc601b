"""What every part of the domain stands on: the database and its schema, the shared
tables, the event trail (history), validation and the message catalogue."""
