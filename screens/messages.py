"""Messages the shell sends to whichever screen is showing."""
from textual.message import Message


class DataChanged(Message):
    """Someone (in this or another session) saved a change: refresh what is shown."""
