"""Domain rules of the desk: items, decisions, money, offline policy. Plain Python."""
