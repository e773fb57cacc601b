"""Out in the village: household tags, the visit rule, the visit log (民情访问记录)
and how well each villager group's households are covered (两包一访)."""
