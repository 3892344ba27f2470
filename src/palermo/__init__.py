"""Palermo: the working platform for the States parties to UNTOC and its Protocols."""
