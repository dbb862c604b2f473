"""What every emulated vendor shares: persistence, limits, faults, counters, real databases."""
