"""Villagers: households, residents, and finding them by name, pinyin or digits."""
