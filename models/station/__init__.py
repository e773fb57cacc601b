"""The station itself: first-run setup, the head's settings, and who works there."""
