"""Deposit-free counter desk: the service-counter client of the city credit platform."""

__version__ = "0.1.0"
