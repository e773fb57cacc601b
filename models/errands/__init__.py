"""Errands (代办事项): the service catalogue, intake, the move rules of an errand, the
queue and the carry list, and batches run for many households."""
